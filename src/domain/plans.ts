/**
 * Backup plans and their versions. Every create or update writes a new version (a new
 * VersionId); the plan row holds the current one. Deleting a plan keeps its versions readable
 * by VersionId, marked with the DeletionDate, and frees its name.
 */
import { AlreadyExistsException, InvalidParameterValueException, InvalidRequestException, LimitExceededException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { PlanRecord, Tags, VaultRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { planArn, vaultFromArn } from "./arn.js";
import { uuid, validateCreatorRequestId, versionId } from "./ids.js";
import { periodDays, validateLifecycle } from "./lifecycle.js";
import { INDEXABLE_RESOURCE_TYPES } from "./recovery-point-index.js";
import { validateScheduleExpression, validateTimezone } from "./schedule.js";
import { setTagsOnCreate, validateTags, type TagLimitError } from "./tags.js";
import { pick } from "./util.js";
import { schedulePlan } from "./plan-schedule.js";

/** Service quota: backup plans per account per Region. */
export const MAX_PLANS_PER_REGION = 250;

/** Defaults the service fills in for a rule (API reference, BackupRuleInput). */
export const RULE_DEFAULTS = {
  ScheduleExpression: "cron(0 5 ? * * *)",
  ScheduleExpressionTimezone: "Etc/UTC",
  StartWindowMinutes: 480,
  CompletionWindowMinutes: 10080,
} as const;

/** Backup options the service accepts, per resource type (API reference, AdvancedBackupSetting). */
export const BACKUP_OPTIONS: Record<string, Record<string, readonly string[]>> = {
  EC2: { WindowsVSS: ["enabled", "disabled"] },
  S3: { BackupACLs: ["enabled", "disabled"], BackupObjectTags: ["enabled", "disabled"] },
};

export function validateBackupOptions(resourceType: string, options: Record<string, string> | undefined, where: string): void {
  if (!options) return;
  const allowed = BACKUP_OPTIONS[resourceType];
  if (!allowed) throw new InvalidParameterValueException(`${where}: backup options are only supported for ${Object.keys(BACKUP_OPTIONS).join(" and ")} resources, not ${resourceType}.`);
  for (const [k, v] of Object.entries(options)) {
    const values = allowed[k];
    if (!values) throw new InvalidParameterValueException(`${where}: ${k} is not a backup option for ${resourceType}; valid options are ${Object.keys(allowed).join(", ")}.`);
    if (!values.includes(v)) throw new InvalidParameterValueException(`${where}: ${k} must be one of ${values.join(", ")}, got "${v}".`);
  }
}

/** The longest retention of continuous backups (developer guide, point-in-time recovery). */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/** API reference (StartBackupJob, BackupRuleInput): the start and completion windows are at most 100 years. */
export const MAX_WINDOW_MINUTES = 52_560_000;

/** `completionMember` is how the operation spells it: rules say CompletionWindowMinutes, StartBackupJob CompleteWindowMinutes. */
export function validateWindows(start: number | undefined, completion: number | undefined, where: string, completionMember = "CompletionWindowMinutes"): void {
  if (start !== undefined && start < 60) throw new InvalidParameterValueException(`${where}StartWindowMinutes must be at least 60, got ${start}.`);
  if (completion !== undefined && completion < 60) throw new InvalidParameterValueException(`${where}${completionMember} must be at least 60, got ${completion}.`);
  for (const [member, minutes] of [["StartWindowMinutes", start], [completionMember, completion]] as const) {
    if (minutes !== undefined && minutes > MAX_WINDOW_MINUTES) {
      throw new InvalidParameterValueException(`${where}${member} must be at most ${MAX_WINDOW_MINUTES} (100 years), got ${minutes}.`);
    }
  }
  if (start !== undefined && completion !== undefined && completion < start) {
    throw new InvalidParameterValueException(`${where}${completionMember} (${completion}) must not be less than StartWindowMinutes (${start}).`);
  }
}

/**
 * Check a plan document against the service's rules. With `lookupVault`, each rule's target
 * vault must exist; without it (a document being converted, not stored: GetBackupPlanFromJSON)
 * vaults are not looked at. A retention the target vault's lock forbids is not refused here:
 * the vault fails each job the rule starts (API reference, PutBackupVaultLockConfiguration).
 */
export function checkPlanDocument(input: Shapes["BackupPlanInput"], lookupVault?: (name: string) => VaultRecord | undefined, tooManyTags?: TagLimitError): void {
  validatePlanName(input.BackupPlanName);
  if (input.Rules.length === 0) throw new InvalidParameterValueException("BackupPlan.Rules must contain at least one rule.");
  const names = new Set<string>();
  input.Rules.forEach((rule, i) => {
    const where = `BackupPlan.Rules[${i}].`;
    if (names.has(rule.RuleName)) throw new InvalidParameterValueException(`${where}RuleName "${rule.RuleName}" is used by more than one rule of the plan.`);
    names.add(rule.RuleName);
    validateScheduleExpression(rule.ScheduleExpression, `${where}ScheduleExpression`);
    validateTimezone(rule.ScheduleExpressionTimezone, `${where}ScheduleExpressionTimezone`);
    validateWindows(rule.StartWindowMinutes, rule.CompletionWindowMinutes, where);
    validateLifecycle(rule.Lifecycle, `${where}Lifecycle`);
    // Developer guide, "Changing your retention period" (continuous backups): 1 to 35 days.
    const keep = periodDays(rule.Lifecycle?.DeleteAfterDays);
    if (rule.EnableContinuousBackup && keep !== undefined && keep > MAX_CONTINUOUS_RETENTION_DAYS) {
      throw new InvalidParameterValueException(
        `${where}Lifecycle.DeleteAfterDays (${keep}) is longer than ${MAX_CONTINUOUS_RETENTION_DAYS} days, the longest retention of a continuous backup rule (EnableContinuousBackup).`,
        { Context: rule.RuleName },
      );
    }
    for (const [j, copy] of (rule.CopyActions ?? []).entries()) {
      if (!vaultFromArn(copy.DestinationBackupVaultArn)) {
        throw new InvalidParameterValueException(`${where}CopyActions[${j}].DestinationBackupVaultArn "${copy.DestinationBackupVaultArn}" is not a backup vault ARN.`);
      }
      validateLifecycle(copy.Lifecycle, `${where}CopyActions[${j}].Lifecycle`);
    }
    validateIndexActions(rule.IndexActions, `${where}IndexActions`);
    // The rule's jobs would carry these tags to their recovery points: refused now, as StartBackupJob refuses them.
    if (rule.RecoveryPointTags) validateTags(rule.RecoveryPointTags, `${where}RecoveryPointTags`, tooManyTags);
    if (!lookupVault) return;
    const target = lookupVault(rule.TargetBackupVaultName);
    if (!target) throw new InvalidParameterValueException(`${where}TargetBackupVaultName: backup vault ${rule.TargetBackupVaultName} does not exist.`);
  });
  for (const [i, s] of (input.AdvancedBackupSettings ?? []).entries()) {
    validateBackupOptions(s.ResourceType ?? "", s.BackupOptions, `BackupPlan.AdvancedBackupSettings[${i}]`);
  }
}

/**
 * API reference, BackupRuleInput IndexActions: a rule has at most one index action, and it names
 * exactly one resource type, EBS or S3 (each backup has at most one backup index).
 */
function validateIndexActions(actions: Shapes["IndexActions"] | undefined, where: string): void {
  if (!actions) return;
  if (actions.length > 1) throw new InvalidParameterValueException(`${where} holds ${actions.length} index actions; a rule takes at most one.`);
  for (const [i, action] of actions.entries()) {
    const types = action.ResourceTypes ?? [];
    if (types.length !== 1) {
      throw new InvalidParameterValueException(`${where}[${i}].ResourceTypes must name exactly one resource type (EBS or S3), got ${types.length}.`);
    }
    for (const type of types) {
      if (!INDEXABLE_RESOURCE_TYPES.has(type)) {
        throw new InvalidParameterValueException(`${where}[${i}].ResourceTypes: "${type}" cannot have backup indexes; use ${[...INDEXABLE_RESOURCE_TYPES].join(" or ")}.`);
      }
    }
  }
}

/** API reference, BackupRuleInput: a rule's TargetLogicallyAirGappedBackupVaultArn is in the plan's own account and Region. */
function checkAirGappedTargets(input: Shapes["BackupPlanInput"], scope: Scope): void {
  input.Rules.forEach((rule, i) => {
    const arn = rule.TargetLogicallyAirGappedBackupVaultArn;
    if (arn === undefined) return;
    const where = `BackupPlan.Rules[${i}].TargetLogicallyAirGappedBackupVaultArn`;
    const target = vaultFromArn(arn);
    if (!target) throw new InvalidParameterValueException(`${where} "${arn}" is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>).`);
    if (target.scope.accountId !== scope.accountId || target.scope.region !== scope.region) {
      throw new InvalidParameterValueException(
        `${where} ${arn} is in account ${target.scope.accountId} and Region ${target.scope.region}; it must be in the plan's own account (${scope.accountId}) and Region (${scope.region}).`,
      );
    }
  });
}

/**
 * Check a plan document to be stored and give each rule its defaults and RuleId. Rules keep
 * their RuleId across updates when their name is unchanged.
 */
export function normalizePlan(ctx: DomainContext, input: Shapes["BackupPlanInput"], previous?: Shapes["BackupPlan"], tooManyTags?: TagLimitError): Shapes["BackupPlan"] {
  checkPlanDocument(input, (name) => ctx.store.vaults.get(ctx.scope, name), tooManyTags);
  checkAirGappedTargets(input, ctx.scope);
  const plan = withRuleDefaults(input);
  for (const rule of plan.Rules) rule.RuleId = previous?.Rules.find((r) => r.RuleName === rule.RuleName)?.RuleId ?? uuid();
  return plan;
}

/** A plan document as the service returns it: the input with each rule's defaults filled in. */
export function withRuleDefaults(plan: Shapes["BackupPlanInput"]): Shapes["BackupPlan"] {
  const out: Shapes["BackupPlan"] = {
    BackupPlanName: plan.BackupPlanName,
    Rules: plan.Rules.map((r) => ({
      ...r,
      ScheduleExpression: r.ScheduleExpression ?? RULE_DEFAULTS.ScheduleExpression,
      ScheduleExpressionTimezone: r.ScheduleExpressionTimezone ?? RULE_DEFAULTS.ScheduleExpressionTimezone,
      StartWindowMinutes: r.StartWindowMinutes ?? RULE_DEFAULTS.StartWindowMinutes,
      CompletionWindowMinutes: r.CompletionWindowMinutes ?? RULE_DEFAULTS.CompletionWindowMinutes,
    })),
  };
  if (plan.AdvancedBackupSettings) out.AdvancedBackupSettings = plan.AdvancedBackupSettings;
  if (plan.ScanSettings) out.ScanSettings = plan.ScanSettings;
  return out;
}

function validatePlanName(name: string): void {
  if (!/^[a-zA-Z0-9\-_.]{1,50}$/.test(name)) {
    throw new InvalidParameterValueException(`BackupPlan.BackupPlanName "${name}" must be 1 to 50 letters, digits, hyphens, underscores or periods.`);
  }
}

/** The current version of a plan (by default one that has not been deleted). */
export function requirePlan(store: Store, scope: Scope, id: string, opts: { includeDeleted?: boolean } = {}): PlanRecord {
  const p = store.plans.get(scope, id);
  if (!p || (p.DeletionDate !== undefined && !opts.includeDeleted)) throw new ResourceNotFoundException(`Backup plan ${id} does not exist.`, { Context: id });
  return p;
}

export function createPlan(ctx: DomainContext, input: Shapes["BackupPlanInput"], tags: Tags | undefined, creatorRequestId: string | undefined): PlanRecord {
  const { store, scope } = ctx;
  validateCreatorRequestId(creatorRequestId);
  return store.transaction(() => {
    if (store.plans.count(scope, { name: input.BackupPlanName, deleted: null }) > 0) {
      throw new AlreadyExistsException(`A backup plan named ${input.BackupPlanName} already exists.`, { Context: input.BackupPlanName });
    }
    if (store.plans.count(scope, { deleted: null }) >= MAX_PLANS_PER_REGION) {
      throw new LimitExceededException(`This account already has ${MAX_PLANS_PER_REGION} backup plans in ${scope.region}, the service quota.`);
    }
    const id = uuid();
    const record: PlanRecord = {
      BackupPlanId: id,
      BackupPlanArn: planArn(scope, id),
      BackupPlanName: input.BackupPlanName,
      VersionId: versionId(),
      CreationDate: ctx.clock.now(),
      BackupPlan: normalizePlan(ctx, input),
      ...(creatorRequestId !== undefined ? { CreatorRequestId: creatorRequestId } : {}),
    };
    store.plans.insert(scope, record);
    store.planVersions.insert(scope, record);
    setTagsOnCreate(ctx, record.BackupPlanArn, tags, "BackupPlanTags");
    schedulePlan(store, scope, record, record.CreationDate);
    return record;
  });
}

export function updatePlan(ctx: DomainContext, id: string, input: Shapes["BackupPlanInput"]): PlanRecord {
  const { store, scope } = ctx;
  return store.transaction(() => {
    const current = requirePlan(store, scope, id);
    // UpdateBackupPlan's model lists no AlreadyExistsException: a taken name is an invalid value here.
    if (input.BackupPlanName !== current.BackupPlanName && store.plans.count(scope, { name: input.BackupPlanName, deleted: null }) > 0) {
      throw new InvalidParameterValueException(`BackupPlanName: a backup plan named ${input.BackupPlanName} already exists; choose another name.`, { Context: input.BackupPlanName });
    }
    const record: PlanRecord = {
      ...current,
      BackupPlanName: input.BackupPlanName,
      VersionId: versionId(),
      CreationDate: ctx.clock.now(),
      // UpdateBackupPlan's model lists no LimitExceededException.
      BackupPlan: normalizePlan(ctx, input, current.BackupPlan, InvalidParameterValueException),
    };
    store.plans.put(scope, record);
    store.planVersions.insert(scope, record);
    schedulePlan(store, scope, record, record.CreationDate);
    return record;
  });
}

export function deletePlan(ctx: DomainContext, id: string): PlanRecord {
  const { store, scope } = ctx;
  return store.transaction(() => {
    const current = requirePlan(store, scope, id);
    if (store.selections.count(scope, { plan_id: id }) > 0) {
      // The service's wording: Terraform's provider retries while it sees this message.
      throw new InvalidRequestException(`Related backup plan selections must be deleted prior to backup plan deletion (backup plan ${id} has backup selections).`, { Context: id });
    }
    const now = ctx.clock.now();
    const deleted: PlanRecord = { ...current, DeletionDate: now };
    store.plans.put(scope, deleted);
    for (const v of store.planVersions.all(scope, { plan_id: id })) store.planVersions.put(scope, { ...v, DeletionDate: v.DeletionDate ?? now });
    store.deleteTags(current.BackupPlanArn);
    schedulePlan(store, scope, deleted, now);
    return deleted;
  });
}

/** A plan version by id: the current one, or a stored one (deleted plans included). */
export function getPlanVersion(store: Store, scope: Scope, id: string, version: string | undefined): PlanRecord {
  if (version === undefined) return requirePlan(store, scope, id);
  const v = store.planVersions.get(scope, id, version);
  if (!v) throw new ResourceNotFoundException(`Backup plan ${id} has no version ${version}.`, { Context: id });
  return v;
}

export function planOutput(p: PlanRecord): Shapes["GetBackupPlanOutput"] {
  return {
    ...pick(p, ["BackupPlanId", "BackupPlanArn", "VersionId", "CreatorRequestId", "CreationDate", "DeletionDate", "LastExecutionDate"]),
    BackupPlan: p.BackupPlan,
    ...(p.BackupPlan.AdvancedBackupSettings ? { AdvancedBackupSettings: p.BackupPlan.AdvancedBackupSettings } : {}),
  };
}

export function planListMember(p: PlanRecord): Shapes["BackupPlansListMember"] {
  return {
    ...pick(p, ["BackupPlanArn", "BackupPlanId", "CreationDate", "DeletionDate", "VersionId", "BackupPlanName", "CreatorRequestId", "LastExecutionDate"]),
    ...(p.BackupPlan.AdvancedBackupSettings ? { AdvancedBackupSettings: p.BackupPlan.AdvancedBackupSettings } : {}),
  };
}
