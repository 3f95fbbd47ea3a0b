import { describe, expect, it } from "vitest";
import type { Shapes } from "../../generated/operations.js";
import { conditionsHold, resolveSelection, selectionCovers, tagTestHolds, type SelectionCandidate } from "../../src/domain/selection-match.js";
import { wildcardMatch } from "../../src/domain/util.js";

const ROLE = "arn:aws:iam::123456789012:role/Backup";
const vol = (id: string, tags: Record<string, string> = {}): SelectionCandidate => ({ arn: `arn:aws:ec2:us-east-1:123456789012:volume/${id}`, type: "EBS", tags });
const table = (name: string, tags: Record<string, string> = {}): SelectionCandidate => ({
  arn: `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`,
  type: "DynamoDB",
  tags,
});
const selection = (s: Partial<Shapes["BackupSelection"]>): Shapes["BackupSelection"] => ({ SelectionName: "s", IamRoleArn: ROLE, ...s });
const tag = (key: string, value: string) => ({ ConditionKey: key, ConditionValue: value });
const everyTypeOptedIn = () => true;
const onlyOptedIn = (...types: string[]) => (t: string) => types.includes(t);

describe("wildcardMatch", () => {
  it("matches * against any run of characters, including none and including separators", () => {
    expect(wildcardMatch("arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:us-east-1:123456789012:volume/vol-1")).toBe(true);
    expect(wildcardMatch("vol-*", "vol-")).toBe(true);
    expect(wildcardMatch("vol-*", "snap-1")).toBe(false);
  });

  it("matches ? against exactly one character", () => {
    expect(wildcardMatch("vol-?", "vol-1")).toBe(true);
    expect(wildcardMatch("vol-?", "vol-")).toBe(false);
    expect(wildcardMatch("vol-?", "vol-12")).toBe(false);
  });

  it("takes every other character literally, regular-expression characters included", () => {
    expect(wildcardMatch("a.b+(c)", "a.b+(c)")).toBe(true);
    expect(wildcardMatch("a.b", "axb")).toBe(false);
    expect(wildcardMatch("[ab]", "a")).toBe(false);
  });

  it("is case-sensitive unless asked otherwise", () => {
    expect(wildcardMatch("Prod*", "production")).toBe(false);
    expect(wildcardMatch("Prod*", "production", true)).toBe(true);
  });
});

describe("tagTestHolds", () => {
  it("reads the tag named after the aws:ResourceTag/ prefix, or a bare key as ListOfTags gives it", () => {
    expect(tagTestHolds("StringEquals", { env: "prod" }, "aws:ResourceTag/env", "prod")).toBe(true);
    expect(tagTestHolds("StringEquals", { env: "prod" }, "env", "prod")).toBe(true);
  });

  it("treats a missing tag as failing StringEquals and StringLike and passing the negated operators", () => {
    expect(tagTestHolds("StringEquals", {}, "aws:ResourceTag/env", "")).toBe(false);
    expect(tagTestHolds("StringLike", {}, "aws:ResourceTag/env", "*")).toBe(false);
    expect(tagTestHolds("StringNotEquals", {}, "aws:ResourceTag/env", "prod")).toBe(true);
    expect(tagTestHolds("StringNotLike", {}, "aws:ResourceTag/env", "*")).toBe(true);
  });

  it("treats a condition without a key like a tag the resource lacks", () => {
    expect(tagTestHolds("StringEquals", { env: "prod" }, undefined, "prod")).toBe(false);
    expect(tagTestHolds("StringNotEquals", { env: "prod" }, undefined, "prod")).toBe(true);
  });

  it("compares tag keys and values case-sensitively", () => {
    expect(tagTestHolds("StringEquals", { Env: "prod" }, "aws:ResourceTag/env", "prod")).toBe(false);
    expect(tagTestHolds("StringEquals", { env: "Prod" }, "aws:ResourceTag/env", "prod")).toBe(false);
    expect(tagTestHolds("StringLike", { env: "Production" }, "aws:ResourceTag/env", "prod*")).toBe(false);
  });

  it("does not take inherited object members for tags", () => {
    expect(tagTestHolds("StringLike", {}, "aws:ResourceTag/constructor", "*")).toBe(false);
  });
});

