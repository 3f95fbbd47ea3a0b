import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  CreateFrameworkCommand,
  CreateReportPlanCommand,
  DeleteFrameworkCommand,
  DeleteReportPlanCommand,
  DescribeFrameworkCommand,
  DescribeReportJobCommand,
  DescribeReportPlanCommand,
  ListFrameworksCommand,
  ListReportJobsCommand,
  ListReportPlansCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartReportJobCommand,
  StartRestoreJobCommand,
  TagResourceCommand,
  UpdateFrameworkCommand,
  UpdateReportPlanCommand,
  type BackupClient,
  type FrameworkControl,
  type ReportDeliveryChannel,
  type ReportJob,
  type ReportSetting,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const BUCKET = "audit-reports";

/** Framework and report plan names allow letters, digits and underscores only. */
const auditName = (prefix: string) => uniqueName(prefix).replace(/-/g, "_");

/** A control no other framework has: its scope names a resource id of its own. */
function uniqueControl(name = "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN"): FrameworkControl {
  return { ControlName: name, ControlScope: { ComplianceResourceTypes: ["EBS"], ComplianceResourceIds: [uniqueName("vol")] } };
}

async function createFramework(c: BackupClient, controls: FrameworkControl[] = [uniqueControl()], extra: { FrameworkDescription?: string } = {}) {
  const name = auditName("fw");
  const out = await c.send(new CreateFrameworkCommand({ FrameworkName: name, FrameworkControls: controls, ...extra }));
  return { name, arn: out.FrameworkArn! };
}

const jobsSetting = (template = "BACKUP_JOB_REPORT"): ReportSetting => ({ ReportTemplate: template });

async function createReportPlan(c: BackupClient, setting: ReportSetting = jobsSetting(), channel: Partial<ReportDeliveryChannel> = {}) {
  const name = auditName("plan");
  const out = await c.send(
    new CreateReportPlanCommand({ ReportPlanName: name, ReportSetting: setting, ReportDeliveryChannel: { S3BucketName: BUCKET, ...channel } }),
  );
  return { name, arn: out.ReportPlanArn! };
}

async function reportJob(c: BackupClient, id: string): Promise<ReportJob> {
  return (await c.send(new DescribeReportJobCommand({ ReportJobId: id }))).ReportJob!;
}

/** Start a report job and return it once finished (jobs finish at the next request with delay 0). */
async function runReport(c: BackupClient, plan: string): Promise<ReportJob> {
  const { ReportJobId } = await c.send(new StartReportJobCommand({ ReportPlanName: plan }));
  return reportJob(c, ReportJobId!);
}

