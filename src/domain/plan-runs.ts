/**
 * Backup plans that run. Each rule of a live plan has one queued `plan-rule` item at its next
 * scheduled time (AWS cron in the rule's time zone). When it fires, every selection of the plan
 * is resolved to resources and one backup job per resource starts, created by the plan (its
 * CreatedBy names plan, version and rule) into the rule's target vault with the rule's
 * lifecycle and recovery point tags, and a backup index when the rule's index action names the
 * resource's type; then the rule's next run is queued. When a plan-created job completes, each
 * of the rule's copy actions starts a copy job.
 *
 * The service runs these jobs as the selection's IAM role, a principal of the plan's own account,
 * so an explicit Deny in a vault's access policy applies to them: a backup job whose target vault
 * denies backup:StartBackupJob, or a copy whose source vault denies backup:CopyFromBackupVault,
 * is recorded and ends FAILED with MessageCategory ACCESS_DENIED (docs/vault-policies.md).
 */
import type { Logger } from "pino";
import { ServiceError } from "../../generated/errors.js";
import type { Config } from "../config.js";
import type { Shapes } from "../../generated/operations.js";
import type { BackupJobRecord, PlanRecord, RecoveryPointRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { startBackupJob } from "./backup-jobs.js";
import { fixedClock } from "./clock.js";
import { startCopyJob } from "./copy-jobs.js";
import type { ResourceDiscovery } from "./discovery.js";
import { knownResources, type KnownResource } from "./resource-inventory.js";
import { nextRuns } from "./schedule.js";
import { PLAN_RULE_WORK } from "./plan-schedule.js";
import { resolveSelection } from "./selection-match.js";
import { isOptedIn } from "./settings.js";
import { callerOf, vaultRefusal } from "./vault-policy.js";
import type { WorkFactory } from "./work.js";

/** Types that keep one continuous recovery point (point-in-time restore) when a rule enables it. */
export const CONTINUOUS_TYPES = new Set(["RDS", "Aurora", "S3", "SAP HANA on Amazon EC2"]);

interface RunDeps {
  store: Store;
  config: Config;
  log: Logger;
  discovery?: ResourceDiscovery;
}

/** The resources a plan's selections pick now, each with the IAM role of the first selection that picked it. */
export function planResources(store: Store, scope: Scope, planId: string, discovered: readonly KnownResource[] = []): { resource: KnownResource; iamRoleArn: string }[] {
  const known = knownResources(store, scope, discovered);
  const optedIn = (type: string) => isOptedIn(store, scope, type);
  const picked = new Map<string, { resource: KnownResource; iamRoleArn: string }>();
  for (const s of store.selections.all(scope, { plan_id: planId })) {
    for (const r of resolveSelection(s.BackupSelection, known, optedIn)) {
      if (!picked.has(r.arn)) picked.set(r.arn, { resource: r, iamRoleArn: s.BackupSelection.IamRoleArn });
    }
  }
  return [...picked.values()];
}

function runRule({ store, config, log, discovery }: RunDeps, item: WorkItem, at: number): void {
  const scope = item.scope;
  const plan = store.plans.get(scope, item.ref);
  const ruleId = (item.data as { ruleId: string }).ruleId;
  const rule = plan?.BackupPlan.Rules.find((r) => r.RuleId === ruleId);
  if (!plan || plan.DeletionDate !== undefined || !rule) return;

  const ctx = { scope, store, config, clock: fixedClock(at) };
  const vault = store.vaults.get(scope, rule.TargetBackupVaultName);
  for (const { resource, iamRoleArn } of planResources(store, scope, plan.BackupPlanId, discovery?.cached(scope))) {
    const denied = vault && vaultRefusal(vault, { action: "backup:StartBackupJob", caller: callerOf(ctx, iamRoleArn) });
    try {
      startBackupJob(
        ctx,
        {
          BackupVaultName: rule.TargetBackupVaultName,
          ResourceArn: resource.arn,
          IamRoleArn: iamRoleArn,
          ...(rule.Lifecycle ? { Lifecycle: rule.Lifecycle } : {}),
          ...(rule.RecoveryPointTags ? { RecoveryPointTags: rule.RecoveryPointTags } : {}),
          ...(rule.StartWindowMinutes !== undefined ? { StartWindowMinutes: rule.StartWindowMinutes } : {}),
          ...(rule.CompletionWindowMinutes !== undefined ? { CompleteWindowMinutes: rule.CompletionWindowMinutes } : {}),
          ...advancedOptions(plan, resource.type),
          Continuous: rule.EnableContinuousBackup === true && CONTINUOUS_TYPES.has(resource.type),
          ...(indexes(rule, resource.type) ? { Index: "ENABLED" as const } : {}),
          ...(denied ? { AccessDenied: denied } : {}),
          CreatedBy: {
            BackupPlanId: plan.BackupPlanId,
            BackupPlanArn: plan.BackupPlanArn,
            BackupPlanName: plan.BackupPlanName,
            BackupPlanVersion: plan.VersionId,
            BackupRuleId: rule.RuleId,
            BackupRuleName: rule.RuleName,
            ...(rule.ScheduleExpression ? { BackupRuleCron: rule.ScheduleExpression } : {}),
            ...(rule.ScheduleExpressionTimezone ? { BackupRuleTimezone: rule.ScheduleExpressionTimezone } : {}),
          },
        },
        at,
      );
    } catch (err) {
      // One resource that cannot be backed up (a deleted vault) does not stop the others.
      if (!(err instanceof ServiceError)) throw err;
      log.warn({ plan: plan.BackupPlanId, rule: rule.RuleName, resource: resource.arn, err: err.message }, "scheduled backup not started");
    }
  }
  store.plans.put(scope, { ...plan, LastExecutionDate: at });
  const [next] = nextRuns(rule.ScheduleExpression!, rule.ScheduleExpressionTimezone, at, 1);
  if (next !== undefined) store.schedule(next, PLAN_RULE_WORK, scope, plan.BackupPlanId, { ruleId: rule.RuleId });
}

/** A rule's index action names the resource types whose backups get a backup index (API reference, IndexAction). */
function indexes(rule: Shapes["BackupRule"], resourceType: string): boolean {
  return rule.IndexActions?.some((action) => action.ResourceTypes?.includes(resourceType)) === true;
}

function advancedOptions(plan: PlanRecord, resourceType: string): { BackupOptions?: Record<string, string> } {
  const setting = plan.BackupPlan.AdvancedBackupSettings?.find((s) => s.ResourceType === resourceType);
  return setting?.BackupOptions ? { BackupOptions: setting.BackupOptions } : {};
}

/**
 * After a plan-created backup job has stored its recovery point: start the rule's copy actions,
 * each a copy job created by the same plan and rule.
 */
export function afterPlanBackup(deps: { store: Store; config: Config; log: Logger }, scope: Scope, job: BackupJobRecord, rp: RecoveryPointRecord, at: number): void {
  const by = job.CreatedBy;
  if (!by?.BackupPlanId || !by.BackupRuleId) return;
  const plan = deps.store.planVersions.get(scope, by.BackupPlanId, by.BackupPlanVersion ?? "") ?? deps.store.plans.get(scope, by.BackupPlanId);
  const rule = plan?.BackupPlan.Rules.find((r) => r.RuleId === by.BackupRuleId);
  const source = deps.store.vaults.get(scope, rp.BackupVaultName);
  const ctx = { scope, store: deps.store, config: deps.config, clock: fixedClock(at) };
  for (const action of rule?.CopyActions ?? []) {
    const denied =
      source &&
      vaultRefusal(source, {
        action: "backup:CopyFromBackupVault",
        resource: rp.RecoveryPointArn,
        caller: callerOf(ctx, job.IamRoleArn),
        context: { "backup:CopyTargets": [action.DestinationBackupVaultArn] },
      });
    try {
      startCopyJob(
        ctx,
        {
          RecoveryPointArn: rp.RecoveryPointArn,
          SourceBackupVaultName: rp.BackupVaultName,
          DestinationBackupVaultArn: action.DestinationBackupVaultArn,
          IamRoleArn: job.IamRoleArn,
          ...(action.Lifecycle ? { Lifecycle: action.Lifecycle } : {}),
          CreatedBy: by,
          CreatedByBackupJobId: job.BackupJobId,
          ...(denied ? { AccessDenied: denied } : {}),
        },
        at,
      );
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      deps.log.warn({ job: job.BackupJobId, destination: action.DestinationBackupVaultArn, err: err.message }, "copy action not started");
    }
  }
}

export const planRunWork: Record<string, WorkFactory> = {
  [PLAN_RULE_WORK]: (deps) => (item, at) => runRule(deps, item, at),
};
