/**
 * Tags by ARN. Which ARNs can carry tags is decided here: each taggable kind registers how to
 * tell whether its resource exists, so TagResource on an ARN that names nothing fails with
 * ResourceNotFoundException, as in the service.
 */
import { InvalidParameterValueException, LimitExceededException, ResourceNotFoundException } from "../../generated/errors.js";
import type { DomainContext } from "./context.js";
import type { Tags } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { backupResource, parseArn } from "./arn.js";

/** AWS tagging limits (Tagging best practices: 50 user tags, keys up to 128, values up to 256 characters). */
export const MAX_TAGS = 50;

/** Does the resource named by a Backup ARN of this kind exist? `id` is what follows `kind:`. */
export type TaggableLookup = (store: Store, scope: Scope, id: string, arn: string) => boolean;

const taggable = new Map<string, TaggableLookup>();

/** Register a Backup resource kind (the word after the account in its ARN) as taggable. */
export function registerTaggable(kind: string, lookup: TaggableLookup): void {
  taggable.set(kind, lookup);
}

registerTaggable("backup-vault", (store, scope, id) => store.vaults.has(scope, id));
registerTaggable("backup-plan", (store, scope, id) => {
  const p = store.plans.get(scope, id);
  return p !== undefined && p.DeletionDate === undefined;
});
registerTaggable("recovery-point", (store, scope, _id, arn) => store.recoveryPoints.has(scope, arn));

/** Throws ResourceNotFoundException unless `arn` names a taggable resource of the caller. */
export function requireTaggable(ctx: DomainContext, arn: string): void {
  const parsed = parseArn(arn);
  const notFound = () => new ResourceNotFoundException(`No resource with ARN ${arn} exists in account ${ctx.scope.accountId}, region ${ctx.scope.region}.`, { Context: arn });
  if (!parsed) throw new InvalidParameterValueException(`"${arn}" is not a valid ARN.`);
  // EBS snapshots and EC2 images carry no account in their ARN; they belong to the caller's.
  const account = parsed.account || ctx.scope.accountId;
  if (account !== ctx.scope.accountId || parsed.region !== ctx.scope.region) throw notFound();
  const res = backupResource(parsed);
  const lookup = res ? taggable.get(res.kind) : undefined;
  const found = lookup ? lookup(ctx.store, ctx.scope, res!.id, arn) : ctx.store.recoveryPoints.has(ctx.scope, arn);
  if (!found) throw notFound();
}

/** The error for more tags than a resource may carry: LimitExceededException, or for an operation the model does not give that error, InvalidParameterValueException. */
export type TagLimitError = typeof LimitExceededException | typeof InvalidParameterValueException;

export function validateTags(tags: Tags, where = "Tags", tooMany: TagLimitError = LimitExceededException): void {
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw new InvalidParameterValueException(`${where}: tag key "${k.slice(0, 40)}" must be 1 to 128 characters long.`);
    if (v.length > 256) throw new InvalidParameterValueException(`${where}: the value of tag "${k}" must be at most 256 characters long.`);
    if (k.toLowerCase().startsWith("aws:")) throw new InvalidParameterValueException(`${where}: tag keys starting with "aws:" are reserved for AWS use ("${k}").`);
  }
  if (Object.keys(tags).length > MAX_TAGS) throw new tooMany(`${where}: a resource can have at most ${MAX_TAGS} tags.`);
}

export function setTagsOnCreate(ctx: DomainContext, arn: string, tags: Tags | undefined, where = "Tags"): void {
  if (!tags || Object.keys(tags).length === 0) return;
  validateTags(tags, where);
  ctx.store.setTags(ctx.scope, arn, tags);
}

export function addTags(ctx: DomainContext, arn: string, tags: Tags): void {
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