/** An emulator of its own for one describe block, with a fresh reports folder. */
function ownEmulator(options: { jobCompletionDelaySeconds?: number } = {}) {
  const env = {} as { t: TestEmulator; c: BackupClient; dir: string };
  beforeAll(async () => {
    env.dir = mkdtempSync(join(tmpdir(), "audit-test-"));
    env.t = await startTestEmulator({ reportsDir: env.dir, ...options });
    env.c = env.t.client();
  });
  afterAll(async () => {
    await env.t.stop();
    rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}

describe("CreateFramework", () => {
  const env = ownEmulator();

  it("creates a framework and returns its name and an ARN of the form framework:<name>-<id>", async () => {
    const name = auditName("fw");
    const out = await env.c.send(new CreateFrameworkCommand({ FrameworkName: name, FrameworkControls: [uniqueControl()] }));
    expect(out.FrameworkName).toBe(name);
    expect(out.FrameworkArn).toMatch(new RegExp(`^arn:aws:backup:us-east-1:000000000000:framework:${name}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
  });

  it("keeps the FrameworkTags, which ListTags and TagResource then see on the framework ARN", async () => {
    const name = auditName("fw");
    const out = await env.c.send(new CreateFrameworkCommand({ FrameworkName: name, FrameworkControls: [uniqueControl()], FrameworkTags: { team: "audit" } }));
    expect((await env.c.send(new ListTagsCommand({ ResourceArn: out.FrameworkArn }))).Tags).toEqual({ team: "audit" });
    await env.c.send(new TagResourceCommand({ ResourceArn: out.FrameworkArn, Tags: { stage: "prod" } }));
    expect((await env.c.send(new ListTagsCommand({ ResourceArn: out.FrameworkArn }))).Tags).toEqual({ team: "audit", stage: "prod" });
  });

  it("accepts every control the service documents, with its input parameters", async () => {
    const controls: FrameworkControl[] = [
      { ControlName: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", ControlScope: { ComplianceResourceTypes: ["RDS"] } },
      {
        ControlName: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
        ControlInputParameters: [
          { ParameterName: "requiredFrequencyUnit", ParameterValue: "hours" },
          { ParameterName: "requiredFrequencyValue", ParameterValue: "24" },
          { ParameterName: "requiredRetentionDays", ParameterValue: "35" },
        ],
        ControlScope: { Tags: { env: "prod" } },
      },
      { ControlName: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED", ControlInputParameters: [{ ParameterName: "principalArnList", ParameterValue: ROLE_ARN }] },
      { ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED" },
      { ControlName: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", ControlInputParameters: [{ ParameterName: "requiredRetentionDays", ParameterValue: "35" }] },
      { ControlName: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", ControlInputParameters: [{ ParameterName: "crossRegionList", ParameterValue: "us-west-2,eu-west-1" }] },
      { ControlName: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT", ControlInputParameters: [{ ParameterName: "crossAccountList", ParameterValue: "111122223333" }] },
      {
        ControlName: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
        ControlInputParameters: [
          { ParameterName: "minRetentionDays", ParameterValue: "7" },
          { ParameterName: "maxRetentionDays", ParameterValue: "365" },
        ],
      },
      {
        ControlName: "BACKUP_LAST_RECOVERY_POINT_CREATED",
        ControlInputParameters: [
          { ParameterName: "recoveryPointAgeUnit", ParameterValue: "hours" },
          { ParameterName: "recoveryPointAgeValue", ParameterValue: "12" },
        ],
      },
      { ControlName: "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET", ControlInputParameters: [{ ParameterName: "maxRestoreTime", ParameterValue: "720" }] },
      { ControlName: "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT", ControlScope: { ComplianceResourceTypes: ["EC2"] } },
    ];
    const { name } = await createFramework(env.c, controls);
    const d = await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }));
    expect(d.FrameworkControls).toEqual(controls);
  });

  it("refuses a control name the service does not know with InvalidParameterValueException naming it", async () => {
    const err = await errorOf(env.c.send(new CreateFrameworkCommand({ FrameworkName: auditName("fw"), FrameworkControls: [{ ControlName: "BACKUP_EVERYTHING_FOREVER" }] })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("BACKUP_EVERYTHING_FOREVER");
  });

  it("refuses an input parameter the control does not take, naming the parameter", async () => {
    const err = await errorOf(
      createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED", ControlInputParameters: [{ ParameterName: "requiredRetentionDays", ParameterValue: "3" }] }]),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("requiredRetentionDays");
  });

  it("refuses a parameter value of the wrong kind, naming the parameter and the value", async () => {
    const err = await errorOf(
      createFramework(env.c, [
        { ControlName: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", ControlInputParameters: [{ ParameterName: "requiredFrequencyUnit", ParameterValue: "weeks" }] },
      ]),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("requiredFrequencyUnit");
    expect(err.message).toContain("weeks");
  });

  it("refuses a recovery point age beyond the 31 days the control accepts", async () => {
    const err = await errorOf(
      createFramework(env.c, [
        {
          ControlName: "BACKUP_LAST_RECOVERY_POINT_CREATED",
          ControlInputParameters: [
            { ParameterName: "recoveryPointAgeUnit", ParameterValue: "days" },
            { ParameterName: "recoveryPointAgeValue", ParameterValue: "40" },
          ],
        },
      ]),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("recoveryPointAgeValue");
  });

  it.each([
    ["BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", "crossRegionList", "us-west-2,eu-west-1,eu-west-2,ap-south-1"],
    ["BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", "crossRegionList", "mars-north-1x"],
    ["BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT", "crossAccountList", "12345"],
    ["BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED", "principalArnList", "arn:aws:iam::123456789012:user/alice"],
    ["BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", "requiredRetentionDays", "0"],
  ])("refuses %s with %s %s, naming the parameter", async (control, parameter, value) => {
    const err = await errorOf(createFramework(env.c, [{ ControlName: control, ControlInputParameters: [{ ParameterName: parameter, ParameterValue: value }] }]));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(parameter);
  });

  it("refuses a vault lock control whose minRetentionDays exceeds its maxRetentionDays", async () => {
    const err = await errorOf(
      createFramework(env.c, [
        {
          ControlName: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
          ControlInputParameters: [
            { ParameterName: "minRetentionDays", ParameterValue: "30" },
            { ParameterName: "maxRetentionDays", ParameterValue: "7" },
          ],
        },
      ]),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("minRetentionDays");
  });

  it("refuses an input parameter given twice", async () => {
    const err = await errorOf(
      createFramework(env.c, [
        {
          ControlName: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
          ControlInputParameters: [
            { ParameterName: "requiredRetentionDays", ParameterValue: "30" },
            { ParameterName: "requiredRetentionDays", ParameterValue: "40" },
          ],
        },
      ]),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("requiredRetentionDays");
  });

  it("refuses a parameter without a value with MissingParameterValueException", async () => {
    const err = await errorOf(createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", ControlInputParameters: [{ ParameterName: "requiredRetentionDays" }] }]));
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("ParameterValue");
  });

  it("refuses a framework without controls", async () => {
    const err = await errorOf(createFramework(env.c, []));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("FrameworkControls");
  });

  it("refuses the same control twice in one framework", async () => {
    const err = await errorOf(createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED" }, { ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED" }]));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("BACKUP_RECOVERY_POINT_ENCRYPTED");
  });

  it("refuses a control scope with more than one tag", async () => {
    const err = await errorOf(createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED", ControlScope: { Tags: { a: "1", b: "2" } } }]));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Tags");
  });

  it("refuses resource ids in a scope that does not name exactly one resource type", async () => {
    const err = await errorOf(createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED", ControlScope: { ComplianceResourceIds: ["vol-1"] } }]));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("ComplianceResourceTypes");
  });

  it("refuses a scope resource type that is no resource type", async () => {
    const err = await errorOf(createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED", ControlScope: { ComplianceResourceTypes: ["Floppy"] } }]));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Floppy");
  });

  it("refuses a second framework of the same name with AlreadyExistsException", async () => {
    const { name } = await createFramework(env.c);
    const err = await errorOf(env.c.send(new CreateFrameworkCommand({ FrameworkName: name, FrameworkControls: [uniqueControl()] })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(name);
  });

  it("refuses a framework with the same controls and parameters as another with AlreadyExistsException naming the other", async () => {
    const controls = [uniqueControl("BACKUP_RECOVERY_POINT_ENCRYPTED")];
    const first = await createFramework(env.c, controls);
    const err = await errorOf(createFramework(env.c, controls));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(first.name);
  });
});

/** Ten of the eleven controls, each usable once per framework. */
const ALL_CONTROLS = [
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
  "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
  "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
  "BACKUP_RECOVERY_POINT_ENCRYPTED",
  "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
  "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
  "BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT",
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
  "BACKUP_LAST_RECOVERY_POINT_CREATED",
  "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
];

describe("CreateFramework quotas", () => {
  const env = ownEmulator();

  it("refuses more than 50 controls in use in a Region with LimitExceededException", async () => {
    for (let i = 0; i < 5; i++) await createFramework(env.c, ALL_CONTROLS.map((n) => uniqueControl(n)));
    const err = await errorOf(createFramework(env.c, [uniqueControl()]));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain("50");
  });

  it("refuses an update that would bring the controls in use above 50 with LimitExceededException", async () => {
    const [first] = (await env.c.send(new ListFrameworksCommand({}))).Frameworks!;
    const controls = [...ALL_CONTROLS, "RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT"].map((n) => uniqueControl(n));
    const err = await errorOf(env.c.send(new UpdateFrameworkCommand({ FrameworkName: first!.FrameworkName, FrameworkControls: controls })));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain(first!.FrameworkName!);
  });
});

describe("CreateFramework framework quota", () => {
  const env = ownEmulator();

  it("refuses a 16th framework in a Region with LimitExceededException", async () => {
    for (let i = 0; i < 15; i++) await createFramework(env.c);
    const err = await errorOf(createFramework(env.c));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain("15");
  });
});

describe("DescribeFramework", () => {
  const env = ownEmulator();

  it("returns the framework with its controls, deployment and framework status and idempotency token", async () => {
    const name = auditName("fw");
    const controls = [uniqueControl()];
    const out = await env.c.send(
      new CreateFrameworkCommand({ FrameworkName: name, FrameworkDescription: "checks", FrameworkControls: controls, IdempotencyToken: "token-1" }),
    );
    const d = await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }));
    expect(d).toMatchObject({
      FrameworkName: name,
      FrameworkArn: out.FrameworkArn,
      FrameworkDescription: "checks",
      FrameworkControls: controls,
      DeploymentStatus: "COMPLETED",
      FrameworkStatus: "ACTIVE",
      IdempotencyToken: "token-1",
    });
    expect(Math.abs(d.CreationTime!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("answers ResourceNotFoundException naming a framework that does not exist", async () => {
    const err = await errorOf(env.c.send(new DescribeFrameworkCommand({ FrameworkName: "no_such_framework" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no_such_framework");
  });
});

describe("UpdateFramework", () => {
  const env = ownEmulator();

  it("replaces the controls and description and keeps the creation time", async () => {
    const { name, arn } = await createFramework(env.c, [uniqueControl()], { FrameworkDescription: "before" });
    const created = (await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }))).CreationTime;
    const controls = [uniqueControl("BACKUP_RECOVERY_POINT_ENCRYPTED"), uniqueControl("BACKUP_LAST_RECOVERY_POINT_CREATED")];
    const out = await env.c.send(new UpdateFrameworkCommand({ FrameworkName: name, FrameworkDescription: "after", FrameworkControls: controls }));
    expect(out).toMatchObject({ FrameworkName: name, FrameworkArn: arn, CreationTime: created });
    const d = await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }));
    expect(d.FrameworkControls).toEqual(controls);
    expect(d.FrameworkDescription).toBe("after");
    expect(d.DeploymentStatus).toBe("COMPLETED");
  });

  it("answers ResourceNotFoundException naming a framework that does not exist", async () => {
    const err = await errorOf(env.c.send(new UpdateFrameworkCommand({ FrameworkName: "missing_fw", FrameworkControls: [uniqueControl()] })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("missing_fw");
  });

  it("refuses unknown controls with InvalidParameterValueException", async () => {
    const { name } = await createFramework(env.c);
    const err = await errorOf(env.c.send(new UpdateFrameworkCommand({ FrameworkName: name, FrameworkControls: [{ ControlName: "NOT_A_CONTROL" }] })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("NOT_A_CONTROL");
  });

  it("refuses controls that would duplicate another framework with AlreadyExistsException", async () => {
    const controls = [uniqueControl()];
    const other = await createFramework(env.c, controls);
    const { name } = await createFramework(env.c);
    const err = await errorOf(env.c.send(new UpdateFrameworkCommand({ FrameworkName: name, FrameworkControls: controls })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(other.name);
  });
});

describe("Framework and report plan deployments", () => {
  const env = ownEmulator({ jobCompletionDelaySeconds: 60 });

  it("deploys a framework over the job delay and refuses to update or delete it meanwhile with ConflictException (409)", async () => {
    const { name } = await createFramework(env.c);
    expect((await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }))).DeploymentStatus).toBe("CREATE_IN_PROGRESS");
    const update = await errorOf(env.c.send(new UpdateFrameworkCommand({ FrameworkName: name, FrameworkDescription: "x" })));
    expect(update.name).toBe("ConflictException");
    expect(update.$metadata?.httpStatusCode).toBe(409);
    expect(update.message).toContain(name);
    const del = await errorOf(env.c.send(new DeleteFrameworkCommand({ FrameworkName: name })));
    expect(del.name).toBe("ConflictException");
    expect(del.message).toContain(name);

    env.t.emu.clock.advance(61);
    expect((await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }))).DeploymentStatus).toBe("COMPLETED");
    await env.c.send(new UpdateFrameworkCommand({ FrameworkName: name, FrameworkDescription: "x" }));
    expect((await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }))).DeploymentStatus).toBe("UPDATE_IN_PROGRESS");
    env.t.emu.clock.advance(61);
    expect((await env.c.send(new DescribeFrameworkCommand({ FrameworkName: name }))).DeploymentStatus).toBe("COMPLETED");
  });

  it("deploys a report plan over the job delay and refuses to update or delete it meanwhile with ConflictException", async () => {
    const { name } = await createReportPlan(env.c);
    expect((await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!.DeploymentStatus).toBe("CREATE_IN_PROGRESS");
    const update = await errorOf(env.c.send(new UpdateReportPlanCommand({ ReportPlanName: name, ReportPlanDescription: "x" })));
    expect(update.name).toBe("ConflictException");
    expect(update.message).toContain(name);
    const del = await errorOf(env.c.send(new DeleteReportPlanCommand({ ReportPlanName: name })));
    expect(del.name).toBe("ConflictException");
    expect(del.$metadata?.httpStatusCode).toBe(409);
    env.t.emu.clock.advance(61);
    expect((await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!.DeploymentStatus).toBe("COMPLETED");
  });

  it("runs a report job CREATED → RUNNING → COMPLETED over the job delay and records the run on its plan", async () => {
    const { name } = await createReportPlan(env.c);
    env.t.emu.clock.advance(61);
    const { ReportJobId } = await env.c.send(new StartReportJobCommand({ ReportPlanName: name }));
    const created = await reportJob(env.c, ReportJobId!);
    expect(created.Status).toBe("CREATED");
    expect(created.CompletionTime).toBeUndefined();

    env.t.emu.clock.advance(31);
    expect((await reportJob(env.c, ReportJobId!)).Status).toBe("RUNNING");
    const running = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
    expect(running.LastAttemptedExecutionTime).toBeInstanceOf(Date);
    expect(running.LastSuccessfulExecutionTime).toBeUndefined();

    // Deleting the plan waits for its report jobs to finish.
    const del = await errorOf(env.c.send(new DeleteReportPlanCommand({ ReportPlanName: name })));
    expect(del.name).toBe("ConflictException");
    expect(del.message).toContain("running");

    env.t.emu.clock.advance(30);
    const done = await reportJob(env.c, ReportJobId!);
    expect(done.Status).toBe("COMPLETED");
    expect(done.CompletionTime!.getTime() - done.CreationTime!.getTime()).toBeGreaterThanOrEqual(60_000);
    const plan = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
    expect(plan.LastSuccessfulExecutionTime).toEqual(done.CompletionTime);
    expect(plan.LastAttemptedExecutionTime).toEqual(done.CompletionTime);
  });
});

describe("DeleteFramework", () => {
  const env = ownEmulator();

  it("deletes a framework and its tags", async () => {
    const name = auditName("fw");
    const { FrameworkArn } = await env.c.send(new CreateFrameworkCommand({ FrameworkName: name, FrameworkControls: [uniqueControl()], FrameworkTags: { a: "b" } }));
    await env.c.send(new DeleteFrameworkCommand({ FrameworkName: name }));
    expect((await errorOf(env.c.send(new DescribeFrameworkCommand({ FrameworkName: name })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(env.c.send(new ListTagsCommand({ ResourceArn: FrameworkArn })))).name).toBe("ResourceNotFoundException");
  });

  it("answers ResourceNotFoundException naming a framework that does not exist", async () => {
    const err = await errorOf(env.c.send(new DeleteFrameworkCommand({ FrameworkName: "gone_fw" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("gone_fw");
  });

  it("refuses to delete a framework a report plan covers with ConflictException naming the plan", async () => {
    const fw = await createFramework(env.c);
    const plan = await createReportPlan(env.c, { ReportTemplate: "CONTROL_COMPLIANCE_REPORT", FrameworkArns: [fw.arn] });
    const err = await errorOf(env.c.send(new DeleteFrameworkCommand({ FrameworkName: fw.name })));
    expect(err.name).toBe("ConflictException");
    expect(err.$metadata?.httpStatusCode).toBe(409);
    expect(err.message).toContain(plan.name);
    await env.c.send(new DeleteReportPlanCommand({ ReportPlanName: plan.name }));
    await env.c.send(new DeleteFrameworkCommand({ FrameworkName: fw.name }));
  });
});

describe("ListFrameworks", () => {
  const env = ownEmulator();

  it("lists every framework once across MaxResults pages, with its number of controls", async () => {
    const names: string[] = [];
    for (let i = 0; i < 5; i++) names.push((await createFramework(env.c, [uniqueControl(), uniqueControl("BACKUP_RECOVERY_POINT_ENCRYPTED")])).name);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await env.c.send(new ListFrameworksCommand({ MaxResults: 2, NextToken: token }));
      expect(page.Frameworks!.length).toBeLessThanOrEqual(2);
      for (const f of page.Frameworks!) {
        expect(f.NumberOfControls).toBe(2);
        expect(f.DeploymentStatus).toBe("COMPLETED");
        expect(f.FrameworkArn).toContain(`:framework:${f.FrameworkName}-`);
      }
      seen.push(...page.Frameworks!.map((f) => f.FrameworkName!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...names].sort());
  });

  it("refuses a NextToken from another list", async () => {
    const plans = [await createReportPlan(env.c), await createReportPlan(env.c)];
    expect(plans).toHaveLength(2);
    const page = await env.c.send(new ListReportPlansCommand({ MaxResults: 1 }));
    const err = await errorOf(env.c.send(new ListFrameworksCommand({ NextToken: page.NextToken })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("NextToken");
  });
});

describe("CreateReportPlan", () => {
  const env = ownEmulator();

  it("creates a plan with an ARN of the form report-plan:<name>-<id> and the default CSV format", async () => {
    const name = auditName("plan");
    const out = await env.c.send(
      new CreateReportPlanCommand({ ReportPlanName: name, ReportSetting: jobsSetting(), ReportDeliveryChannel: { S3BucketName: BUCKET }, ReportPlanTags: { k: "v" } }),
    );
    expect(out.ReportPlanName).toBe(name);
    expect(out.ReportPlanArn).toMatch(new RegExp(`^arn:aws:backup:us-east-1:000000000000:report-plan:${name}-[0-9a-f-]{36}$`));
    expect(Math.abs(out.CreationTime!.getTime() - Date.now())).toBeLessThan(10_000);
    const plan = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
    expect(plan.ReportDeliveryChannel).toEqual({ S3BucketName: BUCKET, Formats: ["CSV"] });
    expect((await env.c.send(new ListTagsCommand({ ResourceArn: out.ReportPlanArn }))).Tags).toEqual({ k: "v" });
  });

  it("counts the frameworks of a compliance report plan in NumberOfFrameworks", async () => {
    const a = await createFramework(env.c);
    const b = await createFramework(env.c);
    const { name } = await createReportPlan(env.c, { ReportTemplate: "RESOURCE_COMPLIANCE_REPORT", FrameworkArns: [a.arn, b.arn], NumberOfFrameworks: 7 });
    const plan = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
    expect(plan.ReportSetting).toMatchObject({ ReportTemplate: "RESOURCE_COMPLIANCE_REPORT", FrameworkArns: [a.arn, b.arn], NumberOfFrameworks: 2 });
  });

  it("refuses a second plan of the same name with AlreadyExistsException", async () => {
    const { name } = await createReportPlan(env.c);
    const err = await errorOf(
      env.c.send(new CreateReportPlanCommand({ ReportPlanName: name, ReportSetting: jobsSetting(), ReportDeliveryChannel: { S3BucketName: BUCKET } })),
    );
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(name);
  });

  it("refuses a report template the service does not have", async () => {
    const err = await errorOf(createReportPlan(env.c, { ReportTemplate: "EVERYTHING_REPORT" }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("EVERYTHING_REPORT");
  });

  it("accepts a compliance report plan without FrameworkArns, which covers no framework, so its reports have no rows", async () => {
    // A framework in the account with a resource to judge: a report covering it would have rows.
    const vault = uniqueName("vault");
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    await env.c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    await createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED" }]);
    for (const [template, format] of [
      ["CONTROL_COMPLIANCE_REPORT", "JSON"],
      ["RESOURCE_COMPLIANCE_REPORT", "CSV"],
    ] as const) {
      const { name } = await createReportPlan(env.c, { ReportTemplate: template }, { Formats: [format] });
      const plan = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
      expect(plan.ReportSetting).toMatchObject({ ReportTemplate: template, NumberOfFrameworks: 0 });
      expect(plan.ReportSetting?.FrameworkArns ?? []).toEqual([]);
      const job = await runReport(env.c, name);
      expect(job.Status).toBe("COMPLETED");
      const text = readFileSync(join(env.dir, BUCKET, ...job.ReportDestination!.S3Keys![0]!.split("/")), "utf8");
      if (format === "JSON") {
        expect(JSON.parse(text)).toEqual({ reportItems: [] });
      } else {
        const lines = text.trimEnd().split("\r\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]!.split(",")).toContain("resourceComplianceStatus");
      }
    }
  });

  it("refuses a framework ARN that names no framework, naming the ARN", async () => {
    const arn = "arn:aws:backup:us-east-1:000000000000:framework:ghost-11111111-2222-3333-4444-555555555555";
    const err = await errorOf(createReportPlan(env.c, { ReportTemplate: "CONTROL_COMPLIANCE_REPORT", FrameworkArns: [arn] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(arn);
  });

  it("refuses a report format other than CSV and JSON", async () => {
    const err = await errorOf(createReportPlan(env.c, jobsSetting(), { Formats: ["XML"] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("XML");
  });

  it("refuses JSON for a report covering other Regions, which the service delivers as CSV only", async () => {
    const err = await errorOf(createReportPlan(env.c, { ReportTemplate: "BACKUP_JOB_REPORT", Regions: ["us-west-2"] }, { Formats: ["JSON"] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("JSON");
  });

  it("refuses an S3 bucket name that S3 would not accept", async () => {
    const err = await errorOf(createReportPlan(env.c, jobsSetting(), { S3BucketName: "Bad_Bucket" }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Bad_Bucket");
  });

  it.each([
    [{ Accounts: ["12345"] }, "12345"],
    [{ OrganizationUnits: ["engineering"] }, "engineering"],
  ])("refuses a report coverage setting that names no account or organizational unit (%j)", async (coverage, culprit) => {
    const err = await errorOf(createReportPlan(env.c, { ReportTemplate: "BACKUP_JOB_REPORT", ...coverage }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(culprit);
  });

  it("refuses more than 1000 frameworks in one plan with LimitExceededException", async () => {
    const arns = [...Array(1001)].map((_, i) => `arn:aws:backup:us-east-1:000000000000:framework:f${i}-11111111-2222-3333-4444-555555555555`);
    const err = await errorOf(createReportPlan(env.c, { ReportTemplate: "CONTROL_COMPLIANCE_REPORT", FrameworkArns: arns }));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain("1000");
  });

  it("refuses a Region that is no Region name", async () => {
    const err = await errorOf(createReportPlan(env.c, { ReportTemplate: "BACKUP_JOB_REPORT", Regions: ["moon-1"] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("moon-1");
  });
});

describe("CreateReportPlan quota", () => {
  const env = ownEmulator();

  it("refuses a 21st report plan in an account with LimitExceededException", async () => {
    for (let i = 0; i < 20; i++) await createReportPlan(env.c);
    const err = await errorOf(createReportPlan(env.t.client({ region: "eu-west-1" })));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain("20");
  });
});

describe("DescribeReportPlan", () => {
  const env = ownEmulator();

  it("returns every field of the plan", async () => {
    const name = auditName("plan");
    const { ReportPlanArn } = await env.c.send(
      new CreateReportPlanCommand({
        ReportPlanName: name,
        ReportPlanDescription: "daily jobs",
        ReportSetting: { ReportTemplate: "COPY_JOB_REPORT", Regions: ["us-east-1"] },
        ReportDeliveryChannel: { S3BucketName: BUCKET, S3KeyPrefix: "audit", Formats: ["CSV", "JSON"] },
      }),
    );
    const plan = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
    expect(plan).toMatchObject({
      ReportPlanName: name,
      ReportPlanArn,
      ReportPlanDescription: "daily jobs",
      ReportSetting: { ReportTemplate: "COPY_JOB_REPORT", Regions: ["us-east-1"], NumberOfFrameworks: 0 },
      ReportDeliveryChannel: { S3BucketName: BUCKET, S3KeyPrefix: "audit", Formats: ["CSV", "JSON"] },
      DeploymentStatus: "COMPLETED",
    });
    expect(plan.CreationTime).toBeInstanceOf(Date);
    expect(plan.LastAttemptedExecutionTime).toBeUndefined();
  });

  it("answers ResourceNotFoundException naming a plan that does not exist", async () => {
    const err = await errorOf(env.c.send(new DescribeReportPlanCommand({ ReportPlanName: "no_plan" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no_plan");
  });
});

describe("UpdateReportPlan", () => {
  const env = ownEmulator();

  it("changes the delivery channel, setting and description and keeps the creation time", async () => {
    const { name, arn } = await createReportPlan(env.c);
    const before = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
    const out = await env.c.send(
      new UpdateReportPlanCommand({
        ReportPlanName: name,
        ReportPlanDescription: "restores",
        ReportSetting: { ReportTemplate: "RESTORE_JOB_REPORT" },
        ReportDeliveryChannel: { S3BucketName: "other-bucket", Formats: ["JSON"] },
      }),
    );
    expect(out).toMatchObject({ ReportPlanName: name, ReportPlanArn: arn, CreationTime: before.CreationTime });
    const after = (await env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
    expect(after).toMatchObject({
      ReportPlanDescription: "restores",
      ReportSetting: { ReportTemplate: "RESTORE_JOB_REPORT" },
      ReportDeliveryChannel: { S3BucketName: "other-bucket", Formats: ["JSON"] },
      DeploymentStatus: "COMPLETED",
    });
  });

  it("answers ResourceNotFoundException naming a plan that does not exist", async () => {
    const err = await errorOf(env.c.send(new UpdateReportPlanCommand({ ReportPlanName: "nope_plan", ReportPlanDescription: "x" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("nope_plan");
  });

  it("refuses more than 1000 frameworks with InvalidParameterValueException, as the operation models no quota error", async () => {
    const { name } = await createReportPlan(env.c);
    const arns = [...Array(1001)].map((_, i) => `arn:aws:backup:us-east-1:000000000000:framework:f${i}-11111111-2222-3333-4444-555555555555`);
    const err = await errorOf(env.c.send(new UpdateReportPlanCommand({ ReportPlanName: name, ReportSetting: { ReportTemplate: "CONTROL_COMPLIANCE_REPORT", FrameworkArns: arns } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("1000");
  });

  it("refuses a setting that makes the existing JSON delivery impossible", async () => {
    const { name } = await createReportPlan(env.c, jobsSetting(), { Formats: ["JSON"] });
    const err = await errorOf(env.c.send(new UpdateReportPlanCommand({ ReportPlanName: name, ReportSetting: { ReportTemplate: "BACKUP_JOB_REPORT", Regions: ["*"] } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("JSON");
  });
});

describe("DeleteReportPlan", () => {
  const env = ownEmulator();

  it("deletes the plan and its tags but keeps its report jobs", async () => {
    const { name, arn } = await createReportPlan(env.c);
    const job = await runReport(env.c, name);
    await env.c.send(new DeleteReportPlanCommand({ ReportPlanName: name }));
    expect((await errorOf(env.c.send(new DescribeReportPlanCommand({ ReportPlanName: name })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(env.c.send(new ListTagsCommand({ ResourceArn: arn })))).name).toBe("ResourceNotFoundException");
    expect((await reportJob(env.c, job.ReportJobId!)).Status).toBe("COMPLETED");
  });

  it("answers ResourceNotFoundException naming a plan that does not exist", async () => {
    const err = await errorOf(env.c.send(new DeleteReportPlanCommand({ ReportPlanName: "never_plan" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("never_plan");
  });
});

describe("ListReportPlans", () => {
  const env = ownEmulator();

  it("lists every plan once across MaxResults pages", async () => {
    const names: string[] = [];
    for (let i = 0; i < 5; i++) names.push((await createReportPlan(env.c)).name);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await env.c.send(new ListReportPlansCommand({ MaxResults: 2, NextToken: token }));
      expect(page.ReportPlans!.length).toBeLessThanOrEqual(2);
      seen.push(...page.ReportPlans!.map((p) => p.ReportPlanName!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...names].sort());
  });
});

describe("StartReportJob", () => {
  const env = ownEmulator();

  it("answers ResourceNotFoundException naming a plan that does not exist", async () => {
    const err = await errorOf(env.c.send(new StartReportJobCommand({ ReportPlanName: "absent_plan" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("absent_plan");
  });

  it("writes a backup job report as CSV and JSON holding exactly the jobs of the two resources backed up", async () => {
    const vault = uniqueName("vault");
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const arns = [resources.dynamo(), resources.efs()];
    const jobIds: string[] = [];
    for (const ResourceArn of arns) {
      jobIds.push((await env.c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn, IamRoleArn: ROLE_ARN }))).BackupJobId!);
    }
    const { name } = await createReportPlan(env.c, jobsSetting(), { S3KeyPrefix: "audit/daily/", Formats: ["CSV", "JSON"] });
    const job = await runReport(env.c, name);
    expect(job.Status).toBe("COMPLETED");
    expect(job.ReportTemplate).toBe("BACKUP_JOB_REPORT");
    expect(job.ReportDestination!.S3BucketName).toBe(BUCKET);
    const keys = job.ReportDestination!.S3Keys!;
    expect(keys).toHaveLength(2);
    const day = job.CreationTime!.toISOString().slice(0, 10).replace(/-/g, "/");
    for (const key of keys) expect(key).toMatch(new RegExp(`^audit/daily/Backup/us-east-1/${day}/BACKUP_JOB_REPORT_${name}_${job.ReportJobId}\\.(csv|json)$`));

    const csvKey = keys.find((k) => k.endsWith(".csv"))!;
    const lines = readFileSync(join(env.dir, BUCKET, ...csvKey.split("/")), "utf8").trimEnd().split("\r\n");
    const header = lines[0]!.split(",");
    expect(header).toContain("backupJobId");
    expect(lines).toHaveLength(3);
    const idColumn = header.indexOf("backupJobId");
    const arnColumn = header.indexOf("resourceArn");
    const statusColumn = header.indexOf("jobStatus");
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows.map((r) => r[idColumn]).sort()).toEqual([...jobIds].sort());
    expect(rows.map((r) => r[arnColumn]).sort()).toEqual([...arns].sort());
    expect(rows.map((r) => r[statusColumn])).toEqual(["COMPLETED", "COMPLETED"]);

    const jsonKey = keys.find((k) => k.endsWith(".json"))!;
    const items = (JSON.parse(readFileSync(join(env.dir, BUCKET, ...jsonKey.split("/")), "utf8")) as { reportItems: Record<string, unknown>[] }).reportItems;
    expect(items.map((i) => i.backupJobId).sort()).toEqual([...jobIds].sort());
    for (const item of items) {
      expect(item).toMatchObject({ accountId: "000000000000", region: "us-east-1", jobStatus: "COMPLETED", backupVaultName: vault, isEncrypted: true, iamRoleArn: ROLE_ARN });
      expect(item.jobRunTime).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    }
  });

  it("fails the job with a status message when the report cannot be written", async () => {
    const file = join(env.dir, "not-a-folder");
    writeFileSync(file, "x");
    const other = await startTestEmulator({ reportsDir: file });
    try {
      const c = other.client();
      const { name } = await createReportPlan(c);
      const job = await runReport(c, name);
      expect(job.Status).toBe("FAILED");
      expect(job.StatusMessage).toContain(file);
      expect(job.ReportDestination).toBeUndefined();
      const plan = (await c.send(new DescribeReportPlanCommand({ ReportPlanName: name }))).ReportPlan!;
      expect(plan.LastAttemptedExecutionTime).toBeInstanceOf(Date);
      expect(plan.LastSuccessfulExecutionTime).toBeUndefined();
    } finally {
      await other.stop();
    }
  });
});

describe("StartReportJob and rolled-back work", () => {
  const env = ownEmulator({ jobCompletionDelaySeconds: 60 });

  /** Every file under a folder, recursively. */
  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  }

  it("leaves no report file when the transaction running the job rolls back, and writes it when the job runs again", async () => {
    const { name } = await createReportPlan(env.c, jobsSetting(), { Formats: ["CSV", "JSON"] });
    const { ReportJobId } = await env.c.send(new StartReportJobCommand({ ReportPlanName: name }));
    const before = filesUnder(env.dir).length;
    const { store, scheduler, clock } = env.t.emu;
    expect(() =>
      store.transaction(() => {
        expect(scheduler.runDue(clock.now() + 120)).toBeGreaterThan(0);
        throw new Error("roll back the job's run");
      }),
    ).toThrow("roll back the job's run");
    expect(filesUnder(env.dir)).toHaveLength(before);
    expect((await reportJob(env.c, ReportJobId!)).Status).toBe("CREATED");

    clock.advance(120);
    const done = await reportJob(env.c, ReportJobId!);
    expect(done.Status).toBe("COMPLETED");
    expect(done.ReportDestination?.S3Keys).toHaveLength(2);
    const written = filesUnder(env.dir);
    expect(written).toHaveLength(before + 2);
    for (const key of done.ReportDestination!.S3Keys!) expect(readFileSync(join(env.dir, BUCKET, ...key.split("/")), "utf8").length).toBeGreaterThan(0);
  });
});

describe("StartReportJob compliance reports", () => {
  const env = ownEmulator();

  it("reports a control that passes and one that fails, per control and per resource", async () => {
    const vault = uniqueName("vault");
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    // One resource is assigned to a backup plan, the other is only backed up on demand.
    const planned = resources.dynamo();
    const unplanned = resources.dynamo();
    const { BackupPlanId } = await env.c.send(
      new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault }] } }),
    );
    await env.c.send(new CreateBackupSelectionCommand({ BackupPlanId, BackupSelection: { SelectionName: "one", IamRoleArn: ROLE_ARN, Resources: [planned] } }));
    for (const ResourceArn of [planned, unplanned]) {
      await env.c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn, IamRoleArn: ROLE_ARN }));
    }
    const fw = await createFramework(env.c, [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED" }, { ControlName: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN" }], {
      FrameworkDescription: "coverage",
    });

    const controlPlan = await createReportPlan(env.c, { ReportTemplate: "CONTROL_COMPLIANCE_REPORT", FrameworkArns: [fw.arn] }, { Formats: ["JSON"] });
    const controlJob = await runReport(env.c, controlPlan.name);
    expect(controlJob.Status).toBe("COMPLETED");
    const controls = (JSON.parse(readFileSync(join(env.dir, BUCKET, ...controlJob.ReportDestination!.S3Keys![0]!.split("/")), "utf8")) as {
      reportItems: Record<string, unknown>[];
    }).reportItems;
    expect(controls).toHaveLength(2);
    expect(controls.find((r) => r.controlName === "BACKUP_RECOVERY_POINT_ENCRYPTED")).toMatchObject({
      frameworkName: fw.name,
      frameworkDescription: "coverage",
      controlComplianceStatus: "COMPLIANT",
      numResourcesCompliant: 2,
      numResourcesNonCompliant: 0,
    });
    expect(controls.find((r) => r.controlName === "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN")).toMatchObject({
      controlComplianceStatus: "NON_COMPLIANT",
      numResourcesCompliant: 1,
      numResourcesNonCompliant: 1,
    });

    const resourcePlan = await createReportPlan(env.c, { ReportTemplate: "RESOURCE_COMPLIANCE_REPORT", FrameworkArns: [fw.arn] }, { Formats: ["CSV"] });
    const resourceJob = await runReport(env.c, resourcePlan.name);
    const lines = readFileSync(join(env.dir, BUCKET, ...resourceJob.ReportDestination!.S3Keys![0]!.split("/")), "utf8").trimEnd().split("\r\n");
    const header = lines[0]!.split(",");
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, i) => [header[i], v])));
    const coverage = rows.filter((r) => r.controlName === "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN");
    const tableId = (arn: string) => `AWS::DynamoDB::Table/${arn.split("/").pop()}`;
    expect(coverage.find((r) => r.resourceId === tableId(planned))?.resourceComplianceStatus).toBe("COMPLIANT");
    expect(coverage.find((r) => r.resourceId === tableId(unplanned))?.resourceComplianceStatus).toBe("NON_COMPLIANT");
    expect(coverage.every((r) => r.resourceType === "AWS::DynamoDB::Table")).toBe(true);
    expect(rows.filter((r) => r.controlName === "BACKUP_RECOVERY_POINT_ENCRYPTED").map((r) => r.resourceComplianceStatus)).toEqual(["COMPLIANT", "COMPLIANT"]);
  });

  it("judges backup plans by frequency and retention, and vaults by whether their policy denies manual deletion", async () => {
    const vault = uniqueName("vault");
    const open = uniqueName("vault");
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: open }));
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Principal: "*",
          Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:PutBackupVaultAccessPolicy"],
          Resource: "*",
        },
      ],
    };
    await env.c.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: JSON.stringify(policy) }));
    const tag = { audit: uniqueName("freq") };
    const plan = (schedule: string) =>
      env.c.send(
        new CreateBackupPlanCommand({
          BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: vault, ScheduleExpression: schedule, Lifecycle: { DeleteAfterDays: 35 } }] },
          BackupPlanTags: tag,
        }),
      );
    const daily = await plan("cron(0 5 ? * * *)");
    const weekly = await plan("cron(0 5 ? * 1 *)");
    const fw = await createFramework(env.c, [
      { ControlName: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", ControlScope: { Tags: tag } },
      { ControlName: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED", ControlScope: { ComplianceResourceTypes: ["AWS::Backup::BackupVault"], ComplianceResourceIds: [vault, open] } },
    ]);
    const reportPlan = await createReportPlan(env.c, { ReportTemplate: "RESOURCE_COMPLIANCE_REPORT", FrameworkArns: [fw.arn] }, { Formats: ["JSON"] });
    const job = await runReport(env.c, reportPlan.name);
    const rows = (JSON.parse(readFileSync(join(env.dir, BUCKET, ...job.ReportDestination!.S3Keys![0]!.split("/")), "utf8")) as {
      reportItems: Record<string, unknown>[];
    }).reportItems;
    const status = (id: string) => rows.find((r) => r.resourceId === id)?.resourceComplianceStatus;
    expect(rows).toHaveLength(4);
    expect(status(`AWS::Backup::BackupPlan/${daily.BackupPlanId}`)).toBe("COMPLIANT");
    expect(status(`AWS::Backup::BackupPlan/${weekly.BackupPlanId}`)).toBe("NON_COMPLIANT");
    expect(status(`AWS::Backup::BackupVault/${vault}`)).toBe("COMPLIANT");
    expect(status(`AWS::Backup::BackupVault/${open}`)).toBe("NON_COMPLIANT");
  });

  it("judges recovery point retention against the control's requiredRetentionDays", async () => {
    const vault = uniqueName("vault");
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const short = resources.efs();
    const kept = resources.efs();
    await env.c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: short, IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 7 } }));
    await env.c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: kept, IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 90 } }));
    const fw = await createFramework(env.c, [
      {
        ControlName: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
        ControlInputParameters: [{ ParameterName: "requiredRetentionDays", ParameterValue: "30" }],
        ControlScope: { ComplianceResourceTypes: ["EFS"] },
      },
    ]);
    const plan = await createReportPlan(env.c, { ReportTemplate: "CONTROL_COMPLIANCE_REPORT", FrameworkArns: [fw.arn] }, { Formats: ["JSON"] });
    const job = await runReport(env.c, plan.name);
    const [row] = (JSON.parse(readFileSync(join(env.dir, BUCKET, ...job.ReportDestination!.S3Keys![0]!.split("/")), "utf8")) as {
      reportItems: Record<string, unknown>[];
    }).reportItems;
    expect(row).toMatchObject({
      controlName: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
      controlComplianceStatus: "NON_COMPLIANT",
      numResourcesCompliant: 1,
      numResourcesNonCompliant: 1,
      controlParameters: JSON.stringify({ requiredRetentionDays: "30" }),
    });
  });
});

describe("StartReportJob compliance reports with selection patterns", () => {
  const env = ownEmulator();

  it("counts a resource as protected by the same selection rules plan runs use: ? for one character, NotResources and Conditions narrowing", async () => {
    const vault = uniqueName("vault");
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const stem = `arn:aws:dynamodb:us-east-1:123456789012:table/${uniqueName("qm")}`;
    const [one, two, excluded, longer] = [`${stem}-1`, `${stem}-2`, `${stem}-3`, `${stem}-10`];
    const { BackupPlanId } = await env.c.send(
      new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault }] } }),
    );
    await env.c.send(
      new CreateBackupSelectionCommand({
        BackupPlanId,
        BackupSelection: {
          SelectionName: "pattern",
          IamRoleArn: ROLE_ARN,
          Resources: [`${stem}-?`],
          NotResources: [excluded],
          Conditions: { StringNotEquals: [{ ConditionKey: "aws:ResourceTag/backup", ConditionValue: "none" }] },
        },
      }),
    );
    for (const ResourceArn of [one, two, excluded, longer]) await env.c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn, IamRoleArn: ROLE_ARN }));
    // Tags of protected resources come from the inventory or discovery; set directly here.
    env.t.emu.store.setTags({ accountId: "000000000000", region: "us-east-1" }, two, { backup: "none" });
    const fw = await createFramework(env.c, [{ ControlName: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN", ControlScope: { ComplianceResourceTypes: ["DynamoDB"], ComplianceResourceIds: [one, two, excluded, longer] } }]);
    const plan = await createReportPlan(env.c, { ReportTemplate: "RESOURCE_COMPLIANCE_REPORT", FrameworkArns: [fw.arn] }, { Formats: ["JSON"] });
    const job = await runReport(env.c, plan.name);
    expect(job.Status).toBe("COMPLETED");
    const rows = (JSON.parse(readFileSync(join(env.dir, BUCKET, ...job.ReportDestination!.S3Keys![0]!.split("/")), "utf8")) as { reportItems: Record<string, unknown>[] })
      .reportItems;
    const statusOf = (arn: string) => rows.find((r) => r.resourceId === `AWS::DynamoDB::Table/${arn.split("/").pop()}`)?.resourceComplianceStatus;
    expect(statusOf(one)).toBe("COMPLIANT");
    expect(statusOf(two)).toBe("NON_COMPLIANT");
    expect(statusOf(excluded)).toBe("NON_COMPLIANT");
    expect(statusOf(longer)).toBe("NON_COMPLIANT");
  });
});

describe("StartReportJob copy and restore reports", () => {
  const env = ownEmulator();

  /** The reportItems of a finished JSON report. */
  const itemsOf = (job: ReportJob) =>
    (JSON.parse(readFileSync(join(env.dir, BUCKET, ...job.ReportDestination!.S3Keys![0]!.split("/")), "utf8")) as { reportItems: Record<string, unknown>[] }).reportItems;

  it("reports exactly the copy jobs and the restore jobs of the account", async () => {
    const source = uniqueName("vault");
    const target = uniqueName("vault");
    const { BackupVaultArn: targetArn } = await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: target }));
    await env.c.send(new CreateBackupVaultCommand({ BackupVaultName: source }));
    const resource = resources.dynamo();
    const { RecoveryPointArn } = await env.c.send(new StartBackupJobCommand({ BackupVaultName: source, ResourceArn: resource, IamRoleArn: ROLE_ARN }));
    const { CopyJobId } = await env.c.send(
      new StartCopyJobCommand({ SourceBackupVaultName: source, RecoveryPointArn, DestinationBackupVaultArn: targetArn, IamRoleArn: ROLE_ARN }),
    );
    const { RestoreJobId } = await env.c.send(new StartRestoreJobCommand({ RecoveryPointArn, Metadata: { targetTableName: "restored" }, IamRoleArn: ROLE_ARN }));

    const copyPlan = await createReportPlan(env.c, jobsSetting("COPY_JOB_REPORT"), { Formats: ["JSON"] });
    const copies = itemsOf(await runReport(env.c, copyPlan.name));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ copyJobId: CopyJobId, resourceArn: resource, sourceRecoveryPointArn: RecoveryPointArn, destinationBackupVaultArn: targetArn });

    const restorePlan = await createReportPlan(env.c, jobsSetting("RESTORE_JOB_REPORT"), { Formats: ["JSON"] });
    const restores = itemsOf(await runReport(env.c, restorePlan.name));
    expect(restores).toHaveLength(1);
    expect(restores[0]).toMatchObject({ restoreJobId: RestoreJobId, recoveryPointArn: RecoveryPointArn, accountId: "000000000000", region: "us-east-1" });
  });
});

describe("DescribeReportJob", () => {
  const env = ownEmulator();

  it("returns the job with its plan, template, times and destination", async () => {
    const { name, arn } = await createReportPlan(env.c, jobsSetting("RESTORE_JOB_REPORT"));
    const job = await runReport(env.c, name);
    expect(job).toMatchObject({ ReportPlanArn: arn, ReportTemplate: "RESTORE_JOB_REPORT", Status: "COMPLETED", ReportDestination: { S3BucketName: BUCKET } });
    expect(job.CreationTime).toBeInstanceOf(Date);
    expect(job.CompletionTime).toBeInstanceOf(Date);
  });

  it("answers ResourceNotFoundException naming a job that does not exist", async () => {
    const err = await errorOf(env.c.send(new DescribeReportJobCommand({ ReportJobId: "no-such-report-job" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-report-job");
  });
});

describe("ListReportJobs", () => {
  const env = ownEmulator();

  it("filters by report plan name, status and creation time, and pages through each job once", async () => {
    const a = await createReportPlan(env.c);
    const b = await createReportPlan(env.c, jobsSetting("COPY_JOB_REPORT"));
    const first = await runReport(env.c, a.name);
    env.t.emu.clock.advance(100);
    const second = await runReport(env.c, a.name);
    const third = await runReport(env.c, b.name);

    const byPlan = await env.c.send(new ListReportJobsCommand({ ByReportPlanName: a.name }));
    expect(byPlan.ReportJobs!.map((j) => j.ReportJobId).sort()).toEqual([first.ReportJobId, second.ReportJobId].sort());

    const after = await env.c.send(new ListReportJobsCommand({ ByCreationAfter: new Date(first.CreationTime!.getTime() + 50_000) }));
    expect(after.ReportJobs!.map((j) => j.ReportJobId).sort()).toEqual([second.ReportJobId, third.ReportJobId].sort());
    const before = await env.c.send(new ListReportJobsCommand({ ByCreationBefore: new Date(first.CreationTime!.getTime() + 50_000) }));
    expect(before.ReportJobs!.map((j) => j.ReportJobId)).toEqual([first.ReportJobId]);

    expect((await env.c.send(new ListReportJobsCommand({ ByStatus: "COMPLETED" }))).ReportJobs).toHaveLength(3);
    expect((await env.c.send(new ListReportJobsCommand({ ByStatus: "FAILED" }))).ReportJobs).toHaveLength(0);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await env.c.send(new ListReportJobsCommand({ MaxResults: 2, NextToken: token }));
      seen.push(...page.ReportJobs!.map((j) => j.ReportJobId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([first.ReportJobId, second.ReportJobId, third.ReportJobId].sort());
  });

  it("refuses a status that report jobs do not have", async () => {
    const err = await errorOf(env.c.send(new ListReportJobsCommand({ ByStatus: "SLEEPING" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("SLEEPING");
  });

  it("answers ResourceNotFoundException for a report plan name that names no plan", async () => {
    const err = await errorOf(env.c.send(new ListReportJobsCommand({ ByReportPlanName: "unknown_plan" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("unknown_plan");
  });
});
