/**
 * State for the fuzzer to hit: a few of every kind of resource, made through the real SDK, then
 * the pools of their names and ids read back from the store (so they include what the seeding
 * caused: recovery points of finished jobs, plan versions, report jobs).
 */
import {
  CancelLegalHoldCommand,
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  CreateFrameworkCommand,
  CreateLegalHoldCommand,
  CreateLogicallyAirGappedBackupVaultCommand,
  CreateReportPlanCommand,
  CreateRestoreTestingPlanCommand,
  CreateRestoreTestingSelectionCommand,
  CreateTieringConfigurationCommand,
  DeleteBackupVaultCommand,
  ListBackupJobsCommand,
  ListBackupPlanTemplatesCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartReportJobCommand,
  StartRestoreJobCommand,
  StartScanJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { frameworksDef, reportJobsDef, reportPlansDef } from "../../../src/store/schema/audit.js";
import { copyJobsDef } from "../../../src/store/schema/copy.js";
import { legalHoldsDef } from "../../../src/store/schema/governance.js";
import { restoreJobsDef } from "../../../src/store/schema/restore.js";
import { restoreTestingPlansDef, restoreTestingSelectionsDef } from "../../../src/store/schema/restore-testing.js";
import { scanJobsDef, tieringConfigurationsDef } from "../../../src/store/schema/tiering-scans.js";
import type { Store } from "../../../src/store/store.js";
import type { Scope } from "../../../src/store/table.js";
import { ROLE_ARN, type Pools } from "./values.js";

export const HOME: Scope = { accountId: "000000000000", region: "us-east-1" };
const SCANNER_ROLE = "arn:aws:iam::000000000000:role/GuardDutyMalwareProtectionForBackup";

export const SEED_RESOURCES = {
  ebs: "arn:aws:ec2:us-east-1:000000000000:volume/vol-0123456789abcdef0",
  ec2: "arn:aws:ec2:us-east-1:000000000000:instance/i-0123456789abcdef0",
  s3: "arn:aws:s3:::fuzz-bucket",
  dynamo: "arn:aws:dynamodb:us-east-1:000000000000:table/fuzz-table",
} as const;

const VAULTS = ["fuzz-vault-a", "fuzz-vault-b", "fuzz-vault-c"];

/**
 * Create whatever of the seed state does not exist (now), through `c` on an emulator with job
 * delay 0, where jobs finish at the next request. The fuzzer deletes and locks what it finds,
 * so this runs again between batches; then a step that fails is skipped (`strict` false), since
 * what the fuzzer did may forbid it (a vault lock refusing the seed's retention, say).
 */
export async function seed(c: BackupClient, store: Store, strict = true, advanceClock?: (seconds: number) => void): Promise<void> {
  const step = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      if (strict) throw new Error(`seeding failed at ${what}: ${(err as Error).name}: ${(err as Error).message}`);
    }
  };
  for (const name of VAULTS) {
    if (!store.vaults.has(HOME, name)) await step(`vault ${name}`, () => c.send(new CreateBackupVaultCommand({ BackupVaultName: name, BackupVaultTags: { seed: "yes" } })));
  }
  if (!store.vaults.has(HOME, "fuzz-lag")) {
    await step("air-gapped vault", () => c.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: "fuzz-lag", MinRetentionDays: 7, MaxRetentionDays: 3650 })));
  }
  await step("access policy", () =>
    c.send(
      new PutBackupVaultAccessPolicyCommand({
        BackupVaultName: "fuzz-vault-b",
        Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "backup:DeleteBackupVault", Resource: "*" }] }),
      }),
    ),
  );
  await step("notifications", () =>
    c.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: "fuzz-vault-a", SNSTopicArn: "arn:aws:sns:us-east-1:000000000000:backup-events", BackupVaultEvents: ["BACKUP_JOB_COMPLETED"] })),
  );

  const livePlans = store.plans.all(HOME, { deleted: null });
  let planId = livePlans.find((p) => p.BackupPlanName === "fuzz-plan")?.BackupPlanId;
  if (!planId) {
    await step("backup plan", async () => {
      const plan = await c.send(
        new CreateBackupPlanCommand({
          BackupPlan: {
            BackupPlanName: "fuzz-plan",
            Rules: [{ RuleName: "daily", TargetBackupVaultName: "fuzz-vault-a", ScheduleExpression: "cron(0 5 ? * * *)", Lifecycle: { DeleteAfterDays: 35 } }],
          },
          BackupPlanTags: { seed: "yes" },
        }),
      );
      planId = plan.BackupPlanId;
    });
  }
  if (planId && store.selections.count(HOME, { plan_id: planId }) === 0) {
    await step("backup selection", () =>
      c.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: { SelectionName: "fuzz-selection", IamRoleArn: ROLE_ARN, Resources: [SEED_RESOURCES.ebs] } })),
    );
  }

  // A continuous backup exists only through a plan's rule: let one run by moving the clock past its schedule.
  if (advanceClock && !store.plans.all(HOME, { deleted: null }).some((p) => p.BackupPlanName === "fuzz-continuous-plan")) {
    await step("continuous backup", async () => {
      const plan = await c.send(
        new CreateBackupPlanCommand({
          BackupPlan: {
            BackupPlanName: "fuzz-continuous-plan",
            Rules: [{ RuleName: "pitr", TargetBackupVaultName: "fuzz-vault-a", ScheduleExpression: "cron(0 * * * ? *)", EnableContinuousBackup: true, Lifecycle: { DeleteAfterDays: 35 } }],
          },
        }),
      );
      await c.send(
        new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: "fuzz-pitr", IamRoleArn: ROLE_ARN, Resources: [SEED_RESOURCES.s3] } }),
      );
      advanceClock(2 * 3600);
      await c.send(new ListBackupJobsCommand({ MaxResults: 1 }));
      if (!store.recoveryPoints.all(HOME, { vault: "fuzz-vault-a" }).some((p) => p.RecoveryPointArn.includes(":recovery-point:continuous:"))) {
        throw new Error("the continuous backup rule left no continuous recovery point");
      }
    });
  }

  const jobs: [string, string][] = [
    ["fuzz-vault-a", SEED_RESOURCES.ebs],
    ["fuzz-vault-a", SEED_RESOURCES.s3],
    ["fuzz-vault-b", SEED_RESOURCES.ec2],
    ["fuzz-vault-b", SEED_RESOURCES.dynamo],
    ["fuzz-vault-c", SEED_RESOURCES.ebs],
  ];
  const held = (vault: string, resource: string) => store.recoveryPoints.count(HOME, { vault, resource_arn: resource }) > 0;
  for (const [vault, resource] of jobs) {
    if (!held(vault, resource)) {
      await step(`backup of ${resource}`, () => c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resource, IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 100 } })));
    }
  }
  // Any request runs the due work: the jobs above complete and their recovery points appear.
  await c.send(new ListBackupJobsCommand({ MaxResults: 1 }));
  if (strict) {
    const missing = jobs.filter(([v, r]) => !held(v, r));
    if (missing.length) throw new Error(`seeding expected recovery points of ${missing.map(([v, r]) => `${r} in ${v}`).join(", ")}`);
  }

  const pointOf = (vault: string, resource: string) => store.recoveryPoints.all(HOME, { vault, resource_arn: resource })[0];
  const s3Point = pointOf("fuzz-vault-a", SEED_RESOURCES.s3);
  const dynamoPoint = pointOf("fuzz-vault-b", SEED_RESOURCES.dynamo);
  if (dynamoPoint && store.table(copyJobsDef).count(HOME) === 0) {
    await step("copy job", () =>
      c.send(
        new StartCopyJobCommand({
          RecoveryPointArn: dynamoPoint.RecoveryPointArn,
          SourceBackupVaultName: dynamoPoint.BackupVaultName,
          DestinationBackupVaultArn: "arn:aws:backup:us-east-1:000000000000:backup-vault:fuzz-vault-c",
          IamRoleArn: ROLE_ARN,
        }),
      ),
    );
  }
  if (dynamoPoint && store.table(restoreJobsDef).count(HOME) === 0) {
    await step("restore job", () => c.send(new StartRestoreJobCommand({ RecoveryPointArn: dynamoPoint.RecoveryPointArn, Metadata: { targetTableName: "restored" }, IamRoleArn: ROLE_ARN })));
  }
  if (s3Point && store.table(scanJobsDef).count(HOME) === 0) {
    await step("scan job", () =>
      c.send(
        new StartScanJobCommand({
          BackupVaultName: s3Point.BackupVaultName,
          RecoveryPointArn: s3Point.RecoveryPointArn,
          MalwareScanner: "GUARDDUTY",
          ScanMode: "FULL_SCAN",
          IamRoleArn: ROLE_ARN,
          ScannerRoleArn: SCANNER_ROLE,
        }),
      ),
    );
  }
  if (!strict) {
    // Holds the fuzzer placed would in time cover every recovery point and stop every deletion
    // (and the checks behind it) from being reached: keep only the seeded one.
    const active = store.table(legalHoldsDef).all(HOME, { status: "ACTIVE" });
    const kept = active.find((h) => h.Title === "fuzz hold");
    for (const h of active.filter((x) => x !== kept)) {
      await step(`cancel hold ${h.LegalHoldId}`, () => c.send(new CancelLegalHoldCommand({ LegalHoldId: h.LegalHoldId, CancelDescription: "fuzz upkeep" })));
    }
    // Vaults the fuzzer created would reach the quota of 1000 in a long run: remove the empty ones.
    const extra = store.vaults.all(HOME).filter((v) => !v.BackupVaultName.startsWith("fuzz-") && v.NumberOfRecoveryPoints === 0);
    if (extra.length > 200) for (const v of extra) await step(`delete vault ${v.BackupVaultName}`, () => c.send(new DeleteBackupVaultCommand({ BackupVaultName: v.BackupVaultName })));
  }
  if (store.table(legalHoldsDef).count(HOME, { status: "ACTIVE" }) === 0) {
    await step("legal hold", () => c.send(new CreateLegalHoldCommand({ Title: "fuzz hold", Description: "seed", RecoveryPointSelection: { VaultNames: ["fuzz-vault-c"] } })));
  }
  if (!store.table(frameworksDef).has(HOME, "fuzz_framework")) {
    await step("framework", () => c.send(new CreateFrameworkCommand({ FrameworkName: "fuzz_framework", FrameworkControls: [{ ControlName: "BACKUP_RECOVERY_POINT_ENCRYPTED" }] })));
  }
  if (!store.table(reportPlansDef).has(HOME, "fuzz_report_plan")) {
    await step("report plan", () =>
      c.send(new CreateReportPlanCommand({ ReportPlanName: "fuzz_report_plan", ReportSetting: { ReportTemplate: "BACKUP_JOB_REPORT" }, ReportDeliveryChannel: { S3BucketName: "report-bucket" } })),
    );
  }
  if (store.table(reportJobsDef).count(HOME) === 0) await step("report job", () => c.send(new StartReportJobCommand({ ReportPlanName: "fuzz_report_plan" })));
  if (!store.table(restoreTestingPlansDef).has(HOME, "fuzz_rt_plan")) {
    await step("restore testing plan", () =>
      c.send(
        new CreateRestoreTestingPlanCommand({
          RestoreTestingPlan: {
            RestoreTestingPlanName: "fuzz_rt_plan",
            ScheduleExpression: "cron(0 1 ? * * *)",
            RecoveryPointSelection: { Algorithm: "LATEST_WITHIN_WINDOW", IncludeVaults: ["*"], RecoveryPointTypes: ["SNAPSHOT"] },
          },
        }),
      ),
    );
  }
  if (!store.table(restoreTestingSelectionsDef).has(HOME, "fuzz_rt_plan", "fuzz_rt_selection")) {
    await step("restore testing selection", () =>
      c.send(
        new CreateRestoreTestingSelectionCommand({
          RestoreTestingPlanName: "fuzz_rt_plan",
          RestoreTestingSelection: { RestoreTestingSelectionName: "fuzz_rt_selection", ProtectedResourceType: "DynamoDB", IamRoleArn: ROLE_ARN, ProtectedResourceArns: ["*"] },
        }),
      ),
    );
  }
  if (!store.table(tieringConfigurationsDef).has(HOME, "fuzz_tiering")) {
    await step("tiering configuration", () =>
      c.send(
        new CreateTieringConfigurationCommand({
          TieringConfiguration: { TieringConfigurationName: "fuzz_tiering", BackupVaultName: "fuzz-vault-a", ResourceSelection: [{ ResourceType: "S3", Resources: ["*"], TieringDownSettingsInDays: 60 }] },
        }),
      ),
    );
  }
  // One more request so that the copy, restore, scan and report jobs finish.
  await c.send(new ListBackupPlanTemplatesCommand({}));
}

