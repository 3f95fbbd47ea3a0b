/**
 * The life of content in backups that hold data (moto_server as the resource endpoint):
 * scheduled backups, copies restorable from their destination, deletion and lifecycle expiry
 * freeing blobs, restore testing deleting what it restored, an unreachable endpoint, and a
 * restart in the middle of a backup. Skipped, with a message, without moto_server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  CreateRestoreTestingPlanCommand,
  CreateRestoreTestingSelectionCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  ListBackupJobsCommand,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { DescribeTableCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { eventually, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { advance, DAY } from "./helpers/clock.js";
import { motoAvailable, startMoto, type Moto } from "./helpers/moto.js";
import { backupJobEnd, comparable, copyJobEnd, createBucket, createMixedTable, deadEndpoint, mixedItems, MOTO_ACCOUNT, peer, readBucket, restoreJobEnd, scanAll, slowProxy, type Item, type TestObject, useDataPlane } from "./helpers/data.js";
import { contents } from "../src/domain/transfers.js";
import type { Manifest } from "../src/dataplane/types.js";

if (!motoAvailable) console.warn("data-lifecycle.test.ts: moto_server is not installed; skipping the data plane lifecycle tests");

const US_EAST = { accountId: MOTO_ACCOUNT, region: "us-east-1" };

/** The blob files a recovery point's content consists of (its manifest and its parts). */
function blobFiles(t: TestEmulator, rpArn: string, scope = US_EAST): string[] {
  const row = contents(t.emu.store).get(scope, rpArn);
  if (!row) throw new Error(`recovery point ${rpArn} holds no content`);
  const store = t.emu.dataPlane!.content;
  const manifest = JSON.parse(readFileSync(store.path(row.Manifest), "utf8")) as Manifest;
  return [store.path(row.Manifest), ...manifest.parts.map((p) => store.path(p.hash))];
}

const uniqueObjects = (): TestObject[] => [
  { key: "a.bin", body: randomBytes(300_000), contentType: "application/octet-stream", metadata: {}, tags: {} },
  { key: "b/c.txt", body: Buffer.from(`unique ${randomBytes(8).toString("hex")}`), contentType: "text/plain", metadata: { m: "1" }, tags: { t: "1" } },
];

