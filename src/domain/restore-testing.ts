/**
 * Restore testing: plans (when to test and which recovery points are eligible), their
 * selections (which protected resources to restore, with what role and overrides), and the
 * restore metadata AWS Backup infers for a test restore of a recovery point.
 *
 * Limits follow the developer guide ("Restore testing quotas and parameters"): 100 plans,
 * 30 selections per plan, 30 protected resource ARNs, 30 conditions and 30 vault selectors,
 * names of at most 50 characters, SelectionWindowDays up to 365, StartWindowHours 1-168.
 *
 * A plan runs on its schedule through the work queue: each run restores, per selection, one
 * eligible recovery point of every selected resource (developer guide, "Recovery point
 * determination") with a restore job created by the plan, and sets LastExecutionTime.
 */
import type { Logger } from "pino";
import {
  AlreadyExistsException,
  InvalidParameterValueException,
  InvalidRequestException,
  LimitExceededException,
  MissingParameterValueException,
  ResourceNotFoundException,
  ServiceError,
} from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { Config } from "../config.js";
import type { RecoveryPointRecord, Tags } from "../store/records.js";
import {
  restoreTestingPlansDef,
  restoreTestingSelectionsDef,
  type RestoreTestingPlanRecord,
  type RestoreTestingSelectionRecord,
} from "../store/schema/restore-testing.js";
import type { RestoreJobRecord } from "../store/schema/restore.js";
import type { Scope, Table } from "../store/table.js";
import type { Store } from "../store/store.js";
import { backupArn, parseArn, vaultFromArn } from "./arn.js";
import { fixedClock } from "./clock.js";
import { hex, uuid, validateCreatorRequestId } from "./ids.js";
import { resourceTypeOf, type ResourceType } from "./resources.js";
import { startRestoreJob } from "./restore-jobs.js";
import { metadataValue, recoveryPointRestoreMetadata, type RestoreMetadata } from "./restore-targets.js";
import { nextRuns, validateScheduleExpression, validateTimezone } from "./schedule.js";
import { validateRoleArn } from "./selections.js";
import { setTagsOnCreate, type TaggableLookup } from "./tags.js";
import { TAG_CONDITION_PREFIX, tagTestHolds } from "./selection-match.js";
import { shape, wildcardMatch } from "./util.js";
import type { WorkFactory } from "./work.js";

export const MAX_PLANS_PER_REGION = 100;
export const MAX_SELECTIONS_PER_PLAN = 30;
const MAX_PROTECTED_RESOURCE_ARNS = 30;
const MAX_CONDITIONS = 30;
const MAX_VAULT_SELECTORS = 30;

/** What the service fills in when a plan leaves them out (API reference, RestoreTestingPlanForCreate). */
export const PLAN_DEFAULTS = {
  ScheduleExpressionTimezone: "Etc/UTC",
  StartWindowHours: 24,
  SelectionWindowDays: 30,
} as const;

/** The types a restore testing selection accepts (API reference, RestoreTestingSelectionForCreate). */
export const RESTORE_TESTING_RESOURCE_TYPES = [
  "Aurora",
  "DocumentDB",
  "DynamoDB",
  "EBS",
  "EC2",
  "EFS",
  "FSx",
  "Neptune",
  "RDS",
  "S3",
] as const satisfies readonly ResourceType[];

/** Plan and selection names: letters, digits and underscores, 1 to 50 of them (API reference). */
const NAME = /^[A-Za-z0-9_]{1,50}$/;
/** API reference, CreateRestoreTestingPlan CreatorRequestId. */
/** Tag conditions name tags the way IAM does (AWS::Backup::RestoreTestingSelection KeyValue). */

export const restoreTestingPlans = (store: Store): Table<RestoreTestingPlanRecord> => store.table(restoreTestingPlansDef);
export const restoreTestingSelections = (store: Store): Table<RestoreTestingSelectionRecord> => store.table(restoreTestingSelectionsDef);

// A plan ARN ends in `<name>-<id>` and names cannot contain '-', so the name is what precedes it.
/** Taggable kind `restore-testing-plan` (src/domain/tagging.ts). */
export const restoreTestingPlanExists: TaggableLookup = (store, scope, id, arn) => {
  const name = id.slice(0, id.indexOf("-"));
  return restoreTestingPlans(store).get(scope, name)?.RestoreTestingPlanArn === arn;
};

function validateName(name: string, where: string): void {
  if (!NAME.test(name)) throw new InvalidParameterValueException(`${where} "${name}" must be 1 to 50 letters, digits or underscores.`, { Context: name });
}


// ---------------------------------------------------------------------------------------------
// Plans

