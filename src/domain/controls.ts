/**
 * Backup Audit Manager controls: the controls the service knows and the input parameters each
 * takes (developer guide, "Choosing your controls", "Controls and remediation" and "Creating
 * frameworks using the AWS Backup API"), the checks a framework's controls must pass, and the
 * evaluation of a control against the emulator's state, which stands in for the AWS Config rules
 * the service deploys. Resource tracking is taken to be on everywhere, so every control can be
 * evaluated.
 */
import { periodDays } from "./lifecycle.js";
import { InvalidParameterValueException, MissingParameterValueException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { PlanRecord, SelectionRecord, Tags, VaultRecord } from "../store/records.js";
import { restoreJobsDef } from "../store/schema/restore.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { IAM_ROLE_ARN, parseArn, vaultFromArn } from "./arn.js";
import { resourceNameOf, resourceTypeOf, SUPPORTED_RESOURCE_TYPES, type ResourceType } from "./resources.js";
import { nextRuns } from "./schedule.js";
import { wildcardMatch } from "./util.js";
import { isArnPattern, selectionCovers } from "./selection-match.js";

type Control = Shapes["FrameworkControl"];
type ControlScope = Shapes["ControlScope"];

/** What a control evaluates: protected resources, or Backup's own plans, vaults or recovery points. */
type Subject = "resource" | "recoveryPoint" | "plan" | "vault";

type ParamKind = "count" | "unit" | "iamRoles" | "regions" | "accounts";

interface ParamSpec {
  kind: ParamKind;
  /** The value the control uses when the parameter is not given. */
  default?: string;
  /** Most entries a comma-separated list may hold. */
  maxItems?: number;
}

interface ControlSpec {
  subject: Subject;
  params: Record<string, ParamSpec>;
}

const AGE_PARAMS: Record<string, ParamSpec> = {
  recoveryPointAgeValue: { kind: "count", default: "1" },
  recoveryPointAgeUnit: { kind: "unit", default: "days" },
};

/** The controls the service knows, with their parameters and the defaults the guide gives in brackets. */
export const CONTROLS: Record<string, ControlSpec> = {
  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: { subject: "resource", params: {} },
  BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: {
    subject: "plan",
    params: {
      requiredFrequencyUnit: { kind: "unit", default: "days" },
      requiredFrequencyValue: { kind: "count", default: "1" },
      requiredRetentionDays: { kind: "count", default: "35" },
    },
  },
  BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: { subject: "vault", params: { principalArnList: { kind: "iamRoles", maxItems: 5 } } },
  BACKUP_RECOVERY_POINT_ENCRYPTED: { subject: "recoveryPoint", params: {} },
  BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: { subject: "recoveryPoint", params: { requiredRetentionDays: { kind: "count", default: "35" } } },
  BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: { subject: "resource", params: { crossRegionList: { kind: "regions", maxItems: 3 } } },
  BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT: { subject: "resource", params: { crossAccountList: { kind: "accounts", maxItems: 5 } } },
  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: {
    subject: "resource",
    params: { minRetentionDays: { kind: "count" }, maxRetentionDays: { kind: "count" } },
  },
  BACKUP_LAST_RECOVERY_POINT_CREATED: { subject: "resource", params: AGE_PARAMS },
  RESTORE_TIME_FOR_RESOURCES_MEET_TARGET: { subject: "resource", params: { maxRestoreTime: { kind: "count", default: "720" } } },
  RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: { subject: "resource", params: AGE_PARAMS },
};

/** Recovery point age limits of the AWS Config rule behind the "last recovery point" controls. */
const MAX_AGE = { hours: 744, days: 31 } as const;

/** Service quota: controls per account per Region, counted across frameworks. */
export const MAX_CONTROLS_PER_REGION = 50;

/** AWS Config resource types of what Backup protects, as compliance reports name them. */
const CONFIG_TYPES: Record<ResourceType, string> = {
  Aurora: "AWS::RDS::DBCluster",
  CloudFormation: "AWS::CloudFormation::Stack",
  DocumentDB: "AWS::DocDB::DBCluster",
  DynamoDB: "AWS::DynamoDB::Table",
  EBS: "AWS::EC2::Volume",
  EC2: "AWS::EC2::Instance",
  EFS: "AWS::EFS::FileSystem",
  EKS: "AWS::EKS::Cluster",
  FSx: "AWS::FSx::FileSystem",
  Neptune: "AWS::Neptune::DBCluster",
  RDS: "AWS::RDS::DBInstance",
  Redshift: "AWS::Redshift::Cluster",
  S3: "AWS::S3::Bucket",
  "SAP HANA on Amazon EC2": "AWS::SSMSAP::Application",
  "Storage Gateway": "AWS::StorageGateway::Volume",
  Timestream: "AWS::Timestream::Table",
  VirtualMachine: "AWS::BackupGateway::VirtualMachine",
};

const PLAN_TYPE = "AWS::Backup::BackupPlan";
const VAULT_TYPE = "AWS::Backup::BackupVault";
const RECOVERY_POINT_TYPE = "AWS::Backup::RecoveryPoint";

const HOUR = 3600;
const DAY = 86_400;

// ---- checks on a framework's controls ----

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

function checkValue(control: string, name: string, spec: ParamSpec, value: string): void {
  const bad = (what: string) => new InvalidParameterValueException(`Control ${control}: ${name} "${value}" ${what}.`);
  const entries = () => {
    const items = splitList(value);
    if (spec.maxItems !== undefined && items.length > spec.maxItems) throw bad(`lists ${items.length} entries; at most ${spec.maxItems} are allowed`);
    return items;
  };
  switch (spec.kind) {
    case "count":
      if (!/^\d+$/.test(value) || Number(value) < 1) throw bad("must be a whole number of at least 1");
      return;
    case "unit":
      if (value !== "hours" && value !== "days") throw bad('must be "hours" or "days"');
      return;
    case "iamRoles":
      for (const arn of entries()) if (!IAM_ROLE_ARN.test(arn)) throw bad(`has "${arn}", which is not an IAM role ARN`);
      return;
    case "regions":
      for (const r of entries()) if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) throw bad(`has "${r}", which is not a Region name`);
      return;
    case "accounts":
      for (const a of entries()) if (!/^\d{12}$/.test(a)) throw bad(`has "${a}", which is not a 12-digit account ID`);
      return;
  }
}

