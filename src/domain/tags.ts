/**
 * Tags: the limits every tagged resource shares, tags given at creation, and the Backup
 * resource kinds that can carry tags. Which resource an ARN of each kind names is decided in
 * src/domain/tagging.ts, the one list of lookups (kept apart so that the families, which tag
 * what they create, need not import each other).
 */
import { InvalidParameterValueException, LimitExceededException } from "../../generated/errors.js";
import type { DomainContext } from "./context.js";
import type { Tags } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";

/** AWS tagging limits (Tagging best practices: 50 user tags, keys up to 128, values up to 256 characters). */
export const MAX_TAGS = 50;

/**
 * The Backup resource kinds (the word after the account in an arn:aws:backup ARN) that carry
 * tags: those whose create operation takes tags, and recovery points (API reference,
 * TagResource). Recovery points of other services (EBS snapshots, RDS snapshots…) have those
 * services' ARNs.
 */
export const TAGGABLE_KINDS = [
  "backup-vault",
  "backup-plan",
  "recovery-point",
  "framework",
  "report-plan",
  "legal-hold",
  "restore-testing-plan",
  "tiering-configuration",
] as const;
export type TaggableKind = (typeof TAGGABLE_KINDS)[number];

/** Does the resource named by a Backup ARN of this kind exist? `id` is what follows `kind:`. */
export type TaggableLookup = (store: Store, scope: Scope, id: string, arn: string) => boolean;

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