/** Without repeats, in the store's order (oldest first for most tables, so the seeded things lead). */
const uniq = (xs: string[]) => [...new Set(xs)];

/** Refill `pools` in place with the names and ids of what exists now in the home scope. */
export function refreshPools(pools: Pools, store: Store): void {
  // Vaults that hold recovery points first: requests on them reach the most behaviour.
  const vaults = store.vaults.all(HOME).sort((a, b) => b.NumberOfRecoveryPoints - a.NumberOfRecoveryPoints);
  const lag = vaults.filter((v) => v.VaultType === "LOGICALLY_AIR_GAPPED_BACKUP_VAULT");
  const plans = store.plans.all(HOME, { deleted: null });
  const selections = store.selections.all(HOME);
  // Continuous backups first (only they reach the point-in-time paths), then the oldest, which the seed made.
  const continuous = (arn: string) => (arn.includes(":recovery-point:continuous:") ? 0 : 1);
  const points = store.recoveryPoints.all(HOME).sort((a, b) => continuous(a.RecoveryPointArn) - continuous(b.RecoveryPointArn) || a.CreationDate - b.CreationDate);
  const frameworks = store.table(frameworksDef).all(HOME);
  const reportPlans = store.table(reportPlansDef).all(HOME);
  const rtPlans = store.table(restoreTestingPlansDef).all(HOME);
  const rtSelections = store.table(restoreTestingSelectionsDef).all(HOME);
  const holds = store.table(legalHoldsDef).all(HOME);
  const tiering = store.table(tieringConfigurationsDef).all(HOME);
  const next: Omit<Pools, "planTemplates"> = {
    vaults: uniq(vaults.map((v) => v.BackupVaultName)),
    vaultArns: uniq(vaults.map((v) => v.BackupVaultArn)),
    lagVaults: uniq(lag.map((v) => v.BackupVaultName)),
    lagVaultArns: uniq(lag.map((v) => v.BackupVaultArn)),
    plans: uniq(plans.map((p) => p.BackupPlanId)),
    planVersions: uniq(store.planVersions.all(HOME).map((p) => p.VersionId)),
    selections: uniq(selections.map((s) => s.SelectionId)),
    selectionPairs: selections.map((s) => [s.BackupPlanId, s.SelectionId]),
    backupJobs: uniq(store.backupJobs.all(HOME).map((j) => j.BackupJobId)),
    recoveryPoints: uniq(points.map((p) => p.RecoveryPointArn)),
    pointPairs: points.map((p) => [p.BackupVaultName, p.RecoveryPointArn]),
    resources: uniq([...Object.values(SEED_RESOURCES), ...points.map((p) => p.ResourceArn)]),
    taggable: uniq([
      ...vaults.map((v) => v.BackupVaultArn),
      ...plans.map((p) => p.BackupPlanArn),
      ...points.map((p) => p.RecoveryPointArn),
      ...frameworks.map((f) => f.FrameworkArn),
      ...reportPlans.map((p) => p.ReportPlanArn),
      ...rtPlans.map((p) => p.RestoreTestingPlanArn),
      ...holds.map((h) => h.LegalHoldArn),
      ...tiering.map((t) => t.TieringConfigurationArn),
    ]),
    copyJobs: uniq(store.table(copyJobsDef).all(HOME).map((j) => j.CopyJobId)),
    restoreJobs: uniq(store.table(restoreJobsDef).all(HOME).map((j) => j.RestoreJobId)),
    legalHolds: uniq(holds.map((h) => h.LegalHoldId)),
    frameworks: uniq(frameworks.map((f) => f.FrameworkName)),
    frameworkArns: uniq(frameworks.map((f) => f.FrameworkArn)),
    reportPlans: uniq(reportPlans.map((p) => p.ReportPlanName)),
    reportJobs: uniq(store.table(reportJobsDef).all(HOME).map((j) => j.ReportJobId)),
    restoreTestingPlans: uniq(rtPlans.map((p) => p.RestoreTestingPlanName)),
    restoreTestingSelections: uniq(rtSelections.map((s) => s.RestoreTestingSelectionName)),
    restoreTestingPairs: rtSelections.map((s) => [s.RestoreTestingPlanName, s.RestoreTestingSelectionName]),
    tieringConfigurations: uniq(tiering.map((t) => t.TieringConfigurationName)),
    scanJobs: uniq(store.table(scanJobsDef).all(HOME).map((j) => j.ScanJobId)),
  };
  // In place: the generators hold these very arrays.
  for (const [k, values] of Object.entries(next) as [keyof typeof next, unknown[]][]) {
    const pool = pools[k] as unknown[];
    pool.length = 0;
    for (const v of values) pool.push(v);
  }
}

/** Template ids come from the service, not the store: ask for them once. */
export async function planTemplateIds(c: BackupClient): Promise<string[]> {
  const out = await c.send(new ListBackupPlanTemplatesCommand({}));
  return (out.BackupPlanTemplatesList ?? []).map((t) => t.BackupPlanTemplateId!).filter(Boolean);
}
