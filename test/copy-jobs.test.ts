import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  ListCopyJobsCommand,
  ListCopyJobSummariesCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  type BackupClient,
  type CopyJob,
  type ListCopyJobsCommandInput,
  type ListCopyJobSummariesCommandInput,
  type Lifecycle,
} from "@aws-sdk/client-backup";
import { startCopyJob } from "../src/domain/copy-jobs.js";
import type { Scope } from "../src/store/table.js";
import { STATE_CHANGE } from "../src/domain/events.js";
import { ACCOUNT, errorOf, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const OTHER_ACCOUNT = "111122223333";
const OTHER_REGION = "eu-west-1";
const HOME = { accountId: ACCOUNT, region: REGION };
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:backup-events`;

let t: TestEmulator;
let backup: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

async function newVault(c: BackupClient, key?: string): Promise<{ name: string; arn: string }> {
  const name = uniqueName("vault");
  const out = await c.send(new CreateBackupVaultCommand({ BackupVaultName: name, ...(key ? { EncryptionKeyArn: key } : {}) }));
  return { name, arn: out.BackupVaultArn! };
}

/** A completed recovery point of `resourceArn` in `vault` (the emulator runs with delay 0 unless `advance` is given). */
async function recoveryPoint(
  em: TestEmulator,
  c: BackupClient,
  vault: string,
  resourceArn = resources.dynamo(),
  opts: { lifecycle?: Lifecycle; tags?: Record<string, string>; advance?: number } = {},
): Promise<string> {
  const job = await c.send(
    new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN, Lifecycle: opts.lifecycle, RecoveryPointTags: opts.tags }),
  );
  if (opts.advance) em.emu.clock.advance(opts.advance);
  const done = await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
  expect(done.State).toBe("COMPLETED");
  return job.RecoveryPointArn!;
}

/** Give a vault a Vault Lock with a minimum retention, as PutBackupVaultLockConfiguration would. */
function lockVault(em: TestEmulator, scope: Scope, name: string, minDays: number): void {
  const v = em.emu.store.vaults.get(scope, name)!;
  em.emu.store.vaults.put(scope, { ...v, Locked: true, MinRetentionDays: minDays, LockConfiguredAt: em.emu.clock.now() });
}

const describeCopy = async (c: BackupClient, id: string): Promise<CopyJob> => (await c.send(new DescribeCopyJobCommand({ CopyJobId: id }))).CopyJob!;

describe("StartCopyJob", () => {
  it("copies a recovery point into another vault of the same account and region", async () => {
    const source = await newVault(backup);
    const key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const dest = await newVault(backup, key);
    const resource = resources.dynamo();
    const rpArn = await recoveryPoint(t, backup, source.name, resource, { tags: { team: "storage" } });
    const before = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: source.name, RecoveryPointArn: rpArn }));

    const lifecycle = { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 };
    const started = await backup.send(
      new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN, Lifecycle: lifecycle }),
    );
    expect(started.CopyJobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.IsParent).toBe(false);
    expect(started.CreationDate).toBeInstanceOf(Date);

    const job = await describeCopy(backup, started.CopyJobId!);
    expect(job).toMatchObject({
      AccountId: ACCOUNT,
      CopyJobId: started.CopyJobId,
      State: "COMPLETED",
      SourceBackupVaultArn: source.arn,
      SourceRecoveryPointArn: rpArn,
      DestinationBackupVaultArn: dest.arn,
      DestinationEncryptionKeyArn: key,
      DestinationVaultType: "BACKUP_VAULT",
      DestinationRecoveryPointLifecycle: lifecycle,
      ResourceArn: resource,
      ResourceType: "DynamoDB",
      ResourceName: before.ResourceName,
      IamRoleArn: ROLE_ARN,
      BackupSizeInBytes: before.BackupSizeInBytes,
      MessageCategory: "SUCCESS",
      IsParent: false,
    });
    expect(job.CompletionDate!.getTime()).toBe(started.CreationDate!.getTime());
    expect(job.DestinationRecoveryPointArn).toMatch(/^arn:aws:backup:us-east-1:000000000000:recovery-point:[0-9a-f-]{36}$/);
    expect(job.DestinationRecoveryPointArn).not.toBe(rpArn);

    const copy = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: dest.name, RecoveryPointArn: job.DestinationRecoveryPointArn }));
    expect(copy).toMatchObject({
      BackupVaultName: dest.name,
      BackupVaultArn: dest.arn,
      SourceBackupVaultArn: source.arn,
      ResourceArn: resource,
      ResourceType: "DynamoDB",
      ResourceName: before.ResourceName,
      Status: "COMPLETED",
      EncryptionKeyArn: key,
      Lifecycle: lifecycle,
      BackupSizeInBytes: before.BackupSizeInBytes,
    });
    // A copy keeps the source's creation date; its lifecycle counts from there.
    expect(copy.CreationDate).toEqual(before.CreationDate);
    const created = before.CreationDate!.getTime();
    expect(copy.CalculatedLifecycle!.MoveToColdStorageAt!.getTime()).toBe(created + 30 * 86_400_000);
    expect(copy.CalculatedLifecycle!.DeleteAt!.getTime()).toBe(created + 365 * 86_400_000);
    expect((await backup.send(new ListTagsCommand({ ResourceArn: job.DestinationRecoveryPointArn }))).Tags).toEqual({ team: "storage" });

    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(1);
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: source.name }))).NumberOfRecoveryPoints).toBe(1);
    const after = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: source.name, RecoveryPointArn: rpArn }));
    expect({ ...after, $metadata: undefined }).toEqual({ ...before, $metadata: undefined });
  });

  it("keeps the source recovery point's lifecycle when the request gives none", async () => {
    const source = await newVault(backup);
    const dest = await newVault(backup);
    const rpArn = await recoveryPoint(t, backup, source.name, resources.dynamo(), { lifecycle: { DeleteAfterDays: 35 } });
    const { CopyJobId } = await backup.send(
      new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN }),
    );
    const job = await describeCopy(backup, CopyJobId!);
    expect(job.DestinationRecoveryPointLifecycle).toEqual({ DeleteAfterDays: 35 });
    const copy = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: dest.name, RecoveryPointArn: job.DestinationRecoveryPointArn }));
    expect(copy.Lifecycle).toEqual({ DeleteAfterDays: 35 });
    expect(copy.CalculatedLifecycle!.DeleteAt!.getTime()).toBe(copy.CreationDate!.getTime() + 35 * 86_400_000);
  });

  it("moves the job through CREATED, RUNNING and COMPLETED over the configured delay, announcing each state", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 10 });
    // The state-change log is kept for an EventBridge forwarder; this test reads it directly.
    slow.emu.store.logStateChanges = true;
    try {
      const c = slow.client();
      const source = await newVault(c);
      const dest = await newVault(c);
      const rpArn = await recoveryPoint(slow, c, source.name, resources.efs(), { advance: 10 });
      const { CopyJobId, CreationDate } = await c.send(
        new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN }),
      );
      const created = await describeCopy(c, CopyJobId!);
      expect(created.State).toBe("CREATED");
      expect(created.CompletionDate).toBeUndefined();
      expect(created.DestinationRecoveryPointArn).toBeUndefined();

      slow.emu.clock.advance(5);
      expect((await describeCopy(c, CopyJobId!)).State).toBe("RUNNING");
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(0);

      slow.emu.clock.advance(5);
      const done = await describeCopy(c, CopyJobId!);
      expect(done.State).toBe("COMPLETED");
      // The completion carries the time the work was due, not the time it was noticed.
      expect((done.CompletionDate!.getTime() - CreationDate!.getTime()) / 1000).toBeCloseTo(10, 2);
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(1);

      const states = slow.emu.store
        .listEvents(STATE_CHANGE)
        .map((e) => e.doc as { jobType: string; jobId: string; state: string; backupVaultName: string })
        .filter((d) => d.jobType === "COPY" && d.jobId === CopyJobId);
      expect(states.map((d) => d.state)).toEqual(["CREATED", "RUNNING", "COMPLETED"]);
      expect(states.every((d) => d.backupVaultName === source.name)).toBe(true);
    } finally {
      await slow.stop();
    }
  });

  it("copies to a vault in another region, where the copy is listed and counted", async () => {
    const source = await newVault(backup);
    const europe = t.client({ region: OTHER_REGION });
    const dest = await newVault(europe);
    expect(dest.arn).toBe(`arn:aws:backup:${OTHER_REGION}:${ACCOUNT}:backup-vault:${dest.name}`);
    const rpArn = await recoveryPoint(t, backup, source.name, resources.ebs());
    const { CopyJobId } = await backup.send(
      new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN }),
    );
    const job = await describeCopy(backup, CopyJobId!);
    expect(job.State).toBe("COMPLETED");
    // An EBS copy is a snapshot in the destination region.
    expect(job.DestinationRecoveryPointArn).toMatch(new RegExp(`^arn:aws:ec2:${OTHER_REGION}::snapshot/snap-[0-9a-f]{17}$`));

    expect((await europe.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(1);
    const listed = await europe.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: dest.name }));
    expect(listed.RecoveryPoints!.map((r) => r.RecoveryPointArn)).toEqual([job.DestinationRecoveryPointArn]);
    expect(listed.RecoveryPoints![0]!.SourceBackupVaultArn).toBe(source.arn);
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: source.name }))).NumberOfRecoveryPoints).toBe(1);
  });

  it("copies to a vault in another account, which sees the copy with an ARN of its own", async () => {
    const source = await newVault(backup);
    const other = t.client({ accountId: OTHER_ACCOUNT });
    const dest = await newVault(other);
    expect(dest.arn).toBe(`arn:aws:backup:${REGION}:${OTHER_ACCOUNT}:backup-vault:${dest.name}`);
    const rpArn = await recoveryPoint(t, backup, source.name, resources.rds());
    const { CopyJobId } = await backup.send(
      new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN }),
    );
    const job = await describeCopy(backup, CopyJobId!);
    expect(job.State).toBe("COMPLETED");
    expect(job.AccountId).toBe(ACCOUNT);
    expect(job.DestinationRecoveryPointArn).toBe(`arn:aws:rds:${REGION}:${OTHER_ACCOUNT}:snapshot:awsbackup:job-${CopyJobId}`);

    expect((await other.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(1);
    const copy = await other.send(new DescribeRecoveryPointCommand({ BackupVaultName: dest.name, RecoveryPointArn: job.DestinationRecoveryPointArn }));
    expect(copy.SourceBackupVaultArn).toBe(source.arn);
    expect(copy.ResourceType).toBe("RDS");
    // The job belongs to the account that started it.
    expect((await errorOf(other.send(new DescribeCopyJobCommand({ CopyJobId })))).name).toBe("ResourceNotFoundException");
  });

  it("ends the job FAILED, naming the vault, when the destination vault does not exist", async () => {
    const source = await newVault(backup);
    const missing = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:never-made-${uniqueName()}`;
    const rpArn = await recoveryPoint(t, backup, source.name);
    const { CopyJobId } = await backup.send(
      new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: missing, IamRoleArn: ROLE_ARN }),
    );
    const job = await describeCopy(backup, CopyJobId!);
    expect(job.State).toBe("FAILED");
    expect(job.StatusMessage).toContain(missing.split(":").pop()!);
    expect(job.CompletionDate).toBeInstanceOf(Date);
    expect(job.DestinationRecoveryPointArn).toBeUndefined();
    expect(job.MessageCategory).not.toBe("SUCCESS");
  });

  it("ends the job FAILED when the destination vault is deleted before the copy completes", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 10 });
    try {
      const c = slow.client();
      const source = await newVault(c);
      const dest = await newVault(c);
      const rpArn = await recoveryPoint(slow, c, source.name, resources.dynamo(), { advance: 10 });
      const { CopyJobId } = await c.send(
        new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN }),
      );
      await c.send(new DeleteBackupVaultCommand({ BackupVaultName: dest.name }));
      slow.emu.clock.advance(10);
      const job = await describeCopy(c, CopyJobId!);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain(dest.name);
      expect((await errorOf(c.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name })))).name).toBe("ResourceNotFoundException");
    } finally {
      await slow.stop();
    }
  });

  it("accepts a retention that the destination vault's lock forbids and ends the job FAILED, naming the vault, its lock and the retention", async () => {
    const source = await newVault(backup);
    await backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: source.name, SNSTopicArn: TOPIC, BackupVaultEvents: ["COPY_JOB_FAILED"] }));
    const other = t.client({ accountId: OTHER_ACCOUNT });
    const dest = await newVault(other);
    lockVault(t, { accountId: OTHER_ACCOUNT, region: REGION }, dest.name, 30);
    const rpArn = await recoveryPoint(t, backup, source.name);
    const input = { RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN };
    const { CopyJobId } = await backup.send(new StartCopyJobCommand({ ...input, Lifecycle: { DeleteAfterDays: 7 } }));
    const job = await describeCopy(backup, CopyJobId!);
    expect(job).toMatchObject({ State: "FAILED", MessageCategory: "FAILED", DestinationVaultLockState: "LOCKED" });
    expect(job.CompletionDate).toBeInstanceOf(Date);
    expect(job.DestinationRecoveryPointArn).toBeUndefined();
    expect(job.StatusMessage).toContain(`Vault Lock of backup vault ${dest.name}`);
    expect(job.StatusMessage).toMatch(/DeleteAfterDays \(7\) is shorter than the minimum retention of 30 days/);
    const failed = (await backup.send(new ListCopyJobsCommand({ BySourceRecoveryPointArn: rpArn, ByState: "FAILED" }))).CopyJobs!;
    expect(failed.map((j) => j.CopyJobId)).toEqual([CopyJobId]);
    expect((await other.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: dest.name }))).RecoveryPoints).toEqual([]);
    expect((await other.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(0);
    const { notifications } = (await (await fetch(`${t.endpoint}/_emulator/notifications`)).json()) as { notifications: Record<string, unknown>[] };
    expect(notifications.filter((n) => n.jobId === CopyJobId)).toEqual([expect.objectContaining({ event: "COPY_JOB_FAILED", backupVaultName: source.name, state: "FAILED" })]);
    // A retention within the lock's bounds completes.
    const ok = await backup.send(new StartCopyJobCommand({ ...input, Lifecycle: { DeleteAfterDays: 30 } }));
    expect((await describeCopy(backup, ok.CopyJobId!)).State).toBe("COMPLETED");
  });

  it("ends the job FAILED when the destination vault is locked against its retention before the copy completes", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 10 });
    try {
      const c = slow.client();
      const source = await newVault(c);
      const dest = await newVault(c);
      const rpArn = await recoveryPoint(slow, c, source.name, resources.dynamo(), { advance: 10 });
      const { CopyJobId } = await c.send(
        new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 7 } }),
      );
      lockVault(slow, HOME, dest.name, 30);
      slow.emu.clock.advance(10);
      const job = await describeCopy(c, CopyJobId!);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain(dest.name);
      expect(job.DestinationVaultLockState).toBe("LOCKED");
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(0);
    } finally {
      await slow.stop();
    }
  });

  it("records a copy that a backup plan starts with the plan as its creator, which a destination lock fails like any other", async () => {
    const source = await newVault(backup);
    const dest = await newVault(backup);
    lockVault(t, HOME, dest.name, 30);
    const rpArn = await recoveryPoint(t, backup, source.name);
    const createdBy = { BackupPlanId: "plan-1", BackupPlanArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:plan-1`, BackupRuleId: "rule-1" };
    const at = t.emu.clock.now();
    const started = startCopyJob(
      { store: t.emu.store, scope: HOME, config: t.emu.config },
      { RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 7 }, CreatedBy: createdBy, CreatedByBackupJobId: "job-1" },
      at,
    );
    expect(started.CreationDate).toBe(at);
    const job = await describeCopy(backup, started.CopyJobId);
    expect(job).toMatchObject({ State: "FAILED", CreatedBy: createdBy, CreatedByBackupJobId: "job-1" });
    expect(job.StatusMessage).toContain(dest.name);
  });

  it("returns the first job when retried with the same IdempotencyToken", async () => {
    const source = await newVault(backup);
    const dest = await newVault(backup);
    const rpArn = await recoveryPoint(t, backup, source.name);
    const input = { RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN, IdempotencyToken: uniqueName("tok") };
    const a = await backup.send(new StartCopyJobCommand(input));
    const b = await backup.send(new StartCopyJobCommand(input));
    expect(b.CopyJobId).toBe(a.CopyJobId);
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: dest.name }))).NumberOfRecoveryPoints).toBe(1);
  });

  describe("refusals", () => {
    let source: { name: string; arn: string };
    let dest: { name: string; arn: string };
    let rpArn: string;
    const start = (over: Partial<ConstructorParameters<typeof StartCopyJobCommand>[0]>) =>
      backup.send(
        new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN, ...over }),
      );

    beforeAll(async () => {
      source = await newVault(backup);
      dest = await newVault(backup);
      rpArn = await recoveryPoint(t, backup, source.name);
    });

    it("refuses a source vault that does not exist with ResourceNotFoundException naming it", async () => {
      const err = await errorOf(start({ SourceBackupVaultName: "no-such-source" }));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain("no-such-source");
    });

    it("refuses a recovery point that is not in the source vault with ResourceNotFoundException naming it", async () => {
      const other = await newVault(backup);
      const err = await errorOf(start({ SourceBackupVaultName: other.name }));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(rpArn);
      const missing = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:00000000-0000-0000-0000-000000000000`;
      const err2 = await errorOf(start({ RecoveryPointArn: missing }));
      expect(err2.name).toBe("ResourceNotFoundException");
      expect(err2.message).toContain(missing);
    });

    it("refuses a recovery point that is not COMPLETED with InvalidRequestException naming it", async () => {
      const arn = await recoveryPoint(t, backup, source.name);
      const rp = t.emu.store.recoveryPoints.get(HOME, arn)!;
      t.emu.store.recoveryPoints.put(HOME, { ...rp, Status: "PARTIAL" });
      const err = await errorOf(start({ RecoveryPointArn: arn }));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(arn);
      expect(err.message).toContain("PARTIAL");
    });

    it("refuses a recovery point in cold storage with InvalidRequestException naming it", async () => {
      const arn = await recoveryPoint(t, backup, source.name);
      const rp = t.emu.store.recoveryPoints.get(HOME, arn)!;
      t.emu.store.recoveryPoints.put(HOME, { ...rp, StorageClass: "COLD" });
      const err = await errorOf(start({ RecoveryPointArn: arn }));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(arn);
    });

    it("refuses a DestinationBackupVaultArn that is not a vault ARN with InvalidParameterValueException", async () => {
      for (const bad of ["not-an-arn", `arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:abc`, `arn:aws:backup:${REGION}:12345:backup-vault:v1`, `arn:aws:backup::${ACCOUNT}:backup-vault:v1`]) {
        const err = await errorOf(start({ DestinationBackupVaultArn: bad }));
        expect(err.name).toBe("InvalidParameterValueException");
        expect(err.message).toContain("DestinationBackupVaultArn");
        expect(err.message).toContain(bad);
      }
    });

    it("refuses an IamRoleArn that is not a role ARN with InvalidParameterValueException", async () => {
      const err = await errorOf(start({ IamRoleArn: "arn:aws:iam::123456789012:user/alice" }));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("IamRoleArn");
    });

    it("refuses a lifecycle that leaves less than 90 days in cold storage with InvalidParameterValueException", async () => {
      const err = await errorOf(start({ Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 60 } }));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("Lifecycle");
    });

    it("starts no job when it refuses", async () => {
      const jobs = await backup.send(new ListCopyJobsCommand({ BySourceRecoveryPointArn: rpArn }));
      expect(jobs.CopyJobs).toEqual([]);
    });
  });
});