/** Every Backup resource type name, and AWS Config type names (AWS::Service::Type). */
function isKnownResourceType(type: string): boolean {
  return (SUPPORTED_RESOURCE_TYPES as readonly string[]).includes(type) || /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(type);
}

function checkScope(control: string, scope: ControlScope | undefined, where: string): void {
  if (!scope) return;
  const tags = Object.keys(scope.Tags ?? {});
  // API reference, ControlScope: "A maximum of one key-value pair can be provided."
  if (tags.length > 1) throw new InvalidParameterValueException(`${where}.ControlScope.Tags of control ${control} has ${tags.length} tags; a control scope takes at most one.`);
  for (const t of scope.ComplianceResourceTypes ?? []) {
    if (!isKnownResourceType(t)) {
      throw new InvalidParameterValueException(`${where}.ControlScope.ComplianceResourceTypes of control ${control}: "${t}" is not a resource type (such as EFS or RDS).`);
    }
  }
  // A scope is "a combination of one resource type and one resource ID" (API reference,
  // ControlScope), as in the AWS Config rule scope it becomes.
  if ((scope.ComplianceResourceIds?.length ?? 0) > 0 && scope.ComplianceResourceTypes?.length !== 1) {
    throw new InvalidParameterValueException(`${where}.ControlScope of control ${control}: ComplianceResourceIds needs exactly one ComplianceResourceTypes entry naming their type.`);
  }
}

