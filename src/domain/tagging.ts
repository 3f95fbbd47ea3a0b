/**
 * TagResource, UntagResource and ListTags on any taggable ARN. Each taggable kind has its
 * lookup in one exhaustive list (a missing kind does not compile), so tagging an ARN that names
 * nothing fails with ResourceNotFoundException, as in the service, and an ARN of a kind Backup
 * does not tag is refused by name.
 */
import { InvalidParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { DomainContext } from "./context.js";
import { backupResource, parseArn } from "./arn.js";
import { frameworkExists } from "./frameworks.js";
import { legalHoldExists } from "./legal-holds.js";
import { reportPlanExists } from "./report-plans.js";
import { restoreTestingPlanExists } from "./restore-testing.js";
import { TAGGABLE_KINDS, validateTags, type TaggableKind, type TaggableLookup } from "./tags.js";
import { tieringConfigurationExists } from "./tiering.js";

const recoveryPointExists: TaggableLookup = (store, scope, _id, arn) => store.recoveryPoints.has(scope, arn);

const TAGGABLE: Record<TaggableKind, TaggableLookup> = {
  "backup-vault": (store, scope, id) => store.vaults.has(scope, id),
  "backup-plan": (store, scope, id) => {
    const p = store.plans.get(scope, id);
    return p !== undefined && p.DeletionDate === undefined;
  },
  "recovery-point": recoveryPointExists,
  framework: frameworkExists,
  "report-plan": reportPlanExists,
  "legal-hold": legalHoldExists,
  "restore-testing-plan": restoreTestingPlanExists,
  "tiering-configuration": tieringConfigurationExists,
};

const isTaggableKind = (kind: string): kind is TaggableKind => (TAGGABLE_KINDS as readonly string[]).includes(kind);

/**
 * Throws ResourceNotFoundException unless `arn` names a taggable resource of the caller. An ARN
 * of another service can only be a recovery point that service keeps (an EBS snapshot, an EC2
 * image, an RDS snapshot).
 */
export function requireTaggable(ctx: DomainContext, arn: string): void {
  const parsed = parseArn(arn);
  const notFound = () => new ResourceNotFoundException(`No resource with ARN ${arn} exists in account ${ctx.scope.accountId}, region ${ctx.scope.region}.`, { Context: arn });
  if (!parsed) throw new InvalidParameterValueException(`"${arn}" is not a valid ARN.`);
  let lookup = recoveryPointExists;
  let id = arn;
  if (parsed.service === "backup") {
    const res = backupResource(parsed);
    const kind = res?.kind ?? parsed.resource;
    if (!res || !isTaggableKind(kind)) {
      throw new InvalidParameterValueException(`"${arn}" names a Backup resource of kind "${kind}", which cannot carry tags; taggable kinds are ${TAGGABLE_KINDS.join(", ")}.`, {
        Context: arn,
      });
    }
    lookup = TAGGABLE[kind];
    id = res.id;
  }
  // EBS snapshots and EC2 images carry no account in their ARN; they belong to the caller's.
  const account = parsed.account || ctx.scope.accountId;
  if (account !== ctx.scope.accountId || parsed.region !== ctx.scope.region) throw notFound();
  if (!lookup(ctx.store, ctx.scope, id, arn)) throw notFound();
}

export function addTags(ctx: DomainContext, arn: string, tags: Record<string, string>): void {
  ctx.store.transaction(() => {
    requireTaggable(ctx, arn);
    const merged = { ...ctx.store.getTags(arn), ...tags };
    validateTags(merged);
    ctx.store.setTags(ctx.scope, arn, merged);
  });
}

export function removeTags(ctx: DomainContext, arn: string, keys: string[]): void {
  ctx.store.transaction(() => {
    requireTaggable(ctx, arn);
    const current = ctx.store.getTags(arn);
    for (const k of keys) delete current[k];
    ctx.store.setTags(ctx.scope, arn, current);
  });
}
