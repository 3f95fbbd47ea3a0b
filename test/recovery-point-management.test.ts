import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  DisassociateRecoveryPointCommand,
  DisassociateRecoveryPointFromParentCommand,
  GetRecoveryPointIndexDetailsCommand,
  ListIndexedRecoveryPointsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartBackupJobCommand,
  UpdateRecoveryPointIndexSettingsCommand,
  UpdateRecoveryPointLifecycleCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { insertRecoveryPoint } from "../src/domain/recovery-points.js";
import type { RecoveryPointRecord } from "../src/store/records.js";
import { errorOf, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const DAY = 86_400;

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

interface Account {
  client: BackupClient;
  scope: { accountId: string; region: string };
}

/** A client of an account no other test uses (on `on`, default the shared emulator). */
function freshAccount(on: TestEmulator = t, region = REGION): Account {
  const accountId = String(randomInt(100_000_000_000, 999_999_999_999));
  return { client: on.client({ accountId, region }), scope: { accountId, region } };
}

async function newVault(c: BackupClient): Promise<string> {
  const name = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  return name;
}

/** Back up a resource; the job completes at the next request (or after the emulator's delay). */
async function backUp(c: BackupClient, vault: string, resourceArn: string, on: TestEmulator = t): Promise<string> {
  const out = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN }));
  on.emu.clock.advance(1);
  return out.RecoveryPointArn!;
}

const describePoint = (a: Account, vault: string, arn: string) => a.client.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));

/**
 * Continuous backups and composite (parent/child) recovery points come from features no
 * operation of the emulator offers yet; tests make them by copying a stored point under a new
 * ARN with the differences.
 */
function clonePoint(a: Account, from: string, changes: Partial<RecoveryPointRecord> & { RecoveryPointArn: string }, on: TestEmulator = t): string {
  const { store } = on.emu;
  store.transaction(() => insertRecoveryPoint(store, a.scope, { ...storedPoint(a, from, on), ...changes }));
  return changes.RecoveryPointArn;
}

/** Change a stored point directly (states such as EXPIRED or COLD that tests cannot wait for). */
function patchPoint(a: Account, arn: string, changes: Partial<RecoveryPointRecord>, on: TestEmulator = t): void {
  on.emu.store.recoveryPoints.put(a.scope, { ...storedPoint(a, arn, on), ...changes });
}

/** The stored point, once the work due by now (its backup job's completion) has run. */
function storedPoint(a: Account, arn: string, on: TestEmulator): RecoveryPointRecord {
  on.emu.scheduler.runDue();
  const rp = on.emu.store.recoveryPoints.get(a.scope, arn);
  if (!rp) throw new Error(`recovery point ${arn} has not been stored`);
  return rp;
}

const continuousArn = (a: Account) => `arn:aws:backup:${a.scope.region}:${a.scope.accountId}:recovery-point:continuous:db-${randomBytes(6).toString("hex")}`;
const backupPointArn = (a: Account) => `arn:aws:backup:${a.scope.region}:${a.scope.accountId}:recovery-point:${randomUUID()}`;

