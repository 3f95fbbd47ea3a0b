import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupVaultCommand,
  CreateLogicallyAirGappedBackupVaultCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultLockConfigurationCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  type BackupClient,
  type DescribeBackupJobCommandOutput,
  type Lifecycle,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
const DAY = 86_400;
const TOPIC = "arn:aws:sns:us-east-1:000000000000:backup-events";

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

async function newVault(c: BackupClient = backup): Promise<string> {
  const name = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  return name;
}

/** A completed recovery point in `vault` (the job finishes at the next request). */
async function backUp(vault: string, lifecycle?: Lifecycle, c: BackupClient = backup): Promise<string> {
  const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, Lifecycle: lifecycle }));
  expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("COMPLETED");
  return job.RecoveryPointArn!;
}

const lock = (vault: string, s: { MinRetentionDays?: number; MaxRetentionDays?: number; ChangeableForDays?: number }, c: BackupClient = backup) =>
  c.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: vault, ...s }));

describe("PutBackupVaultLockConfiguration", () => {
  it("locks a vault in governance mode: Locked with its bounds and no lock date", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 365 });
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d).toMatchObject({ Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 });
    expect(d.LockDate).toBeUndefined();
    const listed = (await backup.send(new ListBackupVaultsCommand({}))).BackupVaultList!.find((v) => v.BackupVaultName === vault);
    expect(listed).toMatchObject({ Locked: true, MinRetentionDays: 7, MaxRetentionDays: 365 });
  });

  it("locks a vault in compliance mode with a lock date ChangeableForDays after the call", async () => {
    const vault = await newVault();
    const before = t.emu.clock.now();
    await lock(vault, { MinRetentionDays: 1, ChangeableForDays: 3 });
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.Locked).toBe(true);
    const lockDate = d.LockDate!.getTime() / 1000;
    expect(lockDate).toBeGreaterThanOrEqual(before + 3 * DAY - 1);
    expect(lockDate).toBeLessThanOrEqual(t.emu.clock.now() + 3 * DAY + 1);
    const listed = (await backup.send(new ListBackupVaultsCommand({}))).BackupVaultList!.find((v) => v.BackupVaultName === vault);
    expect(listed?.LockDate).toEqual(d.LockDate);
  });

  it("can change a compliance-mode lock during its grace time, which restarts the grace time", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 1, ChangeableForDays: 3 });
    await lock(vault, { MaxRetentionDays: 30, ChangeableForDays: 10 });
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.MinRetentionDays).toBeUndefined();
    expect(d.MaxRetentionDays).toBe(30);
    expect(d.LockDate!.getTime() / 1000).toBeGreaterThan(t.emu.clock.now() + 9 * DAY);
  });

  it("refuses to change a compliance-mode lock after its lock date with InvalidRequestException", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const vault = await newVault(c);
      await lock(vault, { MinRetentionDays: 1, ChangeableForDays: 3 }, c);
      local.emu.clock.advance(3 * DAY + 1);
      const err = await errorOf(lock(vault, { MinRetentionDays: 2 }, c));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(vault);
      expect(err.message).toMatch(/can no longer be changed/);
    } finally {
      await local.stop();
    }
  });

  it("refuses retention bounds out of range or inverted with InvalidParameterValueException", async () => {
    const vault = await newVault();
    for (const [s, culprit] of [
      [{ MinRetentionDays: 0 }, /MinRetentionDays must be at least 1/],
      [{ MaxRetentionDays: 36501 }, /MaxRetentionDays must be between 1 and 36500/],
      [{ MaxRetentionDays: 0 }, /MaxRetentionDays/],
      [{ MinRetentionDays: 30, MaxRetentionDays: 7 }, /MinRetentionDays \(30\) must not be greater than MaxRetentionDays \(7\)/],
      [{ MinRetentionDays: 1, ChangeableForDays: 2 }, /ChangeableForDays must be between 3 and 36500/],
      [{ MinRetentionDays: 1, ChangeableForDays: 36501 }, /ChangeableForDays/],
    ] as const) {
      const err = await errorOf(lock(vault, s));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toMatch(culprit);
    }
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).Locked).toBe(false);
  });

  it("accepts the extreme bounds", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 1, MaxRetentionDays: 36500, ChangeableForDays: 36500 });
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).MaxRetentionDays).toBe(36500);
  });

  it("refuses a logically air-gapped vault, whose lock is fixed, with InvalidRequestException", async () => {
    const vault = uniqueName("lag");
    await backup.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: vault, MinRetentionDays: 7, MaxRetentionDays: 30 }));
    const err = await errorOf(lock(vault, { MinRetentionDays: 1 }));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(vault);
  });

  it("answers ResourceNotFoundException for a vault of another account or region", async () => {
    const vault = await newVault();
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      const err = await errorOf(lock(vault, { MinRetentionDays: 1 }, other));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(vault);
    }
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).Locked).toBe(false);
  });
});