describe("conditionsHold", () => {
  it("holds when every entry of every operator holds (AND)", () => {
    const conditions: Shapes["Conditions"] = {
      StringEquals: [tag("aws:ResourceTag/env", "prod")],
      StringLike: [tag("aws:ResourceTag/team", "data-*")],
      StringNotEquals: [tag("aws:ResourceTag/tier", "scratch")],
      StringNotLike: [tag("aws:ResourceTag/owner", "temp-?")],
    };
    expect(conditionsHold(conditions, { env: "prod", team: "data-eng", owner: "alice" })).toBe(true);
    expect(conditionsHold(conditions, { env: "prod", team: "web", owner: "alice" })).toBe(false);
    expect(conditionsHold(conditions, { env: "prod", team: "data-eng", tier: "scratch" })).toBe(false);
    expect(conditionsHold(conditions, { env: "prod", team: "data-eng", owner: "temp-1" })).toBe(false);
    expect(conditionsHold(conditions, { env: "prod", team: "data-eng", owner: "temp-12" })).toBe(true);
  });

  it("holds for a resource when there are no conditions", () => {
    expect(conditionsHold(undefined, {})).toBe(true);
    expect(conditionsHold({}, {})).toBe(true);
  });
});

describe("selectionCovers", () => {
  it("covers every resource when the selection has Resources [\"*\"]", () => {
    expect(selectionCovers(selection({ Resources: ["*"] }), vol("vol-1"))).toBe(true);
    expect(selectionCovers(selection({ Resources: ["*"] }), table("t"))).toBe(true);
  });

  it("covers every resource when neither Resources nor ListOfTags is given", () => {
    expect(selectionCovers(selection({}), vol("vol-1"))).toBe(true);
  });

  it("covers a resource an ARN pattern of Resources matches, with * and ?", () => {
    const s = selection({ Resources: ["arn:aws:ec2:*:*:volume/vol-?"] });
    expect(selectionCovers(s, vol("vol-1"))).toBe(true);
    expect(selectionCovers(s, vol("vol-12"))).toBe(false);
    expect(selectionCovers(s, table("t"))).toBe(false);
  });

  it("compares ARNs case-sensitively", () => {
    expect(selectionCovers(selection({ Resources: ["arn:aws:ec2:*:*:volume/vol-*"] }), vol("VOL-1"))).toBe(false);
  });

  it("covers a resource when any ListOfTags entry holds (OR), and in addition to Resources", () => {
    const s = selection({ Resources: ["arn:aws:dynamodb:*:*:table/*"], ListOfTags: [{ ConditionType: "STRINGEQUALS", ...tag("backup", "daily") }, { ConditionType: "STRINGEQUALS", ...tag("aws:ResourceTag/backup", "hourly") }] });
    expect(selectionCovers(s, vol("vol-1", { backup: "daily" }))).toBe(true);
    expect(selectionCovers(s, vol("vol-2", { backup: "hourly" }))).toBe(true);
    expect(selectionCovers(s, vol("vol-3", { backup: "weekly" }))).toBe(false);
    expect(selectionCovers(s, table("t"))).toBe(true);
  });

  it("narrows Resources by Conditions: a resource must also meet every condition", () => {
    const s = selection({ Resources: ["arn:aws:ec2:*:*:volume/*"], Conditions: { StringEquals: [tag("aws:ResourceTag/backup", "yes"), tag("aws:ResourceTag/owner", "ops")] } });
    expect(selectionCovers(s, vol("vol-1", { backup: "yes", owner: "ops" }))).toBe(true);
    expect(selectionCovers(s, vol("vol-2", { backup: "yes" }))).toBe(false);
  });

  it("narrows ListOfTags by Conditions too", () => {
    const s = selection({ ListOfTags: [{ ConditionType: "STRINGEQUALS", ...tag("backup", "yes") }], Conditions: { StringNotEquals: [tag("aws:ResourceTag/env", "dev")] } });
    expect(selectionCovers(s, vol("vol-1", { backup: "yes", env: "prod" }))).toBe(true);
    expect(selectionCovers(s, vol("vol-2", { backup: "yes", env: "dev" }))).toBe(false);
  });

  it("never selects by Conditions alone beyond what Resources or ListOfTags chose", () => {
    const s = selection({ Resources: ["arn:aws:dynamodb:*:*:table/*"], Conditions: { StringEquals: [tag("aws:ResourceTag/backup", "yes")] } });
    expect(selectionCovers(s, vol("vol-1", { backup: "yes" }))).toBe(false);
  });

  it("drops a resource a NotResources pattern matches, even when Resources names it", () => {
    const s = selection({ Resources: ["*"], NotResources: ["arn:aws:ec2:*:*:volume/vol-?"] });
    expect(selectionCovers(s, vol("vol-1"))).toBe(false);
    expect(selectionCovers(s, vol("vol-12"))).toBe(true);
    const named = selection({ Resources: [vol("vol-1").arn], NotResources: [vol("vol-1").arn] });
    expect(selectionCovers(named, vol("vol-1"))).toBe(false);
  });

  it("applies opt-in to resources chosen by * and by tags", () => {
    const optedIn = onlyOptedIn("DynamoDB");
    expect(selectionCovers(selection({ Resources: ["*"] }), vol("vol-1"), optedIn)).toBe(false);
    expect(selectionCovers(selection({ Resources: ["*"] }), table("t"), optedIn)).toBe(true);
    const byTag = selection({ ListOfTags: [{ ConditionType: "STRINGEQUALS", ...tag("backup", "yes") }] });
    expect(selectionCovers(byTag, vol("vol-1", { backup: "yes" }), optedIn)).toBe(false);
  });

  it("applies opt-in to a pattern that names only the service", () => {
    const s = selection({ Resources: ["arn:aws:ec2:*:*:*"] });
    expect(selectionCovers(s, vol("vol-1"), onlyOptedIn())).toBe(false);
    expect(selectionCovers(s, vol("vol-1"), everyTypeOptedIn)).toBe(true);
  });

  it("ignores opt-in for a pattern that names the resource type, even alongside tags", () => {
    const s = selection({ Resources: ["arn:aws:ec2:*:*:volume/*"], ListOfTags: [{ ConditionType: "STRINGEQUALS", ...tag("backup", "yes") }] });
    expect(selectionCovers(s, vol("vol-1"), onlyOptedIn())).toBe(true);
    expect(selectionCovers(selection({ Resources: [vol("vol-9").arn] }), vol("vol-9"), onlyOptedIn())).toBe(true);
  });

  it("ignores opt-in when none is given, as audit controls ask", () => {
    expect(selectionCovers(selection({ Resources: ["*"] }), vol("vol-1"))).toBe(true);
  });
});