/**
 * IncludeVaults and ExcludeVaults hold backup vault ARNs, whose names may use `*` wildcards;
 * IncludeVaults may instead be ["*"], every vault (API reference, RestoreTestingRecoveryPointSelection).
 */
function validateVaultSelectors(list: string[], where: string, allowAll: boolean): void {
  for (const [i, v] of list.entries()) {
    if (v === "*") {
      if (!allowAll) throw new InvalidParameterValueException(`${where}[${i}]: "*" is not allowed here; list backup vault ARNs.`);
      if (list.length > 1) throw new InvalidParameterValueException(`${where} mixes "*" with vault ARNs; use either ["*"] or a list of vault ARNs.`);
      continue;
    }
    if (!vaultFromArn(v)) throw new InvalidParameterValueException(`${where}[${i}] "${v}" is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>).`);
  }
}

/** Check a RecoveryPointSelection and give it its defaults. */
function normalizeRecoveryPointSelection(
  sel: Shapes["RestoreTestingRecoveryPointSelection"],
  where: string,
): Shapes["RestoreTestingRecoveryPointSelection"] {
  if (sel.Algorithm === undefined) throw new MissingParameterValueException(`${where}.Algorithm is required (LATEST_WITHIN_WINDOW or RANDOM_WITHIN_WINDOW).`);
  if (!sel.RecoveryPointTypes?.length) throw new MissingParameterValueException(`${where}.RecoveryPointTypes must list SNAPSHOT, CONTINUOUS or both.`);
  if (!sel.IncludeVaults?.length) throw new MissingParameterValueException(`${where}.IncludeVaults must list at least one backup vault ARN, or "*".`);
  const exclude = sel.ExcludeVaults ?? [];
  validateVaultSelectors(sel.IncludeVaults, `${where}.IncludeVaults`, true);
  validateVaultSelectors(exclude, `${where}.ExcludeVaults`, false);
  if (sel.IncludeVaults.length + exclude.length > MAX_VAULT_SELECTORS) {
    throw new InvalidParameterValueException(`${where}: IncludeVaults and ExcludeVaults hold ${sel.IncludeVaults.length + exclude.length} vault selectors; at most ${MAX_VAULT_SELECTORS} are allowed.`);
  }
  // 0 is the model's default for the member, so it stands for "not given".
  const days = sel.SelectionWindowDays || PLAN_DEFAULTS.SelectionWindowDays;
  if (days < 1 || days > 365) throw new InvalidParameterValueException(`${where}.SelectionWindowDays must be between 1 and 365, got ${days}.`);
  return {
    Algorithm: sel.Algorithm,
    IncludeVaults: [...sel.IncludeVaults],
    ExcludeVaults: [...exclude],
    RecoveryPointTypes: [...new Set(sel.RecoveryPointTypes)],
    SelectionWindowDays: days,
  };
}

function validateStartWindowHours(hours: number, where: string): void {
  if (hours < 1 || hours > 168) throw new InvalidParameterValueException(`${where}.StartWindowHours must be between 1 and 168 (one week), got ${hours}.`);
}

export function requireRestoreTestingPlan(store: Store, scope: Scope, name: string): RestoreTestingPlanRecord {
  const p = restoreTestingPlans(store).get(scope, name);
  if (!p) throw new ResourceNotFoundException(`Restore testing plan ${name} does not exist in account ${scope.accountId} and Region ${scope.region}.`, { Context: name });
  return p;
}