/** Throws unless `controls` is a valid list of controls for a framework. */
export function validateControls(controls: Control[], where = "FrameworkControls"): void {
  if (controls.length === 0) throw new InvalidParameterValueException(`${where} must contain at least one control.`);
  const seen = new Set<string>();
  for (const [i, control] of controls.entries()) {
    const at = `${where}[${i}]`;
    const spec = CONTROLS[control.ControlName];
    if (!spec) {
      throw new InvalidParameterValueException(`${at}.ControlName "${control.ControlName}" is not a control AWS Backup Audit Manager knows; the controls are ${Object.keys(CONTROLS).join(", ")}.`);
    }
    if (seen.has(control.ControlName)) throw new InvalidParameterValueException(`${at}: control ${control.ControlName} appears more than once in the framework.`);
    seen.add(control.ControlName);
    const given = new Map<string, string>();
    for (const [j, p] of (control.ControlInputParameters ?? []).entries()) {
      if (!p.ParameterName || p.ParameterValue === undefined) {
        throw new MissingParameterValueException(`${at}.ControlInputParameters[${j}] of control ${control.ControlName} needs both ParameterName and ParameterValue.`);
      }
      const pspec = spec.params[p.ParameterName];
      if (!pspec) {
        const names = Object.keys(spec.params);
        throw new InvalidParameterValueException(
          `Control ${control.ControlName} has no input parameter "${p.ParameterName}"; ${names.length ? `it takes ${names.join(", ")}` : "it takes none"}.`,
        );
      }
      if (given.has(p.ParameterName)) throw new InvalidParameterValueException(`Control ${control.ControlName}: input parameter ${p.ParameterName} is given more than once.`);
      checkValue(control.ControlName, p.ParameterName, pspec, p.ParameterValue);
      given.set(p.ParameterName, p.ParameterValue);
    }
    const params = parametersOf(control);
    const unit = params.recoveryPointAgeUnit;
    if (unit === "hours" || unit === "days") {
      const value = Number(params.recoveryPointAgeValue);
      if (value > MAX_AGE[unit]) {
        throw new InvalidParameterValueException(`Control ${control.ControlName}: recoveryPointAgeValue ${value} is more than ${MAX_AGE[unit]} ${unit}, the longest age it accepts.`);
      }
    }
    if (params.minRetentionDays !== undefined && params.maxRetentionDays !== undefined && Number(params.minRetentionDays) > Number(params.maxRetentionDays)) {
      throw new InvalidParameterValueException(`Control ${control.ControlName}: minRetentionDays ${params.minRetentionDays} is more than maxRetentionDays ${params.maxRetentionDays}.`);
    }
    checkScope(control.ControlName, control.ControlScope, at);
  }
}

/** A control's parameters by name, the defaults filled in for those not given. */
export function parametersOf(control: Control): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(CONTROLS[control.ControlName]?.params ?? {})) if (spec.default !== undefined) out[name] = spec.default;
  for (const p of control.ControlInputParameters ?? []) if (p.ParameterName && p.ParameterValue !== undefined) out[p.ParameterName] = p.ParameterValue;
  return out;
}

// ---- evaluation ----

export type ComplianceStatus = "COMPLIANT" | "NON_COMPLIANT";

/** One evaluated resource, named as AWS Config names it in compliance reports. */
export interface ResourceEvaluation {
  resourceId: string;
  resourceType: string;
  resourceName?: string;
  status: ComplianceStatus;
}

export interface ControlEvaluation {
  /** INSUFFICIENT_DATA when nothing in the control's scope could be evaluated (as AWS Config says). */
  status: ComplianceStatus | "INSUFFICIENT_DATA";
  resources: ResourceEvaluation[];
}

/** Something a control evaluates, with every name a scope may use for it. */
interface Item {
  arn: string;
  configType: string;
  /** The id AWS Config gives it. */
  id: string;
  name?: string;
  /** Type names a scope may select it by. */
  types: string[];
  /** Identifiers a scope may select it by. */
  ids: string[];
  tags: Tags;
}

