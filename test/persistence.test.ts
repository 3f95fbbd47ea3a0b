/**
 * State that outlives the process: restarts on the same DATA_DIR, jobs in flight that finish
 * after the restart, and the state document (export, reset, import, --seed).
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListBackupSelectionsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  StartBackupJobCommand,
} from "@aws-sdk/client-backup";
import { resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const dirs: string[] = [];
const running: TestEmulator[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "persist-"));
  dirs.push(d);
  return d;
};
async function start(opts: Parameters<typeof startTestEmulator>[0]) {
  const t = await startTestEmulator(opts);
  running.push(t);
  return t;
}

async function populate(t: TestEmulator) {
  const c = t.client();
  const other = t.client({ accountId: "111122223333", region: "eu-west-1" });
  const vault = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault, BackupVaultTags: { env: "test" } }));
  await other.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
  for (let i = 0; i < 3; i++) await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN }));
  await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: vault }] } }));
  return { c, other, vault };
}

async function answers(t: TestEmulator, vault: string) {
  const c = t.client();
  const other = t.client({ accountId: "111122223333", region: "eu-west-1" });
  const strip = <T extends { $metadata?: unknown }>(o: T) => ({ ...o, $metadata: undefined });
  return {
    vault: strip(await c.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))),
    otherVault: strip(await other.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))),
    jobs: strip(await c.send(new ListBackupJobsCommand({}))),
    points: strip(await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))),
    tags: strip(await c.send(new ListTagsCommand({ ResourceArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}` }))),
  };
}

describe("a restart on the same DATA_DIR", () => {
  it("keeps vaults, plans, selections, tags and jobs, and finishes the jobs that were in flight", async () => {
    const dataDir = tempDir();
    const vault = uniqueName("vault");
    const first = await start({ dataDir, jobCompletionDelaySeconds: 1.5 });
    const c1 = first.client();
    await c1.send(new CreateBackupVaultCommand({ BackupVaultName: vault, BackupVaultTags: { team: "data" } }));
    const plan = await c1.send(
      new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault }] } }),
    );
    await c1.send(
      new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: "all", IamRoleArn: ROLE_ARN, Resources: ["*"] } }),
    );
    const job = await c1.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.efs(), IamRoleArn: ROLE_ARN }));
    expect((await c1.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("CREATED");
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await start({ dataDir, jobCompletionDelaySeconds: 1.5 });
    const c2 = second.client();
    expect((await c2.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).BackupVaultName).toBe(vault);
    const vaultArn = `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`;
    expect((await c2.send(new ListTagsCommand({ ResourceArn: vaultArn }))).Tags).toEqual({ team: "data" });
    expect((await c2.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId }))).VersionId).toBe(plan.VersionId);
    expect((await c2.send(new ListBackupSelectionsCommand({ BackupPlanId: plan.BackupPlanId }))).BackupSelectionsList).toHaveLength(1);
    // The job was due to finish 1.5 s after it started; it completes on the restarted process.
    let state = "";
    for (let i = 0; i < 60 && state !== "COMPLETED"; i++) {
      state = (await c2.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State!;
      if (state !== "COMPLETED") await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe("COMPLETED");
    expect((await c2.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(1);
  });

  it("keeps the emulator's clock where it was", async () => {
    const dataDir = tempDir();
    const first = await start({ dataDir, clockStart: "2030-01-01T00:00:00Z" });
    const before = first.emu.clock.now();
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const second = await start({ dataDir, clockStart: "2020-01-01T00:00:00Z" });
    expect(second.emu.clock.now()).toBeGreaterThanOrEqual(before);
    expect(second.emu.clock.now() - before).toBeLessThan(60);
  });
});

describe("GET and POST /_emulator/state", () => {
  it("round-trips: export, reset, import gives identical API answers", async () => {
    const t = await start({});
    const { vault } = await populate(t);
    const before = await answers(t, vault);
    const exported = await (await fetch(`${t.endpoint}/_emulator/state`)).text();
    await fetch(`${t.endpoint}/_emulator/reset`, { method: "POST" });
    const gone = await fetch(`${t.endpoint}/backup-vaults/${vault}`, { headers: { authorization: "x" } });
    expect(gone.status).toBe(400);
    const load = await fetch(`${t.endpoint}/_emulator/state`, { method: "POST", body: exported, headers: { "content-type": "application/json" } });
    expect(load.status).toBe(200);
    expect(await answers(t, vault)).toEqual(before);
  });

  it("loads a document into another emulator and its in-flight jobs complete there", async () => {
    const a = await start({ jobCompletionDelaySeconds: 30 });
    const c = a.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    const doc = await (await fetch(`${a.endpoint}/_emulator/state`)).json();
    const b = await start({});
    await fetch(`${b.endpoint}/_emulator/state`, { method: "POST", body: JSON.stringify(doc) });
    b.emu.clock.advance(31);
    const described = await b.client().send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    expect(described.State).toBe("COMPLETED");
  });

  it.each([
    ["not JSON", "{nope", /not valid JSON/],
    ["of another format", JSON.stringify({ format: "something-else", version: 1, tables: {} }), /format/],
    ["from a newer version", JSON.stringify({ format: "aws-backup-emulator/state", version: 999, tables: {} }), /newer than this emulator/],
    ["with an unknown table", JSON.stringify({ format: "aws-backup-emulator/state", version: 1, tables: { nonsense: [] } }), /tables\.nonsense/],
    [
      "with a record missing its key",
      JSON.stringify({ format: "aws-backup-emulator/state", version: 1, tables: { vaults: [{ accountId: "000000000000", region: "us-east-1", doc: { VaultType: "BACKUP_VAULT" } }] } }),
      /tables\.vaults\[0\]\.doc/,
    ],
    ["that is empty", "", /not valid JSON/],
    ["cut short", JSON.stringify({ format: "aws-backup-emulator/state", version: 1, tables: { vaults: [] } }).slice(0, -3), /not valid JSON/],
    ["whose table is not an array", JSON.stringify({ format: "aws-backup-emulator/state", version: 1, tables: { vaults: 5 } }), /tables\.vaults: must be an array/],
    ["whose tags are not an array", JSON.stringify({ format: "aws-backup-emulator/state", version: 1, tables: {}, tags: {} }), /tags: must be an array/],
    ["with a row that is not an object", JSON.stringify({ format: "aws-backup-emulator/state", version: 1, tables: {}, work: [7] }), /work\[0\]: must be an object/],
    [
      "with a bad account id",
      JSON.stringify({ format: "aws-backup-emulator/state", version: 1, tables: { vaults: [{ accountId: "12", region: "us-east-1", doc: {} }] } }),
      /accountId/,
    ],
  ])("refuses a document %s with 400 naming the problem and leaves the state untouched", async (_what, body, message) => {
    const t = await start({});
    const { vault } = await populate(t);
    const before = await answers(t, vault);
    const res = await fetch(`${t.endpoint}/_emulator/state`, { method: "POST", body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    expect(await answers(t, vault)).toEqual(before);
  });
});

describe("--seed", () => {
  it("loads a state document at start-up, and only into a new database", async () => {
    const source = await start({});
    const { vault } = await populate(source);
    const file = join(tempDir(), "seed.json");
    writeFileSync(file, await (await fetch(`${source.endpoint}/_emulator/state`)).text());

    const seeded = await start({ seed: file });
    expect((await seeded.client().send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(3);

    const dataDir = tempDir();
    const first = await start({ dataDir, seed: file });
    const extra = uniqueName("vault");
    await first.client().send(new CreateBackupVaultCommand({ BackupVaultName: extra }));
    await first.stop();
    running.splice(running.indexOf(first), 1);
    const again = await start({ dataDir, seed: file });
    // The restart keeps what was added after seeding instead of loading the seed over it.
    expect((await again.client().send(new DescribeBackupVaultCommand({ BackupVaultName: extra }))).BackupVaultName).toBe(extra);
  });
});
