import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  GetBackupPlanCommand,
  ListBackupPlansCommand,
  ListBackupPlanVersionsCommand,
  ListTagsCommand,
  UpdateBackupPlanCommand,
  type BackupClient,
  type BackupPlanInput,
  type BackupRuleInput,
} from "@aws-sdk/client-backup";
import { errorOf, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
/** A vault every rule of these tests can target. */
let vault: string;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
  vault = uniqueName("vault");
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
});
afterAll(() => t.stop());

function rule(extra: Partial<BackupRuleInput> = {}): BackupRuleInput {
  return { RuleName: uniqueName("rule"), TargetBackupVaultName: vault, ...extra };
}

function plan(extra: Partial<BackupPlanInput> = {}, ruleExtra: Partial<BackupRuleInput> = {}): BackupPlanInput {
  return { BackupPlanName: uniqueName("plan"), Rules: [rule(ruleExtra)], ...extra };
}

async function createPlan(input: BackupPlanInput = plan()) {
  return backup.send(new CreateBackupPlanCommand({ BackupPlan: input }));
}

/** The error a CreateBackupPlan with this rule change fails with. */
function createWithRule(ruleExtra: Partial<BackupRuleInput>) {
  return errorOf(createPlan(plan({}, ruleExtra)));
}

describe("CreateBackupPlan", () => {
  it("creates a plan and returns its id, ARN, creation date and version", async () => {
    const out = await createPlan();
    expect(out.BackupPlanId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.BackupPlanArn).toBe(`arn:aws:backup:us-east-1:000000000000:backup-plan:${out.BackupPlanId}`);
    expect(out.VersionId).toBeTruthy();
    expect(out.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(out.CreationDate!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("gives each rule a RuleId and the service's defaults for schedule, time zone and windows", async () => {
    const input = plan();
    const out = await createPlan(input);
    const got = await backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    const r = got.BackupPlan!.Rules![0]!;
    expect(r.RuleName).toBe(input.Rules![0]!.RuleName);
    expect(r.TargetBackupVaultName).toBe(vault);
    expect(r.RuleId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.ScheduleExpression).toBe("cron(0 5 ? * * *)");
    expect(r.ScheduleExpressionTimezone).toBe("Etc/UTC");
    expect(r.StartWindowMinutes).toBe(480);
    expect(r.CompletionWindowMinutes).toBe(10080);
  });

  it("keeps the values that were given instead of the defaults", async () => {
    const out = await createPlan(
      plan({}, { ScheduleExpression: "cron(30 2 ? * MON-FRI *)", ScheduleExpressionTimezone: "Europe/Paris", StartWindowMinutes: 60, CompletionWindowMinutes: 120 }),
    );
    const r = (await backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId }))).BackupPlan!.Rules![0]!;
    expect(r).toMatchObject({ ScheduleExpression: "cron(30 2 ? * MON-FRI *)", ScheduleExpressionTimezone: "Europe/Paris", StartWindowMinutes: 60, CompletionWindowMinutes: 120 });
  });

  it("stores the plan's tags, which ListTags then lists", async () => {
    const out = await backup.send(new CreateBackupPlanCommand({ BackupPlan: plan(), BackupPlanTags: { team: "storage", env: "test" } }));
    const tags = await backup.send(new ListTagsCommand({ ResourceArn: out.BackupPlanArn }));
    expect(tags.Tags).toEqual({ team: "storage", env: "test" });
  });

  it("refuses reserved keys among the plan's tags, naming BackupPlanTags", async () => {
    const err = await errorOf(backup.send(new CreateBackupPlanCommand({ BackupPlan: plan(), BackupPlanTags: { "aws:owner": "x" } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("BackupPlanTags");
    expect(err.message).toContain("aws:owner");
  });

  it("refuses a second plan of the same name with AlreadyExistsException", async () => {
    const input = plan();
    await createPlan(input);
    const err = await errorOf(createPlan({ ...input, Rules: [rule()] }));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(input.BackupPlanName);
  });

  it("returns the same plan when retried with the same CreatorRequestId", async () => {
    const input = plan();
    const a = await backup.send(new CreateBackupPlanCommand({ BackupPlan: input, CreatorRequestId: "plan-retry-1" }));
    const b = await backup.send(new CreateBackupPlanCommand({ BackupPlan: input, CreatorRequestId: "plan-retry-1" }));
    expect(b.BackupPlanId).toBe(a.BackupPlanId);
    expect(b.VersionId).toBe(a.VersionId);
    const all = await backup.send(new ListBackupPlansCommand({}));
    expect(all.BackupPlansList!.filter((p) => p.BackupPlanName === input.BackupPlanName)).toHaveLength(1);
  });

  it("refuses a rule that targets a vault that does not exist with InvalidParameterValueException", async () => {
    const err = await createWithRule({ TargetBackupVaultName: "no-such-vault" });
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("no-such-vault");
  });

  it("refuses a lifecycle whose retention is less than 90 days after the move to cold storage", async () => {
    const err = await createWithRule({ Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 100 } });
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("DeleteAfterDays");
    expect(err.message).toContain("MoveToColdStorageAfterDays");
  });

  it("accepts a lifecycle whose retention is exactly 90 days after the move to cold storage", async () => {
    const out = await createPlan(plan({}, { Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 } }));
    const r = (await backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId }))).BackupPlan!.Rules![0]!;
    expect(r.Lifecycle).toEqual({ MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 });
  });

  it("refuses a schedule expression that is not an AWS cron expression, naming the member", async () => {
    for (const bad of ["rate(1 day)", "cron(0 5 * * * *)", "cron(0 5 ? * *)", "cron(61 5 ? * * *)"]) {
      const err = await createWithRule({ ScheduleExpression: bad });
      expect(err.name, bad).toBe("InvalidParameterValueException");
      expect(err.message, bad).toContain("ScheduleExpression");
    }
  });

  it("refuses a time zone that is not an IANA name, naming the member", async () => {
    const err = await createWithRule({ ScheduleExpressionTimezone: "Mars/Olympus_Mons" });
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("ScheduleExpressionTimezone");
    expect(err.message).toContain("Mars/Olympus_Mons");
  });

  it("refuses a start window under 60 minutes, naming the member", async () => {
    const err = await createWithRule({ StartWindowMinutes: 59 });
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("StartWindowMinutes");
  });

  it("refuses a start or completion window longer than 100 years (52,560,000 minutes), naming the member", async () => {
    for (const [member, r] of [
      ["StartWindowMinutes", { StartWindowMinutes: 52_560_001 }],
      ["CompletionWindowMinutes", { StartWindowMinutes: 60, CompletionWindowMinutes: 52_560_001 }],
    ] as const) {
      const err = await createWithRule(r);
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain(`${member} must be at most 52560000`);
    }
    const ok = await createPlan({ BackupPlanName: uniqueName("plan"), Rules: [rule({ StartWindowMinutes: 52_560_000, CompletionWindowMinutes: 52_560_000 })] });
    expect(ok.BackupPlanId).toBeTruthy();
  });

  it("refuses a CreatorRequestId that is not 1 to 50 letters, digits or '-_.', naming it", async () => {
    const err = await errorOf(backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [rule()] }, CreatorRequestId: "not valid!" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain('CreatorRequestId "not valid!"');
  });

  it("refuses a completion window shorter than the start window", async () => {
    const err = await createWithRule({ StartWindowMinutes: 120, CompletionWindowMinutes: 90 });
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("CompletionWindowMinutes");
  });

  it("refuses more than one index action, an index action without exactly one resource type, or a type other than EBS and S3, naming the member", async () => {
    for (const [IndexActions, culprit] of [
      [[{ ResourceTypes: ["EBS"] }, { ResourceTypes: ["S3"] }], "IndexActions holds 2 index actions"],
      [[{ ResourceTypes: ["EBS", "S3"] }], "IndexActions[0].ResourceTypes must name exactly one resource type"],
      [[{ ResourceTypes: ["RDS"] }], 'IndexActions[0].ResourceTypes: "RDS"'],
    ] as const) {
      const err = await createWithRule({ IndexActions: IndexActions.map((a) => ({ ResourceTypes: [...a.ResourceTypes] })) });
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain(culprit);
    }
    const ok = await createPlan(plan({}, { IndexActions: [{ ResourceTypes: ["S3"] }] }));
    const got = await backup.send(new GetBackupPlanCommand({ BackupPlanId: ok.BackupPlanId }));
    expect(got.BackupPlan?.Rules?.[0]?.IndexActions).toEqual([{ ResourceTypes: ["S3"] }]);
  });

  it("refuses a TargetLogicallyAirGappedBackupVaultArn that is not a vault ARN of the plan's own account and Region, naming it", async () => {
    const elsewhere = [
      "arn:aws:backup:eu-west-1:000000000000:backup-vault:lag",
      "arn:aws:backup:us-east-1:111122223333:backup-vault:lag",
      "arn:aws:s3:::bucket",
    ];
    for (const arn of elsewhere) {
      const err = await createWithRule({ TargetLogicallyAirGappedBackupVaultArn: arn });
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("TargetLogicallyAirGappedBackupVaultArn");
      expect(err.message).toContain(arn);
    }
    const ok = await createPlan(plan({}, { TargetLogicallyAirGappedBackupVaultArn: "arn:aws:backup:us-east-1:000000000000:backup-vault:lag" }));
    expect(ok.BackupPlanId).toBeTruthy();
  });

  it("refuses a continuous backup rule that keeps its backups longer than 35 days, naming the rule's member, and accepts 35", async () => {
    const err = await createWithRule({ EnableContinuousBackup: true, Lifecycle: { DeleteAfterDays: 36 } });
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Rules[0].Lifecycle.DeleteAfterDays (36)");
    expect(err.message).toContain("35 days");
    const ok = await createPlan(plan({}, { EnableContinuousBackup: true, Lifecycle: { DeleteAfterDays: 35 } }));
    expect(ok.BackupPlanId).toBeTruthy();
    // A snapshot rule keeps its backups as long as it likes.
    expect((await createPlan(plan({}, { Lifecycle: { DeleteAfterDays: 36 } }))).BackupPlanId).toBeTruthy();
  });

  it("checks a rule's RecoveryPointTags as StartBackupJob does: reserved keys, key and value lengths, and at most 50 tags", async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ "aws:owner": "x" }, "InvalidParameterValueException", /Rules\[0\]\.RecoveryPointTags: .*"aws:".*aws:owner/],
      [{ ["k".repeat(129)]: "v" }, "InvalidParameterValueException", /Rules\[0\]\.RecoveryPointTags: tag key "k+" must be 1 to 128 characters/],
      [{ long: "v".repeat(257) }, "InvalidParameterValueException", /Rules\[0\]\.RecoveryPointTags: the value of tag "long" must be at most 256/],
      [Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])), "LimitExceededException", /Rules\[0\]\.RecoveryPointTags: .*at most 50 tags/],
    ];
    for (const [tags, name, message] of cases) {
      const err = await createWithRule({ RecoveryPointTags: tags });
      expect(err.name).toBe(name);
      expect(err.message).toMatch(message);
    }
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
    expect((await createPlan(plan({}, { RecoveryPointTags: fifty }))).BackupPlanId).toBeTruthy();
  });

  it("refuses two rules with the same name", async () => {
    const r = rule();
    const err = await errorOf(createPlan({ BackupPlanName: uniqueName("plan"), Rules: [r, { ...r }] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(r.RuleName);
  });

  it("refuses a plan without rules", async () => {
    const err = await errorOf(createPlan({ BackupPlanName: uniqueName("plan"), Rules: [] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Rules");
  });

  it("refuses a plan without a BackupPlan with MissingParameterValueException", async () => {
    const err = await errorOf(backup.send(new CreateBackupPlanCommand({} as never)));
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("BackupPlan");
  });
});

describe("GetBackupPlan", () => {
  it("returns the current version with its ARN, version and creation date", async () => {
    const input = plan();
    const out = await createPlan(input);
    const got = await backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    expect(got).toMatchObject({ BackupPlanId: out.BackupPlanId, BackupPlanArn: out.BackupPlanArn, VersionId: out.VersionId });
    expect(got.BackupPlan!.BackupPlanName).toBe(input.BackupPlanName);
    expect(got.CreationDate).toEqual(out.CreationDate);
    expect(got.DeletionDate).toBeUndefined();
  });

  it("answers ResourceNotFoundException for a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new GetBackupPlanCommand({ BackupPlanId: "00000000-0000-0000-0000-000000000000" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("00000000-0000-0000-0000-000000000000");
  });

  it("answers ResourceNotFoundException for a version the plan never had", async () => {
    const out = await createPlan();
    const err = await errorOf(backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId, VersionId: "bm8tc3VjaC12ZXJzaW9u" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("bm8tc3VjaC12ZXJzaW9u");
  });
});

describe("UpdateBackupPlan", () => {
  it("refuses a name another plan has with InvalidParameterValueException, the error its model lists", async () => {
    const other = plan();
    await createPlan(other);
    const mine = plan();
    const v1 = await createPlan(mine);
    const err = await errorOf(backup.send(new UpdateBackupPlanCommand({ BackupPlanId: v1.BackupPlanId, BackupPlan: { ...mine, BackupPlanName: other.BackupPlanName } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(other.BackupPlanName);
    const current = await backup.send(new GetBackupPlanCommand({ BackupPlanId: v1.BackupPlanId }));
    expect(current.BackupPlan!.BackupPlanName).toBe(mine.BackupPlanName);
  });

  it("makes a new version and keeps the old one readable by VersionId", async () => {
    const input = plan();
    const v1 = await createPlan(input);
    const newRule = rule({ ScheduleExpression: "cron(0 1 ? * SUN *)" });
    const v2 = await backup.send(new UpdateBackupPlanCommand({ BackupPlanId: v1.BackupPlanId, BackupPlan: { BackupPlanName: input.BackupPlanName, Rules: [newRule] } }));
    expect(v2.BackupPlanId).toBe(v1.BackupPlanId);
    expect(v2.BackupPlanArn).toBe(v1.BackupPlanArn);
    expect(v2.VersionId).toBeTruthy();
    expect(v2.VersionId).not.toBe(v1.VersionId);

    const current = await backup.send(new GetBackupPlanCommand({ BackupPlanId: v1.BackupPlanId }));
    expect(current.VersionId).toBe(v2.VersionId);
    expect(current.BackupPlan!.Rules!.map((r) => r.RuleName)).toEqual([newRule.RuleName]);

    const old = await backup.send(new GetBackupPlanCommand({ BackupPlanId: v1.BackupPlanId, VersionId: v1.VersionId }));
    expect(old.VersionId).toBe(v1.VersionId);
    expect(old.BackupPlan!.Rules!.map((r) => r.RuleName)).toEqual([input.Rules![0]!.RuleName]);
  });

  it("keeps a rule's RuleId when the rule keeps its name", async () => {
    const input = plan();
    const v1 = await createPlan(input);
    const before = (await backup.send(new GetBackupPlanCommand({ BackupPlanId: v1.BackupPlanId }))).BackupPlan!.Rules![0]!;
    await backup.send(
      new UpdateBackupPlanCommand({ BackupPlanId: v1.BackupPlanId, BackupPlan: { ...input, Rules: [{ ...input.Rules![0]!, StartWindowMinutes: 120 }] } }),
    );
    const after = (await backup.send(new GetBackupPlanCommand({ BackupPlanId: v1.BackupPlanId }))).BackupPlan!.Rules![0]!;
    expect(after.RuleId).toBe(before.RuleId);
    expect(after.StartWindowMinutes).toBe(120);
  });

  it("applies the same rule checks as CreateBackupPlan", async () => {
    const v1 = await createPlan();
    const err = await errorOf(
      backup.send(new UpdateBackupPlanCommand({ BackupPlanId: v1.BackupPlanId, BackupPlan: plan({}, { Lifecycle: { MoveToColdStorageAfterDays: 10, DeleteAfterDays: 50 } }) })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("DeleteAfterDays");
  });

  it("checks the rules' RecoveryPointTags, answering InvalidParameterValueException for too many tags as its model has no LimitExceededException", async () => {
    const v1 = await createPlan();
    const update = (tags: Record<string, string>) =>
      errorOf(backup.send(new UpdateBackupPlanCommand({ BackupPlanId: v1.BackupPlanId, BackupPlan: plan({}, { RecoveryPointTags: tags }) })));
    const reserved = await update({ "AWS:team": "x" });
    expect(reserved.name).toBe("InvalidParameterValueException");
    expect(reserved.message).toMatch(/Rules\[0\]\.RecoveryPointTags: .*"AWS:team"/);
    const tooMany = await update(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])));
    expect(tooMany.name).toBe("InvalidParameterValueException");
    expect(tooMany.message).toMatch(/Rules\[0\]\.RecoveryPointTags: .*at most 50 tags/);
    expect((await backup.send(new GetBackupPlanCommand({ BackupPlanId: v1.BackupPlanId }))).VersionId).toBe(v1.VersionId);
  });

  it("answers ResourceNotFoundException for a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new UpdateBackupPlanCommand({ BackupPlanId: "missing-plan-id", BackupPlan: plan() })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("missing-plan-id");
  });
});

describe("ListBackupPlanVersions", () => {
  it("lists every version of a plan, each once, across pages", async () => {
    const input = plan();
    const v1 = await createPlan(input);
    const versions = [v1.VersionId!];
    for (let i = 0; i < 3; i++) {
      const v = await backup.send(new UpdateBackupPlanCommand({ BackupPlanId: v1.BackupPlanId, BackupPlan: { ...input, Rules: [rule()] } }));
      versions.push(v.VersionId!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await backup.send(new ListBackupPlanVersionsCommand({ BackupPlanId: v1.BackupPlanId, MaxResults: 3, NextToken: token }));
      for (const v of page.BackupPlanVersionsList!) {
        expect(v.BackupPlanId).toBe(v1.BackupPlanId);
        expect(v.BackupPlanArn).toBe(v1.BackupPlanArn);
        expect(v.BackupPlanName).toBe(input.BackupPlanName);
        seen.push(v.VersionId!);
      }
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual([...versions].sort());
  });

  it("answers ResourceNotFoundException for a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new ListBackupPlanVersionsCommand({ BackupPlanId: "no-such-plan" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-plan");
  });
});

describe("DeleteBackupPlan", () => {
  it("returns the plan's id, ARN, deletion date and version", async () => {
    const out = await createPlan();
    const del = await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    expect(del.BackupPlanId).toBe(out.BackupPlanId);
    expect(del.BackupPlanArn).toBe(out.BackupPlanArn);
    expect(del.VersionId).toBe(out.VersionId);
    expect(del.DeletionDate).toBeInstanceOf(Date);
    expect(del.DeletionDate!.getTime()).toBeGreaterThanOrEqual(out.CreationDate!.getTime());
  });

  it("hides the plan from GetBackupPlan without a version, but keeps its versions readable with their DeletionDate", async () => {
    const out = await createPlan();
    const del = await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    const err = await errorOf(backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(out.BackupPlanId!);
    const old = await backup.send(new GetBackupPlanCommand({ BackupPlanId: out.BackupPlanId, VersionId: out.VersionId }));
    expect(old.VersionId).toBe(out.VersionId);
    expect(old.DeletionDate).toEqual(del.DeletionDate);
  });

  it("shows a deleted plan in ListBackupPlans only with IncludeDeleted", async () => {
    const out = await createPlan();
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    const live = await backup.send(new ListBackupPlansCommand({}));
    expect(live.BackupPlansList!.map((p) => p.BackupPlanId)).not.toContain(out.BackupPlanId);
    const all = await backup.send(new ListBackupPlansCommand({ IncludeDeleted: true }));
    const listed = all.BackupPlansList!.find((p) => p.BackupPlanId === out.BackupPlanId);
    expect(listed).toBeDefined();
    expect(listed!.DeletionDate).toBeInstanceOf(Date);
  });

  it("frees the plan's name for a new plan", async () => {
    const input = plan();
    const first = await createPlan(input);
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: first.BackupPlanId }));
    const second = await createPlan({ ...input, Rules: [rule()] });
    expect(second.BackupPlanId).not.toBe(first.BackupPlanId);
  });

  it("refuses to delete a plan that still has selections with InvalidRequestException", async () => {
    const out = await createPlan();
    const sel = await backup.send(
      new CreateBackupSelectionCommand({ BackupPlanId: out.BackupPlanId, BackupSelection: { SelectionName: uniqueName("sel"), IamRoleArn: ROLE_ARN, Resources: ["*"] } }),
    );
    const err = await errorOf(backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(out.BackupPlanId!);
    await backup.send(new DeleteBackupSelectionCommand({ BackupPlanId: out.BackupPlanId, SelectionId: sel.SelectionId }));
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
  });

  it("answers ResourceNotFoundException for a plan that does not exist or is already deleted", async () => {
    const out = await createPlan();
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    const err = await errorOf(backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(out.BackupPlanId!);
  });

  it("removes the plan's tags", async () => {
    const out = await backup.send(new CreateBackupPlanCommand({ BackupPlan: plan(), BackupPlanTags: { a: "1" } }));
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: out.BackupPlanId }));
    const err = await errorOf(backup.send(new ListTagsCommand({ ResourceArn: out.BackupPlanArn })));
    expect(err.name).toBe("ResourceNotFoundException");
  });
});

describe("ListBackupPlans", () => {
  it("pages with MaxResults and NextToken, seeing each plan once, with no token on the last page", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const v = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
      const names = Array.from({ length: 5 }, () => uniqueName("plan"));
      for (const n of names) await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: n, Rules: [{ RuleName: "r", TargetBackupVaultName: v }] } }));
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.send(new ListBackupPlansCommand({ MaxResults: 2, NextToken: token }));
        expect(page.BackupPlansList!.length).toBeLessThanOrEqual(2);
        for (const p of page.BackupPlansList!) {
          expect(p.BackupPlanArn).toContain(p.BackupPlanId);
          expect(p.VersionId).toBeTruthy();
          seen.push(p.BackupPlanName!);
        }
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...names].sort());
    } finally {
      await local.stop();
    }
  });

  it("refuses a NextToken that belongs to another list", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const v = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
      const p = await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: v }] } }));
      await c.send(new UpdateBackupPlanCommand({ BackupPlanId: p.BackupPlanId, BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: v }] } }));
      const versions = await c.send(new ListBackupPlanVersionsCommand({ BackupPlanId: p.BackupPlanId, MaxResults: 1 }));
      expect(versions.NextToken).toBeTruthy();
      const err = await errorOf(c.send(new ListBackupPlansCommand({ NextToken: versions.NextToken })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("NextToken");
    } finally {
      await local.stop();
    }
  });
});