function inScope(item: Item, scope: ControlScope | undefined): boolean {
  const types = scope?.ComplianceResourceTypes ?? [];
  if (types.length > 0 && !types.some((t) => item.types.includes(t))) return false;
  const ids = scope?.ComplianceResourceIds ?? [];
  if (ids.length > 0 && !ids.some((id) => item.ids.includes(id))) return false;
  // A tag without a value selects every value of the key.
  return Object.entries(scope?.Tags ?? {}).every(([k, v]) => k in item.tags && (v === "" || item.tags[k] === v));
}

/** The state a round of evaluations reads, loaded once. */
class EvaluationState {
  private planSelections?: { plan: PlanRecord; selections: SelectionRecord[] }[];

  constructor(
    readonly store: Store,
    readonly scope: Scope,
    readonly at: number,
  ) {}

  plansWithSelections(): { plan: PlanRecord; selections: SelectionRecord[] }[] {
    this.planSelections ??= this.store.plans
      .all(this.scope, { deleted: null })
      .map((plan) => ({ plan, selections: this.store.selections.all(this.scope, { plan_id: plan.BackupPlanId }) }));
    return this.planSelections;
  }

  /** The active plans a resource is assigned to. */
  coveringPlans(item: Item): PlanRecord[] {
    return this.plansWithSelections()
      .filter(({ selections }) => selections.some((s) => selectionCovers(s.BackupSelection, { arn: item.arn, type: item.types[0] ?? item.configType, tags: item.tags })))
      .map(({ plan }) => plan);
  }

  vault(name: string): VaultRecord | undefined {
    return this.store.vaults.get(this.scope, name);
  }
}

function resourceItem(store: Store, arn: string, type: ResourceType): Item {
  const name = resourceNameOf(arn);
  const id = name ?? arn;
  return { arn, configType: CONFIG_TYPES[type], id, ...(name ? { name } : {}), types: [type, CONFIG_TYPES[type]], ids: [arn, id], tags: store.getTags(arn) };
}

/**
 * The protected resources the emulator knows of in a Region: those with backup jobs or recovery
 * points, those a selection names by ARN, and those the control's scope names by ARN.
 */
function resourceItems(state: EvaluationState, control: Control): Item[] {
  const { store, scope } = state;
  const arns = new Set<string>();
  for (const rp of store.recoveryPoints.all(scope)) arns.add(rp.ResourceArn);
  for (const job of store.backupJobs.all(scope)) arns.add(job.ResourceArn);
  for (const { selections } of state.plansWithSelections()) {
    for (const s of selections) for (const r of s.BackupSelection.Resources ?? []) if (!isArnPattern(r)) arns.add(r);
  }
  for (const id of control.ControlScope?.ComplianceResourceIds ?? []) arns.add(id);
  const items: Item[] = [];
  for (const arn of arns) {
    const type = resourceTypeOf(arn);
    const region = parseArn(arn)?.region;
    // S3 bucket ARNs carry no Region; others belong to the Region they name.
    if (type && (region === "" || region === scope.region)) items.push(resourceItem(store, arn, type));
  }
  return items;
}

function recoveryPointItems(state: EvaluationState): Item[] {
  return state.store.recoveryPoints.all(state.scope).map((rp) => ({
    arn: rp.RecoveryPointArn,
    configType: RECOVERY_POINT_TYPE,
    id: rp.RecoveryPointArn,
    types: [RECOVERY_POINT_TYPE, rp.ResourceType],
    ids: [rp.RecoveryPointArn, rp.RecoveryPointArn.split(/[:/]/).pop() ?? rp.RecoveryPointArn],
    tags: state.store.getTags(rp.RecoveryPointArn),
  }));
}

function planItems(state: EvaluationState): Item[] {
  return state.plansWithSelections().map(({ plan }) => ({
    arn: plan.BackupPlanArn,
    configType: PLAN_TYPE,
    id: plan.BackupPlanId,
    name: plan.BackupPlanName,
    types: [PLAN_TYPE],
    ids: [plan.BackupPlanId, plan.BackupPlanArn, plan.BackupPlanName],
    tags: state.store.getTags(plan.BackupPlanArn),
  }));
}

