/**
 * Which resources a backup selection picks (developer guide, "Assigning resources"):
 *  - Resources: ARNs, with `*` wildcards; `*` alone (or no Resources) means every resource.
 *  - ListOfTags: StringEquals conditions on tags, any of which selects a resource (OR),
 *    in addition to Resources.
 *  - Conditions: StringEquals / StringNotEquals / StringLike / StringNotLike on
 *    `aws:ResourceTag/<key>`, all of which must hold (AND).
 *  - NotResources: ARNs (with wildcards) taken out at the end.
 * Service opt-in applies when resources are chosen by tags or by `*`; a resource type named
 * explicitly in Resources is backed up even when not opted in (UpdateRegionSettings).
 */
import type { Shapes } from "../../generated/operations.js";
import type { KnownResource } from "./resource-inventory.js";
import { resourceTypeOf } from "./resources.js";
import { wildcardMatch } from "./util.js";

export { wildcardMatch };

const tagKey = (key: string) => key.replace(/^aws:ResourceTag\//, "");

function conditionsHold(conditions: Shapes["Conditions"] | undefined, tags: Record<string, string>): boolean {
  if (!conditions) return true;
  const all = (list: Shapes["ConditionParameters"] | undefined, test: (value: string | undefined, expected: string) => boolean) =>
    (list ?? []).every((c) => test(tags[tagKey(c.ConditionKey ?? "")], c.ConditionValue ?? ""));
  return (
    all(conditions.StringEquals, (v, e) => v === e) &&
    all(conditions.StringNotEquals, (v, e) => v !== e) &&
    all(conditions.StringLike, (v, e) => v !== undefined && wildcardMatch(e, v)) &&
    all(conditions.StringNotLike, (v, e) => v === undefined || !wildcardMatch(e, v))
  );
}

export function resolveSelection(selection: Shapes["BackupSelection"], known: readonly KnownResource[], optedIn: (type: string) => boolean): KnownResource[] {
  const patterns = selection.Resources ?? [];
  const byTags = selection.ListOfTags ?? [];
  const everything = patterns.length === 0 ? byTags.length === 0 : patterns.includes("*");
  const picked = new Map<string, KnownResource>();
  const pick = (r: KnownResource) => picked.set(r.arn, r);

  if (everything) for (const r of known) if (optedIn(r.type)) pick(r);
  for (const p of patterns) {
    if (p === "*") continue;
    if (p.includes("*") || p.includes("?")) {
      for (const r of known) if (wildcardMatch(p, r.arn)) pick(r);
    } else {
      // An ARN named outright is backed up whether or not the emulator has seen it.
      const type = resourceTypeOf(p);
      if (type) pick(known.find((r) => r.arn === p) ?? { arn: p, type, tags: {} });
    }
  }
  for (const r of known) {
    if (!optedIn(r.type)) continue;
    if (byTags.some((c) => r.tags[tagKey(c.ConditionKey)] === c.ConditionValue)) pick(r);
  }

  const not = selection.NotResources ?? [];
  return [...picked.values()].filter((r) => conditionsHold(selection.Conditions, r.tags) && !not.some((p) => wildcardMatch(p, r.arn)));
}
