import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import {
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  GetRestoreJobMetadataCommand,
  ListRestoreJobsByProtectedResourceCommand,
  ListRestoreJobsCommand,
  ListRestoreJobSummariesCommand,
  PutRestoreValidationResultCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type BackupClient,
  type ListRestoreJobsByProtectedResourceCommandInput,
  type ListRestoreJobsCommandInput,
  type RestoreJobsListMember,
} from "@aws-sdk/client-backup";
import { ACCOUNT, errorOf, eventually, REGION, resources, ROLE_ARN, shareVault, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import type { DomainContext } from "../src/api/types.js";
import { STATE_CHANGE, type JobStateChange } from "../src/domain/events.js";
import { restoreJobs, startRestoreJob } from "../src/domain/restore-jobs.js";

const OTHER_ACCOUNT = "111122223333";
const PLAN_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:nightly-abc123`;
const HOME = { accountId: ACCOUNT, region: REGION };

let t: TestEmulator;
let backup: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

/** A new vault holding a backup of `resourceArn`; with delay 0 the recovery point exists at the next request. */
async function backupOf(c: BackupClient, resourceArn: string): Promise<{ vault: string; rp: string }> {
  const vault = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
  const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN }));
  return { vault, rp: job.RecoveryPointArn! };
}

async function restore(c: BackupClient, rp: string, metadata: Record<string, string> = {}): Promise<string> {
  return (await c.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, Metadata: metadata, IamRoleArn: ROLE_ARN }))).RestoreJobId!;
}

const describeJob = (c: BackupClient, id: string) => c.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));

/** A request, so that due work (a finished backup's recovery point) has happened. */
const settle = (c: BackupClient) => c.send(new ListRestoreJobsCommand({ MaxResults: 1 }));

/** The domain context restore testing uses to start its jobs. */
const ctxOf = (e: TestEmulator, scope = HOME): DomainContext => ({ scope, store: e.emu.store, clock: e.emu.clock, config: e.emu.config });

const hexId = (n: number) => randomBytes(n).toString("hex").slice(0, n);

describe("StartRestoreJob", () => {
  it("starts a restore job for a completed recovery point and returns its id", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const out = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, Metadata: { targetTableName: "restored" }, IamRoleArn: ROLE_ARN }));
    expect(out.RestoreJobId).toMatch(/^[0-9a-f-]{36}$/);
    const job = await describeJob(backup, out.RestoreJobId!);
    expect(job.RecoveryPointArn).toBe(rp);
    expect(job.Status).toBe("COMPLETED");
  });

  it("accepts a ResourceType that matches the recovery point", async () => {
    const { rp } = await backupOf(backup, resources.ebs());
    const out = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, Metadata: {}, IamRoleArn: ROLE_ARN, ResourceType: "EBS" }));
    expect((await describeJob(backup, out.RestoreJobId!)).ResourceType).toBe("EBS");
  });

  it("returns the same job when retried with the same IdempotencyToken", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const input = { RecoveryPointArn: rp, Metadata: { targetTableName: "again" }, IamRoleArn: ROLE_ARN, IdempotencyToken: uniqueName("token") };
    const a = await backup.send(new StartRestoreJobCommand(input));
    const b = await backup.send(new StartRestoreJobCommand(input));
    expect(b.RestoreJobId).toBe(a.RestoreJobId);
    const c = await backup.send(new StartRestoreJobCommand({ ...input, IdempotencyToken: uniqueName("token") }));
    expect(c.RestoreJobId).not.toBe(a.RestoreJobId);
  });

  it("refuses a recovery point that does not exist with ResourceNotFoundException naming it", async () => {
    const missing = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${"0".repeat(8)}-0000-4000-a000-000000000000`;
    const err = await errorOf(restore(backup, missing));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(missing);
  });

  it("refuses a recovery point in another account's vault with InvalidRequestException naming that account", async () => {
    const other = t.client({ accountId: OTHER_ACCOUNT });
    const { rp } = await backupOf(other, resources.dynamo());
    const err = await errorOf(restore(backup, rp));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(rp);
    expect(err.message).toContain(OTHER_ACCOUNT);
  });

  it("refuses an EBS snapshot of another account (its ARN names no account) with InvalidRequestException", async () => {
    const other = t.client({ accountId: OTHER_ACCOUNT });
    const { rp } = await backupOf(other, resources.ebs());
    expect(rp).toMatch(/^arn:aws:ec2:us-east-1::snapshot\//);
    const err = await errorOf(restore(backup, rp));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(OTHER_ACCOUNT);
  });

  it("refuses a recovery point of another Region with ResourceNotFoundException naming its Region", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const err = await errorOf(restore(t.client({ region: "eu-west-1" }), rp));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(rp);
    expect(err.message).toContain(REGION);
  });

  it("refuses a recovery point that is not COMPLETED with InvalidRequestException naming its status", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    await settle(backup);
    const record = t.emu.store.recoveryPoints.get(HOME, rp)!;
    t.emu.store.recoveryPoints.put(HOME, { ...record, Status: "EXPIRED" });
    const err = await errorOf(restore(backup, rp));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(rp);
    expect(err.message).toContain("EXPIRED");
  });

  it("accepts a restore without IamRoleArn, which the API reference marks optional, and reports no role on the job", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const { RestoreJobId } = await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, Metadata: {} }));
    const job = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId }));
    expect(job.RecoveryPointArn).toBe(rp);
    expect(job.IamRoleArn).toBeUndefined();
  });

  it("refuses an IamRoleArn that is not a role ARN with InvalidParameterValueException", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const err = await errorOf(backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, Metadata: {}, IamRoleArn: "arn:aws:iam::123456789012:user/bob" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("IamRoleArn");
  });

  it("refuses a ResourceType other than the recovery point's with InvalidParameterValueException", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const err = await errorOf(backup.send(new StartRestoreJobCommand({ RecoveryPointArn: rp, Metadata: {}, IamRoleArn: ROLE_ARN, ResourceType: "EBS" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("EBS");
    expect(err.message).toContain("DynamoDB");
  });
});


describe("DescribeRestoreJob", () => {
  it("moves a job PENDING → RUNNING → COMPLETED over the configured delay and records each change", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 0.6 });
    // The state-change log is kept for an EventBridge forwarder; this test reads it directly.
    slow.emu.store.logStateChanges = true;
    try {
      const c = slow.client();
      const vault = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const b = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
      const rp = b.RecoveryPointArn!;
      await eventually(async () => (await c.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: rp })).catch(() => undefined))?.Status === "COMPLETED");
      const id = await restore(c, rp, { targetTableName: "seq" });
      const first = await describeJob(c, id);
      expect(first.Status).toBe("PENDING");
      expect(first.CreatedResourceArn).toBeUndefined();
      expect(first.CompletionDate).toBeUndefined();
      await eventually(async () => (await describeJob(c, id)).Status === "RUNNING");
      const done = await eventually(async () => {
        const d = await describeJob(c, id);
        return d.Status === "COMPLETED" && d;
      });
      expect(done.PercentDone).toBe("100.0");
      expect(done.CompletionDate!.getTime()).toBeGreaterThanOrEqual(done.CreationDate!.getTime() + 500);

      const changes = slow.emu.store
        .listEvents(STATE_CHANGE)
        .map((e) => e.doc as JobStateChange)
        .filter((d) => d.jobId === id);
      expect(changes.map((d) => d.state)).toEqual(["PENDING", "RUNNING", "COMPLETED"]);
      for (const d of changes) expect(d).toMatchObject({ jobType: "RESTORE", backupVaultName: vault, recoveryPointArn: rp });
    } finally {
      await slow.stop();
    }
  });

  it("returns every field of a completed job and sets the recovery point's LastRestoreTime", async () => {
    const source = resources.dynamo();
    const { vault, rp } = await backupOf(backup, source);
    const rpBefore = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: rp }));
    expect(rpBefore.LastRestoreTime).toBeUndefined();
    const id = await restore(backup, rp, { targetTableName: "orders-copy" });
    const d = await describeJob(backup, id);
    expect(d).toMatchObject({
      AccountId: ACCOUNT,
      RestoreJobId: id,
      RecoveryPointArn: rp,
      SourceResourceArn: source,
      BackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${vault}`,
      Status: "COMPLETED",
      PercentDone: "100.0",
      BackupSizeInBytes: rpBefore.BackupSizeInBytes,
      IamRoleArn: ROLE_ARN,
      ResourceType: "DynamoDB",
      IsParent: false,
      CreatedResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders-copy`,
    });
    expect(d.RecoveryPointCreationDate).toEqual(rpBefore.CreationDate);
    expect(d.CreationDate).toBeInstanceOf(Date);
    expect(d.CompletionDate).toBeInstanceOf(Date);
    const rpAfter = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: rp }));
    expect(rpAfter.LastRestoreTime).toEqual(d.CompletionDate);
  });

  const account = "123456789012";
  const cases: { type: string; source: () => string; metadata: Record<string, string>; created: RegExp | ((source: string) => string) }[] = [
    { type: "DynamoDB", source: () => resources.dynamo(), metadata: { targetTableName: "t-new" }, created: () => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/t-new` },
    { type: "DynamoDB (key in another case)", source: () => resources.dynamo(), metadata: { TargetTableName: "t-case" }, created: () => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/t-case` },
    { type: "EBS", source: () => resources.ebs(), metadata: { availabilityZone: "us-east-1b" }, created: /^arn:aws:ec2:us-east-1:000000000000:volume\/vol-[0-9a-f]{17}$/ },
    { type: "EC2", source: () => resources.ec2(), metadata: { InstanceType: "t3.small" }, created: /^arn:aws:ec2:us-east-1:000000000000:instance\/i-[0-9a-f]{17}$/ },
    { type: "EFS (new file system)", source: () => resources.efs(), metadata: { newFileSystem: "true" }, created: /^arn:aws:elasticfilesystem:us-east-1:000000000000:file-system\/fs-[0-9a-f]{17}$/ },
    {
      type: "EFS (into the existing file system)",
      source: () => resources.efs(),
      metadata: { newFileSystem: "false", "file-system-id": "fs-0123456789abcdef0" },
      created: () => `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`,
    },
    { type: "RDS", source: () => resources.rds(), metadata: { DBInstanceIdentifier: "Orders-Restored" }, created: () => `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-restored` },
    {
      type: "Aurora",
      source: () => `arn:aws:rds:${REGION}:${account}:cluster:${uniqueName("cluster")}`,
      metadata: { DBClusterIdentifier: "aurora-restored" },
      created: () => `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:aurora-restored`,
    },
    { type: "S3 (new bucket)", source: () => resources.s3(), metadata: { DestinationBucketName: "restored-bucket", NewBucket: "true" }, created: () => "arn:aws:s3:::restored-bucket" },
    {
      type: "FSx",
      source: () => `arn:aws:fsx:${REGION}:${account}:file-system/fs-${hexId(17)}`,
      metadata: {},
      created: /^arn:aws:fsx:us-east-1:000000000000:file-system\/fs-[0-9a-f]{17}$/,
    },
  ];
  for (const k of cases) {
    it(`names the new ${k.type} resource in the caller's account and Region`, async () => {
      const source = k.source();
      const { rp } = await backupOf(backup, source);
      const id = await restore(backup, rp, k.metadata);
      const d = await describeJob(backup, id);
      expect(d.Status).toBe("COMPLETED");
      if (k.created instanceof RegExp) expect(d.CreatedResourceArn).toMatch(k.created);
      else expect(d.CreatedResourceArn).toBe(k.created(source));
      expect(d.CreatedResourceArn).not.toBe(source);
    });
  }

  it("creates the restored resource in the Region the job runs in", async () => {
    const eu = t.client({ region: "eu-west-1" });
    const { rp } = await backupOf(eu, resources.ebs("eu-west-1"));
    const id = await restore(eu, rp);
    expect((await describeJob(eu, id)).CreatedResourceArn).toMatch(/^arn:aws:ec2:eu-west-1:000000000000:volume\/vol-/);
  });

  it("fails the job, naming the recovery point, when the recovery point is deleted before the restore finishes", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const c = slow.client();
      const { vault, rp } = await backupOf(c, resources.dynamo());
      slow.emu.clock.advance(61);
      const id = await restore(c, rp, { targetTableName: "never" });
      await c.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: rp }));
      slow.emu.clock.advance(61);
      const d = await describeJob(c, id);
      expect(d.Status).toBe("FAILED");
      expect(d.StatusMessage).toContain(rp);
      expect(d.CreatedResourceArn).toBeUndefined();
    } finally {
      await slow.stop();
    }
  });

  it("answers ResourceNotFoundException naming a job that does not exist", async () => {
    const err = await errorOf(describeJob(backup, "no-such-job"));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-job");
  });

  it("does not show a job to another account or Region", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const id = await restore(backup, rp, { targetTableName: "mine" });
    expect((await errorOf(describeJob(t.client({ accountId: OTHER_ACCOUNT }), id))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(describeJob(t.client({ region: "eu-west-1" }), id))).name).toBe("ResourceNotFoundException");
  });
});

