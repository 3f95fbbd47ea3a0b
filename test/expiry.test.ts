/**
 * Lifecycles carried out over time: cold storage and deletion on the day the lifecycle says,
 * held back by legal holds and vault locks.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  CancelLegalHoldCommand,
  CreateBackupVaultCommand,
  CreateLegalHoldCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultLockConfigurationCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  UpdateRecoveryPointLifecycleCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { ACCOUNT, errorOf, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { advance, DAY } from "./helpers/clock.js";

const running: TestEmulator[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});

async function setup(): Promise<{ t: TestEmulator; c: BackupClient; vault: string }> {
  const t = await startTestEmulator({ clockStart: "2026-01-10T12:00:00Z" });
  running.push(t);
  const c = t.client();
  const vault = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
  return { t, c, vault };
}

async function backup(c: BackupClient, vault: string, arn: string, lifecycle: { MoveToColdStorageAfterDays?: number; DeleteAfterDays?: number }) {
  const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN, Lifecycle: lifecycle }));
  return job.RecoveryPointArn!;
}

const describeRp = (c: BackupClient, vault: string, arn: string) => c.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
const count = async (c: BackupClient, vault: string) => (await c.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints;

describe("a recovery point's lifecycle", () => {
  it("moves it to cold storage on its MoveToColdStorageAt day and deletes it on its DeleteAt day", async () => {
    const { t, c, vault } = await setup();
    const arn = await backup(c, vault, resources.efs(REGION, ACCOUNT), { MoveToColdStorageAfterDays: 3, DeleteAfterDays: 100 });
    const created = await describeRp(c, vault, arn);
    expect(created.StorageClass).toBe("WARM");
    expect(created.CalculatedLifecycle!.MoveToColdStorageAt!.getTime()).toBe(created.CreationDate!.getTime() + 3 * DAY * 1000);

    await advance(t.endpoint, 3 * DAY - 60);
    expect((await describeRp(c, vault, arn)).StorageClass).toBe("WARM");
    await advance(t.endpoint, 120);
    expect((await describeRp(c, vault, arn)).StorageClass).toBe("COLD");

    await advance(t.endpoint, 96 * DAY);
    expect((await describeRp(c, vault, arn)).StorageClass).toBe("COLD");
    expect(await count(c, vault)).toBe(1);
    await advance(t.endpoint, 2 * DAY);
    expect((await errorOf(describeRp(c, vault, arn))).name).toBe("ResourceNotFoundException");
    expect(await count(c, vault)).toBe(0);
    expect((await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints).toEqual([]);
  });

  it("deletes a point created on day 1 with a 7-day DeleteAfterDays after an 8-day jump, and records a notification", async () => {
    const { t, c, vault } = await setup();
    await c.send(
      new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:backup-events`, BackupVaultEvents: ["RECOVERY_POINT_MODIFIED"] }),
    );
    const arn = await backup(c, vault, resources.dynamo(REGION, ACCOUNT), { DeleteAfterDays: 7 });
    await advance(t.endpoint, 8 * DAY);
    expect((await errorOf(describeRp(c, vault, arn))).name).toBe("ResourceNotFoundException");
    const { notifications } = (await (await fetch(`${t.endpoint}/_emulator/notifications`)).json()) as { notifications: { event: string; recoveryPointArn?: string; state?: string }[] };
    expect(notifications).toContainEqual(expect.objectContaining({ event: "RECOVERY_POINT_MODIFIED", recoveryPointArn: arn, state: "DELETED" }));
  });

  it("ignores the cold-storage move for types that cannot be tiered", async () => {
    const { t, c, vault } = await setup();
    const arn = await backup(c, vault, resources.rds(REGION, ACCOUNT), { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 200 });
    expect((await describeRp(c, vault, arn)).CalculatedLifecycle!.MoveToColdStorageAt).toBeUndefined();
    await advance(t.endpoint, 2 * DAY);
    expect((await describeRp(c, vault, arn)).StorageClass).toBe("WARM");
  });

  it("follows a lifecycle changed by UpdateRecoveryPointLifecycle", async () => {
    const { t, c, vault } = await setup();
    const arn = await backup(c, vault, resources.dynamo(REGION, ACCOUNT), { DeleteAfterDays: 30 });
    await c.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 2 } }));
    await advance(t.endpoint, 3 * DAY);
    expect((await errorOf(describeRp(c, vault, arn))).name).toBe("ResourceNotFoundException");
  });
});

describe("deletion held back", () => {
  it("by a legal hold: the point outlives its lifecycle until the hold is cancelled", async () => {
    const { t, c, vault } = await setup();
    const arn = await backup(c, vault, resources.dynamo(REGION, ACCOUNT), { DeleteAfterDays: 7 });
    const hold = await c.send(new CreateLegalHoldCommand({ Title: "audit", Description: "keep it", RecoveryPointSelection: { VaultNames: [vault] } }));
    await advance(t.endpoint, 8 * DAY);
    expect((await describeRp(c, vault, arn)).RecoveryPointArn).toBe(arn);
    await c.send(new CancelLegalHoldCommand({ LegalHoldId: hold.LegalHoldId, CancelDescription: "case closed" }));
    await advance(t.endpoint, 1);
    expect((await errorOf(describeRp(c, vault, arn))).name).toBe("ResourceNotFoundException");
    expect(await count(c, vault)).toBe(0);
  });

  it("by a vault lock's minimum retention: the point is deleted once the lock allows it", async () => {
    const { t, c, vault } = await setup();
    const arn = await backup(c, vault, resources.dynamo(REGION, ACCOUNT), { DeleteAfterDays: 7 });
    await c.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: vault, MinRetentionDays: 30 }));
    await advance(t.endpoint, 8 * DAY);
    expect((await describeRp(c, vault, arn)).RecoveryPointArn).toBe(arn);
    await advance(t.endpoint, 21 * DAY);
    expect((await describeRp(c, vault, arn)).RecoveryPointArn).toBe(arn);
    await advance(t.endpoint, 2 * DAY);
    expect((await errorOf(describeRp(c, vault, arn))).name).toBe("ResourceNotFoundException");
  });
});
