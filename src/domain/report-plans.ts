/**
 * Report plans: which report to build (ReportSetting) and where to deliver it
 * (ReportDeliveryChannel). Like frameworks, a plan is deployed (CREATE_IN_PROGRESS or
 * UPDATE_IN_PROGRESS, then COMPLETED over the configured job delay) and cannot be updated or
 * deleted meanwhile. Deleting a plan keeps its report jobs and the reports they delivered
 * (developer guide, "Deleting report plans": reports already created remain in their bucket).
 */
import {
  AlreadyExistsException,
  ConflictException,
  InvalidParameterValueException,
  LimitExceededException,
  ResourceNotFoundException,
} from "../../generated/errors.js";
import type { Input, Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import { reportJobsDef, reportPlansDef, type ReportPlanRecord } from "../store/schema/audit.js";
import type { Scope } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { backupArn } from "./arn.js";
import { frameworkByArn, isDeploying } from "./frameworks.js";
import { uuid } from "./ids.js";
import { setTagsOnCreate, type TaggableLookup } from "./tags.js";
import { shape } from "./util.js";
import type { WorkFactory } from "./work.js";

export const REPORT_PLAN_DEPLOYMENT_WORK = "report-plan-deployment";

/** The report templates of the API reference (ReportSetting.ReportTemplate). */
export const REPORT_TEMPLATES = [
  "RESOURCE_COMPLIANCE_REPORT",
  "CONTROL_COMPLIANCE_REPORT",
  "BACKUP_JOB_REPORT",
  "COPY_JOB_REPORT",
  "RESTORE_JOB_REPORT",
  "SCAN_JOB_REPORT",
] as const;
export type ReportTemplate = (typeof REPORT_TEMPLATES)[number];

export const REPORT_FORMATS = ["CSV", "JSON"] as const;

/** Service quotas (developer guide, "AWS Backup Audit Manager quotas"). */
export const MAX_REPORT_PLANS_PER_ACCOUNT = 20;
export const MAX_FRAMEWORKS_PER_REPORT_PLAN = 1000;

export const reportPlanTable = (store: Store) => store.table(reportPlansDef);

/** Report plan ARNs end in `report-plan:<name>-<id>`; names cannot contain "-". */
/** Taggable kind `report-plan` (src/domain/tagging.ts). */
export const reportPlanExists: TaggableLookup = (store, scope, id, arn) => reportPlanTable(store).get(scope, id.split("-")[0] ?? id)?.ReportPlanArn === arn;

export function requireReportPlan(store: Store, scope: Scope, name: string): ReportPlanRecord {
  const p = reportPlanTable(store).get(scope, name);
  if (!p) throw new ResourceNotFoundException(`Report plan ${name} does not exist in account ${scope.accountId} and region ${scope.region}.`, { Context: name });
  return p;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const ORGANIZATION_UNIT = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;

/** Whether a report covers more than the plan's own account and Region. */
function coversOtherScopes(setting: Shapes["ReportSetting"], scope: Scope): boolean {
  return (
    (setting.Regions ?? []).some((r) => r !== scope.region) ||
    (setting.Accounts ?? []).some((a) => a !== scope.accountId) ||
    (setting.OrganizationUnits ?? []).length > 0
  );
}

/**
 * A checked ReportSetting with NumberOfFrameworks filled in. `tooMany` is the error for more
 * frameworks than a plan may hold: LimitExceededException where the operation models it.
 */
function normalizeSetting(ctx: DomainContext, setting: Shapes["ReportSetting"], tooMany: (message: string) => Error): Shapes["ReportSetting"] {
  const template = setting.ReportTemplate;
  if (!(REPORT_TEMPLATES as readonly string[]).includes(template)) {
    throw new InvalidParameterValueException(`ReportSetting.ReportTemplate "${template}" is not a report template; use one of ${REPORT_TEMPLATES.join(", ")}.`);
  }
  for (const a of setting.Accounts ?? []) {
    if (a !== "ROOT" && !ACCOUNT.test(a)) throw new InvalidParameterValueException(`ReportSetting.Accounts: "${a}" is neither a 12-digit account ID nor ROOT.`);
  }
  for (const r of setting.Regions ?? []) {
    if (r !== "*" && !REGION.test(r)) throw new InvalidParameterValueException(`ReportSetting.Regions: "${r}" is neither a Region name nor *.`);
  }
  for (const ou of setting.OrganizationUnits ?? []) {
    if (!ORGANIZATION_UNIT.test(ou)) throw new InvalidParameterValueException(`ReportSetting.OrganizationUnits: "${ou}" is not an organizational unit or root ID.`);
  }
  // FrameworkArns is optional for every template (API reference, ReportSetting): a compliance
  // report covers the frameworks it names, so a plan that names none covers none (its
  // NumberOfFrameworks is 0) and its reports hold no rows; no framework is added implicitly.
  const frameworks = setting.FrameworkArns ?? [];
  if (frameworks.length > MAX_FRAMEWORKS_PER_REPORT_PLAN) {
    throw tooMany(`ReportSetting.FrameworkArns lists ${frameworks.length} frameworks; a report plan covers at most ${MAX_FRAMEWORKS_PER_REPORT_PLAN}.`);
  }
  for (const arn of frameworks) {
    const found = frameworkByArn(ctx.store, arn);
    if (!found || found.scope.accountId !== ctx.scope.accountId) {
      throw new InvalidParameterValueException(`ReportSetting.FrameworkArns: framework ${arn} does not exist in account ${ctx.scope.accountId}.`);
    }
  }
  // NumberOfFrameworks is the service's count, whatever the caller sent.
  return { ...setting, NumberOfFrameworks: frameworks.length };
}

/** A checked ReportDeliveryChannel, with the default format (CSV) when none is given. */
function normalizeChannel(channel: Shapes["ReportDeliveryChannel"], setting: Shapes["ReportSetting"], scope: Scope): Shapes["ReportDeliveryChannel"] {
  const bucket = channel.S3BucketName;
  // Amazon S3 bucket naming rules: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes("..")) {
    throw new InvalidParameterValueException(`ReportDeliveryChannel.S3BucketName "${bucket}" is not a valid S3 bucket name.`);
  }
  const formats = channel.Formats && channel.Formats.length > 0 ? [...new Set(channel.Formats)] : ["CSV"];
  for (const f of formats) {
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new InvalidParameterValueException(`ReportDeliveryChannel.Formats: "${f}" is not a report format; use CSV, JSON or both.`);
  }
  // "If the report is for the current region and current account, you can choose to receive the
  // report in either CSV or JSON format. Otherwise, the report is available in CSV format."
  // (developer guide, "Working with audit reports").
  if (formats.includes("JSON") && coversOtherScopes(setting, scope)) {
    throw new InvalidParameterValueException("ReportDeliveryChannel.Formats: a report covering other accounts or Regions is delivered as CSV only; remove JSON.");
  }
  return { ...channel, Formats: formats };
}

function scheduleDeployment(ctx: DomainContext, p: ReportPlanRecord, now: number): void {
  ctx.store.schedule(now + ctx.config.jobCompletionDelaySeconds, REPORT_PLAN_DEPLOYMENT_WORK, ctx.scope, p.ReportPlanName, { arn: p.ReportPlanArn });
}

export function createReportPlan(ctx: DomainContext, input: Input<"CreateReportPlan">): ReportPlanRecord {
  const { store, scope } = ctx;
  return store.transaction(() => {
    const setting = normalizeSetting(ctx, input.ReportSetting, (m) => new LimitExceededException(m));
    const channel = normalizeChannel(input.ReportDeliveryChannel, setting, scope);
    const table = reportPlanTable(store);
    const existing = table.get(scope, input.ReportPlanName);
    if (existing) {
      throw new AlreadyExistsException(`Report plan ${input.ReportPlanName} already exists.`, { Arn: existing.ReportPlanArn, Context: input.ReportPlanName });
    }
    // The quota is per account, across its Regions.
    const inAccount = table.find({}).filter((r) => r.scope.accountId === scope.accountId).length;
    if (inAccount >= MAX_REPORT_PLANS_PER_ACCOUNT) {
      throw new LimitExceededException(`Account ${scope.accountId} already has ${MAX_REPORT_PLANS_PER_ACCOUNT} report plans, the service quota.`);
    }
    const now = ctx.clock.now();
    const record: ReportPlanRecord = {
      ReportPlanName: input.ReportPlanName,
      ReportPlanArn: backupArn(scope, `report-plan:${input.ReportPlanName}-${uuid()}`),
      ReportSetting: setting,
      ReportDeliveryChannel: channel,
      DeploymentStatus: "CREATE_IN_PROGRESS",
      CreationTime: now,
      ...(input.ReportPlanDescription !== undefined ? { ReportPlanDescription: input.ReportPlanDescription } : {}),
    };
    table.insert(scope, record);
    setTagsOnCreate(ctx, record.ReportPlanArn, input.ReportPlanTags, "ReportPlanTags");
    scheduleDeployment(ctx, record, now);
    return record;
  });
}

function refuseWhileDeploying(p: ReportPlanRecord, action: string): void {
  if (isDeploying(p.DeploymentStatus)) {
    throw new ConflictException(`Report plan ${p.ReportPlanName} cannot be ${action} while its deployment is ${p.DeploymentStatus}; try again when it is COMPLETED.`, {
      Context: p.ReportPlanName,
    });
  }
}

export function updateReportPlan(ctx: DomainContext, input: Input<"UpdateReportPlan">): ReportPlanRecord {
  const { store, scope } = ctx;
  return store.transaction(() => {
    const current = requireReportPlan(store, scope, input.ReportPlanName);
    refuseWhileDeploying(current, "updated");
    // UpdateReportPlan models no LimitExceededException: too many frameworks is a bad value.
    const setting = input.ReportSetting ? normalizeSetting(ctx, input.ReportSetting, (m) => new InvalidParameterValueException(m)) : current.ReportSetting;
    const channel = normalizeChannel(input.ReportDeliveryChannel ?? current.ReportDeliveryChannel, setting, scope);
    const updated: ReportPlanRecord = {
      ...current,
      ReportSetting: setting,
      ReportDeliveryChannel: channel,
      DeploymentStatus: "UPDATE_IN_PROGRESS",
      ...(input.ReportPlanDescription !== undefined ? { ReportPlanDescription: input.ReportPlanDescription } : {}),
    };
    reportPlanTable(store).put(scope, updated);
    scheduleDeployment(ctx, updated, ctx.clock.now());
    return updated;
  });
}

/** Report job states that are not final. */
export const UNFINISHED_REPORT_JOB_STATES = ["CREATED", "RUNNING"] as const;

export function deleteReportPlan(ctx: DomainContext, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    const plan = requireReportPlan(store, scope, name);
    refuseWhileDeploying(plan, "deleted");
    const running = store.table(reportJobsDef).count(scope, { plan_name: name, status: { in: UNFINISHED_REPORT_JOB_STATES } });
    if (running > 0) {
      throw new ConflictException(`Report plan ${name} has ${running} report job${running > 1 ? "s" : ""} still running; delete it once they finish.`, { Context: name });
    }
    reportPlanTable(store).delete(scope, name);
    store.deleteTags(plan.ReportPlanArn);
  });
}

function completeDeployment(store: Store, item: WorkItem): void {
  const table = reportPlanTable(store);
  const p = table.get(item.scope, item.ref);
  const { arn } = item.data as { arn: string };
  if (!p || p.ReportPlanArn !== arn || !isDeploying(p.DeploymentStatus)) return;
  table.put(item.scope, { ...p, DeploymentStatus: "COMPLETED" });
}

export const reportPlanWork: Record<string, WorkFactory> = {
  [REPORT_PLAN_DEPLOYMENT_WORK]: ({ store }) => (item) => completeDeployment(store, item),
};

export const reportPlanOutput = (p: ReportPlanRecord): Shapes["ReportPlan"] => shape("ReportPlan", p);