/** The new plan, or the one an earlier request with the same CreatorRequestId created. */
export function createRestoreTestingPlan(
  ctx: DomainContext,
  input: Shapes["RestoreTestingPlanForCreate"],
  tags: Tags | undefined,
  creatorRequestId: string | undefined,
): RestoreTestingPlanRecord {
  const { store, scope } = ctx;
  const where = "RestoreTestingPlan";
  validateName(input.RestoreTestingPlanName, `${where}.RestoreTestingPlanName`);
  validateCreatorRequestId(creatorRequestId);
  validateScheduleExpression(input.ScheduleExpression, `${where}.ScheduleExpression`);
  validateTimezone(input.ScheduleExpressionTimezone, `${where}.ScheduleExpressionTimezone`);
  const startWindow = input.StartWindowHours || PLAN_DEFAULTS.StartWindowHours;
  validateStartWindowHours(startWindow, where);
  const selection = normalizeRecoveryPointSelection(input.RecoveryPointSelection, `${where}.RecoveryPointSelection`);
  const plans = restoreTestingPlans(store);
  return store.transaction(() => {
    const existing = plans.get(scope, input.RestoreTestingPlanName);
    // CreatorRequestId lets a failed request be retried without creating twice (API
    // reference): a repeat returns the plan the first request made.
    if (creatorRequestId !== undefined) {
      const earlier = existing?.CreatorRequestId === creatorRequestId ? existing : plans.all(scope).find((p) => p.CreatorRequestId === creatorRequestId);
      if (earlier?.RestoreTestingPlanName === input.RestoreTestingPlanName) return earlier;
      if (earlier) {
        throw new AlreadyExistsException(
          `CreatorRequestId ${creatorRequestId} already created restore testing plan ${earlier.RestoreTestingPlanName}; use a new CreatorRequestId for plan ${input.RestoreTestingPlanName}.`,
          { Arn: earlier.RestoreTestingPlanArn, CreatorRequestId: creatorRequestId, Context: creatorRequestId },
        );
      }
    }
    if (existing) {
      throw new AlreadyExistsException(`A restore testing plan named ${input.RestoreTestingPlanName} already exists.`, {
        Arn: existing.RestoreTestingPlanArn,
        CreatorRequestId: existing.CreatorRequestId,
        Context: input.RestoreTestingPlanName,
      });
    }
    if (plans.count(scope) >= MAX_PLANS_PER_REGION) {
      throw new LimitExceededException(`This account already has ${MAX_PLANS_PER_REGION} restore testing plans in ${scope.region}, the service quota.`);
    }
    const now = ctx.clock.now();
    const record: RestoreTestingPlanRecord = {
      RestoreTestingPlanName: input.RestoreTestingPlanName,
      // IAM's resource form: restore-testing-plan:${RestoreTestingPlanName}-${RestoreTestingPlanId}.
      RestoreTestingPlanArn: backupArn(scope, `restore-testing-plan:${input.RestoreTestingPlanName}-${uuid()}`),
      CreationTime: now,
      LastUpdateTime: now,
      RecoveryPointSelection: selection,
      ScheduleExpression: input.ScheduleExpression,
      ScheduleExpressionTimezone: input.ScheduleExpressionTimezone ?? PLAN_DEFAULTS.ScheduleExpressionTimezone,
      StartWindowHours: startWindow,
      ...(creatorRequestId !== undefined ? { CreatorRequestId: creatorRequestId } : {}),
    };
    plans.insert(scope, record);
    setTagsOnCreate(ctx, record.RestoreTestingPlanArn, tags);
    scheduleRestoreTestingPlan(store, scope, record, now);
    return record;
  });
}

/** Change the members the update names; the name and the selections stay. */
export function updateRestoreTestingPlan(ctx: DomainContext, name: string, update: Shapes["RestoreTestingPlanForUpdate"]): RestoreTestingPlanRecord {
  const { store, scope } = ctx;
  const where = "RestoreTestingPlan";
  validateScheduleExpression(update.ScheduleExpression, `${where}.ScheduleExpression`);
  validateTimezone(update.ScheduleExpressionTimezone, `${where}.ScheduleExpressionTimezone`);
  // 0 is the model's default for the member: an SDK that always sends it has not asked for a change.
  if (update.StartWindowHours) validateStartWindowHours(update.StartWindowHours, where);
  // A RecoveryPointSelection in an update replaces the old one whole, so it must be complete
  // (API reference, RestoreTestingPlanForUpdate).
  const selection = update.RecoveryPointSelection && normalizeRecoveryPointSelection(update.RecoveryPointSelection, `${where}.RecoveryPointSelection`);
  return store.transaction(() => {
    const current = requireRestoreTestingPlan(store, scope, name);
    const next: RestoreTestingPlanRecord = {
      ...current,
      ...(selection ? { RecoveryPointSelection: selection } : {}),
      ...(update.ScheduleExpression !== undefined ? { ScheduleExpression: update.ScheduleExpression } : {}),
      ...(update.ScheduleExpressionTimezone !== undefined ? { ScheduleExpressionTimezone: update.ScheduleExpressionTimezone } : {}),
      ...(update.StartWindowHours ? { StartWindowHours: update.StartWindowHours } : {}),
      LastUpdateTime: ctx.clock.now(),
    };
    restoreTestingPlans(store).put(scope, next);
    if (update.ScheduleExpression !== undefined || update.ScheduleExpressionTimezone !== undefined) scheduleRestoreTestingPlan(store, scope, next, ctx.clock.now());
    return next;
  });
}

/**
 * Delete a plan that has no selections left (developer guide, "Delete a restore testing plan").
 * The model lists no ResourceNotFoundException for DeleteRestoreTestingPlan, so an unknown
 * plan is an invalid request.
 */
