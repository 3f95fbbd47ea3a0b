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
  ListBackupJobsCommand,
  ListBackupVaultsCommand,
  PutBackupVaultLockConfigurationCommand,
  StartBackupJobCommand,
  type BackupClient,
  type Lifecycle,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
const DAY = 86_400;

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
  it("refuses a retention shorter than the minimum, longer than the maximum, or without DeleteAfterDays under a maximum", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 30 });
    for (const [lifecycle, culprit] of [
      [{ DeleteAfterDays: 6 }, /DeleteAfterDays \(6\) is shorter than the minimum retention of 7 days/],
      [{ DeleteAfterDays: 31 }, /DeleteAfterDays \(31\) exceeds the maximum retention of 30 days/],
      [undefined, /maximum retention of 30 days, so the lifecycle must set DeleteAfterDays/],
      [{ MoveToColdStorageAfterDays: 1 }, /must set DeleteAfterDays/],
    ] as const) {
      const err = await errorOf(backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, Lifecycle: lifecycle })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toMatch(culprit);
      expect(err.message).toContain(vault);
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
  it("refuses a rule whose lifecycle the target vault's lock does not allow, naming the rule", async () => {
    const vault = await newVault();
    await lock(vault, { MinRetentionDays: 7, MaxRetentionDays: 30 });
    const err = await errorOf(
      backup.send(
        new CreateBackupPlanCommand({
          BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault, Lifecycle: { DeleteAfterDays: 90 } }] },
        }),
      ),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Rules[0]");
    expect(err.message).toContain(vault);
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