describe("UpdateRecoveryPointLifecycle", () => {
  it("stores the lifecycle and returns the schedule recalculated from the creation date", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    const created = (await describePoint(a, vault, arn)).CreationDate!.getTime() / 1000;

    const out = await a.client.send(
      new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 } }),
    );
    expect(out.RecoveryPointArn).toBe(arn);
    expect(out.BackupVaultArn).toBe(`arn:aws:backup:${REGION}:${a.scope.accountId}:backup-vault:${vault}`);
    expect(out.Lifecycle).toEqual({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 });
    expect(out.CalculatedLifecycle!.MoveToColdStorageAt!.getTime() / 1000).toBeCloseTo(created + 30 * DAY, 3);
    expect(out.CalculatedLifecycle!.DeleteAt!.getTime() / 1000).toBeCloseTo(created + 120 * DAY, 3);
    const described = await describePoint(a, vault, arn);
    expect(described.Lifecycle).toEqual({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 });
    expect(described.CalculatedLifecycle).toEqual(out.CalculatedLifecycle);
  });

  it("replaces the whole lifecycle, so members left out become unset", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    const update = (Lifecycle?: { MoveToColdStorageAfterDays?: number; DeleteAfterDays?: number }) =>
      a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle }));
    await update({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 });
    const out = await update({ DeleteAfterDays: 200 });
    expect(out.Lifecycle).toEqual({ DeleteAfterDays: 200 });
    expect(out.CalculatedLifecycle!.MoveToColdStorageAt).toBeUndefined();
    const cleared = await update(undefined);
    expect(cleared.Lifecycle).toBeUndefined();
    expect((await describePoint(a, vault, arn)).CalculatedLifecycle).toBeUndefined();
  });

  it("ignores the cold-storage transition for a resource type that cannot move to cold storage", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.s3());
    const out = await a.client.send(
      new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { MoveToColdStorageAfterDays: 10, DeleteAfterDays: 100 } }),
    );
    expect(out.CalculatedLifecycle!.MoveToColdStorageAt).toBeUndefined();
    expect(out.CalculatedLifecycle!.DeleteAt).toBeInstanceOf(Date);
  });

  it("refuses DeleteAfterDays less than 90 days after MoveToColdStorageAfterDays with InvalidParameterValueException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    const err = await errorOf(
      a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 100 } })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("DeleteAfterDays");
  });

  it("refuses to change MoveToColdStorageAfterDays once the recovery point is in cold storage, but still changes its retention", async () => {
    const local = await startTestEmulator();
    try {
      const a = freshAccount(local);
      const vault = await newVault(a.client);
      const arn = await backUp(a.client, vault, resources.dynamo(), local);
      const update = (MoveToColdStorageAfterDays: number, DeleteAfterDays: number) =>
        a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { MoveToColdStorageAfterDays, DeleteAfterDays } }));
      await update(1, 100);
      await update(2, 100);
      local.emu.clock.advance(3 * DAY);

      const err = await errorOf(update(5, 100));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(arn);
      expect(err.message).toContain("MoveToColdStorageAfterDays");
      expect((await update(2, 200)).Lifecycle).toEqual({ MoveToColdStorageAfterDays: 2, DeleteAfterDays: 200 });
    } finally {
      await local.stop();
    }
  });

  it("refuses a continuous backup recovery point with InvalidRequestException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = clonePoint(a, await backUp(a.client, vault, resources.rds()), { RecoveryPointArn: continuousArn(a) });
    const err = await errorOf(a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 7 } })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(arn);
  });

  it("refuses a retention that the vault lock does not allow with InvalidParameterValueException naming the vault", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    // The point is stored before the lock: a lock in force when the job completes would fail it.
    expect((await describePoint(a, vault, arn)).Status).toBe("COMPLETED");
    // PutBackupVaultLockConfiguration's effect, set directly.
    const v = t.emu.store.vaults.get(a.scope, vault)!;
    t.emu.store.vaults.put(a.scope, { ...v, Locked: true, MinRetentionDays: 7, MaxRetentionDays: 30 });

    const err = await errorOf(a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 60 } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(vault);
    const ok = await a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 20 } }));
    expect(ok.Lifecycle).toEqual({ DeleteAfterDays: 20 });
  });

  it("records a RECOVERY_POINT_MODIFIED notification for a vault that subscribes to it", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    // PutBackupVaultNotifications' effect, set directly.
    const v = t.emu.store.vaults.get(a.scope, vault)!;
    const topic = `arn:aws:sns:${REGION}:${a.scope.accountId}:backup-events`;
    t.emu.store.vaults.put(a.scope, { ...v, Notifications: { SNSTopicArn: topic, BackupVaultEvents: ["RECOVERY_POINT_MODIFIED"] } });

    await a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 35 } }));
    const { notifications } = (await (await fetch(`${t.endpoint}/_emulator/notifications`)).json()) as { notifications: Record<string, unknown>[] };
    const mine = notifications.filter((n) => n.backupVaultName === vault);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ event: "RECOVERY_POINT_MODIFIED", recoveryPointArn: arn, snsTopicArn: topic, accountId: a.scope.accountId });
  });

  it("answers ResourceNotFoundException naming a missing vault or recovery point", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const other = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    const update = (BackupVaultName: string, RecoveryPointArn: string) =>
      errorOf(a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName, RecoveryPointArn, Lifecycle: { DeleteAfterDays: 10 } })));

    const noVault = await update("no-such-vault", arn);
    expect(noVault.name).toBe("ResourceNotFoundException");
    expect(noVault.message).toContain("no-such-vault");
    const missing = backupPointArn(a);
    const noPoint = await update(vault, missing);
    expect(noPoint.name).toBe("ResourceNotFoundException");
    expect(noPoint.message).toContain(missing);
    const wrongVault = await update(other, arn);
    expect(wrongVault.name).toBe("ResourceNotFoundException");
    expect(wrongVault.message).toContain(arn);
  });

  it("does not reach a recovery point of another account or region", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    for (const c of [freshAccount().client, t.client({ accountId: a.scope.accountId, region: "eu-west-1" })]) {
      const err = await errorOf(c.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 10 } })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(vault);
    }
  });
});