function vaultItems(state: EvaluationState): Item[] {
  return state.store.vaults.all(state.scope).map((v) => ({
    arn: v.BackupVaultArn,
    configType: VAULT_TYPE,
    id: v.BackupVaultName,
    name: v.BackupVaultName,
    types: [VAULT_TYPE],
    ids: [v.BackupVaultName, v.BackupVaultArn],
    tags: state.store.getTags(v.BackupVaultArn),
  }));
}

const ageSeconds = (params: Record<string, string>) => Number(params.recoveryPointAgeValue) * (params.recoveryPointAgeUnit === "hours" ? HOUR : DAY);

/** Retention a lifecycle gives, in days (Infinity when it never deletes). */
const retentionDays = (lc: Shapes["Lifecycle"] | undefined) => periodDays(lc?.DeleteAfterDays) ?? Infinity;

/** The longest gap between two runs of a rule, or undefined when it does not run on a schedule. */
function ruleInterval(rule: Shapes["BackupRule"], at: number): number | undefined {
  if (rule.EnableContinuousBackup) return 0;
  if (!rule.ScheduleExpression) return undefined;
  let runs: number[];
  try {
    runs = nextRuns(rule.ScheduleExpression, rule.ScheduleExpressionTimezone, at, 8);
  } catch {
    // A schedule the calendar cannot read gives no known frequency.
    return undefined;
  }
  if (runs.length < 2) return undefined;
  let gap = 0;
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i]! - runs[i - 1]!);
  return gap;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const isWildcardPrincipal = (p: unknown): boolean =>
  p === "*" || (typeof p === "object" && p !== null && list((p as Record<string, unknown>).AWS as string | string[] | undefined).includes("*"));

const actionCovers = (pattern: unknown, action: string) => typeof pattern === "string" && wildcardMatch(pattern, action, true);

/** The actions a vault access policy must deny to everyone (AWS Config rule backup-recovery-point-manual-deletion-disabled). */
const DELETION_ACTIONS = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:PutBackupVaultAccessPolicy"];

function deniesManualDeletion(policy: string | undefined): boolean {
  if (!policy) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    return false;
  }
  const statements = list((doc as { Statement?: unknown } | null)?.Statement as Record<string, unknown> | Record<string, unknown>[] | undefined);
  return statements.some(
    (s) =>
      s.Effect === "Deny" &&
      isWildcardPrincipal(s.Principal) &&
      list(s.Resource as string | string[] | undefined).includes("*") &&
      DELETION_ACTIONS.every((a) => list(s.Action as string | string[] | undefined).some((p) => actionCovers(p, a))),
  );
}

type Check = (item: Item, params: Record<string, string>, state: EvaluationState) => boolean | undefined;