describe("DescribeCopyJob", () => {
  it("answers ResourceNotFoundException naming a job that does not exist", async () => {
    const err = await errorOf(backup.send(new DescribeCopyJobCommand({ CopyJobId: "11111111-2222-3333-4444-555555555555" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toContain("11111111-2222-3333-4444-555555555555");
  });

  it("does not show a job from another region", async () => {
    const source = await newVault(backup);
    const dest = await newVault(backup);
    const rpArn = await recoveryPoint(t, backup, source.name);
    const { CopyJobId } = await backup.send(
      new StartCopyJobCommand({ RecoveryPointArn: rpArn, SourceBackupVaultName: source.name, DestinationBackupVaultArn: dest.arn, IamRoleArn: ROLE_ARN }),
    );
    expect((await errorOf(t.client({ region: OTHER_REGION }).send(new DescribeCopyJobCommand({ CopyJobId })))).name).toBe("ResourceNotFoundException");
  });
});

/**
 * A fresh emulator with five copy jobs made at distinct times (100 s apart):
 * j1 dynamo→B, j2 ebs→C, j3 dynamo→missing (FAILED), j4 ebs→B, j5 efs→C.
 */
async function listFixture() {
  const em = await startTestEmulator();
  const c = em.client();
  const source = await newVault(c);
  const b = await newVault(c);
  const cv = await newVault(c);
  const missing = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:missing-vault`;
  const dynamo = resources.dynamo();
  const ebs = resources.ebs();
  const efs = resources.efs();
  const rpDynamo = await recoveryPoint(em, c, source.name, dynamo);
  const rpEbs = await recoveryPoint(em, c, source.name, ebs);
  const rpEfs = await recoveryPoint(em, c, source.name, efs);
  const plan: [string, string][] = [
    [rpDynamo, b.arn],
    [rpEbs, cv.arn],
    [rpDynamo, missing],
    [rpEbs, b.arn],
    [rpEfs, cv.arn],
  ];
  const jobs: CopyJob[] = [];
  for (const [rp, destination] of plan) {
    em.emu.clock.advance(100);
    const { CopyJobId } = await c.send(new StartCopyJobCommand({ RecoveryPointArn: rp, SourceBackupVaultName: source.name, DestinationBackupVaultArn: destination, IamRoleArn: ROLE_ARN }));
    jobs.push(await describeCopy(c, CopyJobId!));
  }
  return { em, c, jobs, dynamo, ebs, b, rpEbs };
}

describe("ListCopyJobs", () => {
  let fx: Awaited<ReturnType<typeof listFixture>>;
  beforeAll(async () => {
    fx = await listFixture();
  });
  afterAll(() => fx.em.stop());

  const ids = async (input: ListCopyJobsCommandInput) => ((await fx.c.send(new ListCopyJobsCommand(input))).CopyJobs ?? []).map((j) => j.CopyJobId).sort();
  const of = (...n: number[]) => n.map((i) => fx.jobs[i - 1]!.CopyJobId).sort();

  it("lists every job of the account and region, newest first, with their details", async () => {
    const out = await fx.c.send(new ListCopyJobsCommand({}));
    expect(out.CopyJobs!.map((j) => j.CopyJobId)).toEqual(fx.jobs.map((j) => j.CopyJobId).reverse());
    expect(out.CopyJobs![4]).toEqual(fx.jobs[0]);
    expect(out.NextToken).toBeUndefined();
    expect((await t.client({ region: OTHER_REGION }).send(new ListCopyJobsCommand({}))).CopyJobs).toEqual([]);
  });

  it("filters by resource ARN", async () => {
    expect(await ids({ ByResourceArn: fx.dynamo })).toEqual(of(1, 3));
  });

  it("filters by state", async () => {
    expect(await ids({ ByState: "FAILED" })).toEqual(of(3));
    expect(await ids({ ByState: "COMPLETED" })).toEqual(of(1, 2, 4, 5));
    expect(await ids({ ByState: "RUNNING" })).toEqual([]);
  });

  it("filters by creation time, both bounds exclusive", async () => {
    const at = (i: number) => fx.jobs[i - 1]!.CreationDate!;
    expect(await ids({ ByCreatedAfter: at(2) })).toEqual(of(3, 4, 5));
    expect(await ids({ ByCreatedBefore: at(2) })).toEqual(of(1));
    expect(await ids({ ByCreatedAfter: at(1), ByCreatedBefore: at(4) })).toEqual(of(2, 3));
  });

  it("filters by completion time, both bounds exclusive", async () => {
    const at = (i: number) => fx.jobs[i - 1]!.CompletionDate!;
    expect(await ids({ ByCompleteAfter: at(3) })).toEqual(of(4, 5));
    expect(await ids({ ByCompleteBefore: at(3) })).toEqual(of(1, 2));
    expect(await ids({ ByCompleteAfter: at(1), ByCompleteBefore: at(5) })).toEqual(of(2, 3, 4));
  });

  it("filters by resource type", async () => {
    expect(await ids({ ByResourceType: "EBS" })).toEqual(of(2, 4));
    expect(await ids({ ByResourceType: "EFS" })).toEqual(of(5));
  });

  it("filters by destination vault ARN", async () => {
    expect(await ids({ ByDestinationVaultArn: fx.b.arn })).toEqual(of(1, 4));
  });

  it("filters by account: the caller's own jobs, none of another account's", async () => {
    expect(await ids({ ByAccountId: ACCOUNT })).toEqual(of(1, 2, 3, 4, 5));
    expect(await ids({ ByAccountId: OTHER_ACCOUNT })).toEqual([]);
  });

  it("filters by parent job, which jobs started one by one do not have", async () => {
    expect(await ids({ ByParentJobId: fx.jobs[0]!.CopyJobId })).toEqual([]);
  });

  it("filters by message category, with ANY and AGGREGATE_ALL matching every job", async () => {
    expect(await ids({ ByMessageCategory: "SUCCESS" })).toEqual(of(1, 2, 4, 5));
    expect(await ids({ ByMessageCategory: fx.jobs[2]!.MessageCategory })).toEqual(of(3));
    expect(await ids({ ByMessageCategory: "ANY" })).toEqual(of(1, 2, 3, 4, 5));
    expect(await ids({ ByMessageCategory: "AGGREGATE_ALL" })).toEqual(of(1, 2, 3, 4, 5));
  });

  it("filters by source recovery point", async () => {
    expect(await ids({ BySourceRecoveryPointArn: fx.rpEbs })).toEqual(of(2, 4));
  });

  it("combines filters", async () => {
    expect(await ids({ ByResourceType: "EBS", ByDestinationVaultArn: fx.b.arn })).toEqual(of(4));
  });

  it("pages with MaxResults and NextToken, seeing each job exactly once", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await fx.c.send(new ListCopyJobsCommand({ MaxResults: 2, NextToken: token }));
      expect(page.CopyJobs!.length).toBeLessThanOrEqual(2);
      seen.push(...page.CopyJobs!.map((j) => j.CopyJobId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(fx.jobs.map((j) => j.CopyJobId).reverse());
  });

  it("pages a filtered list and refuses a token from another list", async () => {
    const first = await fx.c.send(new ListCopyJobsCommand({ ByState: "COMPLETED", MaxResults: 3 }));
    const second = await fx.c.send(new ListCopyJobsCommand({ ByState: "COMPLETED", MaxResults: 3, NextToken: first.NextToken }));
    expect([...first.CopyJobs!, ...second.CopyJobs!].map((j) => j.CopyJobId).sort()).toEqual(of(1, 2, 4, 5));
    expect(second.NextToken).toBeUndefined();
    const err = await errorOf(fx.c.send(new ListCopyJobsCommand({ NextToken: "garbage" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("NextToken");
  });
});

describe("ListCopyJobSummaries", () => {
  let fx: Awaited<ReturnType<typeof listFixture>>;
  beforeAll(async () => {
    fx = await listFixture();
  });
  afterAll(() => fx.em.stop());

  const summaries = async (input: ListCopyJobSummariesCommandInput) => fx.c.send(new ListCopyJobSummariesCommand(input));
  const key = (s: { State?: string; ResourceType?: string; MessageCategory?: string; Count?: number }) =>
    `${s.State}/${s.ResourceType}/${s.MessageCategory}=${s.Count}`;

  it("refuses a MaxResults above 500, the documented range, naming the member, and accepts 500", async () => {
    const err = await errorOf(summaries({ MaxResults: 501 }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("MaxResults must be between 1 and 500");
    expect((await summaries({ MaxResults: 500 })).CopyJobSummaries).toBeDefined();
  });

  it("counts jobs by state, resource type and message category over the period", async () => {
    const out = await summaries({ AggregationPeriod: "SEVEN_DAYS" });
    expect(out.AggregationPeriod).toBe("SEVEN_DAYS");
    const failed = fx.jobs[2]!.MessageCategory;
    expect(out.CopyJobSummaries!.map(key).sort()).toEqual(
      ["COMPLETED/DynamoDB/SUCCESS=1", "COMPLETED/EBS/SUCCESS=2", "COMPLETED/EFS/SUCCESS=1", `FAILED/DynamoDB/${failed}=1`].sort(),
    );
    for (const s of out.CopyJobSummaries!) {
      expect(s.Region).toBe(REGION);
      expect(s.AccountId).toBe(ACCOUNT);
      expect(s.StartTime!.getTime()).toBeLessThan(s.EndTime!.getTime());
    }
  });

  it("defaults to daily counts whose sum is every job", async () => {
    const out = await summaries({});
    expect(out.AggregationPeriod).toBe("ONE_DAY");
    expect(out.CopyJobSummaries!.reduce((n, s) => n + s.Count!, 0)).toBe(5);
  });

  it("filters by state, resource type and message category, and sums with AGGREGATE_ALL", async () => {
    const completed = await summaries({ AggregationPeriod: "FOURTEEN_DAYS", State: "COMPLETED", ResourceType: "AGGREGATE_ALL" });
    expect(completed.CopyJobSummaries!.map(key)).toEqual(["COMPLETED/AGGREGATE_ALL/SUCCESS=4"]);
    const ebs = await summaries({ AggregationPeriod: "FOURTEEN_DAYS", ResourceType: "EBS", State: "AGGREGATE_ALL", MessageCategory: "AGGREGATE_ALL" });
    expect(ebs.CopyJobSummaries!.map(key)).toEqual(["AGGREGATE_ALL/EBS/AGGREGATE_ALL=2"]);
    const failed = await summaries({ AggregationPeriod: "FOURTEEN_DAYS", MessageCategory: fx.jobs[2]!.MessageCategory });
    expect(failed.CopyJobSummaries!.map(key)).toEqual([`FAILED/DynamoDB/${fx.jobs[2]!.MessageCategory}=1`]);
  });

  it("counts the caller's own jobs whatever AccountId says, as for an account outside AWS Organizations", async () => {
    // EndTime is "now" for the current window, so compare the counts only.
    const theirs = (await summaries({ AccountId: OTHER_ACCOUNT })).CopyJobSummaries!.map(key);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs).toEqual((await summaries({})).CopyJobSummaries!.map(key));
  });

  it("pages with MaxResults and NextToken, seeing each summary exactly once", async () => {
    const all = (await summaries({ AggregationPeriod: "SEVEN_DAYS" })).CopyJobSummaries!.map(key);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await summaries({ AggregationPeriod: "SEVEN_DAYS", MaxResults: 1, NextToken: token });
      expect(page.CopyJobSummaries!.length).toBe(1);
      seen.push(...page.CopyJobSummaries!.map(key));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(all);
  });
});