describe("GetRestoreJobMetadata", () => {
  it("returns the metadata the job was started with", async () => {
    const { rp } = await backupOf(backup, resources.efs());
    const metadata = { "file-system-id": "fs-1234", newFileSystem: "true", Encrypted: "false", PerformanceMode: "generalPurpose" };
    const id = await restore(backup, rp, metadata);
    const out = await backup.send(new GetRestoreJobMetadataCommand({ RestoreJobId: id }));
    expect(out.RestoreJobId).toBe(id);
    expect(out.Metadata).toEqual(metadata);
  });

  it("answers ResourceNotFoundException naming a job that does not exist", async () => {
    const err = await errorOf(backup.send(new GetRestoreJobMetadataCommand({ RestoreJobId: "missing-job" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("missing-job");
  });
});

describe("PutRestoreValidationResult", () => {
  /** A completed job started by a restore testing plan, as restore testing starts them. */
  async function testingJob(): Promise<string> {
    const { rp } = await backupOf(backup, resources.dynamo());
    await settle(backup);
    const job = startRestoreJob(ctxOf(t), {
      RecoveryPointArn: rp,
      Metadata: { targetTableName: `awsbackup-restore-test-${hexId(8)}` },
      IamRoleArn: ROLE_ARN,
      CreatedBy: { RestoreTestingPlanArn: PLAN_ARN },
    });
    expect((await describeJob(backup, job.RestoreJobId)).Status).toBe("COMPLETED");
    return job.RestoreJobId;
  }

  it("records the validation status and message on a completed restore testing job and answers 204", async () => {
    const id = await testingJob();
    const out = await backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: id, ValidationStatus: "SUCCESSFUL", ValidationStatusMessage: "row count matches" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const d = await describeJob(backup, id);
    expect(d.ValidationStatus).toBe("SUCCESSFUL");
    expect(d.ValidationStatusMessage).toBe("row count matches");
    expect(d.CreatedBy).toEqual({ RestoreTestingPlanArn: PLAN_ARN });
    const listed = await backup.send(new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: PLAN_ARN }));
    expect(listed.RestoreJobs!.find((j) => j.RestoreJobId === id)).toMatchObject({ ValidationStatus: "SUCCESSFUL", ValidationStatusMessage: "row count matches" });
  });

  it("replaces an earlier result, dropping the earlier message when none is given", async () => {
    const id = await testingJob();
    await backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: id, ValidationStatus: "VALIDATING", ValidationStatusMessage: "checking" }));
    await backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: id, ValidationStatus: "FAILED" }));
    const d = await describeJob(backup, id);
    expect(d.ValidationStatus).toBe("FAILED");
    expect(d.ValidationStatusMessage).toBeUndefined();
  });

  it("refuses a job that no restore testing plan started with InvalidRequestException naming the job", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const id = await restore(backup, rp, { targetTableName: "manual" });
    const err = await errorOf(backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: id, ValidationStatus: "SUCCESSFUL" })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(id);
    expect((await describeJob(backup, id)).ValidationStatus).toBeUndefined();
  });

  it("refuses a restore testing job that has not completed with InvalidRequestException naming its status", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const c = slow.client();
      const { rp } = await backupOf(c, resources.dynamo());
      slow.emu.clock.advance(61);
      await settle(c);
      const job = startRestoreJob(ctxOf(slow), { RecoveryPointArn: rp, Metadata: {}, IamRoleArn: ROLE_ARN, CreatedBy: { RestoreTestingPlanArn: PLAN_ARN } });
      const err = await errorOf(c.send(new PutRestoreValidationResultCommand({ RestoreJobId: job.RestoreJobId, ValidationStatus: "SUCCESSFUL" })));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(job.RestoreJobId);
      expect(err.message).toContain("PENDING");
    } finally {
      await slow.stop();
    }
  });

  it("refuses a restore testing job whose restored resource is being deleted", async () => {
    const id = await testingJob();
    const table = restoreJobs(t.emu.store);
    table.put(HOME, { ...table.get(HOME, id)!, DeletionStatus: "DELETING" });
    const err = await errorOf(backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: id, ValidationStatus: "SUCCESSFUL" })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(id);
    expect(err.message).toContain("DELETING");
  });

  it("answers ResourceNotFoundException naming a job that does not exist", async () => {
    const err = await errorOf(backup.send(new PutRestoreValidationResultCommand({ RestoreJobId: "ghost-job", ValidationStatus: "SUCCESSFUL" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("ghost-job");
  });
});

describe("GetRecoveryPointRestoreMetadata", () => {
  it("returns the recovery point's type, vault and the configuration of the table it came from", async () => {
    const source = resources.dynamo();
    const { vault, rp } = await backupOf(backup, source);
    await settle(backup);
    const out = await backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: rp }));
    expect(out.BackupVaultArn).toBe(`arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${vault}`);
    expect(out.RecoveryPointArn).toBe(rp);
    expect(out.ResourceType).toBe("DynamoDB");
    expect(out.RestoreMetadata?.targetTableName).toBe(source.split("/")[1]);
  });

  it("keys the metadata by resource type and lets it start a restore as it is", async () => {
    const volume = resources.ebs();
    const fs = resources.efs();
    const ebs = await backupOf(backup, volume);
    const efs = await backupOf(backup, fs);
    await settle(backup);
    const ebsMeta = (await backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: ebs.vault, RecoveryPointArn: ebs.rp }))).RestoreMetadata!;
    expect(ebsMeta).toMatchObject({ volumeId: volume.split("/")[1], availabilityZone: `${REGION}a`, encrypted: "false" });
    expect(Number(ebsMeta.volumeSize)).toBeGreaterThanOrEqual(1);
    const efsMeta = (await backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: efs.vault, RecoveryPointArn: efs.rp }))).RestoreMetadata!;
    expect(efsMeta).toMatchObject({ "file-system-id": fs.split("/")[1], newFileSystem: "true" });
    const again = (await backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: efs.vault, RecoveryPointArn: efs.rp }))).RestoreMetadata!;
    expect(again).toEqual(efsMeta);

    const id = await restore(backup, efs.rp, efsMeta);
    expect((await describeJob(backup, id)).CreatedResourceArn).toMatch(/^arn:aws:elasticfilesystem:us-east-1:000000000000:file-system\/fs-/);
  });

  it("reads a vault of another account named by BackupVaultAccountId once that account shares it", async () => {
    const other = t.client({ accountId: OTHER_ACCOUNT });
    const { vault, rp } = await backupOf(other, resources.rds());
    const unshared = await errorOf(backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: rp, BackupVaultAccountId: OTHER_ACCOUNT })));
    expect(unshared.name).toBe("ResourceNotFoundException");
    await shareVault(other, vault, ACCOUNT);
    const out = await backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: rp, BackupVaultAccountId: OTHER_ACCOUNT }));
    expect(out.BackupVaultArn).toBe(`arn:aws:backup:${REGION}:${OTHER_ACCOUNT}:backup-vault:${vault}`);
    expect(out.ResourceType).toBe("RDS");
    const err = await errorOf(backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: rp })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(vault);
  });

  it("answers ResourceNotFoundException naming a vault that does not exist", async () => {
    const err = await errorOf(backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: "no-such-vault", RecoveryPointArn: "arn:aws:backup:us-east-1:000000000000:recovery-point:x" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-vault");
  });

  it("answers ResourceNotFoundException naming a recovery point that is not in the vault", async () => {
    const { rp } = await backupOf(backup, resources.dynamo());
    const otherVault = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: otherVault }));
    const err = await errorOf(backup.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: otherVault, RecoveryPointArn: rp })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(rp);
  });
});