describe("DisassociateRecoveryPoint", () => {
  it("releases a continuous backup: the recovery point leaves the vault", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const snapshot = await backUp(a.client, vault, resources.rds());
    const arn = clonePoint(a, snapshot, { RecoveryPointArn: continuousArn(a) });
    expect((await a.client.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(2);

    await a.client.send(new DisassociateRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    expect((await errorOf(describePoint(a, vault, arn))).name).toBe("ResourceNotFoundException");
    expect((await a.client.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(1);
  });

  it("refuses a snapshot recovery point with InvalidRequestException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.rds());
    const err = await errorOf(a.client.send(new DisassociateRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(arn);
    expect((await describePoint(a, vault, arn)).Status).toBe("COMPLETED");
  });

  it("refuses a recovery point that is being deleted with InvalidResourceStateException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = clonePoint(a, await backUp(a.client, vault, resources.rds()), { RecoveryPointArn: continuousArn(a), Status: "DELETING" });
    const err = await errorOf(a.client.send(new DisassociateRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("InvalidResourceStateException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException naming a missing vault or recovery point, also from another account", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = clonePoint(a, await backUp(a.client, vault, resources.rds()), { RecoveryPointArn: continuousArn(a) });
    const missing = continuousArn(a);
    const noPoint = await errorOf(a.client.send(new DisassociateRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: missing })));
    expect(noPoint.name).toBe("ResourceNotFoundException");
    expect(noPoint.message).toContain(missing);
    const noVault = await errorOf(a.client.send(new DisassociateRecoveryPointCommand({ BackupVaultName: "no-such-vault", RecoveryPointArn: arn })));
    expect(noVault.name).toBe("ResourceNotFoundException");
    expect(noVault.message).toContain("no-such-vault");
    const stranger = await errorOf(freshAccount().client.send(new DisassociateRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(stranger.name).toBe("ResourceNotFoundException");
    expect((await describePoint(a, vault, arn)).RecoveryPointArn).toBe(arn);
  });
});

describe("DisassociateRecoveryPointFromParent", () => {
  it("detaches a child recovery point from its composite parent and answers 204", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const source = await backUp(a.client, vault, resources.dynamo());
    const parent = clonePoint(a, source, { RecoveryPointArn: backupPointArn(a), IsParent: true });
    const child = clonePoint(a, source, { RecoveryPointArn: backupPointArn(a), ParentRecoveryPointArn: parent, CompositeMemberIdentifier: "member-1" });

    const out = await a.client.send(new DisassociateRecoveryPointFromParentCommand({ BackupVaultName: vault, RecoveryPointArn: child }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const described = await describePoint(a, vault, child);
    expect(described.ParentRecoveryPointArn).toBeUndefined();
    expect(described.CompositeMemberIdentifier).toBeUndefined();
    const children = await a.client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault, ByParentRecoveryPointArn: parent }));
    expect(children.RecoveryPoints).toEqual([]);
  });

  it("refuses a recovery point that has no parent with InvalidRequestException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    const err = await errorOf(a.client.send(new DisassociateRecoveryPointFromParentCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException naming a missing recovery point, also from another region", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const source = await backUp(a.client, vault, resources.dynamo());
    const child = clonePoint(a, source, { RecoveryPointArn: backupPointArn(a), ParentRecoveryPointArn: backupPointArn(a) });
    const missing = backupPointArn(a);
    const err = await errorOf(a.client.send(new DisassociateRecoveryPointFromParentCommand({ BackupVaultName: vault, RecoveryPointArn: missing })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(missing);
    const elsewhere = t.client({ accountId: a.scope.accountId, region: "eu-west-1" });
    const far = await errorOf(elsewhere.send(new DisassociateRecoveryPointFromParentCommand({ BackupVaultName: vault, RecoveryPointArn: child })));
    expect(far.name).toBe("ResourceNotFoundException");
    expect(far.message).toContain(vault);
  });
});

describe("UpdateRecoveryPointIndexSettings", () => {
  it("creates an index that is PENDING and becomes ACTIVE after the job delay", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const a = freshAccount(slow);
      const vault = await newVault(a.client);
      const arn = await backUp(a.client, vault, resources.ebs(), slow);
      slow.emu.clock.advance(60);

      const out = await a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN }));
      expect(out).toMatchObject({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IndexStatus: "PENDING" });
      expect((await describePoint(a, vault, arn)).IndexStatus).toBe("PENDING");
      slow.emu.clock.advance(59);
      expect((await describePoint(a, vault, arn)).IndexStatus).toBe("PENDING");
      slow.emu.clock.advance(1);
      expect((await describePoint(a, vault, arn)).IndexStatus).toBe("ACTIVE");
    } finally {
      await slow.stop();
    }
  });

  it("deletes the index when set to DISABLED: DELETING first, then gone", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const a = freshAccount(slow);
      const vault = await newVault(a.client);
      const arn = await backUp(a.client, vault, resources.s3(), slow);
      slow.emu.clock.advance(60);
      const settings = (Index: "ENABLED" | "DISABLED") =>
        a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index, IamRoleArn: ROLE_ARN }));
      await settings("ENABLED");
      slow.emu.clock.advance(60);

      expect((await settings("DISABLED")).IndexStatus).toBe("DELETING");
      const details = await a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
      expect(details.IndexStatus).toBe("DELETING");
      expect(details.IndexDeletionDate).toBeInstanceOf(Date);
      const again = await errorOf(settings("ENABLED"));
      expect(again.name).toBe("InvalidRequestException");
      expect(again.message).toContain(arn);

      slow.emu.clock.advance(60);
      expect((await errorOf(a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn: arn })))).name).toBe("ResourceNotFoundException");
      expect((await describePoint(a, vault, arn)).IndexStatus).toBeUndefined();
      expect((await settings("ENABLED")).IndexStatus).toBe("PENDING");
    } finally {
      await slow.stop();
    }
  });

  it("answers the current status when the requested state is already in place", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.ebs());
    const settings = (Index: "ENABLED" | "DISABLED") =>
      a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index, IamRoleArn: ROLE_ARN }));
    const off = await settings("DISABLED");
    expect(off.IndexStatus).toBeUndefined();
    await settings("ENABLED");
    const before = await a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    expect(before.IndexStatus).toBe("ACTIVE");
    expect((await settings("ENABLED")).IndexStatus).toBe("ACTIVE");
    const after = await a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    expect(after.IndexCreationDate).toEqual(before.IndexCreationDate);
  });

  it("refuses a backup of a resource type that cannot be indexed with InvalidRequestException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.dynamo());
    const err = await errorOf(a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(arn);
    expect(err.message).toContain("DynamoDB");
  });

  it("refuses a recovery point in cold storage with InvalidRequestException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.ebs());
    patchPoint(a, arn, { StorageClass: "COLD" });
    const err = await errorOf(a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(arn);
    expect(err.message).toContain("cold");
  });

  it("refuses a recovery point that is not complete with InvalidRequestException", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.ebs());
    patchPoint(a, arn, { Status: "EXPIRED" });
    const err = await errorOf(a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain("EXPIRED");
  });

  it("requires an IAM role ARN to create an index", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.ebs());
    const missing = await errorOf(a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED" })));
    expect(missing.name).toBe("MissingParameterValueException");
    expect(missing.message).toContain("IamRoleArn");
    const bad = await errorOf(
      a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: "arn:aws:iam::123456789012:user/bob" })),
    );
    expect(bad.name).toBe("InvalidParameterValueException");
    expect(bad.message).toContain("IamRoleArn");
  });

  it("answers ResourceNotFoundException naming a missing recovery point or vault, also from another account", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.ebs());
    const missing = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
    const noPoint = await errorOf(a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: missing, Index: "DISABLED" })));
    expect(noPoint.name).toBe("ResourceNotFoundException");
    expect(noPoint.message).toContain(missing);
    const stranger = await errorOf(
      freshAccount().client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN })),
    );
    expect(stranger.name).toBe("ResourceNotFoundException");
    expect(stranger.message).toContain(vault);
  });
});