describe("DeleteBackupVaultLockConfiguration", () => {
  it("removes a governance-mode lock at any time", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 30 });
    await backup.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: vault }));
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.Locked).toBe(false);
    expect(d.MinRetentionDays).toBeUndefined();
    expect(d.MaxRetentionDays).toBeUndefined();
  });

  it("removes a compliance-mode lock during its grace time", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, ChangeableForDays: 3 });
    await backup.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: vault }));
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.Locked).toBe(false);
    expect(d.LockDate).toBeUndefined();
  });

  it("refuses to remove a compliance-mode lock after its lock date with InvalidRequestException", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const vault = await newVault(c);
      await lock(vault, { MinRetentionDays: 1, ChangeableForDays: 3 }, c);
      // Changing the lock just before its lock date restarts the grace time.
      local.emu.clock.advance(3 * DAY - 60);
      await lock(vault, { MinRetentionDays: 1, ChangeableForDays: 3 }, c);
      local.emu.clock.advance(3 * DAY + 1);
      const err = await errorOf(c.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: vault })));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(vault);
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).Locked).toBe(true);
    } finally {
      await local.stop();
    }
  });

  it("answers ResourceNotFoundException for a vault of another account", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 1 });
    const err = await errorOf(t.client({ accountId: "111122223333" }).send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(vault);
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).Locked).toBe(true);
  });
});

describe("DeleteBackupVault of a locked vault", () => {
  it("refuses a compliance-mode vault with recovery points after the lock date, naming the lock", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const vault = await newVault(c);
      await lock(vault, { MinRetentionDays: 1, ChangeableForDays: 3 }, c);
      await backUp(vault, { DeleteAfterDays: 30 }, c);
      local.emu.clock.advance(3 * DAY + 1);
      const err = await errorOf(c.send(new DeleteBackupVaultCommand({ BackupVaultName: vault })));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(vault);
      expect(err.message).toMatch(/locked in compliance mode/);
    } finally {
      await local.stop();
    }
  });

  it("deletes an empty compliance-mode vault after the lock date", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const vault = await newVault(c);
      await lock(vault, { MinRetentionDays: 1, ChangeableForDays: 3 }, c);
      local.emu.clock.advance(3 * DAY + 1);
      await c.send(new DeleteBackupVaultCommand({ BackupVaultName: vault }));
      expect((await errorOf(c.send(new DescribeBackupVaultCommand({ BackupVaultName: vault })))).name).toBe("ResourceNotFoundException");
    } finally {
      await local.stop();
    }
  });

  it("deletes an empty governance-mode vault", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 1 });
    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: vault }));
    expect((await errorOf(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault })))).name).toBe("ResourceNotFoundException");
  });
});

describe("DeleteRecoveryPoint in a locked vault", () => {
  it("refuses before the minimum retention has passed and deletes afterwards", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const vault = await newVault(c);
      await lock(vault, { MinRetentionDays: 7 }, c);
      const arn = await backUp(vault, { DeleteAfterDays: 30 }, c);
      const err = await errorOf(c.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(arn);
      expect(err.message).toMatch(/at least 7 days/);
      local.emu.clock.advance(7 * DAY + 1);
      await c.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    } finally {
      await local.stop();
    }
  });

  it("deletes at once when the lock has no minimum retention", async () => {
    const vault = await newVault();
    await lock(vault, { MaxRetentionDays: 30 });
    const arn = await backUp(vault, { DeleteAfterDays: 30 });
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
  });

  it("protects recovery points stored before the lock was applied", async () => {
    const vault = await newVault();
    const arn = await backUp(vault);
    await lock(vault, { MinRetentionDays: 7 });
    expect((await errorOf(backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })))).name).toBe("InvalidRequestException");
  });
});

