/**
 * Durability under SIGKILL: a child emulator on a DATA_DIR takes concurrent creates through the
 * SDK and is killed at a random moment, several times. After each restart every create that
 * was acknowledged exists, and the database passes SQLite's integrity check.
 */
import { afterAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BackupClient, CreateBackupVaultCommand, DescribeBackupJobCommand, ListBackupVaultsCommand, StartBackupJobCommand } from "@aws-sdk/client-backup";
import { spawnEmulator, type EmulatorProcess } from "./helpers/process.js";
import { resources, ROLE_ARN } from "./helpers/emulator.js";
import { DB_FILE } from "../src/store/db.js";

const dataDir = mkdtempSync(join(tmpdir(), "crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const client = (endpoint: string) =>
  new BackupClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s" }, maxAttempts: 1 });

async function allVaults(c: BackupClient): Promise<Set<string>> {
  const names = new Set<string>();
  let token: string | undefined;
  do {
    const page = await c.send(new ListBackupVaultsCommand({ NextToken: token }));
    for (const v of page.BackupVaultList ?? []) names.add(v.BackupVaultName!);
    token = page.NextToken;
  } while (token);
  return names;
}

describe("a SIGKILL under write load", () => {
  it("loses no acknowledged create and corrupts nothing, over several kills", async () => {
    const acknowledgedVaults: string[] = [];
    const acknowledgedJobs: string[] = [];
    for (let round = 0; round < 4; round++) {
      const emu: EmulatorProcess = await spawnEmulator(["--data-dir", dataDir, "--job-completion-delay", "0"]);
      const c = client(emu.endpoint);
      // Everything acknowledged in earlier rounds is still there.
      const present = await allVaults(c);
      for (const name of acknowledgedVaults) expect(present.has(name), `vault ${name} acknowledged before a kill`).toBe(true);
      for (const id of acknowledgedJobs) expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: id }))).BackupJobId).toBe(id);

      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const name = `r${round}-w${w}-${i}`;
          try {
            await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
            acknowledgedVaults.push(name);
            const job = await c.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
            acknowledgedJobs.push(job.BackupJobId!);
          } catch {
            return; // the process died under this request: it was never acknowledged
          }
        }
      };
      const workers = Array.from({ length: 6 }, (_, w) => worker(w));
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
      emu.proc.kill("SIGKILL");
      stop = true;
      await emu.exited;
      await Promise.all(workers);
      c.destroy();

      const db = new Database(join(dataDir, DB_FILE));
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      db.close();
    }
    expect(acknowledgedVaults.length).toBeGreaterThan(20);

    const final = await spawnEmulator(["--data-dir", dataDir]);
    const c = client(final.endpoint);
    const present = await allVaults(c);
    for (const name of acknowledgedVaults) expect(present.has(name), `vault ${name}`).toBe(true);
    c.destroy();
    final.proc.kill("SIGTERM");
    expect(await final.exited).toBe(0);
  }, 120_000);
});
