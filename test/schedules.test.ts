/**
 * Backup plans that run: schedules in their time zone, selections resolved against the known
 * resources, copy actions, continuous backups, and a clock that jumps over all of it in order.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListBackupPlansCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  StartBackupJobCommand,
  UpdateBackupPlanCommand,
  UpdateRegionSettingsCommand,
  type BackupClient,
  type BackupJob,
} from "@aws-sdk/client-backup";
import { ACCOUNT, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { advance, DAY, iso, putResource } from "./helpers/clock.js";

const running: TestEmulator[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.stop();
});
async function start(opts: Parameters<typeof startTestEmulator>[0]) {
  const t = await startTestEmulator(opts);
  running.push(t);
  return t;
}

async function allJobs(c: BackupClient, filter: { ByBackupVaultName?: string } = {}): Promise<BackupJob[]> {
  const out: BackupJob[] = [];
  let token: string | undefined;
  do {
    const page = await c.send(new ListBackupJobsCommand({ ...filter, NextToken: token }));
    out.push(...(page.BackupJobs ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

async function planWithSelection(c: BackupClient, rule: Record<string, unknown>, selection: Record<string, unknown>) {
  const plan = await c.send(
    new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", ...rule } as never] } }),
  );
  await c.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: "sel", IamRoleArn: ROLE_ARN, ...selection } as never }));
  return plan;
}

describe("a daily plan with a tag-based selection", () => {
  it("starts one job per matching resource per day over a 3-day jump, none for others, at 05:00 New York time across the DST change", async () => {
    // 2026-03-07 00:00 UTC is a Saturday; New York moves to daylight time on Sunday 8 March.
    const t = await start({ clockStart: "2026-03-07T00:00:00Z", jobCompletionDelaySeconds: 60 });
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const tagged = [resources.dynamo(REGION, ACCOUNT), resources.efs(REGION, ACCOUNT)];
    const other = resources.dynamo(REGION, ACCOUNT);
    for (const arn of tagged) await putResource(t.endpoint, arn, { backup: "daily", team: "data" });
    await putResource(t.endpoint, other, { backup: "never" });
    const plan = await planWithSelection(
      c,
      { TargetBackupVaultName: vault, ScheduleExpression: "cron(0 5 ? * * *)", ScheduleExpressionTimezone: "America/New_York", Lifecycle: { DeleteAfterDays: 35 }, RecoveryPointTags: { source: "plan" } },
      { ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "daily" }] },
    );

    await advance(t.endpoint, 3 * DAY);

    const jobs = await allJobs(c, { ByBackupVaultName: vault });
    expect(jobs).toHaveLength(6);
    expect(new Set(jobs.map((j) => j.ResourceArn))).toEqual(new Set(tagged));
    expect([...new Set(jobs.map((j) => iso(j.CreationDate)))].sort()).toEqual(["2026-03-07T10:00:00.000Z", "2026-03-08T09:00:00.000Z", "2026-03-09T09:00:00.000Z"]);
    const rule = (await c.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId }))).BackupPlan!.Rules![0]!;
    for (const j of jobs) {
      expect(j.State).toBe("COMPLETED");
      expect(j.CreatedBy).toMatchObject({ BackupPlanId: plan.BackupPlanId, BackupPlanVersion: plan.VersionId, BackupRuleId: rule.RuleId, BackupRuleName: "daily" });
      expect(j.RecoveryPointLifecycle).toEqual({ DeleteAfterDays: 35 });
      // Start and completion windows are the rule's defaults (8 hours, 7 days).
      expect(j.StartBy!.getTime() - j.CreationDate!.getTime()).toBe(480 * 60_000);
      expect(j.ExpectedCompletionDate!.getTime() - j.CreationDate!.getTime()).toBe(10080 * 60_000);
    }
    const points = (await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault, ByBackupPlanId: plan.BackupPlanId }))).RecoveryPoints!;
    expect(points).toHaveLength(6);
    expect((await c.send(new ListTagsCommand({ ResourceArn: points[0]!.RecoveryPointArn }))).Tags).toEqual({ source: "plan" });
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(6);
    const got = await c.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId }));
    expect(iso(got.LastExecutionDate)).toBe("2026-03-09T09:00:00.000Z");
    const listed = (await c.send(new ListBackupPlansCommand({}))).BackupPlansList!.find((p) => p.BackupPlanId === plan.BackupPlanId)!;
    expect(iso(listed.LastExecutionDate)).toBe("2026-03-09T09:00:00.000Z");
  });

  it("picks resources by Conditions, wildcard Resources and NotResources, and respects service opt-in for tag-only selections", async () => {
    const t = await start({ clockStart: "2026-05-01T00:00:00Z" });
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const prodTable = resources.dynamo(REGION, ACCOUNT);
    const devTable = resources.dynamo(REGION, ACCOUNT);
    const prodVolume = resources.ebs(REGION, ACCOUNT);
    const excluded = resources.ebs(REGION, ACCOUNT);
    const bucket = resources.s3();
    await putResource(t.endpoint, prodTable, { env: "prod", tier: "gold" });
    await putResource(t.endpoint, devTable, { env: "dev", tier: "gold" });
    await putResource(t.endpoint, prodVolume, { env: "prod", tier: "silver" });
    await putResource(t.endpoint, excluded, { env: "prod", tier: "gold" });
    await putResource(t.endpoint, bucket, { env: "prod", tier: "gold" }, { AccountId: "000000000000", Region: "us-east-1" });
    await planWithSelection(
      c,
      { TargetBackupVaultName: vault, ScheduleExpression: "cron(0 1 ? * * *)" },
      {
        Resources: ["*"],
        NotResources: [excluded],
        Conditions: { StringEquals: [{ ConditionKey: "aws:ResourceTag/env", ConditionValue: "prod" }], StringLike: [{ ConditionKey: "aws:ResourceTag/tier", ConditionValue: "g*" }] },
      },
    );
    await advance(t.endpoint, DAY);
    // S3 is not opted in by default, so the bucket chosen only through "*" and tags is left out.
    expect(new Set((await allJobs(c, { ByBackupVaultName: vault })).map((j) => j.ResourceArn))).toEqual(new Set([prodTable]));

    await c.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { S3: true } }));
    await advance(t.endpoint, DAY);
    const second = (await allJobs(c, { ByBackupVaultName: vault })).filter((j) => iso(j.CreationDate) === "2026-05-02T01:00:00.000Z");
    expect(new Set(second.map((j) => j.ResourceArn))).toEqual(new Set([prodTable, bucket]));
  });

  it("applies opt-in to a pattern naming only the service but not to one naming the resource type", async () => {
    const t = await start({ clockStart: "2026-05-01T00:00:00Z" });
    const c = t.client();
    const [byService, byType] = [uniqueName("vault"), uniqueName("vault")];
    for (const BackupVaultName of [byService, byType]) await c.send(new CreateBackupVaultCommand({ BackupVaultName }));
    const cluster = `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:${uniqueName("rs")}`;
    await putResource(t.endpoint, cluster, {});
    // Redshift is not opted in by default (docs/decisions.md): arn:aws:redshift:*:*:* names only the service, …:cluster:* the type.
    await planWithSelection(c, { TargetBackupVaultName: byService, ScheduleExpression: "cron(0 1 ? * * *)" }, { Resources: ["arn:aws:redshift:*:*:*"] });
    await planWithSelection(c, { TargetBackupVaultName: byType, ScheduleExpression: "cron(0 1 ? * * *)" }, { Resources: ["arn:aws:redshift:*:*:cluster:*"] });
    await advance(t.endpoint, DAY);
    expect((await allJobs(c, { ByBackupVaultName: byService })).map((j) => j.ResourceArn)).toEqual([]);
    expect((await allJobs(c, { ByBackupVaultName: byType })).map((j) => j.ResourceArn)).toEqual([cluster]);

    await c.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { Redshift: true } }));
    await advance(t.endpoint, DAY);
    expect((await allJobs(c, { ByBackupVaultName: byService })).map((j) => j.ResourceArn)).toEqual([cluster]);
  });

  it("backs up a resource named outright even when the emulator has not seen it", async () => {
    const t = await start({ clockStart: "2026-05-01T00:00:00Z" });
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const arn = resources.rds(REGION, ACCOUNT);
    await planWithSelection(c, { TargetBackupVaultName: vault, ScheduleExpression: "cron(30 2 * * ? *)" }, { Resources: [arn] });
    await advance(t.endpoint, DAY);
    expect((await allJobs(c, { ByBackupVaultName: vault })).map((j) => j.ResourceArn)).toEqual([arn]);
  });

  it("stops running when its selections are gone or the plan is deleted, and follows an update's new schedule", async () => {
    const t = await start({ clockStart: "2026-05-01T00:00:00Z" });
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const arn = resources.dynamo(REGION, ACCOUNT);
    const plan = await c.send(
      new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 6 ? * * *)" }] } }),
    );
    const sel = await c.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: "s", IamRoleArn: ROLE_ARN, Resources: [arn] } }));
    await advance(t.endpoint, DAY);
    expect(await allJobs(c, { ByBackupVaultName: vault })).toHaveLength(1);
    // Twice a day from now on.
    await c.send(
      new UpdateBackupPlanCommand({
        BackupPlanId: plan.BackupPlanId,
        BackupPlan: { BackupPlanName: "renamed", Rules: [{ RuleName: "r", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 6,18 ? * * *)" }] },
      }),
    );
    await advance(t.endpoint, DAY);
    expect(await allJobs(c, { ByBackupVaultName: vault })).toHaveLength(3);
    await c.send(new DeleteBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, SelectionId: sel.SelectionId }));
    await advance(t.endpoint, DAY);
    expect(await allJobs(c, { ByBackupVaultName: vault })).toHaveLength(3);
    await c.send(new DeleteBackupPlanCommand({ BackupPlanId: plan.BackupPlanId }));
    const pending = (await (await fetch(`${t.endpoint}/_emulator/state`)).json()) as { work: { kind: string; ref: string }[] };
    expect(pending.work.filter((w) => w.kind === "plan-rule" && w.ref === plan.BackupPlanId)).toEqual([]);
  });
});

describe("copy actions", () => {
  it("copy each plan-created recovery point to the destination vault, in another region, with the action's lifecycle", async () => {
    const t = await start({ clockStart: "2026-06-01T00:00:00Z", jobCompletionDelaySeconds: 30 });
    const c = t.client();
    const dr = t.client({ region: "eu-west-1" });
    const vault = uniqueName("vault");
    const drVault = uniqueName("dr");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    await dr.send(new CreateBackupVaultCommand({ BackupVaultName: drVault }));
    const arn = resources.efs(REGION, ACCOUNT);
    await planWithSelection(
      c,
      {
        TargetBackupVaultName: vault,
        ScheduleExpression: "cron(0 3 ? * * *)",
        CopyActions: [{ DestinationBackupVaultArn: `arn:aws:backup:eu-west-1:000000000000:backup-vault:${drVault}`, Lifecycle: { DeleteAfterDays: 60 } }],
      },
      { Resources: [arn] },
    );
    await advance(t.endpoint, 2 * DAY);
    const copies = (await c.send(new ListCopyJobsCommand({}))).CopyJobs!;
    expect(copies).toHaveLength(2);
    const jobs = await allJobs(c, { ByBackupVaultName: vault });
    for (const copy of copies) {
      expect(copy.State).toBe("COMPLETED");
      expect(jobs.map((j) => j.BackupJobId)).toContain(copy.CreatedByBackupJobId);
      expect(copy.CreatedBy?.BackupRuleName).toBe("daily");
    }
    const drPoints = (await dr.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: drVault }))).RecoveryPoints!;
    expect(drPoints).toHaveLength(2);
    expect(drPoints.every((p) => p.Lifecycle?.DeleteAfterDays === 60 && p.ResourceArn === arn)).toBe(true);
  });
});

describe("plan rules whose retention a vault lock forbids", () => {
  it("start their jobs, which the target vault fails, and copy jobs, which the destination vault fails, each naming the vault and the retention", async () => {
    const t = await start({ clockStart: "2026-06-01T00:00:00Z", jobCompletionDelaySeconds: 30 });
    const c = t.client();
    const locked = uniqueName("locked");
    const open = uniqueName("open");
    const lockedDr = uniqueName("dr");
    for (const name of [locked, open, lockedDr]) await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    await c.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: locked, MinRetentionDays: 30 }));
    await c.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: lockedDr, MaxRetentionDays: 90 }));
    await planWithSelection(c, { TargetBackupVaultName: locked, ScheduleExpression: "cron(0 3 ? * * *)", Lifecycle: { DeleteAfterDays: 7 } }, { Resources: [resources.efs(REGION, ACCOUNT)] });
    await planWithSelection(
      c,
      {
        TargetBackupVaultName: open,
        ScheduleExpression: "cron(0 3 ? * * *)",
        CopyActions: [{ DestinationBackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${lockedDr}`, Lifecycle: { DeleteAfterDays: 365 } }],
      },
      { Resources: [resources.ebs(REGION, ACCOUNT)] },
    );
    await advance(t.endpoint, DAY);

    const failed = await allJobs(c, { ByBackupVaultName: locked });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ State: "FAILED", MessageCategory: "FAILED" });
    expect(failed[0]!.StatusMessage).toContain(`Vault Lock of backup vault ${locked}`);
    expect(failed[0]!.StatusMessage).toMatch(/DeleteAfterDays \(7\) is shorter than the minimum retention of 30 days/);
    expect((await c.send(new ListBackupJobsCommand({ ByState: "FAILED" }))).BackupJobs!.map((j) => j.BackupJobId)).toEqual([failed[0]!.BackupJobId]);
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: locked }))).NumberOfRecoveryPoints).toBe(0);

    const [backupJob] = await allJobs(c, { ByBackupVaultName: open });
    expect(backupJob?.State).toBe("COMPLETED");
    const copies = (await c.send(new ListCopyJobsCommand({ ByState: "FAILED" }))).CopyJobs!;
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ CreatedByBackupJobId: backupJob!.BackupJobId, MessageCategory: "FAILED" });
    expect(copies[0]!.StatusMessage).toContain(`Vault Lock of backup vault ${lockedDr}`);
    expect(copies[0]!.StatusMessage).toMatch(/DeleteAfterDays \(365\) exceeds the maximum retention of 90 days/);
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: lockedDr }))).NumberOfRecoveryPoints).toBe(0);
  });
});

describe("index actions", () => {
  it("start each rule's jobs with a backup index for the resource type its index action names, and only for it", async () => {
    const t = await start({ clockStart: "2026-06-01T00:00:00Z", jobCompletionDelaySeconds: 30 });
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const volume = resources.ebs(REGION, ACCOUNT);
    const bucket = resources.s3();
    const fileSystem = resources.efs(REGION, ACCOUNT);
    const plan = await c.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: uniqueName("plan"),
          Rules: [
            { RuleName: "ebs-indexed", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 3 ? * * *)", IndexActions: [{ ResourceTypes: ["EBS"] }] },
            { RuleName: "s3-indexed", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 4 ? * * *)", IndexActions: [{ ResourceTypes: ["S3"] }] },
            { RuleName: "plain", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 5 ? * * *)" },
          ],
        },
      }),
    );
    await c.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: "sel", IamRoleArn: ROLE_ARN, Resources: [volume, bucket, fileSystem] } }));
    await advance(t.endpoint, DAY);

    const jobs = await allJobs(c, { ByBackupVaultName: vault });
    expect(jobs).toHaveLength(9);
    const indexed: string[] = [];
    for (const job of jobs) {
      expect(job.State).toBe("COMPLETED");
      const point = await c.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn }));
      if (point.IndexStatus !== undefined) {
        expect(point.IndexStatus).toBe("ACTIVE");
        indexed.push(`${job.CreatedBy!.BackupRuleName} ${job.ResourceType}`);
      }
    }
    expect(indexed.sort()).toEqual(["ebs-indexed EBS", "s3-indexed S3"]);
  });
});

describe("vault access policies", () => {
  const denyPolicy = (action: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: action, Resource: "*", ...extra }] });
  const ownRole = `arn:aws:iam::${ACCOUNT}:role/BackupPlanRole`;

  it("fail a plan's backup jobs with ACCESS_DENIED when the target vault denies backup:StartBackupJob, unless a condition exempts the selection's role", async () => {
    const t = await start({ clockStart: "2026-06-01T00:00:00Z", jobCompletionDelaySeconds: 30 });
    const c = t.client();
    const denied = uniqueName("denied");
    const exempt = uniqueName("exempt");
    for (const name of [denied, exempt]) await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    await c.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: denied, Policy: denyPolicy("backup:StartBackupJob") }));
    await c.send(
      new PutBackupVaultAccessPolicyCommand({
        BackupVaultName: exempt,
        Policy: denyPolicy("backup:StartBackupJob", { Condition: { ArnNotEquals: { "aws:PrincipalArn": ownRole } } }),
      }),
    );
    const schedule = { ScheduleExpression: "cron(0 3 ? * * *)" };
    await planWithSelection(c, { TargetBackupVaultName: denied, ...schedule }, { IamRoleArn: ownRole, Resources: [resources.efs(REGION, ACCOUNT)] });
    await planWithSelection(c, { TargetBackupVaultName: exempt, ...schedule }, { IamRoleArn: ownRole, Resources: [resources.efs(REGION, ACCOUNT)] });
    await advance(t.endpoint, DAY);

    const [failed, ...others] = await allJobs(c, { ByBackupVaultName: denied });
    expect(others).toHaveLength(0);
    expect(failed).toMatchObject({ State: "FAILED", MessageCategory: "ACCESS_DENIED" });
    expect(failed!.StatusMessage).toContain(`${ownRole} is not authorized to perform: backup:StartBackupJob`);
    expect(failed!.StatusMessage).toContain(`access policy of backup vault ${denied}`);
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: denied }))).NumberOfRecoveryPoints).toBe(0);

    const [allowed] = await allJobs(c, { ByBackupVaultName: exempt });
    expect(allowed?.State).toBe("COMPLETED");
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: exempt }))).NumberOfRecoveryPoints).toBe(1);
  });

  it("fail a plan's copy jobs with ACCESS_DENIED when the source vault denies backup:CopyFromBackupVault to that destination", async () => {
    const t = await start({ clockStart: "2026-06-01T00:00:00Z", jobCompletionDelaySeconds: 30 });
    const c = t.client();
    const vault = uniqueName("vault");
    const blocked = uniqueName("blocked");
    const open = uniqueName("open");
    for (const name of [vault, blocked, open]) await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const arnOf = (name: string) => `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${name}`;
    await c.send(
      new PutBackupVaultAccessPolicyCommand({
        BackupVaultName: vault,
        Policy: denyPolicy("backup:CopyFromBackupVault", { Condition: { StringEquals: { "backup:CopyTargets": arnOf(blocked) } } }),
      }),
    );
    await planWithSelection(
      c,
      { TargetBackupVaultName: vault, ScheduleExpression: "cron(0 3 ? * * *)", CopyActions: [{ DestinationBackupVaultArn: arnOf(blocked) }, { DestinationBackupVaultArn: arnOf(open) }] },
      { IamRoleArn: ownRole, Resources: [resources.efs(REGION, ACCOUNT)] },
    );
    await advance(t.endpoint, DAY);

    const [backupJob] = await allJobs(c, { ByBackupVaultName: vault });
    expect(backupJob?.State).toBe("COMPLETED");
    const copies = (await c.send(new ListCopyJobsCommand({}))).CopyJobs!;
    expect(copies).toHaveLength(2);
    const toBlocked = copies.find((j) => j.DestinationBackupVaultArn === arnOf(blocked))!;
    expect(toBlocked).toMatchObject({ State: "FAILED", MessageCategory: "ACCESS_DENIED", CreatedByBackupJobId: backupJob!.BackupJobId });
    expect(toBlocked.StatusMessage).toContain(`${ownRole} is not authorized to perform: backup:CopyFromBackupVault on resource: ${backupJob!.RecoveryPointArn}`);
    expect(toBlocked.StatusMessage).toContain(`access policy of backup vault ${vault}`);
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: blocked }))).NumberOfRecoveryPoints).toBe(0);
    expect(copies.find((j) => j.DestinationBackupVaultArn === arnOf(open))?.State).toBe("COMPLETED");
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: open }))).NumberOfRecoveryPoints).toBe(1);
  });
});

describe("continuous backup rules", () => {
  it("keep one continuous recovery point per supported resource, updated at each run, and snapshots for the others", async () => {
    const t = await start({ clockStart: "2026-07-01T00:00:00Z" });
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const db = resources.rds(REGION, ACCOUNT);
    const volume = resources.ebs(REGION, ACCOUNT);
    await planWithSelection(
      c,
      { TargetBackupVaultName: vault, ScheduleExpression: "cron(0 4 ? * * *)", EnableContinuousBackup: true, Lifecycle: { DeleteAfterDays: 35 } },
      { Resources: [db, volume] },
    );
    await advance(t.endpoint, 3 * DAY);
    const points = (await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }))).RecoveryPoints!;
    const dbPoints = points.filter((p) => p.ResourceArn === db);
    expect(dbPoints).toHaveLength(1);
    expect(dbPoints[0]!.RecoveryPointArn).toContain(":recovery-point:continuous:");
    expect(iso(dbPoints[0]!.CompletionDate)).toBe("2026-07-03T04:00:00.000Z");
    expect(points.filter((p) => p.ResourceArn === volume)).toHaveLength(3);
    expect((await allJobs(c, { ByBackupVaultName: vault })).filter((j) => j.ResourceArn === db)).toHaveLength(3);
    expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(4);
  });
});

describe("work that falls due during a jump", () => {
  it("runs in time order: a job started at t completes at t + delay before a schedule firing at t + delay + 1 starts", async () => {
    const t = await start({ clockStart: "2026-08-01T09:59:49Z", jobCompletionDelaySeconds: 10 });
    // The order shows in the state-change log, kept for an EventBridge forwarder: keep it here too.
    t.emu.store.logStateChanges = true;
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const arn = resources.dynamo(REGION, ACCOUNT);
    // The plan fires at 10:00:00; the on-demand job below starts a moment before 09:59:50.
    await planWithSelection(c, { TargetBackupVaultName: vault, ScheduleExpression: "cron(0 10 ? * * *)" }, { Resources: [arn] });
    const manual = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN }));
    await advance(t.endpoint, 60);
    const events = (await (await fetch(`${t.endpoint}/_emulator/state`)).json()) as { events: { kind: string; at: number; doc: { jobId: string; state: string } }[] };
    const changes = events.events.filter((e) => e.kind === "state-change");
    const manualDone = changes.findIndex((e) => e.doc.jobId === manual.BackupJobId && e.doc.state === "COMPLETED");
    const planStarted = changes.findIndex((e) => e.doc.jobId !== manual.BackupJobId && e.doc.state === "CREATED");
    expect(manualDone).toBeGreaterThanOrEqual(0);
    expect(planStarted).toBeGreaterThan(manualDone);
    expect(changes.map((e) => e.at)).toEqual([...changes.map((e) => e.at)].sort((a, b) => a - b));
  });

  it("leaves the same state as running in real time would (one jump vs many small steps)", async () => {
    const scenario = async (steps: number) => {
      const t = await start({ clockStart: "2026-09-01T00:00:00Z", jobCompletionDelaySeconds: 120 });
      const c = t.client();
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: "main" }));
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: "copies" }));
      for (const [i, arn] of ["arn:aws:dynamodb:us-east-1:000000000000:table/a", "arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-1"].entries()) {
        await putResource(t.endpoint, arn, { backup: i === 0 ? "yes" : "also" });
      }
      await planWithSelection(
        c,
        {
          TargetBackupVaultName: "main",
          ScheduleExpression: "cron(0 */6 ? * * *)",
          Lifecycle: { MoveToColdStorageAfterDays: 1, DeleteAfterDays: 91 },
          CopyActions: [{ DestinationBackupVaultArn: "arn:aws:backup:us-east-1:000000000000:backup-vault:copies", Lifecycle: { DeleteAfterDays: 2 } }],
        },
        { ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "yes" }, { ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "also" }] },
      );
      const total = 4 * DAY;
      for (let i = 0; i < steps; i++) await advance(t.endpoint, total / steps);
      const strip = (p: { RecoveryPointArn?: string; CreationDate?: Date; CompletionDate?: Date; ResourceArn?: string; CalculatedLifecycle?: unknown; Status?: string }) =>
        [iso(p.CreationDate), iso(p.CompletionDate), p.ResourceArn, JSON.stringify(p.CalculatedLifecycle), p.Status].join("|");
      const main = (await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "main" }))).RecoveryPoints!.map(strip).sort();
      const copies = (await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "copies" }))).RecoveryPoints!.map(strip).sort();
      const jobs = (await allJobs(c)).map((j) => [iso(j.CreationDate), iso(j.CompletionDate), j.ResourceArn, j.State].join("|")).sort();
      return { main, copies, jobs };
    };
    const oneJump = await scenario(1);
    const manySteps = await scenario(96);
    expect(oneJump.jobs.length).toBe(32);
    // Copies live 2 days from their source's creation: the 7 runs of the last 2 days whose jobs
    // had finished (the run at the very end is still in progress), 2 resources each.
    expect(oneJump.copies.length).toBe(14);
    expect(manySteps).toEqual(oneJump);
  });
});