export function deleteRestoreTestingPlan(ctx: DomainContext, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    const plan = restoreTestingPlans(store).get(scope, name);
    if (!plan) throw new InvalidRequestException(`Restore testing plan ${name} does not exist in account ${scope.accountId} and Region ${scope.region}.`, { Context: name });
    const selections = restoreTestingSelections(store).count(scope, { plan: name });
    if (selections > 0) {
      throw new InvalidRequestException(`Restore testing plan ${name} still has ${selections} restore testing selection(s); delete them before the plan.`, { Context: name });
    }
    restoreTestingPlans(store).delete(scope, name);
    store.deleteTags(plan.RestoreTestingPlanArn);
    store.cancelWork(RESTORE_TESTING_WORK, plan.RestoreTestingPlanArn);
  });
}

export const restoreTestingPlanOutput = (p: RestoreTestingPlanRecord): Shapes["RestoreTestingPlanForGet"] => shape("RestoreTestingPlanForGet", p);
export const restoreTestingPlanListMember = (p: RestoreTestingPlanRecord): Shapes["RestoreTestingPlanForList"] => shape("RestoreTestingPlanForList", p);

// ---------------------------------------------------------------------------------------------
// Selections

/** Aurora, DocumentDB and Neptune clusters all have `arn:aws:rds:…:cluster:` ARNs. */
const CLUSTER_TYPES = new Set<string>(["Aurora", "DocumentDB", "Neptune"]);

function arnIsOfType(arn: string, type: string): boolean {
  const t = resourceTypeOf(arn);
  return t === type || (t !== undefined && CLUSTER_TYPES.has(t) && CLUSTER_TYPES.has(type));
}

interface ProtectedResources {
  ProtectedResourceArns?: string[];
  ProtectedResourceConditions?: Shapes["ProtectedResourceConditions"];
}

const conditionCount = (c: Shapes["ProtectedResourceConditions"] | undefined): number => (c?.StringEquals?.length ?? 0) + (c?.StringNotEquals?.length ?? 0);

/**
 * A selection names its resources by ARN, by ["*"] (every resource of its type) with optional
 * tag conditions, or by conditions alone; specific ARNs and conditions do not mix (API
 * reference, CreateRestoreTestingSelection). Empty lists count as not given.
 */
function normalizeProtectedResources(type: string, r: ProtectedResources, where: string): ProtectedResources {
  const arns = r.ProtectedResourceArns?.length ? r.ProtectedResourceArns : undefined;
  const conditions = conditionCount(r.ProtectedResourceConditions) > 0 ? r.ProtectedResourceConditions : undefined;
  if (!arns && !conditions) {
    throw new MissingParameterValueException(`${where} must include ProtectedResourceArns (specific ARNs or ["*"]) or ProtectedResourceConditions.`);
  }
  if (arns) {
    const all = arns.includes("*");
    if (all && arns.length > 1) throw new InvalidParameterValueException(`${where}.ProtectedResourceArns mixes "*" with specific ARNs; use either ["*"] or a list of ARNs.`);
    if (!all && conditions) {
      throw new InvalidParameterValueException(`${where} cannot have both specific ProtectedResourceArns and ProtectedResourceConditions; conditions apply only with ProtectedResourceArns ["*"].`);
    }
    if (arns.length > MAX_PROTECTED_RESOURCE_ARNS) {
      throw new InvalidParameterValueException(`${where}.ProtectedResourceArns lists ${arns.length} ARNs; at most ${MAX_PROTECTED_RESOURCE_ARNS} are allowed.`);
    }
    for (const [i, arn] of arns.entries()) {
      if (arn === "*") continue;
      if (!parseArn(arn)) throw new InvalidParameterValueException(`${where}.ProtectedResourceArns[${i}] "${arn}" is not an ARN.`);
      if (!arnIsOfType(arn, type)) {
        throw new InvalidParameterValueException(`${where}.ProtectedResourceArns[${i}] "${arn}" is not a ${type} resource, the selection's ProtectedResourceType.`);
      }
    }
  }
  if (conditions) {
    const n = conditionCount(conditions);
    if (n > MAX_CONDITIONS) throw new InvalidParameterValueException(`${where}.ProtectedResourceConditions holds ${n} conditions; at most ${MAX_CONDITIONS} are allowed.`);
    for (const op of ["StringEquals", "StringNotEquals"] as const) {
      for (const [i, kv] of (conditions[op] ?? []).entries()) {
        const at = `${where}.ProtectedResourceConditions.${op}[${i}]`;
        const tagKey = kv.Key.startsWith(TAG_CONDITION_PREFIX) ? kv.Key.slice(TAG_CONDITION_PREFIX.length) : undefined;
        if (!tagKey || tagKey.length > 128) {
          throw new InvalidParameterValueException(`${at}.Key "${kv.Key}" must be ${TAG_CONDITION_PREFIX}<tag key>, with a tag key of 1 to 128 characters.`);
        }
        if (kv.Value.length > 256) throw new InvalidParameterValueException(`${at}.Value for ${kv.Key} must be at most 256 characters long.`);
      }
    }
  }
  return { ...(arns ? { ProtectedResourceArns: [...arns] } : {}), ...(conditions ? { ProtectedResourceConditions: conditions } : {}) };
}

