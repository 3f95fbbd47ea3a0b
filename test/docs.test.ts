/**
 * The README tells the truth: its configuration and coverage tables are what the code says,
 * every operation appears once, and its JavaScript and Python recipes run against an emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { operationIds } from "../generated/operations.js";
import { withConfigTable } from "../scripts/config-docs.js";
import { withCoverageTable } from "../scripts/coverage-docs.js";
import { startTestEmulator, type TestEmulator } from "./helpers/emulator.js";
import { boto3Available } from "./helpers/moto.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(join(ROOT, "README.md"), "utf8");

/** The first fenced block of a language after a heading. */
function recipe(heading: string, lang: string): string {
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`README has no "${heading}"`);
  const m = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(readme.slice(at));
  if (!m) throw new Error(`no ${lang} block after "${heading}"`);
  return m[1]!;
}

const run = (cmd: string, args: string[], cwd: string) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(cmd, args, { cwd, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );

describe("README.md", () => {
  it("has the configuration table that src/config.ts produces (npm run docs:config)", () => {
    expect(withConfigTable(readme)).toBe(readme);
  });

  it("has the coverage table that the handlers produce (npm run docs:coverage), listing every operation once", () => {
    expect(withCoverageTable(readme)).toBe(readme);
    const table = readme.slice(readme.indexOf("<!-- coverage:start -->"), readme.indexOf("<!-- coverage:end -->"));
    for (const op of operationIds) expect(table.match(new RegExp(`\\b${op}\\b`, "g")), op).toHaveLength(1);
  });
});

describe("README recipes", () => {
  let t: TestEmulator;
  let dir: string;
  beforeAll(async () => {
    t = await startTestEmulator({ jobCompletionDelaySeconds: 3 });
    // Inside the repository so that the recipe's imports resolve to node_modules.
    dir = mkdtempSync(join(ROOT, "test-output-recipe-"));
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the JavaScript (AWS SDK v3) recipe", async () => {
    writeFileSync(join(dir, "recipe.mjs"), recipe("### JavaScript (AWS SDK v3)", "js").replaceAll("http://localhost:4566", t.endpoint));
    const { code, out } = await run(process.execPath, ["recipe.mjs"], dir);
    expect(out).toMatch(/recovery-point:[0-9a-f-]+ COMPLETED/);
    expect(code).toBe(0);
  });

  it.skipIf(!boto3Available)("runs the Python (boto3) recipe", async () => {
    const { code, out } = await run("python3", ["-c", recipe("### Python (boto3)", "python").replaceAll("http://localhost:4566", t.endpoint)], dir);
    expect(out.trim().split("\n")).toEqual(["COMPLETED", "1"]);
    expect(code).toBe(0);
  });
});