/**
 * One emulator with a known set of restore jobs. The job delay is long and the clock is moved
 * by hand, so creation and completion times are far apart and no job moves unless told to.
 */
describe("list operations", () => {
  let l: TestEmulator;
  let c: BackupClient;
  const ids = { ddb: "", ebs: "", testing: "", pending: "", olderPoint: "", newerPoint: "" };
  let dynamoArn: string;
  let volumeArn: string;
  const times = { t1: 0, t2: 0, t3: 0, rpOld: 0, rpNew: 0 };
  const DELAY = 100;

  const all = async (input: ListRestoreJobsCommandInput = {}) => {
    const out = await c.send(new ListRestoreJobsCommand(input));
    return (out.RestoreJobs ?? []).map((j) => j.RestoreJobId!).sort();
  };
  const byResource = async (input: ListRestoreJobsByProtectedResourceCommandInput) =>
    ((await c.send(new ListRestoreJobsByProtectedResourceCommand(input))).RestoreJobs ?? []).map((j) => j.RestoreJobId!).sort();
  const sorted = (...xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    l = await startTestEmulator({ jobCompletionDelaySeconds: DELAY });
    c = l.client();
    dynamoArn = resources.dynamo();
    volumeArn = resources.ebs();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const start = (arn: string) => c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN }));
    const ddbRp = (await start(dynamoArn)).RecoveryPointArn!;
    times.rpOld = l.emu.clock.now();
    const olderRp = (await start(volumeArn)).RecoveryPointArn!;
    l.emu.clock.advance(1000);
    times.rpNew = l.emu.clock.now();
    const newerRp = (await start(volumeArn)).RecoveryPointArn!;
    l.emu.clock.advance(DELAY + 1); // the three backups complete

    times.t1 = l.emu.clock.now();
    ids.ddb = await restore(c, ddbRp, { targetTableName: "ddb-copy" });
    l.emu.clock.advance(DELAY + 1);
    await describeJob(c, ids.ddb);
    l.emu.clock.advance(1000);

    times.t2 = l.emu.clock.now();
    ids.ebs = await restore(c, olderRp);
    ids.olderPoint = ids.ebs;
    l.emu.clock.advance(DELAY + 1);
    await describeJob(c, ids.ebs);
    l.emu.clock.advance(1000);

    times.t3 = l.emu.clock.now();
    ids.testing = startRestoreJob(ctxOf(l), { RecoveryPointArn: ddbRp, Metadata: {}, IamRoleArn: ROLE_ARN, CreatedBy: { RestoreTestingPlanArn: PLAN_ARN } }).RestoreJobId;
    l.emu.clock.advance(DELAY + 1);
    await describeJob(c, ids.testing);
    // Left PENDING: nothing moves the clock past its transitions.
    ids.pending = await restore(c, newerRp);
    ids.newerPoint = ids.pending;

    // A child job of the EBS restore (the service creates these for composite restores).
    const table = restoreJobs(l.emu.store);
    table.put(HOME, { ...table.get(HOME, ids.ebs)!, ParentJobId: "parent-job-1" });
  });
  afterAll(() => l.stop());

  describe("ListRestoreJobs", () => {
    it("lists every job of the account and Region with its list fields", async () => {
      expect(await all()).toEqual(sorted(ids.ddb, ids.ebs, ids.testing, ids.pending));
      const out = await c.send(new ListRestoreJobsCommand({}));
      const ddb = out.RestoreJobs!.find((j) => j.RestoreJobId === ids.ddb)!;
      expect(ddb).toMatchObject({ AccountId: ACCOUNT, Status: "COMPLETED", ResourceType: "DynamoDB", SourceResourceArn: dynamoArn, IsParent: false });
      expect(ddb.CreatedResourceArn).toBe(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/ddb-copy`);
    });

    it("filters by status", async () => {
      expect(await all({ ByStatus: "PENDING" })).toEqual([ids.pending]);
      expect(await all({ ByStatus: "COMPLETED" })).toEqual(sorted(ids.ddb, ids.ebs, ids.testing));
      expect(await all({ ByStatus: "FAILED" })).toEqual([]);
    });

    it("filters by resource type", async () => {
      expect(await all({ ByResourceType: "EBS" })).toEqual(sorted(ids.ebs, ids.pending));
      expect(await all({ ByResourceType: "DynamoDB" })).toEqual(sorted(ids.ddb, ids.testing));
    });

    it("filters by creation time, both bounds exclusive", async () => {
      const at = (s: number) => new Date(s * 1000);
      expect(await all({ ByCreatedAfter: at(times.t1 + 1) })).toEqual(sorted(ids.ebs, ids.testing, ids.pending));
      expect(await all({ ByCreatedBefore: at(times.t2 + 1) })).toEqual(sorted(ids.ddb, ids.ebs));
      expect(await all({ ByCreatedAfter: at(times.t1 + 1), ByCreatedBefore: at(times.t3 - 1) })).toEqual([ids.ebs]);
    });

    it("filters by completion time and leaves out unfinished jobs", async () => {
      const at = (s: number) => new Date(s * 1000);
      expect(await all({ ByCompleteBefore: at(times.t2) })).toEqual([ids.ddb]);
      expect(await all({ ByCompleteAfter: at(times.t2) })).toEqual(sorted(ids.ebs, ids.testing));
      expect(await all({ ByCompleteAfter: at(times.t1), ByCompleteBefore: at(times.t3) })).toEqual(sorted(ids.ddb, ids.ebs));
    });

    it("filters by the restore testing plan that started the job", async () => {
      expect(await all({ ByRestoreTestingPlanArn: PLAN_ARN })).toEqual([ids.testing]);
      expect(await all({ ByRestoreTestingPlanArn: `${PLAN_ARN}-other` })).toEqual([]);
    });

    it("filters by parent job", async () => {
      expect(await all({ ByParentJobId: "parent-job-1" })).toEqual([ids.ebs]);
      expect(await all({ ByParentJobId: "parent-job-2" })).toEqual([]);
    });

    it("filters by account: the caller's own account lists its jobs, another lists none", async () => {
      expect(await all({ ByAccountId: ACCOUNT })).toHaveLength(4);
      expect(await all({ ByAccountId: OTHER_ACCOUNT })).toEqual([]);
    });

    it("pages with MaxResults and NextToken, each job exactly once", async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.send(new ListRestoreJobsCommand({ MaxResults: 3, NextToken: token }));
        expect(page.RestoreJobs!.length).toBeLessThanOrEqual(3);
        seen.push(...page.RestoreJobs!.map((j: RestoreJobsListMember) => j.RestoreJobId!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(2);
      expect(seen.sort()).toEqual(sorted(ids.ddb, ids.ebs, ids.testing, ids.pending));
    });

    it("shows nothing of this account to another account or Region", async () => {
      expect((await l.client({ accountId: OTHER_ACCOUNT }).send(new ListRestoreJobsCommand({}))).RestoreJobs).toEqual([]);
      expect((await l.client({ region: "eu-west-1" }).send(new ListRestoreJobsCommand({}))).RestoreJobs).toEqual([]);
    });
  });

  describe("ListRestoreJobsByProtectedResource", () => {
    it("lists the restores of one resource only", async () => {
      expect(await byResource({ ResourceArn: volumeArn })).toEqual(sorted(ids.ebs, ids.pending));
      expect(await byResource({ ResourceArn: dynamoArn })).toEqual(sorted(ids.ddb, ids.testing));
      expect(await byResource({ ResourceArn: resources.ebs() })).toEqual([]);
    });

    it("filters by status", async () => {
      expect(await byResource({ ResourceArn: volumeArn, ByStatus: "PENDING" })).toEqual([ids.pending]);
      expect(await byResource({ ResourceArn: volumeArn, ByStatus: "COMPLETED" })).toEqual([ids.ebs]);
    });

    it("filters by the creation time of the restored recovery point", async () => {
      const at = (s: number) => new Date(s * 1000);
      expect(await byResource({ ResourceArn: volumeArn, ByRecoveryPointCreationDateAfter: at(times.rpOld + 10) })).toEqual([ids.newerPoint]);
      expect(await byResource({ ResourceArn: volumeArn, ByRecoveryPointCreationDateBefore: at(times.rpNew - 10) })).toEqual([ids.olderPoint]);
      expect(
        await byResource({ ResourceArn: volumeArn, ByRecoveryPointCreationDateAfter: at(times.rpOld - 10), ByRecoveryPointCreationDateBefore: at(times.rpNew + 10) }),
      ).toEqual(sorted(ids.olderPoint, ids.newerPoint));
    });

    it("pages with MaxResults and NextToken, each job exactly once", async () => {
      const first = await c.send(new ListRestoreJobsByProtectedResourceCommand({ ResourceArn: volumeArn, MaxResults: 1 }));
      expect(first.RestoreJobs).toHaveLength(1);
      expect(first.NextToken).toBeDefined();
      const second = await c.send(new ListRestoreJobsByProtectedResourceCommand({ ResourceArn: volumeArn, MaxResults: 1, NextToken: first.NextToken }));
      expect(second.RestoreJobs).toHaveLength(1);
      expect(second.NextToken).toBeUndefined();
      expect([first.RestoreJobs![0]!.RestoreJobId!, second.RestoreJobs![0]!.RestoreJobId!].sort()).toEqual(sorted(ids.ebs, ids.pending));
    });

    it("refuses a NextToken from another list with InvalidParameterValueException", async () => {
      const page = await c.send(new ListRestoreJobsCommand({ MaxResults: 1 }));
      const err = await errorOf(c.send(new ListRestoreJobsByProtectedResourceCommand({ ResourceArn: volumeArn, NextToken: page.NextToken })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("NextToken");
    });
  });
});

describe("ListRestoreJobSummaries", () => {
  let s: TestEmulator;
  let c: BackupClient;

  beforeAll(async () => {
    s = await startTestEmulator();
    c = s.client();
    for (const arn of [resources.dynamo(), resources.dynamo(), resources.ebs()]) {
      const { rp } = await backupOf(c, arn);
      await restore(c, rp, { targetTableName: uniqueName("copy") });
    }
    await c.send(new ListRestoreJobsCommand({})); // the last restore completes
  });

  it("refuses a MaxResults above 500, the documented range, naming the member, and accepts 500", async () => {
    const err = await errorOf(c.send(new ListRestoreJobSummariesCommand({ MaxResults: 501 })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("MaxResults must be between 1 and 500");
    expect((await c.send(new ListRestoreJobSummariesCommand({ MaxResults: 500 }))).RestoreJobSummaries).toBeDefined();
  });
  afterAll(() => s.stop());

  const counts = (out: { RestoreJobSummaries?: { State?: string; ResourceType?: string; Count?: number }[] }) =>
    (out.RestoreJobSummaries ?? []).map((x) => `${x.State}/${x.ResourceType}/${x.Count}`).sort();

  it("counts today's jobs by state and resource type", async () => {
    const out = await c.send(new ListRestoreJobSummariesCommand({}));
    expect(out.AggregationPeriod).toBe("ONE_DAY");
    expect(counts(out)).toEqual(["COMPLETED/DynamoDB/2", "COMPLETED/EBS/1"]);
    for (const x of out.RestoreJobSummaries!) {
      expect(x).toMatchObject({ AccountId: ACCOUNT, Region: REGION });
      expect(x.StartTime!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    }
  });

  it("filters by resource type and state, and sums with AGGREGATE_ALL", async () => {
    expect(counts(await c.send(new ListRestoreJobSummariesCommand({ ResourceType: "EBS" })))).toEqual(["COMPLETED/EBS/1"]);
    expect(counts(await c.send(new ListRestoreJobSummariesCommand({ State: "PENDING" })))).toEqual([]);
    expect(counts(await c.send(new ListRestoreJobSummariesCommand({ State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL" })))).toEqual([
      "AGGREGATE_ALL/AGGREGATE_ALL/3",
    ]);
    expect(counts(await c.send(new ListRestoreJobSummariesCommand({ State: "COMPLETED", AggregationPeriod: "SEVEN_DAYS" })))).toEqual([
      "COMPLETED/DynamoDB/2",
      "COMPLETED/EBS/1",
    ]);
  });

  it("counts the caller's own jobs whatever AccountId says, as for an account outside AWS Organizations", async () => {
    expect(counts(await c.send(new ListRestoreJobSummariesCommand({ AccountId: OTHER_ACCOUNT })))).toEqual(counts(await c.send(new ListRestoreJobSummariesCommand({}))));
  });

  it("pages with MaxResults and NextToken, each summary exactly once", async () => {
    const first = await c.send(new ListRestoreJobSummariesCommand({ MaxResults: 1 }));
    expect(first.RestoreJobSummaries).toHaveLength(1);
    const second = await c.send(new ListRestoreJobSummariesCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    expect([...counts(first), ...counts(second)].sort()).toEqual(["COMPLETED/DynamoDB/2", "COMPLETED/EBS/1"]);
  });
});
