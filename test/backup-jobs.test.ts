import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  GetSupportedResourceTypesCommand,
  ListBackupJobsCommand,
  ListBackupJobSummariesCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  StopBackupJobCommand,
  type BackupClient,
  type BackupJob,
  type ListBackupJobsCommandInput,
  type StartBackupJobCommandInput,
  type StartBackupJobCommandOutput,
} from "@aws-sdk/client-backup";
import type { BackupJobRecord } from "../src/store/records.js";
import { NOTIFICATION, STATE_CHANGE } from "../src/domain/events.js";
import { errorOf, eventually, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
let vault: string;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
  vault = uniqueName("vault");
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
});
afterAll(() => t.stop());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(c: BackupClient, extra: Partial<StartBackupJobCommandInput> & { BackupVaultName: string }) {
  return c.send(new StartBackupJobCommand({ ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, ...extra }));
}

/** An emulator whose jobs take `delaySeconds`, a new vault in it and one job started there; stopped after `body`. */
async function withOneJob(
  delaySeconds: number,
  body: (x: { emu: TestEmulator; c: BackupClient; v: string; job: StartBackupJobCommandOutput }) => Promise<void>,
): Promise<void> {
  const emu = await startTestEmulator({ jobCompletionDelaySeconds: delaySeconds });
  try {
    const c = emu.client();
    const v = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
    await body({ emu, c, v, job: await start(c, { BackupVaultName: v }) });
  } finally {
    await emu.stop();
  }
}