describe("StartBackupJob into a locked vault", () => {
  /** Start a job into `vault` and describe it once it has ended (jobs end at the next request). */
  async function endedJob(vault: string, lifecycle?: Lifecycle, c: BackupClient = backup): Promise<DescribeBackupJobCommandOutput> {
    const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, Lifecycle: lifecycle }));
    return c.send(new DescribeBackupJobCommand({ BackupJobId }));
  }

  it("accepts a retention shorter than the minimum, longer than the maximum, or unbounded under a maximum, and the vault fails each job", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 30 });
    const cases = [
      [{ DeleteAfterDays: 6 }, /DeleteAfterDays \(6\) is shorter than the minimum retention of 7 days/],
      [{ DeleteAfterDays: 31 }, /DeleteAfterDays \(31\) exceeds the maximum retention of 30 days/],
      [undefined, /maximum retention of 30 days, so the lifecycle must set DeleteAfterDays/],
      [{ MoveToColdStorageAfterDays: 1 }, /must set DeleteAfterDays/],
    ] as const;
    const failedIds: string[] = [];
    for (const [lifecycle, culprit] of cases) {
      const job = await endedJob(vault, lifecycle);
      expect(job).toMatchObject({ State: "FAILED", MessageCategory: "FAILED", VaultLockState: "LOCKED" });
      expect(job.CompletionDate).toBeInstanceOf(Date);
      expect(job.StatusMessage).toMatch(culprit);
      expect(job.StatusMessage).toContain(`Vault Lock of backup vault ${vault}`);
      const err = await errorOf(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn })));
      expect(err.name).toBe("ResourceNotFoundException");
      failedIds.push(job.BackupJobId!);
    }
    const failed = (await backup.send(new ListBackupJobsCommand({ ByBackupVaultName: vault, ByState: "FAILED" }))).BackupJobs!;
    expect(failed.map((j) => j.BackupJobId).sort()).toEqual(failedIds.sort());
    expect((await backup.send(new ListBackupJobsCommand({ ByBackupVaultName: vault, ByState: "COMPLETED" }))).BackupJobs).toEqual([]);
    expect((await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints).toEqual([]);
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.NumberOfRecoveryPoints).toBe(0);
  });

  it("announces the failed job through the vault's notifications", async () => {
    const vault = await newVault();
    await backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: ["BACKUP_JOB_COMPLETED"] }));
    await lock(vault, { MinRetentionDays: 7 });
    const job = await endedJob(vault, { DeleteAfterDays: 1 });
    expect(job.State).toBe("FAILED");
    const { notifications } = (await (await fetch(`${t.endpoint}/_emulator/notifications`)).json()) as { notifications: Record<string, unknown>[] };
    const sent = notifications.filter((n) => n.jobId === job.BackupJobId);
    expect(sent).toEqual([expect.objectContaining({ event: "BACKUP_JOB_COMPLETED", state: "FAILED", backupVaultName: vault, statusMessage: job.StatusMessage })]);
  });

  it("judges the lock in force when the job would complete: a lock put while the job runs fails it, one removed lets it complete", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 10 });
    try {
      const c = slow.client();
      const failing = await newVault(c);
      const freed = await newVault(c);
      await lock(freed, { MinRetentionDays: 7 }, c);
      const start = (vault: string) => c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 1 } }));
      const a = await start(failing);
      const b = await start(freed);
      await lock(failing, { MinRetentionDays: 7 }, c);
      await c.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: freed }));
      slow.emu.clock.advance(10);
      const ended = await c.send(new DescribeBackupJobCommand({ BackupJobId: a.BackupJobId }));
      expect(ended.State).toBe("FAILED");
      expect(ended.StatusMessage).toContain(failing);
      expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: b.BackupJobId }))).State).toBe("COMPLETED");
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: failing }))).NumberOfRecoveryPoints).toBe(0);
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: freed }))).NumberOfRecoveryPoints).toBe(1);
    } finally {
      await slow.stop();
    }
  });

  it("accepts a retention within the bounds and shows the vault's lock state on the job", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 30 });
    for (const days of [7, 30]) await backUp(vault, { DeleteAfterDays: days });
    const jobs = (await backup.send(new ListBackupJobsCommand({ ByBackupVaultName: vault }))).BackupJobs!;
    expect(jobs).toHaveLength(2);
    for (const j of jobs) expect(j.VaultLockState).toBe("LOCKED");
  });

  it("accepts a job without a lifecycle when the lock only sets a minimum", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7 });
    await backUp(vault);
  });

  it("shows no lock state on jobs into an unlocked vault", async () => {
    const vault = await newVault();
    await backUp(vault);
    const [job] = (await backup.send(new ListBackupJobsCommand({ ByBackupVaultName: vault }))).BackupJobs!;
    expect(job?.VaultLockState).toBeUndefined();
  });
});

describe("CreateBackupPlan targeting a locked vault", () => {
  it("accepts a rule whose lifecycle the target vault's lock does not allow, since the vault fails the rule's jobs instead", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 30 });
    const out = await backup.send(
      new CreateBackupPlanCommand({
        BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault, Lifecycle: { DeleteAfterDays: 90 } }] },
      }),
    );
    const plan = await backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    expect(plan.BackupPlan?.Rules?.[0]?.Lifecycle).toEqual({ DeleteAfterDays: 90 });
  });

  it("accepts a rule within the bounds", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 30 });
    const out = await backup.send(
      new CreateBackupPlanCommand({
        BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault, Lifecycle: { DeleteAfterDays: 14 } }] },
      }),
    );
    expect(out.BackupPlanId).toBeTruthy();
  });
});
