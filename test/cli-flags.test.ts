/** The command line: --help, --version, flags over environment variables, bad input. */
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseCli } from "../src/cli.js";
import { settings } from "../src/config.js";
import { spawnEmulator } from "./helpers/process.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const cli = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(process.execPath, ["--import", "tsx", "src/main.ts", ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    ),
  );

describe("aws-backup-emulator --help and --version", () => {
  it("lists a flag and an environment variable for every setting", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(0);
    for (const s of Object.values(settings)) {
      expect(stdout).toContain(`--${s.flag}`);
      expect(stdout).toContain(s.env[0]);
    }
  });

  it("prints the package version", async () => {
    const { code, stdout } = await cli(["--version"]);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("bad command lines", () => {
  it.each([
    [["--bogus"], /Unknown option '--bogus'/],
    [["--port", "eighty"], /--port must be a whole number/],
    [["--auth-mode", "maybe"], /--auth-mode must be one of off, strict/],
    [["--default-account-id", "12"], /--default-account-id must be 12 digits/],
    [["--organization", "members:222222222222"], /--organization must name the management account/],
    [["--job-completion-delay", "-5"], /--job-completion-delay must be a number of seconds ≥ 0, got "-5"/],
    [["--port", "-1"], /--port must be between 0 and 65535, got -1/],
    [["--request-timeout", "-30"], /--request-timeout must be between 1 and 3600, got -30/],
    [["--body-limit", "-2048"], /--body-limit must be between 1024 and \d+, got -2048/],
  ])("refuses %j with one line naming it and exit code 2", async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe("settings", () => {
  it("take flags over environment variables, and Floci's delay variable as an alias", () => {
    const r = parseCli(["--port", "4600"], { PORT: "4599", FLOCI_SERVICES_BACKUP_JOB_COMPLETION_DELAY_SECONDS: "7" }, "1.0.0");
    expect(r.kind).toBe("run");
    if (r.kind === "run") {
      expect(r.config.port).toBe(4600);
      expect(r.config.jobCompletionDelaySeconds).toBe(7);
    }
  });

  it("read the resource endpoint from RESOURCE_ENDPOINT, and from its older names RESOURCE_DISCOVERY_ENDPOINT and --resource-discovery-endpoint", () => {
    const byEnv = parseCli([], { RESOURCE_DISCOVERY_ENDPOINT: "http://localhost:5000" }, "1.0.0");
    const byOldFlag = parseCli(["--resource-discovery-endpoint", "http://localhost:5001"], { RESOURCE_ENDPOINT: "http://localhost:5000" }, "1.0.0");
    const byFlag = parseCli(["--resource-endpoint", "http://localhost:5002"], {}, "1.0.0");
    expect(byEnv.kind === "run" && byEnv.config.resourceEndpoint).toBe("http://localhost:5000");
    expect(byOldFlag.kind === "run" && byOldFlag.config.resourceEndpoint).toBe("http://localhost:5001");
    expect(byFlag.kind === "run" && byFlag.config.resourceEndpoint).toBe("http://localhost:5002");
    const bad = parseCli(["--resource-discovery-endpoint", "localhost"], {}, "1.0.0");
    expect(bad.kind === "exit" && bad.err).toMatch(/--resource-discovery-endpoint must be an http\(s\) URL/);
  });

  it("serve on the port and with the delay the command line gives", async () => {
    const emu = await spawnEmulator(["--job-completion-delay", "0"], { DEFAULT_REGION: "eu-central-1" });
    try {
      expect((await fetch(`${emu.endpoint}/_emulator/health`)).status).toBe(200);
      const res = await fetch(`${emu.endpoint}/backup-vaults/cli-vault`, { method: "PUT", body: "{}" });
      expect(((await res.json()) as { BackupVaultArn: string }).BackupVaultArn).toContain(":eu-central-1:");
    } finally {
      emu.proc.kill("SIGTERM");
      expect(await emu.exited).toBe(0);
    }
  });
});
