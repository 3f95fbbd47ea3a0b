/**
 * S3 backups that hold data: with RESOURCE_ENDPOINT pointing at moto_server, a backup streams
 * every object of a bucket (body, content type, user metadata, tags) and a restore writes them
 * back, byte for byte, into the bucket the restore metadata names. Skipped without moto_server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import {
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeRestoreJobCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StopBackupJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import {
  DeleteObjectCommand,
  GetBucketTaggingCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { eventually, ROLE_ARN, startTestEmulator, uniqueName } from "./helpers/emulator.js";
import { motoAvailable, type Moto } from "./helpers/moto.js";
import { advance } from "./helpers/clock.js";
import { backupJobEnd, createBucket, MOTO_ACCOUNT, peer, readBucket, restoreJobEnd, slowProxy, testObjects, useDataPlane } from "./helpers/data.js";

if (!motoAvailable) console.warn("data-s3.test.ts: moto_server is not installed; skipping the S3 data plane tests");

describe.skipIf(!motoAvailable)("S3 backups with data (moto_server)", () => {
  const suite = useDataPlane();
  let moto: Moto;
  let c: BackupClient;
  let vault: string;
  beforeAll(() => {
    ({ moto, c, vault } = suite);
  });

  describe("StartBackupJob and StartRestoreJob", () => {
    it("bring back every object byte for byte, with content type, user metadata and tags, into a new bucket", async () => {
      const bucket = uniqueName("site");
      const objects = testObjects();
      await createBucket(moto.endpoint, bucket, objects);
      const before = await readBucket(moto.endpoint, bucket);
      expect(Object.keys(before).sort()).toEqual(objects.map((o) => o.key).sort());

      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      expect(job.State, job.StatusMessage).toBe("COMPLETED");
      expect(job.BackupSizeInBytes).toBe(objects.reduce((n, o) => n + o.body.length, 0));

      // Damage the original: one object deleted, one overwritten.
      const p = peer(moto.endpoint);
      await p.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "readme.txt" }));
      await p.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "big/blob-2.bin", Body: Buffer.from("overwritten") }));
      p.destroy();

      const target = uniqueName("site-restored");
      const meta = await c.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn! }));
      expect(meta.RestoreMetadata).toMatchObject({ DestinationBucketName: bucket, NewBucket: "false" });
      const { RestoreJobId } = await c.send(
        new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { ...meta.RestoreMetadata, DestinationBucketName: target, NewBucket: "true" } }),
      );
      const restore = await restoreJobEnd(c, RestoreJobId!);
      expect(restore.Status, restore.StatusMessage).toBe("COMPLETED");
      expect(restore.CreatedResourceArn).toBe(`arn:aws:s3:::${target}`);
      expect(await readBucket(moto.endpoint, target)).toEqual(before);
      const q = peer(moto.endpoint);
      expect((await q.s3.send(new GetBucketTaggingCommand({ Bucket: target }))).TagSet).toEqual([{ Key: "team", Value: "web" }]);
      q.destroy();
    }, 60_000);

    it("restore into the damaged original bucket when NewBucket is false", async () => {
      const bucket = uniqueName("inplace");
      const objects = testObjects().slice(0, 3);
      await createBucket(moto.endpoint, bucket, objects);
      const before = await readBucket(moto.endpoint, bucket);
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      const p = peer(moto.endpoint);
      await p.s3.send(new PutObjectCommand({ Bucket: bucket, Key: "readme.txt", Body: Buffer.from("vandalised") }));
      p.destroy();
      const { RestoreJobId } = await c.send(
        new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { DestinationBucketName: bucket, NewBucket: "false" } }),
      );
      expect((await restoreJobEnd(c, RestoreJobId!)).Status).toBe("COMPLETED");
      expect(await readBucket(moto.endpoint, bucket)).toEqual(before);
    }, 60_000);

    it("fail a restore into a bucket that does not exist when NewBucket is false, naming the bucket", async () => {
      const bucket = uniqueName("src");
      await createBucket(moto.endpoint, bucket, testObjects().slice(0, 1));
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      const missing = uniqueName("nowhere");
      const { RestoreJobId } = await c.send(
        new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { DestinationBucketName: missing, NewBucket: "false" } }),
      );
      const restore = await restoreJobEnd(c, RestoreJobId!);
      expect(restore.Status).toBe("FAILED");
      expect(restore.StatusMessage).toContain(`S3 bucket ${missing} does not exist`);
      expect(restore.StatusMessage).toContain("NewBucket");
    }, 30_000);
  });

  describe("StartBackupJob of a bucket the endpoint does not have", () => {
    it("ends FAILED with a message naming the bucket and the endpoint", async () => {
      const bucket = uniqueName("ghost");
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain(`S3 bucket ${bucket} does not exist`);
      expect(job.StatusMessage).toContain(moto.endpoint);
    }, 30_000);
  });

  describe("DescribeBackupJob when the clock passes a job's delay while its transfer runs", () => {
    it("stays RUNNING, without a recovery point, until the transfer ends, then completes", async () => {
      const bucket = uniqueName("clock");
      await createBucket(moto.endpoint, bucket, testObjects().slice(0, 3));
      const proxy = await slowProxy(moto.endpoint, 1000);
      const slow = await startTestEmulator({ resourceEndpoint: proxy.endpoint, jobCompletionDelaySeconds: 60 });
      try {
        const sc = slow.client({ accountId: MOTO_ACCOUNT });
        await sc.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
        const { BackupJobId } = await sc.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
        await advance(slow.endpoint, 3600);
        const during = await sc.send(new DescribeBackupJobCommand({ BackupJobId }));
        expect(during.State).toBe("RUNNING");
        expect((await sc.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints).toEqual([]);
        proxy.delayMs = 0;
        const job = await backupJobEnd(sc, BackupJobId!);
        expect(job.State, job.StatusMessage).toBe("COMPLETED");
        expect((await sc.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints!.map((r) => r.RecoveryPointArn)).toEqual([job.RecoveryPointArn]);
      } finally {
        await slow.stop();
        await proxy.close();
      }
    }, 60_000);
  });

  describe("StopBackupJob while the backup reads the bucket", () => {
    it("aborts the job and its transfer, leaving no recovery point", async () => {
      const bucket = uniqueName("stopped");
      await createBucket(moto.endpoint, bucket, testObjects().slice(0, 3));
      const proxy = await slowProxy(moto.endpoint, 1000);
      const slow = await startTestEmulator({ resourceEndpoint: proxy.endpoint });
      try {
        const sc = slow.client({ accountId: MOTO_ACCOUNT });
        await sc.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
        const { BackupJobId } = await sc.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
        await eventually(async () => (await sc.send(new DescribeBackupJobCommand({ BackupJobId }))).State === "RUNNING", 10_000, 20);
        await sc.send(new StopBackupJobCommand({ BackupJobId }));
        proxy.delayMs = 0;
        const job = await backupJobEnd(sc, BackupJobId!);
        expect(job.State).toBe("ABORTED");
        // The transfer does not come back to complete it.
        await new Promise((r) => setTimeout(r, 1500));
        expect((await sc.send(new DescribeBackupJobCommand({ BackupJobId }))).State).toBe("ABORTED");
        expect((await sc.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints).toEqual([]);
      } finally {
        await slow.stop();
        await proxy.close();
      }
    }, 60_000);
  });

  describe("DescribeBackupJob while a backup runs", () => {
    it("shows the job RUNNING with BytesTransferred and PercentDone moving, then COMPLETED at 100", async () => {
      const bucket = uniqueName("progress");
      const objects = Array.from({ length: 12 }, (_, i) => ({ key: `o${i}`, body: randomBytes(256 * 1024), contentType: "application/octet-stream", metadata: {}, tags: {} }));
      await createBucket(moto.endpoint, bucket, objects);
      const proxy = await slowProxy(moto.endpoint, 150);
      const slow = await startTestEmulator({ resourceEndpoint: proxy.endpoint });
      try {
        const sc = slow.client({ accountId: MOTO_ACCOUNT });
        await sc.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
        const { BackupJobId } = await sc.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE_ARN }));
        const seen: { state: string; bytes: number; percent: number }[] = [];
        const final = await eventually(async () => {
          const j = await sc.send(new DescribeBackupJobCommand({ BackupJobId }));
          seen.push({ state: j.State!, bytes: j.BytesTransferred ?? 0, percent: Number(j.PercentDone ?? 0) });
          return j.State === "COMPLETED" || j.State === "FAILED" ? j : undefined;
        }, 30_000, 30);
        expect(final.State, final.StatusMessage).toBe("COMPLETED");
        expect(final.PercentDone).toBe("100.0");
        const running = seen.filter((s) => s.state === "RUNNING" && s.bytes > 0 && s.bytes < final.BackupSizeInBytes!);
        expect(running.length).toBeGreaterThan(0);
        expect(running.every((s) => s.percent > 0 && s.percent < 100)).toBe(true);
        // Figures only grow.
        for (let i = 1; i < running.length; i++) expect(running[i]!.bytes).toBeGreaterThanOrEqual(running[i - 1]!.bytes);

        // A restore shows its PercentDone moving too.
        const { RestoreJobId } = await sc.send(
          new StartRestoreJobCommand({ RecoveryPointArn: final.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { DestinationBucketName: uniqueName("progress-restored"), NewBucket: "true" } }),
        );
        const percents: number[] = [];
        const restored = await eventually(async () => {
          const j = await sc.send(new DescribeRestoreJobCommand({ RestoreJobId }));
          if (j.Status === "RUNNING") percents.push(Number(j.PercentDone ?? 0));
          return j.Status === "COMPLETED" || j.Status === "FAILED" ? j : undefined;
        }, 30_000, 30);
        expect(restored.Status, restored.StatusMessage).toBe("COMPLETED");
        expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
      } finally {
        await slow.stop();
        await proxy.close();
      }
    }, 60_000);
  });
});