describe.skipIf(!motoAvailable)("backups with data over time (moto_server)", () => {
  const suite = useDataPlane({ clockStart: "2026-06-01T00:00:00Z" });
  let moto: Moto;
  let t: TestEmulator;
  let c: BackupClient;
  let vault: string;
  beforeAll(() => {
    ({ moto, t, c, vault } = suite);
  });

  describe("StartCopyJob", () => {
    it("makes the content available in the destination Region, restorable from there", async () => {
      const name = uniqueName("copied");
      const arn = await createMixedTable(moto.endpoint, name, mixedItems(40));
      const before = await scanAll(moto.endpoint, name);
      const job = await backupJobEnd(c, (await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN }))).BackupJobId!);
      const west = t.client({ accountId: MOTO_ACCOUNT, region: "us-west-2" });
      const destVault = uniqueName("dr");
      const dest = await west.send(new CreateBackupVaultCommand({ BackupVaultName: destVault }));
      const { CopyJobId } = await c.send(
        new StartCopyJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, SourceBackupVaultName: vault, DestinationBackupVaultArn: dest.BackupVaultArn!, IamRoleArn: ROLE_ARN }),
      );
      const copy = await copyJobEnd(c, CopyJobId!);
      expect(copy.State, copy.StatusMessage).toBe("COMPLETED");
      expect(copy.BackupSizeInBytes).toBe(job.BackupSizeInBytes);

      const target = uniqueName("from-copy");
      const { RestoreJobId } = await west.send(new StartRestoreJobCommand({ RecoveryPointArn: copy.DestinationRecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { targetTableName: target } }));
      const restore = await restoreJobEnd(west, RestoreJobId!);
      expect(restore.Status, restore.StatusMessage).toBe("COMPLETED");
      expect(restore.CreatedResourceArn).toBe(`arn:aws:dynamodb:us-west-2:${MOTO_ACCOUNT}:table/${target}`);
      const westPeer = peer(moto.endpoint, "us-west-2");
      const items: unknown[] = [];
      let start: Item | undefined;
      do {
        const page = await westPeer.ddb.send(new ScanCommand({ TableName: target, ExclusiveStartKey: start }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      westPeer.destroy();
      expect(items).toHaveLength(before.length);
    }, 60_000);
  });

  describe("DeleteRecoveryPoint", () => {
    it("frees the content once the last recovery point sharing it is deleted", async () => {
      const bucket = uniqueName("shared");
      await createBucket(moto.endpoint, bucket, uniqueObjects());
      const first = await backupJobEnd(c, (await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }))).BackupJobId!);
      const second = await backupJobEnd(c, (await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }))).BackupJobId!);
      const files = blobFiles(t, first.RecoveryPointArn!);
      // An unchanged bucket: the second backup is the same content, stored once.
      expect(blobFiles(t, second.RecoveryPointArn!)).toEqual(files);
      expect(files.every((f) => existsSync(f))).toBe(true);

      await c.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: first.RecoveryPointArn! }));
      await new Promise((r) => setTimeout(r, 600));
      expect(files.every((f) => existsSync(f))).toBe(true);

      await c.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: second.RecoveryPointArn! }));
      await eventually(async () => files.every((f) => !existsSync(f)), 5000);
    }, 60_000);
  });

  describe("Lifecycle expiry", () => {
    it("removes the blob files of an expired recovery point", async () => {
      const bucket = uniqueName("expiring");
      await createBucket(moto.endpoint, bucket, uniqueObjects());
      const job = await backupJobEnd(
        c,
        (await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 1 } }))).BackupJobId!,
      );
      const files = blobFiles(t, job.RecoveryPointArn!);
      expect(files.every((f) => existsSync(f))).toBe(true);
      await advance(t.endpoint, 2 * DAY);
      const left = await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }));
      expect(left.RecoveryPoints!.map((r) => r.RecoveryPointArn)).not.toContain(job.RecoveryPointArn);
      await eventually(async () => files.every((f) => !existsSync(f)), 5000);
    }, 60_000);
  });

  describe("Scheduled backups", () => {
    it("read the table a plan's selection names when the clock reaches the rule's schedule, and restore from it", async () => {
      const name = uniqueName("nightly");
      const arn = await createMixedTable(moto.endpoint, name, mixedItems(25));
      const before = await scanAll(moto.endpoint, name);
      const planVault = uniqueName("plan-vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: planVault }));
      const plan = await c.send(
        new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "nightly", TargetBackupVaultName: planVault, ScheduleExpression: "cron(0 3 ? * * *)" }] } }),
      );
      await c.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: "table", IamRoleArn: ROLE_ARN, Resources: [arn] } }));
      await advance(t.endpoint, DAY);
      const jobs = await eventually(async () => {
        const list = (await c.send(new ListBackupJobsCommand({ ByBackupVaultName: planVault }))).BackupJobs ?? [];
        return list.length > 0 && list.every((j) => j.State === "COMPLETED" || j.State === "FAILED") ? list : undefined;
      }, 20_000, 50);
      expect(jobs.map((j) => [j.ResourceArn, j.State])).toEqual([[arn, "COMPLETED"]]);
      const target = uniqueName("nightly-restored");
      const { RestoreJobId } = await c.send(new StartRestoreJobCommand({ RecoveryPointArn: jobs[0]!.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { targetTableName: target } }));
      expect((await restoreJobEnd(c, RestoreJobId!)).Status).toBe("COMPLETED");
      expect(comparable(await scanAll(moto.endpoint, target))).toEqual(comparable(before));
    }, 60_000);
  });

  describe("StartRestoreJob of a recovery point loaded from a state document", () => {
    it("fails with a message saying the content is not in this emulator", async () => {
      const bucket = uniqueName("exported");
      await createBucket(moto.endpoint, bucket, uniqueObjects());
      const job = await backupJobEnd(c, (await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }))).BackupJobId!);
      const state = await (await fetch(`${t.endpoint}/_emulator/state`)).text();
      const other = await startTestEmulator({ resourceEndpoint: moto.endpoint });
      try {
        expect((await fetch(`${other.endpoint}/_emulator/state`, { method: "POST", body: state })).status).toBe(200);
        const oc = other.client({ accountId: MOTO_ACCOUNT });
        const { RestoreJobId } = await oc.send(
          new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { DestinationBucketName: uniqueName("nope"), NewBucket: "true" } }),
        );
        const restore = await restoreJobEnd(oc, RestoreJobId!);
        expect(restore.Status).toBe("FAILED");
        expect(restore.StatusMessage).toContain("is not in the emulator's content store");
      } finally {
        await other.stop();
      }
    }, 60_000);
  });

  describe("Restore testing", () => {
    it("restores a real table, then deletes it from the endpoint once the validation window has passed", async () => {
      const name = uniqueName("tested");
      const arn = await createMixedTable(moto.endpoint, name, mixedItems(10));
      await backupJobEnd(c, (await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN }))).BackupJobId!);
      const planName = `rt_${randomBytes(4).toString("hex")}`;
      await c.send(
        new CreateRestoreTestingPlanCommand({
          RestoreTestingPlan: {
            RestoreTestingPlanName: planName,
            ScheduleExpression: "cron(0 1 ? * * *)",
            RecoveryPointSelection: { Algorithm: "LATEST_WITHIN_WINDOW", IncludeVaults: ["*"], RecoveryPointTypes: ["SNAPSHOT"] },
          },
        }),
      );
      await c.send(
        new CreateRestoreTestingSelectionCommand({
          RestoreTestingPlanName: planName,
          RestoreTestingSelection: { RestoreTestingSelectionName: "tables", ProtectedResourceType: "DynamoDB", IamRoleArn: ROLE_ARN, ProtectedResourceArns: [arn], ValidationWindowHours: 2 },
        }),
      );
      await advance(t.endpoint, DAY);
      const job = await eventually(async () => {
        const list = (await c.send(new ListRestoreJobsCommand({}))).RestoreJobs ?? [];
        const mine = list.find((j) => j.CreatedBy?.RestoreTestingPlanArn?.includes(planName));
        return mine && (mine.Status === "COMPLETED" || mine.Status === "FAILED") ? mine : undefined;
      }, 20_000, 50);
      expect(job.Status, job.StatusMessage).toBe("COMPLETED");
      const restored = job.CreatedResourceArn!.split(":table/")[1]!;
      const p = peer(moto.endpoint);
      expect((await p.ddb.send(new DescribeTableCommand({ TableName: restored }))).Table?.ItemCount ?? 10).toBeGreaterThan(0);
      expect((await c.send(new DescribeRestoreJobCommand({ RestoreJobId: job.RestoreJobId }))).DeletionStatus).toBeUndefined();

      await advance(t.endpoint, 3 * 3600);
      const after = await eventually(async () => {
        const d = await c.send(new DescribeRestoreJobCommand({ RestoreJobId: job.RestoreJobId }));
        return d.DeletionStatus === "SUCCESSFUL" || d.DeletionStatus === "FAILED" ? d : undefined;
      }, 10_000, 50);
      expect(after.DeletionStatus, after.DeletionStatusMessage).toBe("SUCCESSFUL");
      const gone = await p.ddb.send(new DescribeTableCommand({ TableName: restored })).catch((e: Error) => e);
      expect((gone as Error).name).toBe("ResourceNotFoundException");
      p.destroy();
    }, 60_000);
  });
});

