// The production entry: dist/src (tsc's output) bundled into one module, which starts in about
// half the time of loading the hundreds of files it is made of (docs/decisions.md). The native
// SQLite binding and modules loaded only on demand stay external. What the code imports
// dynamically (openapi-backend, the input validators, SigV4 verification) is split into chunks
// beside main.mjs, so start-up neither reads nor compiles it.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";

// Koa's content negotiation (accepts) pins an older mime-db than its type checks (type-is): one
// copy of the media-type table serves both, instead of two to load at start-up.
const mimeDb = createRequire(import.meta.url).resolve("mime-db");
const oneMimeDb = { name: "one-mime-db", setup: (b) => b.onResolve({ filter: /^mime-db$/ }, () => ({ path: mimeDb })) };

// Chunk names carry a hash: clear the folder so that no stale chunk is shipped.
rmSync("dist/bundle", { recursive: true, force: true });
await build({
  entryPoints: ["dist/src/main.js"],
  outdir: "dist/bundle",
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3", "pino-pretty", "@aws-sdk/*"],
  // Bundled CommonJS code calls require(); give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [oneMimeDb],
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
});