/** Per control: whether an item complies (undefined: the control does not apply to it). */
const CHECKS: Record<string, Check> = {
  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: (item, _p, state) => state.coveringPlans(item).length > 0,

  BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: (item, p, state) => {
    const plan = state.plansWithSelections().find(({ plan }) => plan.BackupPlanArn === item.arn)?.plan;
    const every = Number(p.requiredFrequencyValue) * (p.requiredFrequencyUnit === "hours" ? HOUR : DAY);
    // At least one rule must run often enough and keep its backups long enough.
    return (plan?.BackupPlan.Rules ?? []).some((rule) => {
      const interval = ruleInterval(rule, state.at);
      return interval !== undefined && interval <= every && retentionDays(rule.Lifecycle) >= Number(p.requiredRetentionDays);
    });
  },

  BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED: (item, _p, state) => deniesManualDeletion(state.vault(item.id)?.AccessPolicy),

  BACKUP_RECOVERY_POINT_ENCRYPTED: (item, _p, state) => state.store.recoveryPoints.get(state.scope, item.arn)?.IsEncrypted === true,

  BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK: (item, p, state) =>
    retentionDays(state.store.recoveryPoints.get(state.scope, item.arn)?.Lifecycle) >= Number(p.requiredRetentionDays),

  BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: (item, p, state) => {
    const wanted = splitList(p.crossRegionList ?? "");
    return copyDestinations(state, item).some((d) => d.region !== state.scope.region && (wanted.length === 0 || wanted.includes(d.region)));
  },

  BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT: (item, p, state) => {
    const wanted = splitList(p.crossAccountList ?? "");
    return copyDestinations(state, item).some((d) => d.accountId !== state.scope.accountId && (wanted.length === 0 || wanted.includes(d.accountId)));
  },

  BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: (item, p, state) =>
    state.coveringPlans(item).some((plan) =>
      plan.BackupPlan.Rules.some((rule) => {
        const v = state.vault(rule.TargetBackupVaultName);
        if (!v?.Locked) return false;
        if (p.minRetentionDays !== undefined && (v.MinRetentionDays ?? 0) < Number(p.minRetentionDays)) return false;
        if (p.maxRetentionDays !== undefined && (v.MaxRetentionDays ?? Infinity) > Number(p.maxRetentionDays)) return false;
        return true;
      }),
    ),

  BACKUP_LAST_RECOVERY_POINT_CREATED: (item, p, state) =>
    state.store.recoveryPoints
      .all(state.scope, { resource_arn: item.arn, created: { gte: state.at - ageSeconds(p), lte: state.at } })
      .some((rp) => rp.Status === "COMPLETED"),

  RESTORE_TIME_FOR_RESOURCES_MEET_TARGET: (item, p, state) => {
    const job = state.store
      .table(restoreJobsDef)
      .all(state.scope, { source_resource_arn: item.arn, status: "COMPLETED" })
      .find((j) => j.CompletionDate !== undefined);
    // A resource never restored has no restore time to judge.
    if (!job || job.CompletionDate === undefined) return undefined;
    return (job.CompletionDate - job.CreationDate) / 60 <= Number(p.maxRestoreTime);
  },

  RESOURCES_IN_LOGICALLY_AIR_GAPPED_VAULT: (item, p, state) =>
    state.store.recoveryPoints
      .all(state.scope, { resource_arn: item.arn, created: { gte: state.at - ageSeconds(p), lte: state.at } })
      .some((rp) => rp.VaultType === "LOGICALLY_AIR_GAPPED_BACKUP_VAULT"),
};

/** Where the rules of the plans covering a resource copy its backups to. */
function copyDestinations(state: EvaluationState, item: Item): Scope[] {
  return state
    .coveringPlans(item)
    .flatMap((plan) => plan.BackupPlan.Rules.flatMap((rule) => rule.CopyActions ?? []))
    .flatMap((copy) => {
      const dest = vaultFromArn(copy.DestinationBackupVaultArn);
      return dest ? [dest.scope] : [];
    });
}

const ITEMS: Record<Subject, (state: EvaluationState, control: Control) => Item[]> = {
  resource: resourceItems,
  recoveryPoint: recoveryPointItems,
  plan: planItems,
  vault: vaultItems,
};

/** Evaluate each control at time `at` against the state of `scope`. */
export function evaluateControls(store: Store, scope: Scope, controls: Control[], at: number): ControlEvaluation[] {
  const state = new EvaluationState(store, scope, at);
  return controls.map((control) => {
    const spec = CONTROLS[control.ControlName];
    const check = CHECKS[control.ControlName];
    if (!spec || !check) return { status: "INSUFFICIENT_DATA", resources: [] };
    const params = parametersOf(control);
    const resources: ResourceEvaluation[] = [];
    for (const item of ITEMS[spec.subject](state, control)) {
      if (!inScope(item, control.ControlScope)) continue;
      const ok = check(item, params, state);
      if (ok === undefined) continue;
      resources.push({
        resourceId: `${item.configType}/${item.id}`,
        resourceType: item.configType,
        ...(item.name !== undefined ? { resourceName: item.name } : {}),
        status: ok ? "COMPLIANT" : "NON_COMPLIANT",
      });
    }
    const status = resources.length === 0 ? "INSUFFICIENT_DATA" : resources.some((r) => r.status === "NON_COMPLIANT") ? "NON_COMPLIANT" : "COMPLIANT";
    return { status, resources };
  });
}
