/**
 * The package as a user gets it: startEmulator's options are checked, and the packed tarball
 * installs into an empty TypeScript project, compiles under --strict against the published
 * declarations and runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, startEmulator } from "../src/index.js";
import type { EmulatorOptions } from "../src/index.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const npmUsable = spawnSync("npm", ["--version"], { encoding: "utf8" }).status === 0;

const run = (cmd: string, args: string[], cwd: string) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );

async function refusal(options: Record<string, unknown>): Promise<Error> {
  // Cast: these are the mistakes a JavaScript caller (or a spread of untyped data) can make.
  const err = await startEmulator({ port: 0, host: "127.0.0.1", logLevel: "silent", ...options } as EmulatorOptions).then(
    (emu) => emu.stop().then(() => undefined),
    (e: unknown) => e as Error,
  );
  if (!err) throw new Error(`startEmulator accepted ${JSON.stringify(options)}`);
  return err;
}

describe("startEmulator options", () => {
  it("refuses a misspelt option, naming the nearest valid one", async () => {
    const err = await refusal({ jobCompletionDelay: 0 });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('Unknown option "jobCompletionDelay": did you mean "jobCompletionDelaySeconds"?');
    expect((await refusal({ dataDirectory: "/tmp/x" })).message).toMatch(/"dataDirectory".*"dataDir"/);
  });

  it.each([
    [{ port: "4566" }, /^port must be a number, got "4566"$/],
    [{ port: 70000 }, /^port must be between 0 and 65535, got 70000$/],
    [{ jobCompletionDelaySeconds: -1 }, /^jobCompletionDelaySeconds must be a number of seconds ≥ 0, got "-1"$/],
    [{ logLevel: "verbose" }, /^logLevel must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"$/],
    [{ defaultRegion: "mars" }, /^defaultRegion must be an AWS region name/],
    [{ resourceEndpoint: 5000 }, /^resourceEndpoint must be a string, got 5000$/],
    [{ organization: { managementAccountId: "1" } }, /^organization must be \{ id, managementAccountId, accountIds \}/],
  ])("refuses %j with a ConfigError naming the option", async (options, message) => {
    const err = await refusal(options);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(message);
  });

  it("takes valid values, including an organization given as an object or as its flag's text", async () => {
    const org = { id: "o-exampleorg1", managementAccountId: "111111111111", accountIds: ["111111111111", "222222222222"] };
    for (const organization of [org, "management:111111111111,members:222222222222,id:o-exampleorg1"] as const) {
      const emu = await startEmulator({ port: 0, host: "127.0.0.1", logLevel: "silent", jobCompletionDelaySeconds: 0.5, organization: organization as typeof org, dataDir: undefined });
      try {
        expect(emu.config.jobCompletionDelaySeconds).toBe(0.5);
        expect(emu.config.organization).toEqual(org);
        expect(emu.config.dataDir).toBeUndefined();
      } finally {
        await emu.stop();
      }
    }
  });
});

describe.skipIf(!npmUsable)("the packed package", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "backup-emulator-package-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("installs into an empty project, compiles under --strict against its declarations and serves", async () => {
    // `npm pack` runs `prepare`, so the tarball holds a fresh build.
    const packed = await run("npm", ["pack", "--silent", "--pack-destination", dir], ROOT);
    expect(packed.code, packed.out).toBe(0);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    expect(tarball).toBeDefined();

    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // Install scripts off: compiling better-sqlite3 again would take a minute; the binding this
    // checkout built is the same version for the same Node.
    const installed = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, tarball!), "typescript@5.9.3", "@types/node@20"], project);
    expect(installed.code, installed.out).toBe(0);
    const binding = "node_modules/better-sqlite3/build/Release";
    mkdirSync(join(project, binding), { recursive: true });
    copyFileSync(join(ROOT, binding, "better_sqlite3.node"), join(project, binding, "better_sqlite3.node"));

    writeFileSync(
      join(project, "main.ts"),
      `import { ConfigError, startEmulator, type Emulator, type EmulatorOptions, type StateDocument } from "aws-backup-emulator";

const options: EmulatorOptions = { port: 0, host: "127.0.0.1", logLevel: "silent", jobCompletionDelaySeconds: 0 };
// @ts-expect-error a misspelt option does not compile
const misspelt: EmulatorOptions = { jobCompletionDelay: 0 };
const emu: Emulator = await startEmulator(options);
try {
  const health = (await (await fetch(emu.endpoint + "/_emulator/health")).json()) as { status: string };
  const state = (await (await fetch(emu.endpoint + "/_emulator/state")).json()) as StateDocument;
  console.log(health.status, state.format);
  await startEmulator(misspelt).catch((e: unknown) => console.log(e instanceof ConfigError, (e as Error).message));
} finally {
  await emu.stop();
}
`,
    );
    const tsc = await run(process.execPath, ["node_modules/typescript/bin/tsc", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", "main.ts"], project);
    expect(tsc.code, tsc.out).toBe(0);
    const ran = await run(process.execPath, ["main.js"], project);
    expect(ran.code, ran.out).toBe(0);
    expect(ran.out.trim().split("\n")).toEqual(["running aws-backup-emulator/state", 'true Unknown option "jobCompletionDelay": did you mean "jobCompletionDelaySeconds"?']);
  }, 300_000);
});