describe("StartBackupJob", () => {
  it("keeps no log of job state changes without an EventBridge endpoint to read it, and still records the vault's notifications", async () => {
    const v = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
    await backup.send(
      new PutBackupVaultNotificationsCommand({ BackupVaultName: v, SNSTopicArn: "arn:aws:sns:us-east-1:000000000000:backups", BackupVaultEvents: ["BACKUP_JOB_COMPLETED"] }),
    );
    const { BackupJobId } = await start(backup, { BackupVaultName: v });
    await eventually(async () => (await backup.send(new DescribeBackupJobCommand({ BackupJobId }))).State === "COMPLETED");
    expect(t.emu.store.logStateChanges).toBe(false);
    expect(t.emu.store.listEvents(STATE_CHANGE)).toEqual([]);
    const notes = t.emu.store.listEvents(NOTIFICATION).map((e) => e.doc as { jobId?: string; event: string });
    expect(notes.filter((n) => n.jobId === BackupJobId).map((n) => n.event)).toEqual(["BACKUP_JOB_COMPLETED"]);
  });

  it("returns the job id, the recovery point ARN to be, the creation date and IsParent at once", async () => {
    const out = await start(backup, { BackupVaultName: vault });
    expect(out.BackupJobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.RecoveryPointArn).toMatch(/^arn:aws:backup:us-east-1:000000000000:recovery-point:[0-9a-f-]{36}$/);
    expect(out.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(out.CreationDate!.getTime() - Date.now())).toBeLessThan(10_000);
    expect(out.IsParent).toBe(false);
  });

  it("moves the job from CREATED to RUNNING to COMPLETED over the configured delay", async () => {
    await withOneJob(0.6, async ({ c, job: out }) => {
      const seen: string[] = [];
      const describe = async () => {
        const j = await c.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }));
        if (seen[seen.length - 1] !== j.State) seen.push(j.State!);
        return j;
      };
      expect((await describe()).State).toBe("CREATED");
      await eventually(async () => (await describe()).State === "RUNNING");
      const done = await eventually(async () => {
        const j = await describe();
        return j.State === "COMPLETED" && j;
    });
    expect(seen).toEqual(["CREATED", "RUNNING", "COMPLETED"]);
    expect(done.PercentDone).toBe("100.0");
    expect(done.MessageCategory).toBe("SUCCESS");
    expect(done.CompletionDate!.getTime() - done.CreationDate!.getTime()).toBeGreaterThanOrEqual(590);
    });
  });

  it("leaves a COMPLETED recovery point with the job's lifecycle, its calculated dates and the recovery point tags", async () => {
    const resourceArn = resources.dynamo();
    const out = await start(backup, {
      BackupVaultName: vault,
      ResourceArn: resourceArn,
      Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 },
      RecoveryPointTags: { project: "atlas", owner: "ops" },
    });
    const rp = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: out.RecoveryPointArn }));
    expect(rp).toMatchObject({
      RecoveryPointArn: out.RecoveryPointArn,
      BackupVaultName: vault,
      ResourceArn: resourceArn,
      ResourceType: "DynamoDB",
      Status: "COMPLETED",
      StorageClass: "WARM",
      IamRoleArn: ROLE_ARN,
      IsEncrypted: true,
      Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 },
    });
    const created = rp.CreationDate!.getTime();
    expect(rp.CalculatedLifecycle!.MoveToColdStorageAt!.getTime()).toBe(created + 30 * 86_400_000);
    expect(rp.CalculatedLifecycle!.DeleteAt!.getTime()).toBe(created + 365 * 86_400_000);
    const tags = await backup.send(new ListTagsCommand({ ResourceArn: out.RecoveryPointArn }));
    expect(tags.Tags).toEqual({ project: "atlas", owner: "ops" });
  });

  it("raises the vault's NumberOfRecoveryPoints when the job completes", async () => {
    const v = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
    await start(backup, { BackupVaultName: v });
    await start(backup, { BackupVaultName: v, ResourceArn: resources.efs() });
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: v }));
    expect(d.NumberOfRecoveryPoints).toBe(2);
  });

  it("infers the resource type from the resource ARN and names recovery points the way the service does", async () => {
    const cases: [string, string, RegExp][] = [
      [resources.ebs(), "EBS", /^arn:aws:ec2:us-east-1::snapshot\/snap-[0-9a-f]{17}$/],
      [resources.ec2(), "EC2", /^arn:aws:ec2:us-east-1::image\/ami-[0-9a-f]{17}$/],
      [resources.dynamo(), "DynamoDB", /^arn:aws:backup:us-east-1:000000000000:recovery-point:[0-9a-f-]{36}$/],
      [resources.efs(), "EFS", /^arn:aws:backup:us-east-1:000000000000:recovery-point:[0-9a-f-]{36}$/],
      [resources.rds(), "RDS", /^arn:aws:rds:us-east-1:000000000000:snapshot:awsbackup:job-[0-9a-f-]{36}$/],
      [resources.s3(), "S3", /^arn:aws:backup:us-east-1:000000000000:recovery-point:[0-9a-f-]{36}$/],
    ];
    for (const [arn, type, rpArn] of cases) {
      const out = await start(backup, { BackupVaultName: vault, ResourceArn: arn });
      expect(out.RecoveryPointArn, type).toMatch(rpArn);
      const job = await backup.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }));
      expect(job.ResourceType, arn).toBe(type);
      expect(job.ResourceArn).toBe(arn);
      const rp = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: out.RecoveryPointArn }));
      expect(rp.ResourceType, arn).toBe(type);
    }
  });

  it("makes EBS recovery points whose ARN contains a slash usable by Describe, ListTags and Delete", async () => {
    const v = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
    const out = await start(backup, { BackupVaultName: v, ResourceArn: resources.ebs(), RecoveryPointTags: { k: "v" } });
    expect(out.RecoveryPointArn).toContain("/");
    const rp = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: out.RecoveryPointArn }));
    expect(rp.ResourceType).toBe("EBS");
    expect((await backup.send(new ListTagsCommand({ ResourceArn: out.RecoveryPointArn }))).Tags).toEqual({ k: "v" });
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: out.RecoveryPointArn }));
    const err = await errorOf(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: out.RecoveryPointArn })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  it("refuses a resource ARN of a type AWS Backup does not support with InvalidParameterValueException", async () => {
    const arn = "arn:aws:sqs:us-east-1:123456789012:my-queue";
    const err = await errorOf(start(backup, { BackupVaultName: vault, ResourceArn: arn }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(arn);
  });

  it("refuses an IamRoleArn that is not a role ARN, naming the member", async () => {
    const err = await errorOf(start(backup, { BackupVaultName: vault, IamRoleArn: "not-a-role" }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("IamRoleArn");
  });

  it("refuses a start window under 60 minutes, naming StartWindowMinutes", async () => {
    const err = await errorOf(start(backup, { BackupVaultName: vault, StartWindowMinutes: 30 }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("StartWindowMinutes");
  });

  it("refuses a start or complete window longer than 100 years (52,560,000 minutes), naming the member", async () => {
    for (const [member, windows] of [
      ["StartWindowMinutes", { StartWindowMinutes: 52_560_001 }],
      ["CompleteWindowMinutes", { CompleteWindowMinutes: 52_560_001 }],
    ] as const) {
      const err = await errorOf(start(backup, { BackupVaultName: vault, ...windows }));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain(`${member} must be at most 52560000`);
    }
    const ok = await start(backup, { BackupVaultName: vault, StartWindowMinutes: 52_560_000, CompleteWindowMinutes: 52_560_000 });
    expect(ok.BackupJobId).toBeTruthy();
  });

  it("refuses a completion window shorter than the start window, naming the member as StartBackupJob spells it (CompleteWindowMinutes)", async () => {
    const err = await errorOf(start(backup, { BackupVaultName: vault, StartWindowMinutes: 120, CompleteWindowMinutes: 90 }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("CompleteWindowMinutes");
  });

  it("refuses an illegal lifecycle, naming the members", async () => {
    const err = await errorOf(start(backup, { BackupVaultName: vault, Lifecycle: { MoveToColdStorageAfterDays: 10, DeleteAfterDays: 20 } }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("DeleteAfterDays");
  });

  it("refuses reserved keys among the recovery point tags, naming RecoveryPointTags", async () => {
    const err = await errorOf(start(backup, { BackupVaultName: vault, RecoveryPointTags: { "aws:owner": "x" } }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("RecoveryPointTags");
    expect(err.message).toContain("aws:owner");
  });

  it("answers ResourceNotFoundException for a vault that does not exist", async () => {
    const err = await errorOf(start(backup, { BackupVaultName: "no-such-vault" }));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-vault");
  });

  it("returns the same job when retried with the same IdempotencyToken", async () => {
    const input = { BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, IdempotencyToken: uniqueName("token") };
    const a = await backup.send(new StartBackupJobCommand(input));
    const b = await backup.send(new StartBackupJobCommand(input));
    expect(b.BackupJobId).toBe(a.BackupJobId);
    expect(b.RecoveryPointArn).toBe(a.RecoveryPointArn);
    const jobs = await backup.send(new ListBackupJobsCommand({ ByResourceArn: input.ResourceArn }));
    expect(jobs.BackupJobs).toHaveLength(1);
  });

  it("starts a new job when the same resource is backed up with a fresh token", async () => {
    const arn = resources.dynamo();
    const a = await start(backup, { BackupVaultName: vault, ResourceArn: arn });
    const b = await start(backup, { BackupVaultName: vault, ResourceArn: arn });
    expect(b.BackupJobId).not.toBe(a.BackupJobId);
  });
});

describe("GetSupportedResourceTypes", () => {
  it("lists the resource types AWS Backup protects, among them every type StartBackupJob infers in these tests", async () => {
    const out = await backup.send(new GetSupportedResourceTypesCommand({}));
    expect(out.ResourceTypes).toEqual(expect.arrayContaining(["Aurora", "DocumentDB", "DynamoDB", "EBS", "EC2", "EFS", "FSx", "Neptune", "RDS", "S3", "Storage Gateway", "VirtualMachine"]));
    expect(new Set(out.ResourceTypes).size).toBe(out.ResourceTypes!.length);
  });
});

describe("DescribeBackupJob", () => {
  it("describes a finished job with its vault, resource, sizes and dates", async () => {
    const arn = resources.efs();
    const out = await start(backup, { BackupVaultName: vault, ResourceArn: arn });
    const j = await backup.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }));
    expect(j).toMatchObject({
      AccountId: "000000000000",
      BackupJobId: out.BackupJobId,
      BackupVaultName: vault,
      BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`,
      RecoveryPointArn: out.RecoveryPointArn,
      ResourceArn: arn,
      ResourceType: "EFS",
      State: "COMPLETED",
      IamRoleArn: ROLE_ARN,
      IsParent: false,
    });
    expect(j.CreationDate).toEqual(out.CreationDate);
    expect(j.CompletionDate).toBeInstanceOf(Date);
    expect(j.BackupSizeInBytes).toBeGreaterThan(0);
    expect(j.StartBy!.getTime()).toBe(out.CreationDate!.getTime() + 480 * 60_000);
    expect(j.ExpectedCompletionDate!.getTime()).toBe(out.CreationDate!.getTime() + 10080 * 60_000);
  });

  it("answers ResourceNotFoundException for a job that does not exist", async () => {
    const err = await errorOf(backup.send(new DescribeBackupJobCommand({ BackupJobId: "no-such-job" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-job");
  });
});

describe("StopBackupJob", () => {
  it("moves an unfinished job to ABORTING, then ABORTED, and leaves no recovery point", async () => {
    // A long delay and a clock moved by hand: every transition is observed without sleeping.
    await withOneJob(60, async ({ emu: slow, c, v, job: out }) => {
      await c.send(new StopBackupJobCommand({ BackupJobId: out.BackupJobId }));
      expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }))).State).toBe("ABORTING");
      slow.emu.clock.advance(10);
      const aborted = await c.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }));
      expect(aborted.State).toBe("ABORTED");
      expect(aborted.MessageCategory).toBe("ABORTED");
      expect(aborted.CompletionDate).toBeInstanceOf(Date);
      // Past the time the job would have completed: still aborted, and nothing in the vault.
      slow.emu.clock.advance(120);
      expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }))).State).toBe("ABORTED");
      const rps = await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v }));
      expect(rps.RecoveryPoints).toEqual([]);
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: v }))).NumberOfRecoveryPoints).toBe(0);
    });
  });

  it("is listed as it is at each step: ListBackupJobs agrees with DescribeBackupJob from CREATED to ABORTED", async () => {
    await withOneJob(60, async ({ emu: slow, c, v, job: { BackupJobId } }) => {
      const listed = async () => (await c.send(new ListBackupJobsCommand({ ByBackupVaultName: v }))).BackupJobs!;
      const described = async () => {
        const { $metadata: _, ...job } = await c.send(new DescribeBackupJobCommand({ BackupJobId }));
        return job;
      };
      const steps: string[] = [];
      for (const step of [() => undefined, () => slow.emu.clock.advance(31), () => c.send(new StopBackupJobCommand({ BackupJobId })), () => slow.emu.clock.advance(10)]) {
        await step();
        const [job] = await listed();
        const d = await described();
        steps.push(job!.State!);
        expect(job!.BackupJobId).toBe(BackupJobId);
        for (const member of ["State", "PercentDone", "BytesTransferred", "CompletionDate", "RecoveryPointArn", "MessageCategory"] as const) {
          expect(job![member], `${member} at ${d.State}`).toEqual(d[member]);
        }
      }
      expect(steps).toEqual(["CREATED", "RUNNING", "ABORTING", "ABORTED"]);
    });
  });

  it("refuses to stop a job that has finished with InvalidRequestException", async () => {
    const out = await start(backup, { BackupVaultName: vault });
    expect((await backup.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }))).State).toBe("COMPLETED");
    const err = await errorOf(backup.send(new StopBackupJobCommand({ BackupJobId: out.BackupJobId })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(out.BackupJobId!);
  });

  it("answers ResourceNotFoundException for a job that does not exist", async () => {
    const err = await errorOf(backup.send(new StopBackupJobCommand({ BackupJobId: "never-started" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("never-started");
  });
});

// One emulator with a known set of jobs: the job delay is long and the clock is moved by hand,
// so states and completion times are exactly as arranged.
let listing: TestEmulator;
let lister: BackupClient;
const vaultA = uniqueName("vault-a");
const vaultB = uniqueName("vault-b");
const jobs: Record<"ddb" | "ebs" | "efs" | "ec2" | "s3", { id: string; arn: string }> = {} as never;
let described: Record<string, BackupJob>;

async function ids(input: ListBackupJobsCommandInput): Promise<string[]> {
  const out = await lister.send(new ListBackupJobsCommand(input));
  expect(out.NextToken).toBeUndefined();
  return out.BackupJobs!.map((j) => j.BackupJobId!).sort();
}
const idsOf = (...names: (keyof typeof jobs)[]) => names.map((n) => jobs[n].id).sort();
const midpoint = (a: Date, b: Date) => new Date((a.getTime() + b.getTime()) / 2);

beforeAll(async () => {
  listing = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
  lister = listing.client();
  await lister.send(new CreateBackupVaultCommand({ BackupVaultName: vaultA }));
  await lister.send(new CreateBackupVaultCommand({ BackupVaultName: vaultB }));
  const begin = async (key: keyof typeof jobs, v: string, arn: string) => {
    const out = await start(lister, { BackupVaultName: v, ResourceArn: arn });
    jobs[key] = { id: out.BackupJobId!, arn };
    // Distinct creation (and so completion) times, a few milliseconds apart.
    await pause(15);
  };
  await begin("ddb", vaultA, resources.dynamo());
  await begin("ebs", vaultB, resources.ebs());
  await begin("efs", vaultA, resources.efs());
  listing.emu.clock.advance(61); // ddb, ebs, efs complete (each 60 s after its creation)
  await begin("ec2", vaultA, resources.ec2());
  await lister.send(new StopBackupJobCommand({ BackupJobId: jobs.ec2.id }));
  listing.emu.clock.advance(7); // ec2 is aborted
  await begin("s3", vaultB, resources.s3()); // stays CREATED
  const all = await lister.send(new ListBackupJobsCommand({}));
  described = Object.fromEntries(all.BackupJobs!.map((j) => [j.BackupJobId!, j]));
});
afterAll(() => listing.stop());

describe("ListBackupJobs", () => {
  it("lists every job of the account and region, newest first", async () => {
    const out = await lister.send(new ListBackupJobsCommand({}));
    expect(out.BackupJobs!.map((j) => j.BackupJobId)).toEqual([jobs.s3.id, jobs.ec2.id, jobs.efs.id, jobs.ebs.id, jobs.ddb.id]);
    expect(out.BackupJobs!.map((j) => j.State)).toEqual(["CREATED", "ABORTED", "COMPLETED", "COMPLETED", "COMPLETED"]);
  });

  it("filters by resource ARN", async () => {
    expect(await ids({ ByResourceArn: jobs.ebs.arn })).toEqual(idsOf("ebs"));
    expect(await ids({ ByResourceArn: resources.ebs() })).toEqual([]);
  });

  it("filters by state", async () => {
    expect(await ids({ ByState: "COMPLETED" })).toEqual(idsOf("ddb", "ebs", "efs"));
    expect(await ids({ ByState: "ABORTED" })).toEqual(idsOf("ec2"));
    expect(await ids({ ByState: "CREATED" })).toEqual(idsOf("s3"));
    expect(await ids({ ByState: "FAILED" })).toEqual([]);
  });

  it("filters by backup vault name", async () => {
    expect(await ids({ ByBackupVaultName: vaultA })).toEqual(idsOf("ddb", "efs", "ec2"));
    expect(await ids({ ByBackupVaultName: vaultB })).toEqual(idsOf("ebs", "s3"));
  });

  it("filters by creation time, before and after", async () => {
    const cut = midpoint(described[jobs.ebs.id]!.CreationDate!, described[jobs.efs.id]!.CreationDate!);
    expect(await ids({ ByCreatedBefore: cut })).toEqual(idsOf("ddb", "ebs"));
    expect(await ids({ ByCreatedAfter: cut })).toEqual(idsOf("efs", "ec2", "s3"));
    const first = midpoint(described[jobs.ddb.id]!.CreationDate!, described[jobs.ebs.id]!.CreationDate!);
    expect(await ids({ ByCreatedAfter: first, ByCreatedBefore: cut })).toEqual(idsOf("ebs"));
  });

  it("filters by resource type", async () => {
    expect(await ids({ ByResourceType: "EBS" })).toEqual(idsOf("ebs"));
    expect(await ids({ ByResourceType: "EC2" })).toEqual(idsOf("ec2"));
    expect(await ids({ ByResourceType: "FSx" })).toEqual([]);
  });

  it("filters by account: the caller's own account matches, another account has no jobs here", async () => {
    expect(await ids({ ByAccountId: "000000000000" })).toEqual(idsOf("ddb", "ebs", "efs", "ec2", "s3"));
    expect(await ids({ ByAccountId: "111122223333" })).toEqual([]);
  });

  it("filters by completion time, before and after, leaving out unfinished jobs", async () => {
    const cut = midpoint(described[jobs.ddb.id]!.CompletionDate!, described[jobs.ebs.id]!.CompletionDate!);
    expect(await ids({ ByCompleteBefore: cut })).toEqual(idsOf("ddb"));
    expect(await ids({ ByCompleteAfter: cut })).toEqual(idsOf("ebs", "efs", "ec2"));
  });

  it("filters by parent job id", async () => {
    // Parent (composite) jobs are only made by the service itself, never by StartBackupJob:
    // a child job is written straight into the store to give the filter something to find.
    const parent = described[jobs.ddb.id]!;
    const childId = "child-of-" + parent.BackupJobId;
    const child: BackupJobRecord = {
      AccountId: "000000000000",
      BackupJobId: childId,
      BackupVaultName: vaultA,
      BackupVaultArn: parent.BackupVaultArn!,
      ResourceArn: resources.dynamo(),
      ResourceType: "DynamoDB",
      CreationDate: listing.emu.clock.now(),
      State: "RUNNING",
      IamRoleArn: ROLE_ARN,
      ParentJobId: parent.BackupJobId!,
    };
    listing.emu.store.backupJobs.put({ accountId: "000000000000", region: "us-east-1" }, child);
    try {
      expect(await ids({ ByParentJobId: parent.BackupJobId })).toEqual([childId]);
      expect(await ids({ ByParentJobId: jobs.ebs.id })).toEqual([]);
    } finally {
      listing.emu.store.backupJobs.delete({ accountId: "000000000000", region: "us-east-1" }, childId);
    }
  });

  it("filters by message category, with ANY meaning every category", async () => {
    expect(await ids({ ByMessageCategory: "SUCCESS" })).toEqual(idsOf("ddb", "ebs", "efs"));
    expect(await ids({ ByMessageCategory: "ABORTED" })).toEqual(idsOf("ec2"));
    expect(await ids({ ByMessageCategory: "ANY" })).toEqual(idsOf("ddb", "ebs", "efs", "ec2", "s3"));
  });

  it("combines filters", async () => {
    expect(await ids({ ByBackupVaultName: vaultA, ByState: "COMPLETED" })).toEqual(idsOf("ddb", "efs"));
  });

  it("pages with MaxResults and NextToken, seeing each job once, with no token on the last page", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await lister.send(new ListBackupJobsCommand({ MaxResults: 2, NextToken: token }));
      expect(page.BackupJobs!.length).toBeLessThanOrEqual(2);
      seen.push(...page.BackupJobs!.map((j) => j.BackupJobId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(idsOf("ddb", "ebs", "efs", "ec2", "s3"));
  });

  it("lists only the jobs of the last 30 days", async () => {
    const aging = await startTestEmulator();
    try {
      const a = aging.client();
      const v = uniqueName("vault");
      await a.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
      const old = await start(a, { BackupVaultName: v });
      aging.emu.clock.advance(29 * 86_400);
      const recent = await start(a, { BackupVaultName: v });
      expect((await a.send(new ListBackupJobsCommand({}))).BackupJobs!.map((j) => j.BackupJobId)).toEqual([recent.BackupJobId, old.BackupJobId]);
      aging.emu.clock.advance(2 * 86_400);
      expect((await a.send(new ListBackupJobsCommand({}))).BackupJobs!.map((j) => j.BackupJobId)).toEqual([recent.BackupJobId]);
      // The job itself can still be described.
      expect((await a.send(new DescribeBackupJobCommand({ BackupJobId: old.BackupJobId }))).State).toBe("COMPLETED");
    } finally {
      await aging.stop();
    }
  });

  it("pages through a filtered list", async () => {
    const first = await lister.send(new ListBackupJobsCommand({ ByState: "COMPLETED", MaxResults: 2 }));
    expect(first.BackupJobs).toHaveLength(2);
    const second = await lister.send(new ListBackupJobsCommand({ ByState: "COMPLETED", MaxResults: 2, NextToken: first.NextToken }));
    expect(second.BackupJobs).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    expect([...first.BackupJobs!, ...second.BackupJobs!].map((j) => j.BackupJobId).sort()).toEqual(idsOf("ddb", "ebs", "efs"));
  });
});

describe("ListBackupJobSummaries", () => {
  it("refuses a MaxResults above 500, the documented range, naming the member, and accepts 500", async () => {
    const err = await errorOf(lister.send(new ListBackupJobSummariesCommand({ MaxResults: 501 })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("MaxResults must be between 1 and 500");
    expect((await lister.send(new ListBackupJobSummariesCommand({ MaxResults: 500 }))).BackupJobSummaries).toBeDefined();
  });

  it("counts jobs by state and resource type over the period", async () => {
    const out = await lister.send(new ListBackupJobSummariesCommand({ AggregationPeriod: "FOURTEEN_DAYS" }));
    expect(out.AggregationPeriod).toBe("FOURTEEN_DAYS");
    const counts = Object.fromEntries(out.BackupJobSummaries!.map((s) => [`${s.State}/${s.ResourceType}`, s.Count]));
    expect(counts).toEqual({ "COMPLETED/DynamoDB": 1, "COMPLETED/EBS": 1, "COMPLETED/EFS": 1, "ABORTED/EC2": 1, "CREATED/S3": 1 });
    for (const s of out.BackupJobSummaries!) {
      expect(s.Region).toBe("us-east-1");
      expect(s.AccountId).toBe("000000000000");
      expect(s.StartTime!.getTime()).toBeLessThan(s.EndTime!.getTime());
    }
  });

  it("sums over a dimension with AGGREGATE_ALL and keeps only the asked state or resource type", async () => {
    const all = await lister.send(new ListBackupJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL", MessageCategory: "AGGREGATE_ALL" }));
    expect(all.BackupJobSummaries!.map((s) => s.Count)).toEqual([5]);
    const completed = await lister.send(new ListBackupJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", State: "COMPLETED", ResourceType: "AGGREGATE_ALL", MessageCategory: "AGGREGATE_ALL" }));
    expect(completed.BackupJobSummaries!.map((s) => [s.State, s.Count])).toEqual([["COMPLETED", 3]]);
    const ebs = await lister.send(new ListBackupJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", ResourceType: "EBS" }));
    expect(ebs.BackupJobSummaries!.map((s) => [s.ResourceType, s.State, s.Count])).toEqual([["EBS", "COMPLETED", 1]]);
  });

  it("groups by message category unless it is summed with AGGREGATE_ALL", async () => {
    const out = await lister.send(new ListBackupJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL" }));
    const counts = Object.fromEntries(out.BackupJobSummaries!.map((s) => [s.MessageCategory ?? "-", s.Count]));
    expect(counts).toEqual({ SUCCESS: 3, ABORTED: 1, "-": 1 });
  });

  it("counts the caller's own jobs whatever AccountId is given, as for an account outside AWS Organizations", async () => {
    const out = await lister.send(
      new ListBackupJobSummariesCommand({ AccountId: "111122223333", AggregationPeriod: "SEVEN_DAYS", State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL", MessageCategory: "AGGREGATE_ALL" }),
    );
    expect(out.BackupJobSummaries!.map((s) => [s.AccountId, s.Count])).toEqual([["000000000000", 5]]);
  });

  it("gives daily counts by default, each window a whole UTC day", async () => {
    const out = await lister.send(new ListBackupJobSummariesCommand({ State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL", MessageCategory: "AGGREGATE_ALL" }));
    expect(out.AggregationPeriod).toBe("ONE_DAY");
    expect(out.BackupJobSummaries!.reduce((n, s) => n + (s.Count ?? 0), 0)).toBe(5);
    for (const s of out.BackupJobSummaries!) expect(s.StartTime!.getTime() % 86_400_000).toBe(0);
  });

  it("pages the summaries with MaxResults and NextToken", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await lister.send(new ListBackupJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", MaxResults: 2, NextToken: token }));
      expect(page.BackupJobSummaries!.length).toBeLessThanOrEqual(2);
      seen.push(...page.BackupJobSummaries!.map((s) => `${s.State}/${s.ResourceType}`));
      token = page.NextToken;
    } while (token);
    expect(seen.sort()).toEqual(["ABORTED/EC2", "COMPLETED/DynamoDB", "COMPLETED/EBS", "COMPLETED/EFS", "CREATED/S3"]);
  });
});

describe("StopBackupJob on a type that cannot be stopped", () => {
  it("refuses to stop an RDS backup job with InvalidRequestException naming the type", async () => {
    const local = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const c = local.client();
      const vault = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.rds(), IamRoleArn: ROLE_ARN }));
      const err = await errorOf(c.send(new StopBackupJobCommand({ BackupJobId: job.BackupJobId })));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain("RDS");
      expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("CREATED");
    } finally {
      await local.stop();
    }
  });
});