function validateValidationWindow(hours: number | undefined, where: string): void {
  if (hours !== undefined && (hours < 0 || hours > 168)) {
    throw new InvalidParameterValueException(`${where}.ValidationWindowHours must be between 0 and 168 (one week), got ${hours}.`);
  }
}

export function requireRestoreTestingSelection(store: Store, scope: Scope, plan: string, name: string): RestoreTestingSelectionRecord {
  const s = restoreTestingSelections(store).get(scope, plan, name);
  if (!s) throw new ResourceNotFoundException(`Restore testing plan ${plan} has no restore testing selection named ${name}.`, { Context: name });
  return s;
}

/** The new selection (or the one an earlier request with the same CreatorRequestId created) and its plan. */
export function createRestoreTestingSelection(
  ctx: DomainContext,
  planName: string,
  input: Shapes["RestoreTestingSelectionForCreate"],
  creatorRequestId: string | undefined,
): { plan: RestoreTestingPlanRecord; selection: RestoreTestingSelectionRecord } {
  const { store, scope } = ctx;
  const where = "RestoreTestingSelection";
  validateName(input.RestoreTestingSelectionName, `${where}.RestoreTestingSelectionName`);
  validateCreatorRequestId(creatorRequestId);
  if (!(RESTORE_TESTING_RESOURCE_TYPES as readonly string[]).includes(input.ProtectedResourceType)) {
    throw new InvalidParameterValueException(
      `${where}.ProtectedResourceType "${input.ProtectedResourceType}" is not a type restore testing supports; use one of ${RESTORE_TESTING_RESOURCE_TYPES.join(", ")}.`,
      { Context: input.ProtectedResourceType },
    );
  }
  validateRoleArn(input.IamRoleArn, `${where}.IamRoleArn`);
  validateValidationWindow(input.ValidationWindowHours, where);
  const resources = normalizeProtectedResources(input.ProtectedResourceType, input, where);
  const selections = restoreTestingSelections(store);
  return store.transaction(() => {
    const plan = requireRestoreTestingPlan(store, scope, planName);
    const existing = selections.get(scope, planName, input.RestoreTestingSelectionName);
    if (creatorRequestId !== undefined) {
      const earlier =
        existing?.CreatorRequestId === creatorRequestId ? existing : selections.all(scope, { plan: planName }).find((s) => s.CreatorRequestId === creatorRequestId);
      if (earlier?.RestoreTestingSelectionName === input.RestoreTestingSelectionName) return { plan, selection: earlier };
      if (earlier) {
        throw new AlreadyExistsException(
          `CreatorRequestId ${creatorRequestId} already created restore testing selection ${earlier.RestoreTestingSelectionName} in plan ${planName}; use a new CreatorRequestId for selection ${input.RestoreTestingSelectionName}.`,
          { CreatorRequestId: creatorRequestId, Context: creatorRequestId },
        );
      }
    }
    if (existing) {
      throw new AlreadyExistsException(`Restore testing plan ${planName} already has a selection named ${input.RestoreTestingSelectionName}.`, {
        CreatorRequestId: existing.CreatorRequestId,
        Context: input.RestoreTestingSelectionName,
      });
    }
    if (selections.count(scope, { plan: planName }) >= MAX_SELECTIONS_PER_PLAN) {
      throw new LimitExceededException(`Restore testing plan ${planName} already has ${MAX_SELECTIONS_PER_PLAN} selections, the service quota.`, { Context: planName });
    }
    const selection: RestoreTestingSelectionRecord = {
      RestoreTestingPlanName: planName,
      RestoreTestingSelectionName: input.RestoreTestingSelectionName,
      CreationTime: ctx.clock.now(),
      IamRoleArn: input.IamRoleArn,
      ProtectedResourceType: input.ProtectedResourceType,
      ...resources,
      ...(input.RestoreMetadataOverrides && Object.keys(input.RestoreMetadataOverrides).length ? { RestoreMetadataOverrides: { ...input.RestoreMetadataOverrides } } : {}),
      ValidationWindowHours: input.ValidationWindowHours ?? 0,
      ...(creatorRequestId !== undefined ? { CreatorRequestId: creatorRequestId } : {}),
    };
    selections.insert(scope, selection);
    return { plan, selection };
  });
}

/**
 * Change the members the update names. ProtectedResourceArns and ProtectedResourceConditions
 * each replace the old value, and the result must still be a valid choice of resources (the
 * developer guide: to move from ARNs to ["*"] with conditions, send both).
 */
