// The production entry: dist/src (tsc's output) bundled into one module, which starts in about
// half the time of loading the hundreds of files it is made of (docs/decisions.md). The native
// SQLite binding and modules loaded only on demand stay external.
import { build } from "esbuild";

await build({
  entryPoints: ["dist/src/main.js"],
  outfile: "dist/bundle/main.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["better-sqlite3", "pino-pretty", "@aws-sdk/*"],
  // Bundled CommonJS code calls require(); give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: "warning",
});
