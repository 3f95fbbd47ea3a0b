/**
 * SIGTERM and SIGINT: the emulator stops accepting connections, lets requests in flight finish,
 * closes its store and exits 0; nothing it acknowledged is lost.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BackupClient, CreateBackupVaultCommand, ListBackupVaultsCommand } from "@aws-sdk/client-backup";
import { spawnEmulator } from "./helpers/process.js";

const dataDir = mkdtempSync(join(tmpdir(), "shutdown-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const client = (endpoint: string) => new BackupClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "k", secretAccessKey: "s" }, maxAttempts: 1 });

describe.each(["SIGTERM", "SIGINT"] as const)("%s under write load", (signal) => {
  it("exits 0 after answering what it accepted, and keeps every acknowledged write", async () => {
    // A folder per signal: at group-commit speed one run alone can reach the quota of 1,000 vaults.
    const dir = join(dataDir, signal);
    const emu = await spawnEmulator(["--data-dir", dir]);
    const c = client(emu.endpoint);
    const acknowledged: string[] = [];
    let stop = false;
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const name = `${signal.toLowerCase()}-${w}-${i}`;
        try {
          await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
          acknowledged.push(name);
        } catch {
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 400));
    emu.proc.kill(signal);
    expect(await emu.exited).toBe(0);
    stop = true;
    await Promise.all(workers);
    c.destroy();
    expect(acknowledged.length).toBeGreaterThan(10);

    const again = await spawnEmulator(["--data-dir", dir]);
    const c2 = client(again.endpoint);
    const names = new Set<string>();
    let token: string | undefined;
    do {
      const page = await c2.send(new ListBackupVaultsCommand({ NextToken: token }));
      for (const v of page.BackupVaultList ?? []) names.add(v.BackupVaultName!);
      token = page.NextToken;
    } while (token);
    for (const n of acknowledged) expect(names.has(n), n).toBe(true);
    c2.destroy();
    again.proc.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  }, 60_000);
});