describe("GetRecoveryPointIndexDetails", () => {
  it("returns the index's status, dates, item count and source resource", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const volume = resources.ebs();
    const arn = await backUp(a.client, vault, volume);
    await a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN }));

    const out = await a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    expect(out).toMatchObject({
      RecoveryPointArn: arn,
      BackupVaultArn: `arn:aws:backup:${REGION}:${a.scope.accountId}:backup-vault:${vault}`,
      SourceResourceArn: volume,
      IndexStatus: "ACTIVE",
    });
    expect(out.IndexCreationDate).toBeInstanceOf(Date);
    expect(out.IndexCompletionDate!.getTime()).toBeGreaterThanOrEqual(out.IndexCreationDate!.getTime());
    expect(out.TotalItemsIndexed).toBeGreaterThan(0);
    expect(out.IndexDeletionDate).toBeUndefined();
  });

  it("reports the index a backup job created with Index ENABLED", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const volume = resources.ebs();
    const { RecoveryPointArn } = await a.client.send(
      new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: volume, IamRoleArn: ROLE_ARN, Index: "ENABLED" }),
    );
    await describePoint(a, vault, RecoveryPointArn!);
    const out = await a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn }));
    expect(out).toMatchObject({ RecoveryPointArn, SourceResourceArn: volume, IndexStatus: "ACTIVE" });
    expect(out.IndexCreationDate).toBeInstanceOf(Date);
  });

  it("answers ResourceNotFoundException for a recovery point without an index", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.ebs());
    const err = await errorOf(a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException naming a missing vault, also for another account's vault", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const arn = await backUp(a.client, vault, resources.ebs());
    await a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN }));
    const noVault = await errorOf(a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: "no-such-vault", RecoveryPointArn: arn })));
    expect(noVault.name).toBe("ResourceNotFoundException");
    expect(noVault.message).toContain("no-such-vault");
    const stranger = await errorOf(freshAccount().client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(stranger.name).toBe("ResourceNotFoundException");
    expect(stranger.message).toContain(vault);
  });
});

