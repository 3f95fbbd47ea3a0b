/** Backup selections: which resources a plan protects. */
import { AlreadyExistsException, InvalidParameterValueException, LimitExceededException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { SelectionRecord } from "../store/records.js";
import { IAM_ROLE_ARN, parseArn } from "./arn.js";
import { uuid, validateCreatorRequestId } from "./ids.js";

/** Service quota: selections per backup plan. */
export const MAX_SELECTIONS_PER_PLAN = 50;

export function validateRoleArn(arn: string, where: string): void {
  if (!IAM_ROLE_ARN.test(arn)) throw new InvalidParameterValueException(`${where} "${arn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`);
}

/** API reference, BackupSelection Resources and NotResources: at most 500 ARNs, or 30 when any has a wildcard. */
const MAX_ARNS = 500;
const MAX_ARNS_WITH_WILDCARDS = 30;

function validateResourceList(list: string[] | undefined, where: string): void {
  const wildcards = (list ?? []).some((r) => r.includes("*"));
  const max = wildcards ? MAX_ARNS_WITH_WILDCARDS : MAX_ARNS;
  if (list && list.length > max) {
    throw new InvalidParameterValueException(
      `${where} lists ${list.length} ARNs; the most allowed is ${MAX_ARNS} without wildcards, or ${MAX_ARNS_WITH_WILDCARDS} when any of them has a wildcard${wildcards ? " (as these do)" : ""}.`,
    );
  }
  for (const [i, r] of (list ?? []).entries()) {
    // A selection entry is an ARN, possibly with * wildcards, or * for every resource.
    if (r !== "*" && !parseArn(r)) throw new InvalidParameterValueException(`${where}[${i}] "${r}" is neither an ARN nor "*".`);
  }
}

export function validateSelection(s: Shapes["BackupSelection"]): void {
  validateRoleArn(s.IamRoleArn, "BackupSelection.IamRoleArn");
  // The service refuses a selection that names no resources at all (Conditions alone do not count).
  if (!s.Resources?.length && !s.ListOfTags?.length) {
    throw new InvalidParameterValueException("Invalid backup selection. Either 'ListOfTags' or 'Resources' section must be non-empty.");
  }
  for (const op of ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"] as const) {
    for (const [i, c] of (s.Conditions?.[op] ?? []).entries()) {
      if (!c.ConditionKey) throw new InvalidParameterValueException(`BackupSelection.Conditions.${op}[${i}] has no ConditionKey; give the tag as aws:ResourceTag/<key>.`);
    }
  }
  validateResourceList(s.Resources, "BackupSelection.Resources");
  validateResourceList(s.NotResources, "BackupSelection.NotResources");
}

export function createSelection(ctx: DomainContext, planId: string, selection: Shapes["BackupSelection"], creatorRequestId?: string): SelectionRecord {
  const { store, scope } = ctx;
  validateSelection(selection);
  validateCreatorRequestId(creatorRequestId);
  return store.transaction(() => {
    const plan = store.plans.get(scope, planId);
    // The model lists no ResourceNotFoundException for this operation; an unknown plan is a bad parameter.
    if (!plan || plan.DeletionDate !== undefined) throw new InvalidParameterValueException(`Backup plan ${planId} does not exist.`, { Context: planId });
    if (store.selections.count(scope, { plan_id: planId, name: selection.SelectionName }) > 0) {
      throw new AlreadyExistsException(`Backup plan ${planId} already has a selection named ${selection.SelectionName}.`, { Context: selection.SelectionName });
    }
    if (store.selections.count(scope, { plan_id: planId }) >= MAX_SELECTIONS_PER_PLAN) {
      throw new LimitExceededException(`Backup plan ${planId} already has ${MAX_SELECTIONS_PER_PLAN} selections, the service quota.`);
    }
    const record: SelectionRecord = {
      SelectionId: uuid(),
      BackupPlanId: planId,
      CreationDate: ctx.clock.now(),
      BackupSelection: selection,
      ...(creatorRequestId !== undefined ? { CreatorRequestId: creatorRequestId } : {}),
    };
    store.selections.insert(scope, record);
    return record;
  });
}

export function requireSelection(ctx: DomainContext, planId: string, selectionId: string): SelectionRecord {
  const s = ctx.store.selections.get(ctx.scope, planId, selectionId);
  if (!s) throw new ResourceNotFoundException(`Backup plan ${planId} has no selection ${selectionId}.`, { Context: selectionId });
  return s;
}

export function selectionListMember(s: SelectionRecord): Shapes["BackupSelectionsListMember"] {
  return {
    SelectionId: s.SelectionId,
    SelectionName: s.BackupSelection.SelectionName,
    BackupPlanId: s.BackupPlanId,
    CreationDate: s.CreationDate,
    IamRoleArn: s.BackupSelection.IamRoleArn,
    ...(s.CreatorRequestId !== undefined ? { CreatorRequestId: s.CreatorRequestId } : {}),
  };
}