describe.skipIf(!motoAvailable)("an unreachable resource endpoint", () => {
  it("fails the backup job with a message naming the endpoint, and the emulator keeps answering", async () => {
    const endpoint = await deadEndpoint();
    const t = await startTestEmulator({ resourceEndpoint: endpoint });
    try {
      const c = t.client({ accountId: MOTO_ACCOUNT });
      const vault = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${uniqueName("b")}`, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain(`Could not reach the resource endpoint ${endpoint}`);
      expect((await c.send(new ListBackupVaultsCommand({}))).BackupVaultList!.map((v) => v.BackupVaultName)).toContain(vault);
    } finally {
      await t.stop();
    }
  }, 30_000);
});

describe.skipIf(!motoAvailable)("a reset, and a restart in the middle of a backup", () => {
  let moto: Moto;
  let dir: string;
  beforeAll(async () => {
    moto = await startMoto();
    dir = mkdtempSync(join(tmpdir(), "data-restart-"));
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("frees the content files of every recovery point when the state is reset", async () => {
    const t = await startTestEmulator({ resourceEndpoint: moto.endpoint });
    try {
      const c = t.client({ accountId: MOTO_ACCOUNT });
      const vault = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const bucket = uniqueName("reset");
      await createBucket(moto.endpoint, bucket, uniqueObjects());
      const job = await backupJobEnd(c, (await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }))).BackupJobId!);
      const files = blobFiles(t, job.RecoveryPointArn!);
      expect(files.every((f) => existsSync(f))).toBe(true);
      expect((await fetch(`${t.endpoint}/_emulator/reset`, { method: "POST" })).status).toBe(200);
      await eventually(async () => files.every((f) => !existsSync(f)), 5000);
    } finally {
      await t.stop();
    }
  }, 60_000);

  it("leaves no recovery point behind, and the job runs its transfer again and completes after the restart", async () => {
    const bucket = uniqueName("restart");
    const objects = Array.from({ length: 16 }, (_, i) => ({ key: `o${i}`, body: randomBytes(64 * 1024), contentType: "application/octet-stream", metadata: {}, tags: {} }));
    await createBucket(moto.endpoint, bucket, objects);
    const before = await readBucket(moto.endpoint, bucket);
    const proxy = await slowProxy(moto.endpoint, 200);
    try {
      let t = await startTestEmulator({ resourceEndpoint: proxy.endpoint, dataDir: dir });
      let c = t.client({ accountId: MOTO_ACCOUNT });
      const vault = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
      await eventually(async () => ((await c.send(new DescribeBackupJobCommand({ BackupJobId }))).BytesTransferred ?? 0) > 0, 20_000, 20);
      await t.stop();

      t = await startTestEmulator({ resourceEndpoint: proxy.endpoint, dataDir: dir });
      c = t.client({ accountId: MOTO_ACCOUNT });
      const resumed = await c.send(new DescribeBackupJobCommand({ BackupJobId }));
      expect(resumed.State).not.toBe("COMPLETED");
      expect((await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints).toEqual([]);
      proxy.delayMs = 0;
      const job = await backupJobEnd(c, BackupJobId!);
      expect(job.State, job.StatusMessage).toBe("COMPLETED");
      expect(job.BackupSizeInBytes).toBe(16 * 64 * 1024);

      const target = uniqueName("after-restart");
      const { RestoreJobId } = await c.send(new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { DestinationBucketName: target, NewBucket: "true" } }));
      expect((await restoreJobEnd(c, RestoreJobId!)).Status).toBe("COMPLETED");
      await t.stop();
      expect(await readBucket(moto.endpoint, target)).toEqual(before);
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
