/**
 * Resource types the resource endpoint knows but whose data it does not hold (EBS, EFS, RDS):
 * a backup records the resource's description, and a restore creates a new, empty resource
 * from it in the endpoint (moto_server). Skipped, with a message, without moto_server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GetRecoveryPointRestoreMetadataCommand, StartBackupJobCommand, StartRestoreJobCommand, type BackupClient } from "@aws-sdk/client-backup";
import { CreateVolumeCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateFileSystemCommand, DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ROLE_ARN, uniqueName } from "./helpers/emulator.js";
import { motoAvailable, type Moto } from "./helpers/moto.js";
import { backupJobEnd, MOTO_ACCOUNT, restoreJobEnd, useDataPlane } from "./helpers/data.js";

if (!motoAvailable) console.warn("data-metadata.test.ts: moto_server is not installed; skipping the metadata-only data plane tests");

describe.skipIf(!motoAvailable)("backups that record a description (moto_server)", () => {
  const suite = useDataPlane();
  let moto: Moto;
  let c: BackupClient;
  let vault: string;
  let cfg: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  beforeAll(() => {
    ({ moto, c, vault } = suite);
    cfg = { endpoint: moto.endpoint, region: "us-east-1", credentials: { accessKeyId: MOTO_ACCOUNT, secretAccessKey: "x" } };
  });

  async function backupAndRestore(resourceArn: string, metadata: (offered: Record<string, string>) => Record<string, string>) {
    const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN }));
    const job = await backupJobEnd(c, BackupJobId!);
    expect(job.State, job.StatusMessage).toBe("COMPLETED");
    const offered = (await c.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn! }))).RestoreMetadata!;
    const { RestoreJobId } = await c.send(new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: metadata(offered) }));
    const restore = await restoreJobEnd(c, RestoreJobId!);
    expect(restore.Status, restore.StatusMessage).toBe("COMPLETED");
    return { offered, created: restore.CreatedResourceArn! };
  }

  describe("StartRestoreJob of an EBS backup", () => {
    it("creates a new volume with the recorded size, type and tags", async () => {
      const ec2 = new EC2Client(cfg);
      const vol = await ec2.send(
        new CreateVolumeCommand({ AvailabilityZone: "us-east-1a", Size: 42, VolumeType: "gp3", TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "app", Value: "db" }] }] }),
      );
      const { offered, created } = await backupAndRestore(`arn:aws:ec2:us-east-1:${MOTO_ACCOUNT}:volume/${vol.VolumeId}`, (m) => m);
      expect(offered).toMatchObject({ volumeId: vol.VolumeId, volumeSize: "42", volumeType: "gp3", availabilityZone: "us-east-1a" });
      const newId = created.split("/")[1]!;
      expect(newId).not.toBe(vol.VolumeId);
      const described = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [newId] }))).Volumes![0]!;
      expect([described.Size, described.VolumeType, described.Tags]).toEqual([42, "gp3", [{ Key: "app", Value: "db" }]]);
      ec2.destroy();
    }, 30_000);
  });

  describe("StartRestoreJob of an EFS backup", () => {
    it("creates a new file system with the recorded performance mode and encryption", async () => {
      const efs = new EFSClient(cfg);
      const fs = await efs.send(new CreateFileSystemCommand({ CreationToken: uniqueName("fs"), PerformanceMode: "maxIO", Encrypted: true }));
      const { offered, created } = await backupAndRestore(fs.FileSystemArn!, (m) => ({ ...m, CreationToken: uniqueName("restored") }));
      expect(offered).toMatchObject({ "file-system-id": fs.FileSystemId, PerformanceMode: "maxIO", Encrypted: "true" });
      const newId = created.split("/")[1]!;
      expect(newId).not.toBe(fs.FileSystemId);
      const described = (await efs.send(new DescribeFileSystemsCommand({ FileSystemId: newId }))).FileSystems![0]!;
      expect([described.PerformanceMode, described.Encrypted]).toEqual(["maxIO", true]);
      efs.destroy();
    }, 30_000);
  });

  describe("StartRestoreJob of an RDS backup", () => {
    it("creates a new DB instance, named by the metadata, with the recorded class and engine", async () => {
      const rds = new RDSClient(cfg);
      const id = uniqueName("db");
      const db = await rds.send(
        new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: "db.m5.large", Engine: "postgres", AllocatedStorage: 50, MasterUsername: "admin", MasterUserPassword: "password123" }),
      );
      const target = uniqueName("db-restored");
      const { offered, created } = await backupAndRestore(db.DBInstance!.DBInstanceArn!, (m) => ({ ...m, DBInstanceIdentifier: target }));
      expect(offered).toMatchObject({ DBInstanceIdentifier: id, DBInstanceClass: "db.m5.large", Engine: "postgres" });
      expect(created).toBe(`arn:aws:rds:us-east-1:${MOTO_ACCOUNT}:db:${target}`);
      const described = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: target }))).DBInstances![0]!;
      expect([described.DBInstanceClass, described.Engine, described.AllocatedStorage]).toEqual(["db.m5.large", "postgres", 50]);
      rds.destroy();
    }, 30_000);
  });

  describe("StartBackupJob of an EBS volume the endpoint does not have", () => {
    it("ends FAILED naming the volume and the endpoint", async () => {
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:ec2:us-east-1:${MOTO_ACCOUNT}:volume/vol-0123456789abcdef0`, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain("EBS volume vol-0123456789abcdef0 does not exist");
      expect(job.StatusMessage).toContain(moto.endpoint);
    }, 30_000);
  });
});
