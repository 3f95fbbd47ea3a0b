// `npm start`: serve from the built bundle, building it first only when a source is newer than
// it (a fresh build costs seconds; starting from a current bundle costs a fraction of one).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bundle = join(root, "dist/bundle/main.mjs");

/** The newest modification time of a file or of any file under a folder. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), st.mtimeMs);
}

const inputs = ["src", "generated", "model", "scripts/bundle.mjs", "tsconfig.json", "tsconfig.build.json", "package.json", "package-lock.json"];
const sources = Math.max(...inputs.map((p) => newest(join(root, p))));
if (!existsSync(bundle) || statSync(bundle).mtimeMs < sources) {
  process.stderr.write("building (sources changed since the last build)…\n");
  const built = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await import(pathToFileURL(bundle).href);