describe("resolveSelection", () => {
  it("picks the known resources the selection covers, in the order known", () => {
    const known = [table("a"), vol("vol-1"), vol("vol-2", { backup: "yes" })];
    const s = selection({ ListOfTags: [{ ConditionType: "STRINGEQUALS", ...tag("backup", "yes") }], Resources: ["arn:aws:dynamodb:*:*:table/*"] });
    expect(resolveSelection(s, known, everyTypeOptedIn).map((r) => r.arn)).toEqual([table("a").arn, vol("vol-2").arn]);
  });

  it("picks an ARN named outright even when the emulator has not seen it, with no tags", () => {
    const s = selection({ Resources: [vol("vol-new").arn] });
    expect(resolveSelection(s, [], onlyOptedIn())).toEqual([{ arn: vol("vol-new").arn, type: "EBS", tags: {} }]);
  });

  it("still narrows an ARN named outright by Conditions", () => {
    const s = selection({ Resources: [vol("vol-new").arn], Conditions: { StringEquals: [tag("aws:ResourceTag/backup", "yes")] } });
    expect(resolveSelection(s, [], everyTypeOptedIn)).toEqual([]);
  });

  it("does not invent resources from wildcard patterns", () => {
    expect(resolveSelection(selection({ Resources: ["arn:aws:ec2:*:*:volume/vol-?"] }), [], everyTypeOptedIn)).toEqual([]);
  });
});