export function updateRestoreTestingSelection(
  ctx: DomainContext,
  planName: string,
  name: string,
  update: Shapes["RestoreTestingSelectionForUpdate"],
): { plan: RestoreTestingPlanRecord; selection: RestoreTestingSelectionRecord; updatedAt: number } {
  const { store, scope } = ctx;
  const where = "RestoreTestingSelection";
  if (update.IamRoleArn !== undefined) validateRoleArn(update.IamRoleArn, `${where}.IamRoleArn`);
  validateValidationWindow(update.ValidationWindowHours, where);
  return store.transaction(() => {
    const plan = requireRestoreTestingPlan(store, scope, planName);
    const current = requireRestoreTestingSelection(store, scope, planName, name);
    const resources = normalizeProtectedResources(
      current.ProtectedResourceType,
      {
        ProtectedResourceArns: update.ProtectedResourceArns ?? current.ProtectedResourceArns,
        ProtectedResourceConditions: update.ProtectedResourceConditions ?? current.ProtectedResourceConditions,
      },
      where,
    );
    const next: RestoreTestingSelectionRecord = { ...current, ...resources };
    if (!resources.ProtectedResourceArns) delete next.ProtectedResourceArns;
    if (!resources.ProtectedResourceConditions) delete next.ProtectedResourceConditions;
    if (update.IamRoleArn !== undefined) next.IamRoleArn = update.IamRoleArn;
    if (update.ValidationWindowHours !== undefined) next.ValidationWindowHours = update.ValidationWindowHours;
    if (update.RestoreMetadataOverrides !== undefined) {
      if (Object.keys(update.RestoreMetadataOverrides).length) next.RestoreMetadataOverrides = { ...update.RestoreMetadataOverrides };
      else delete next.RestoreMetadataOverrides;
    }
    restoreTestingSelections(store).put(scope, next);
    return { plan, selection: next, updatedAt: ctx.clock.now() };
  });
}

export function deleteRestoreTestingSelection(ctx: DomainContext, planName: string, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    requireRestoreTestingPlan(store, scope, planName);
    requireRestoreTestingSelection(store, scope, planName, name);
    restoreTestingSelections(store).delete(scope, planName, name);
  });
}

export const restoreTestingSelectionOutput = (s: RestoreTestingSelectionRecord): Shapes["RestoreTestingSelectionForGet"] => shape("RestoreTestingSelectionForGet", s);
export const restoreTestingSelectionListMember = (s: RestoreTestingSelectionRecord): Shapes["RestoreTestingSelectionForList"] => shape("RestoreTestingSelectionForList", s);

// ---------------------------------------------------------------------------------------------
// Inferred metadata

/** A name for a test restore: the prefix the developer guide gives, then random characters. */
const testName = (prefix = "awsbackup-restore-test-"): string => `${prefix}${hex(12)}`;

/** `n` distinct Availability Zones of the Region, in random order. */
function availabilityZones(region: string, n: number): string[] {
  const letters = ["a", "b", "c"].sort(() => Math.random() - 0.5);
  return letters.slice(0, n).map((l) => `${region}${l}`);
}

/** Engines of the cluster types (the recovery point does not record one). */
const CLUSTER_ENGINES: Record<string, string> = { Aurora: "aurora-mysql", DocumentDB: "docdb", Neptune: "neptune" };

/** Whether the S3 backup behind a recovery point kept ACLs: BackupACLs defaults to enabled. */
function backedUpAcls(store: Store, scope: Scope, rp: RecoveryPointRecord): boolean {
  const job = store.backupJobs.all(scope, { resource_arn: rp.ResourceArn }).find((j) => j.RecoveryPointArn === rp.RecoveryPointArn);
  return job?.BackupOptions?.BackupACLs !== "disabled";
}

/**
 * The restore metadata a restore test of `rp` would use, per the developer guide's "Restore
 * testing inferred metadata" table: new, randomly named targets with safe defaults (no
 * deletion protection, encryption on, not public). FSx cannot be fully inferred: the emulator
 * does not know a file system's flavour, so file systems get the Lustre keys and volumes the
 * ONTAP keys.
 */
