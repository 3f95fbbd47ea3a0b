/**
 * Which resources a backup selection assigns to its plan, written once for plan runs, audit
 * controls and restore testing (developer guide, "Assigning resources to a backup plan" and
 * "Assign resources with AWS CLI"; API reference, BackupSelection and Conditions):
 *  - Resources and ListOfTags select. A resource is a candidate when an ARN pattern of Resources
 *    matches it or when any ListOfTags entry holds (OR). `*` in Resources, or neither member
 *    given, makes every resource a candidate.
 *  - Conditions and NotResources narrow. Every Conditions entry must hold (AND), and a resource
 *    an ARN pattern of NotResources matches is dropped.
 *  - Patterns use `*` (any run) and `?` (one character). ARNs, tag keys and tag values are all
 *    compared case-sensitively: the service documents its condition operators as case
 *    sensitive, and IAM's ARN matching is too.
 *  - Service opt-in (UpdateRegionSettings) applies to resources chosen by tags, by `*` or by a
 *    pattern that names only a service (`arn:aws:ec2:*:*:*`); a pattern that names the resource
 *    type (`arn:aws:ec2:*:*:volume/*`, an ARN) selects it even when the type is not opted in.
 * A condition without a ConditionKey names no tag, so it compares like a tag the resource lacks.
 */
import type { Shapes } from "../../generated/operations.js";
import type { Tags } from "../store/records.js";
import type { KnownResource } from "./resource-inventory.js";
import { resourceTypeOf } from "./resources.js";
import { wildcardMatch } from "./util.js";

/** What a selection is matched against. */
export interface SelectionCandidate {
  arn: string;
  /** The Backup resource type (e.g. `EBS`). */
  type: string;
  tags: Tags;
}

/** Whether the Region has opted in to a resource type; omitted where opt-in does not apply. */
export type OptedIn = (resourceType: string) => boolean;

export const TAG_CONDITION_PREFIX = "aws:ResourceTag/";

/** The tag key a condition key names: `aws:ResourceTag/<key>`, or (in ListOfTags) the bare key. */
export const conditionTagKey = (key: string): string => (key.startsWith(TAG_CONDITION_PREFIX) ? key.slice(TAG_CONDITION_PREFIX.length) : key);

export type TagOperator = "StringEquals" | "StringNotEquals" | "StringLike" | "StringNotLike";

/**
 * One tag test. A resource without the tag fails StringEquals and StringLike and passes the
 * negated operators, as an IAM condition on a missing key does.
 */
export function tagTestHolds(op: TagOperator, tags: Tags, key: string | undefined, expected: string): boolean {
  const value = key === undefined ? undefined : Object.hasOwn(tags, conditionTagKey(key)) ? tags[conditionTagKey(key)] : undefined;
  switch (op) {
    case "StringEquals":
      return value === expected;
    case "StringNotEquals":
      return value !== expected;
    case "StringLike":
      return value !== undefined && wildcardMatch(expected, value);
    case "StringNotLike":
      return value === undefined || !wildcardMatch(expected, value);
  }
}

const OPERATORS: readonly TagOperator[] = ["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"];

/** Every entry of a selection's Conditions holds (AND across operators and entries). */
export function conditionsHold(conditions: Shapes["Conditions"] | undefined, tags: Tags): boolean {
  if (!conditions) return true;
  return OPERATORS.every((op) => (conditions[op] ?? []).every((c) => tagTestHolds(op, tags, c.ConditionKey, c.ConditionValue ?? "")));
}

/** An ARN with wildcards rather than one resource's ARN. */
export const isArnPattern = (text: string): boolean => text.includes("*") || text.includes("?");

/** A Resources pattern that names a resource type (or one resource), so opt-in does not apply to it. */
const namesResourceType = (pattern: string): boolean => pattern !== "*" && resourceTypeOf(pattern) !== undefined;

const selectsEverything = (s: Shapes["BackupSelection"]): boolean =>
  (s.Resources ?? []).includes("*") || (!(s.Resources ?? []).length && !(s.ListOfTags ?? []).length);

/** Whether Resources or ListOfTags make the resource a candidate, opt-in considered. */
function isCandidate(s: Shapes["BackupSelection"], r: SelectionCandidate, optedIn: OptedIn | undefined): boolean {
  const patterns = (s.Resources ?? []).filter((p) => p !== "*" && wildcardMatch(p, r.arn));
  if (patterns.some(namesResourceType)) return true;
  if (optedIn && !optedIn(r.type)) return false;
  return selectsEverything(s) || patterns.length > 0 || (s.ListOfTags ?? []).some((c) => tagTestHolds("StringEquals", r.tags, c.ConditionKey, c.ConditionValue));
}

/**
 * Whether a selection assigns the resource to its plan. Pass `optedIn` for what a scheduled run
 * backs up; leave it out to ask only what the selection's rules cover (audit controls).
 */
export function selectionCovers(s: Shapes["BackupSelection"], r: SelectionCandidate, optedIn?: OptedIn): boolean {
  return isCandidate(s, r, optedIn) && conditionsHold(s.Conditions, r.tags) && !(s.NotResources ?? []).some((p) => wildcardMatch(p, r.arn));
}

/**
 * The resources a selection picks among the known ones at a scheduled run. An ARN named
 * outright in Resources is picked even when the emulator has never seen it (with no tags), as
 * the service backs up what the selection names.
 */
export function resolveSelection(s: Shapes["BackupSelection"], known: readonly KnownResource[], optedIn: OptedIn): KnownResource[] {
  const candidates = new Map<string, KnownResource>(known.map((r) => [r.arn, r]));
  for (const p of s.Resources ?? []) {
    if (isArnPattern(p) || candidates.has(p)) continue;
    const type = resourceTypeOf(p);
    if (type) candidates.set(p, { arn: p, type, tags: {} });
  }
  return [...candidates.values()].filter((r) => selectionCovers(s, r, optedIn));
}
