/**
 * Audit frameworks: named sets of controls. Creating or updating one deploys its controls, which
 * takes time in the service (DeploymentStatus CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS, then
 * COMPLETED); here the deployment takes the configured job delay and is queued work. While a
 * deployment runs, the framework cannot be updated or deleted (ConflictException, "Backup can't
 * perform the action that you requested until it finishes performing a previous action").
 */
import { AlreadyExistsException, ConflictException, LimitExceededException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Input, Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import { frameworksDef, reportPlansDef, type FrameworkRecord } from "../store/schema/audit.js";
import type { Scope } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { backupArn, backupResource, parseArn } from "./arn.js";
import { MAX_CONTROLS_PER_REGION, parametersOf, validateControls } from "./controls.js";
import { uuid } from "./ids.js";
import { setTagsOnCreate, type TaggableLookup } from "./tags.js";
import { canonicalJson, pick, shape } from "./util.js";
import type { WorkFactory } from "./work.js";

export const FRAMEWORK_DEPLOYMENT_WORK = "framework-deployment";

/** Service quota: frameworks per account per Region (developer guide, "Working with audit frameworks"). */
export const MAX_FRAMEWORKS_PER_REGION = 15;

/** What FrameworkStatus reports: the emulator has resource tracking on for every resource type. */
const FRAMEWORK_STATUS = "ACTIVE";

export const frameworkTable = (store: Store) => store.table(frameworksDef);

export const isDeploying = (status: string): boolean => status.endsWith("_IN_PROGRESS");

/** Framework ARNs end in `framework:<name>-<id>`; names cannot contain "-", so the name is what precedes the first one. */
const nameInArnId = (id: string): string => id.split("-")[0] ?? id;

/** Taggable kind `framework` (src/domain/tagging.ts). */
export const frameworkExists: TaggableLookup = (store, scope, id, arn) => frameworkTable(store).get(scope, nameInArnId(id))?.FrameworkArn === arn;

export function requireFramework(store: Store, scope: Scope, name: string): FrameworkRecord {
  const f = frameworkTable(store).get(scope, name);
  if (!f) throw new ResourceNotFoundException(`Framework ${name} does not exist in account ${scope.accountId} and region ${scope.region}.`, { Context: name });
  return f;
}

/** The framework an ARN names, with the account and Region it lives in, when it exists. */
export function frameworkByArn(store: Store, arn: string): { scope: Scope; framework: FrameworkRecord } | undefined {
  const parsed = parseArn(arn);
  const res = parsed && backupResource(parsed);
  if (!parsed || !res || res.kind !== "framework") return undefined;
  const scope = { accountId: parsed.account, region: parsed.region };
  const framework = frameworkTable(store).get(scope, nameInArnId(res.id));
  return framework && framework.FrameworkArn === arn ? { scope, framework } : undefined;
}

/** A framework's controls as a comparable value: the same controls with the same parameters and scopes. */
function controlsKey(controls: Shapes["FrameworkControl"][]): string {
  return canonicalJson(
    controls
      .map((c) =>
        canonicalJson({
          name: c.ControlName,
          params: parametersOf(c),
          scope: {
            ids: [...(c.ControlScope?.ComplianceResourceIds ?? [])].sort(),
            types: [...(c.ControlScope?.ComplianceResourceTypes ?? [])].sort(),
            tags: c.ControlScope?.Tags ?? {},
          },
        }),
      )
      .sort(),
  );
}

/**
 * Quota and duplicate checks against the other frameworks of the Region: at most 50 controls in
 * all, and no two frameworks with the same controls and parameters ("You cannot deploy duplicate
 * frameworks", developer guide, "Working with audit frameworks").
 */
function checkAgainstOthers(others: FrameworkRecord[], controls: Shapes["FrameworkControl"][], name: string): void {
  const inUse = others.reduce((n, f) => n + f.FrameworkControls.length, 0);
  if (inUse + controls.length > MAX_CONTROLS_PER_REGION) {
    throw new LimitExceededException(
      `Framework ${name} would bring the controls in use to ${inUse + controls.length}; an account can use at most ${MAX_CONTROLS_PER_REGION} controls per Region.`,
    );
  }
  const key = controlsKey(controls);
  const twin = others.find((f) => controlsKey(f.FrameworkControls) === key);
  if (twin) {
    throw new AlreadyExistsException(`Framework ${twin.FrameworkName} already has the same controls and parameters as framework ${name}.`, {
      Arn: twin.FrameworkArn,
      Context: twin.FrameworkName,
    });
  }
}

function scheduleDeployment(ctx: DomainContext, f: FrameworkRecord, now: number): void {
  ctx.store.schedule(now + ctx.config.jobCompletionDelaySeconds, FRAMEWORK_DEPLOYMENT_WORK, ctx.scope, f.FrameworkName, { arn: f.FrameworkArn });
}

export function createFramework(ctx: DomainContext, input: Input<"CreateFramework">): FrameworkRecord {
  const { store, scope } = ctx;
  validateControls(input.FrameworkControls);
  return store.transaction(() => {
    const table = frameworkTable(store);
    const existing = table.get(scope, input.FrameworkName);
    if (existing) {
      throw new AlreadyExistsException(`Framework ${input.FrameworkName} already exists.`, { Arn: existing.FrameworkArn, Context: input.FrameworkName });
    }
    const others = table.all(scope);
    if (others.length >= MAX_FRAMEWORKS_PER_REGION) {
      throw new LimitExceededException(`This account already has ${MAX_FRAMEWORKS_PER_REGION} frameworks in ${scope.region}, the service quota.`);
    }
    checkAgainstOthers(others, input.FrameworkControls, input.FrameworkName);
    const now = ctx.clock.now();
    const record: FrameworkRecord = {
      FrameworkName: input.FrameworkName,
      FrameworkArn: backupArn(scope, `framework:${input.FrameworkName}-${uuid()}`),
      FrameworkControls: input.FrameworkControls,
      CreationTime: now,
      DeploymentStatus: "CREATE_IN_PROGRESS",
      FrameworkStatus: FRAMEWORK_STATUS,
      ...(input.FrameworkDescription !== undefined ? { FrameworkDescription: input.FrameworkDescription } : {}),
      ...(input.IdempotencyToken !== undefined ? { IdempotencyToken: input.IdempotencyToken } : {}),
    };
    table.insert(scope, record);
    setTagsOnCreate(ctx, record.FrameworkArn, input.FrameworkTags, "FrameworkTags");
    scheduleDeployment(ctx, record, now);
    return record;
  });
}

function refuseWhileDeploying(f: FrameworkRecord, action: string): void {
  if (isDeploying(f.DeploymentStatus)) {
    throw new ConflictException(`Framework ${f.FrameworkName} cannot be ${action} while its deployment is ${f.DeploymentStatus}; try again when it is COMPLETED.`, {
      Context: f.FrameworkName,
    });
  }
}

export function updateFramework(ctx: DomainContext, input: Input<"UpdateFramework">): FrameworkRecord {
  const { store, scope } = ctx;
  if (input.FrameworkControls) validateControls(input.FrameworkControls);
  return store.transaction(() => {
    const table = frameworkTable(store);
    const current = requireFramework(store, scope, input.FrameworkName);
    refuseWhileDeploying(current, "updated");
    const controls = input.FrameworkControls ?? current.FrameworkControls;
    if (input.FrameworkControls) {
      checkAgainstOthers(
        table.all(scope).filter((f) => f.FrameworkName !== current.FrameworkName),
        controls,
        current.FrameworkName,
      );
    }
    const updated: FrameworkRecord = {
      ...current,
      FrameworkControls: controls,
      DeploymentStatus: "UPDATE_IN_PROGRESS",
      ...(input.FrameworkDescription !== undefined ? { FrameworkDescription: input.FrameworkDescription } : {}),
    };
    table.put(scope, updated);
    scheduleDeployment(ctx, updated, ctx.clock.now());
    return updated;
  });
}

export function deleteFramework(ctx: DomainContext, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    const f = requireFramework(store, scope, name);
    refuseWhileDeploying(f, "deleted");
    // A report plan may cover frameworks of any Region of its account.
    const users = store
      .table(reportPlansDef)
      .find({})
      .filter(({ scope: s, doc }) => s.accountId === scope.accountId && (doc.ReportSetting.FrameworkArns ?? []).includes(f.FrameworkArn))
      .map(({ doc }) => doc.ReportPlanName);
    if (users.length > 0) {
      throw new ConflictException(`Framework ${name} is used by report plan${users.length > 1 ? "s" : ""} ${users.join(", ")}; remove it from them first.`, {
        Context: name,
      });
    }
    frameworkTable(store).delete(scope, name);
    store.deleteTags(f.FrameworkArn);
  });
}

function completeDeployment(store: Store, item: WorkItem): void {
  const table = frameworkTable(store);
  const f = table.get(item.scope, item.ref);
  const { arn } = item.data as { arn: string };
  // Nothing to do for a framework deleted (and perhaps re-created) since.
  if (!f || f.FrameworkArn !== arn || !isDeploying(f.DeploymentStatus)) return;
  table.put(item.scope, { ...f, DeploymentStatus: "COMPLETED" });
}

export const frameworkWork: Record<string, WorkFactory> = {
  [FRAMEWORK_DEPLOYMENT_WORK]: ({ store }) => (item) => completeDeployment(store, item),
};

export const describeFramework = (f: FrameworkRecord): Shapes["DescribeFrameworkOutput"] => shape("DescribeFrameworkOutput", f);

export const frameworkListMember = (f: FrameworkRecord): Shapes["Framework"] => ({
  ...pick(f, ["FrameworkName", "FrameworkArn", "FrameworkDescription", "CreationTime", "DeploymentStatus"]),
  NumberOfControls: f.FrameworkControls.length,
});