export function inferRestoreTestingMetadata(store: Store, scope: Scope, rp: RecoveryPointRecord): RestoreMetadata {
  const source = recoveryPointRestoreMetadata(rp, scope);
  switch (rp.ResourceType) {
    case "DynamoDB":
      return { deletionProtection: "false", encryptionType: "Default", targetTableName: testName() };
    case "EBS":
      return { availabilityZone: availabilityZones(scope.region, 1)[0]!, encrypted: "true" };
    case "EC2":
      return { disableApiTermination: "false", instanceType: metadataValue(source, "instanceType") ?? "t3.micro", requiredImdsV2: "true" };
    case "EFS":
      return {
        encrypted: "true",
        "file-system-id": metadataValue(source, "file-system-id") ?? "",
        kmsKeyId: "alias/aws/elasticfilesystem",
        newFileSystem: "true",
        performanceMode: "generalPurpose",
      };
    case "FSx": {
      if ((parseArn(rp.ResourceArn)?.resource ?? "").startsWith("volume/")) {
        const name = testName("awsbackup_restore_test_");
        const sizeInMegabytes = Math.max(1, Math.ceil((rp.BackupSizeInBytes ?? 0) / 1024 ** 2));
        return { name, ontapConfiguration: JSON.stringify({ junctionPath: `/${name}`, sizeInMegabytes, snapshotPolicy: "none" }) };
      }
      return { lustreConfiguration: JSON.stringify({ automaticBackupRetentionDays: 0 }) };
    }
    case "Aurora":
    case "DocumentDB":
    case "Neptune":
      return {
        // List values are JSON arrays in a string (developer guide, list-typed values).
        availabilityZones: JSON.stringify(availabilityZones(scope.region, 3)),
        dbClusterIdentifier: testName(),
        engine: CLUSTER_ENGINES[rp.ResourceType]!,
      };
    case "RDS":
      return { dbInstanceIdentifier: testName(), deletionProtection: "false", multiAz: "false", publiclyAccessible: "false" };
    case "S3":
      return {
        destinationBucketName: testName(),
        encrypted: "true",
        encryptionType: "SSE-S3",
        newBucket: "true",
        restoreACLs: String(backedUpAcls(store, scope, rp)),
      };
    default:
      throw new InvalidParameterValueException(
        `Recovery point ${rp.RecoveryPointArn} is a backup of a ${rp.ResourceType} resource, which restore testing does not support (supported: ${RESTORE_TESTING_RESOURCE_TYPES.join(", ")}).`,
        { Context: rp.RecoveryPointArn },
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Runs

export const RESTORE_TESTING_WORK = "restore-testing-plan";
const DAY = 86_400;

/**
 * Queue the plan's next run after `after`, replacing the one queued before. Work is keyed by the
 * plan ARN, which unlike the name is unique across accounts, Regions and re-created plans.
 */
export function scheduleRestoreTestingPlan(store: Store, scope: Scope, plan: RestoreTestingPlanRecord, after: number): void {
  store.cancelWork(RESTORE_TESTING_WORK, plan.RestoreTestingPlanArn);
  const [next] = nextRuns(plan.ScheduleExpression, plan.ScheduleExpressionTimezone, after, 1);
  if (next !== undefined) store.schedule(next, RESTORE_TESTING_WORK, scope, plan.RestoreTestingPlanArn, { name: plan.RestoreTestingPlanName });
}


/** Does a vault selector of IncludeVaults/ExcludeVaults name the vault `vaultArn`? */
function selectsVault(selector: string, vaultArn: string): boolean {
  if (selector === "*") return true;
  const want = vaultFromArn(selector);
  const have = vaultFromArn(vaultArn);
  return (
    want !== undefined &&
    have !== undefined &&
    want.scope.accountId === have.scope.accountId &&
    want.scope.region === have.scope.region &&
    wildcardMatch(want.name, have.name)
  );
}

const isContinuous = (rp: RecoveryPointRecord): boolean => rp.RecoveryPointArn.includes(":recovery-point:continuous:");

/** Does every tag condition hold for `tags`? The operators are those of backup selections. */
function conditionsHold(conditions: Shapes["ProtectedResourceConditions"] | undefined, tags: Tags): boolean {
  return (["StringEquals", "StringNotEquals"] as const).every((op) => (conditions?.[op] ?? []).every((c) => tagTestHolds(op, tags, c.Key, c.Value)));
}

/**
 * The recovery point each resource of a selection would have restored at `at`: one per
 * protected resource, among its COMPLETED recovery points of the allowed types, in included and
 * not excluded vaults, created within SelectionWindowDays; the latest or a random one as the
 * plan's Algorithm says. Tag conditions are checked against the tags of the resource's latest
 * recovery point (developer guide, "Recovery point determination").
 */
export function recoveryPointsToTest(store: Store, scope: Scope, plan: RestoreTestingPlanRecord, sel: RestoreTestingSelectionRecord, at: number): RecoveryPointRecord[] {
  const rps = plan.RecoveryPointSelection;
  const days = rps.SelectionWindowDays || PLAN_DEFAULTS.SelectionWindowDays;
  const types = CLUSTER_TYPES.has(sel.ProtectedResourceType) ? [...CLUSTER_TYPES] : [sel.ProtectedResourceType];
  const arns = sel.ProtectedResourceArns?.includes("*") ? undefined : sel.ProtectedResourceArns;
  const byResource = new Map<string, RecoveryPointRecord[]>();
  for (const rp of store.recoveryPoints.all(scope, { resource_type: { in: types }, created: { gte: at - days * DAY, lte: at } })) {
    if (rp.Status !== "COMPLETED") continue;
    if (arns && !arns.includes(rp.ResourceArn)) continue;
    if (!(rps.RecoveryPointTypes ?? []).includes(isContinuous(rp) ? "CONTINUOUS" : "SNAPSHOT")) continue;
    if (!(rps.IncludeVaults ?? []).some((v) => selectsVault(v, rp.BackupVaultArn))) continue;
    if ((rps.ExcludeVaults ?? []).some((v) => selectsVault(v, rp.BackupVaultArn))) continue;
    byResource.set(rp.ResourceArn, [...(byResource.get(rp.ResourceArn) ?? []), rp]);
  }
  const chosen: RecoveryPointRecord[] = [];
  for (const [resourceArn, candidates] of byResource) {
    if (sel.ProtectedResourceConditions) {
      const latest = store.recoveryPoints.all(scope, { resource_arn: resourceArn }).reduce((a, b) => (b.CreationDate > a.CreationDate ? b : a));
      if (!conditionsHold(sel.ProtectedResourceConditions, store.getTags(latest.RecoveryPointArn))) continue;
    }
    chosen.push(
      rps.Algorithm === "RANDOM_WITHIN_WINDOW"
        ? candidates[Math.floor(Math.random() * candidates.length)]!
        : candidates.reduce((a, b) => (b.CreationDate > a.CreationDate ? b : a)),
    );
  }
  return chosen;
}

/** Inferred metadata with the selection's overrides applied; keys match without regard to case. */
function withOverrides(inferred: RestoreMetadata, overrides: Record<string, string> | undefined): RestoreMetadata {
  if (!overrides) return inferred;
  const overridden = new Set(Object.keys(overrides).map((k) => k.toLowerCase()));
  return { ...Object.fromEntries(Object.entries(inferred).filter(([k]) => !overridden.has(k.toLowerCase()))), ...overrides };
}

export interface RestoreTestingRunDeps {
  store: Store;
  config: Config;
  log?: Pick<Logger, "warn">;
}

/** Run a plan at `at`: start its restore jobs and record the run. Returns the jobs started. */
export function runRestoreTestingPlan(deps: RestoreTestingRunDeps, scope: Scope, planName: string, at: number): RestoreJobRecord[] {
  const { store } = deps;
  const plan = restoreTestingPlans(store).get(scope, planName);
  if (!plan) return [];
  const ctx: DomainContext = { scope, store, config: deps.config, clock: fixedClock(at) };
  const jobs: RestoreJobRecord[] = [];
  for (const sel of restoreTestingSelections(store).all(scope, { plan: planName })) {
    for (const rp of recoveryPointsToTest(store, scope, plan, sel, at)) {
      try {
        const metadata = withOverrides(inferRestoreTestingMetadata(store, scope, rp), sel.RestoreMetadataOverrides);
        jobs.push(
          startRestoreJob(
            ctx,
            {
              RecoveryPointArn: rp.RecoveryPointArn,
              IamRoleArn: sel.IamRoleArn,
              Metadata: metadata,
              CreatedBy: { RestoreTestingPlanArn: plan.RestoreTestingPlanArn },
              ValidationWindowHours: sel.ValidationWindowHours ?? 0,
            },
            at,
          ),
        );
      } catch (err) {
        // One recovery point that cannot be restored does not stop the rest of the test.
        if (!(err instanceof ServiceError)) throw err;
        deps.log?.warn({ plan: planName, selection: sel.RestoreTestingSelectionName, recoveryPoint: rp.RecoveryPointArn, err: err.message }, "restore test not started");
      }
    }
  }
  restoreTestingPlans(store).put(scope, { ...plan, LastExecutionTime: at });
  return jobs;
}

export const restoreTestingWork: Record<string, WorkFactory> = {
  [RESTORE_TESTING_WORK]: (deps) => (item, at) => {
    const { name } = item.data as { name: string };
    const plan = restoreTestingPlans(deps.store).get(item.scope, name);
    // A deleted (or deleted and re-created) plan has no business with this item.
    if (!plan || plan.RestoreTestingPlanArn !== item.ref) return;
    runRestoreTestingPlan(deps, item.scope, name, at);
    scheduleRestoreTestingPlan(deps.store, item.scope, plan, at);
  },
};