describe("ListIndexedRecoveryPoints", () => {
  /** Back up and index a resource; returns the recovery point ARN. */
  async function indexed(a: Account, vault: string, resourceArn: string, on: TestEmulator = t): Promise<string> {
    const arn = await backUp(a.client, vault, resourceArn, on);
    await a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN }));
    return arn;
  }
  const list = async (a: Account, input: ConstructorParameters<typeof ListIndexedRecoveryPointsCommand>[0] = {}) =>
    (await a.client.send(new ListIndexedRecoveryPointsCommand(input))).IndexedRecoveryPoints!;

  it("lists only the recovery points that have an index, in the indexed-recovery-point shape", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const volume = resources.ebs();
    const arn = await indexed(a, vault, volume);
    await backUp(a.client, vault, resources.ebs());
    const point = await describePoint(a, vault, arn);

    const out = await list(a);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      RecoveryPointArn: arn,
      SourceResourceArn: volume,
      ResourceType: "EBS",
      IndexStatus: "ACTIVE",
      IamRoleArn: ROLE_ARN,
      BackupCreationDate: point.CreationDate,
      BackupVaultArn: point.BackupVaultArn,
    });
    expect(out[0]!.IndexCreationDate).toBeInstanceOf(Date);
  });

  it("filters by source resource, resource type and creation window", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const volume = resources.ebs();
    const bucket = resources.s3();
    const early = await indexed(a, vault, volume);
    const middle = await indexed(a, vault, bucket);
    const late = await indexed(a, vault, volume);
    const createdOf = async (arn: string) => (await describePoint(a, vault, arn)).CreationDate!;
    const arns = (items: { RecoveryPointArn?: string }[]) => items.map((i) => i.RecoveryPointArn).sort();

    expect(arns(await list(a, { SourceResourceArn: volume }))).toEqual([early, late].sort());
    expect(arns(await list(a, { ResourceType: "S3" }))).toEqual([middle]);
    expect(arns(await list(a, { ResourceType: "EBS" }))).toEqual([early, late].sort());
    expect(arns(await list(a, { CreatedAfter: await createdOf(early) }))).toEqual([middle, late].sort());
    expect(arns(await list(a, { CreatedBefore: await createdOf(late) }))).toEqual([early, middle].sort());
    expect(arns(await list(a, { CreatedAfter: await createdOf(early), CreatedBefore: await createdOf(late) }))).toEqual([middle]);
  });

  it("filters by index status", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const a = freshAccount(slow);
      const vault = await newVault(a.client);
      const first = await backUp(a.client, vault, resources.ebs(), slow);
      const second = await backUp(a.client, vault, resources.ebs(), slow);
      slow.emu.clock.advance(60);
      const enable = (arn: string) => a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: arn, Index: "ENABLED", IamRoleArn: ROLE_ARN }));
      await enable(first);
      slow.emu.clock.advance(60);
      await enable(second);

      const arns = async (IndexStatus?: "PENDING" | "ACTIVE" | "DELETING") => (await list(a, IndexStatus ? { IndexStatus } : {})).map((i) => i.RecoveryPointArn).sort();
      expect(await arns("ACTIVE")).toEqual([first]);
      expect(await arns("PENDING")).toEqual([second]);
      expect(await arns()).toEqual([first, second].sort());
      await a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: vault, RecoveryPointArn: first, Index: "DISABLED" }));
      expect(await arns("DELETING")).toEqual([first]);
      expect(await arns("ACTIVE")).toEqual([]);
    } finally {
      await slow.stop();
    }
  });

  it("pages with MaxResults and NextToken, seeing each recovery point exactly once", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    const made = [await indexed(a, vault, resources.ebs()), await indexed(a, vault, resources.s3()), await indexed(a, vault, resources.ebs())];
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await a.client.send(new ListIndexedRecoveryPointsCommand({ MaxResults: 2, NextToken }));
      seen.push(...page.IndexedRecoveryPoints!.map((i) => i.RecoveryPointArn!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([...made].sort());
  });

  it("refuses a ResourceType that cannot be indexed with InvalidParameterValueException", async () => {
    const err = await errorOf(freshAccount().client.send(new ListIndexedRecoveryPointsCommand({ ResourceType: "DynamoDB" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("DynamoDB");
  });

  it("shows only the caller's account and region", async () => {
    const a = freshAccount();
    const vault = await newVault(a.client);
    await indexed(a, vault, resources.ebs());
    expect(await list(a)).toHaveLength(1);
    expect(await list(freshAccount())).toEqual([]);
    expect(await list(freshAccount(t, "eu-west-1"))).toEqual([]);
    expect(await list({ client: t.client({ accountId: a.scope.accountId, region: "eu-west-1" }), scope: { ...a.scope, region: "eu-west-1" } })).toEqual([]);
  });
});
