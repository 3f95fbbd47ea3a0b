import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import pino from "pino";
import {
  CreateBackupVaultCommand,
  CreateRestoreTestingPlanCommand,
  CreateRestoreTestingSelectionCommand,
  DeleteRestoreTestingPlanCommand,
  DeleteRestoreTestingSelectionCommand,
  DescribeRestoreJobCommand,
  GetRestoreJobMetadataCommand,
  GetRestoreTestingInferredMetadataCommand,
  GetRestoreTestingPlanCommand,
  GetRestoreTestingSelectionCommand,
  ListRestoreJobsCommand,
  ListRestoreTestingPlansCommand,
  ListRestoreTestingSelectionsCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  TagResourceCommand,
  UpdateRestoreTestingPlanCommand,
  UpdateRestoreTestingSelectionCommand,
  type BackupClient,
  type RestoreTestingPlanForCreate,
  type RestoreTestingRecoveryPointSelection,
  type RestoreTestingSelectionForCreate,
} from "@aws-sdk/client-backup";
import { ACCOUNT, errorOf, REGION, resources, ROLE_ARN, shareVault, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { RESTORE_TESTING_WORK, restoreTestingWork, runRestoreTestingPlan } from "../src/domain/restore-testing.js";

const OTHER_ACCOUNT = "111122223333";
const OTHER_REGION = "eu-west-1";
const OTHER_ROLE = "arn:aws:iam::123456789012:role/RestoreTester";

let t: TestEmulator;
let backup: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

/** A name valid for restore testing plans and selections (letters, digits, underscores). */
const rtName = (prefix = "rt") => `${prefix}_${randomBytes(4).toString("hex")}`;

const vaultArn = (name: string, region = REGION, account = ACCOUNT) => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;

const ALL_VAULTS: RestoreTestingRecoveryPointSelection = { Algorithm: "LATEST_WITHIN_WINDOW", IncludeVaults: ["*"], RecoveryPointTypes: ["SNAPSHOT"] };

const planOf = (name: string, extra: Partial<RestoreTestingPlanForCreate> = {}): RestoreTestingPlanForCreate => ({
  RestoreTestingPlanName: name,
  ScheduleExpression: "cron(0 1 ? * * *)",
  RecoveryPointSelection: ALL_VAULTS,
  ...extra,
});

async function createPlan(c: BackupClient = backup, extra: Partial<RestoreTestingPlanForCreate> = {}): Promise<{ name: string; arn: string }> {
  const name = extra.RestoreTestingPlanName ?? rtName("plan");
  const out = await c.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(name, extra) }));
  return { name, arn: out.RestoreTestingPlanArn! };
}

const selectionOf = (extra: Partial<RestoreTestingSelectionForCreate> = {}): RestoreTestingSelectionForCreate => ({
  RestoreTestingSelectionName: rtName("sel"),
  ProtectedResourceType: "DynamoDB",
  IamRoleArn: ROLE_ARN,
  ProtectedResourceArns: ["*"],
  ...extra,
});

async function createSelection(plan: string, extra: Partial<RestoreTestingSelectionForCreate> = {}, c: BackupClient = backup): Promise<string> {
  const sel = selectionOf(extra);
  await c.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: plan, RestoreTestingSelection: sel }));
  return sel.RestoreTestingSelectionName!;
}

const getPlan = async (name: string, c: BackupClient = backup) => (await c.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: name }))).RestoreTestingPlan!;
const getSelection = async (plan: string, sel: string) =>
  (await backup.send(new GetRestoreTestingSelectionCommand({ RestoreTestingPlanName: plan, RestoreTestingSelectionName: sel }))).RestoreTestingSelection!;

/** A vault holding a backup of `resourceArn`; with delay 0 the recovery point exists at the next request. */
async function backupOf(resourceArn: string, backupOptions?: Record<string, string>, c: BackupClient = backup, vault = uniqueName("vault")): Promise<{ vault: string; rp: string }> {
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault })).catch((err: Error) => {
    if (err.name !== "AlreadyExistsException") throw err;
  });
  const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN, BackupOptions: backupOptions }));
  return { vault, rp: job.RecoveryPointArn! };
}

const HOME = { accountId: ACCOUNT, region: REGION };
const runDeps = () => ({ store: t.emu.store, config: t.emu.config });

describe("CreateRestoreTestingPlan", () => {
  it("creates a plan and answers 201 with its name, ARN and creation time", async () => {
    const name = rtName("plan");
    const out = await backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(name) }));
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.RestoreTestingPlanName).toBe(name);
    expect(out.RestoreTestingPlanArn).toMatch(new RegExp(`^arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:${name}-[0-9a-f-]{36}$`));
    expect(Math.abs(out.CreationTime!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("fills in the documented defaults for the time zone, start window and selection window", async () => {
    const { name } = await createPlan();
    const p = await getPlan(name);
    expect(p.ScheduleExpressionTimezone).toBe("Etc/UTC");
    expect(p.StartWindowHours).toBe(24);
    expect(p.RecoveryPointSelection).toEqual({ ...ALL_VAULTS, ExcludeVaults: [], SelectionWindowDays: 30 });
  });

  it("tags the plan with the Tags it was created with", async () => {
    const name = rtName("plan");
    const out = await backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(name), Tags: { team: "storage" } }));
    const tags = await backup.send(new ListTagsCommand({ ResourceArn: out.RestoreTestingPlanArn }));
    expect(tags.Tags).toEqual({ team: "storage" });
  });

  it("refuses a second plan of the same name with AlreadyExistsException carrying the existing plan's ARN", async () => {
    const { name, arn } = await createPlan();
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(name) })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(name);
    expect((err as unknown as { Arn: string }).Arn).toBe(arn);
  });

  it("returns the plan of the first request when retried with the same CreatorRequestId", async () => {
    const name = rtName("plan");
    const input = { RestoreTestingPlan: planOf(name), CreatorRequestId: uniqueName("req") };
    const a = await backup.send(new CreateRestoreTestingPlanCommand(input));
    const b = await backup.send(new CreateRestoreTestingPlanCommand(input));
    expect(b.$metadata.httpStatusCode).toBe(201);
    expect(b.RestoreTestingPlanArn).toBe(a.RestoreTestingPlanArn);
    expect(b.CreationTime).toEqual(a.CreationTime);
  });

  it("refuses a CreatorRequestId that already created another plan with AlreadyExistsException naming it", async () => {
    const token = uniqueName("req");
    await backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan")), CreatorRequestId: token }));
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan")), CreatorRequestId: token })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(token);
  });

  it.each([
    ["a hyphen", "bad-name"],
    ["a space", "bad name"],
    ["more than 50 characters", "p".repeat(51)],
  ])("refuses a plan name with %s with InvalidParameterValueException", async (_what, name) => {
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(name) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("RestoreTestingPlanName");
    expect(err.message).toContain(name);
  });

  it("refuses a CreatorRequestId with characters outside letters, digits and -_. with InvalidParameterValueException", async () => {
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan")), CreatorRequestId: "not valid!" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("CreatorRequestId");
  });

  it("refuses a schedule that is not an AWS cron expression with InvalidParameterValueException", async () => {
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan"), { ScheduleExpression: "every day" }) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("ScheduleExpression");
    expect(err.message).toContain("every day");
  });

  it("refuses a time zone that is not an IANA name with InvalidParameterValueException", async () => {
    const err = await errorOf(
      backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan"), { ScheduleExpressionTimezone: "Mars/Olympus" }) })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Mars/Olympus");
  });

  it("accepts StartWindowHours up to 168 and refuses more with InvalidParameterValueException", async () => {
    const { name } = await createPlan(backup, { StartWindowHours: 168 });
    expect((await getPlan(name)).StartWindowHours).toBe(168);
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan"), { StartWindowHours: 169 }) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("StartWindowHours");
    expect(err.message).toContain("169");
  });

  it("refuses a SelectionWindowDays above 365 with InvalidParameterValueException", async () => {
    const sel = { ...ALL_VAULTS, SelectionWindowDays: 366 };
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan"), { RecoveryPointSelection: sel }) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("SelectionWindowDays");
  });

  it.each([
    ["Algorithm", { IncludeVaults: ["*"], RecoveryPointTypes: ["SNAPSHOT"] }],
    ["RecoveryPointTypes", { Algorithm: "LATEST_WITHIN_WINDOW", IncludeVaults: ["*"] }],
    ["IncludeVaults", { Algorithm: "LATEST_WITHIN_WINDOW", IncludeVaults: [], RecoveryPointTypes: ["SNAPSHOT"] }],
  ] as [string, RestoreTestingRecoveryPointSelection][])(
    "refuses a RecoveryPointSelection without %s with MissingParameterValueException",
    async (member, sel) => {
      const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan"), { RecoveryPointSelection: sel }) })));
      expect(err.name).toBe("MissingParameterValueException");
      expect(err.message).toContain(member);
    },
  );

  it.each([
    ["an IncludeVaults entry that is not a vault ARN", { IncludeVaults: ["arn:aws:s3:::bucket"] }, "arn:aws:s3:::bucket"],
    ["IncludeVaults mixing * with vault ARNs", { IncludeVaults: ["*", vaultArn("v1")] }, "IncludeVaults"],
    ["ExcludeVaults holding *", { ExcludeVaults: ["*"] }, "ExcludeVaults"],
    ["more than 30 vault selectors", { IncludeVaults: Array.from({ length: 31 }, (_, i) => vaultArn(`vault-${i}`)) }, "30"],
  ] as [string, Partial<RestoreTestingRecoveryPointSelection>, string][])("refuses %s with InvalidParameterValueException", async (_what, change, culprit) => {
    const sel = { ...ALL_VAULTS, ...change };
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan"), { RecoveryPointSelection: sel }) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(culprit);
  });

  it("accepts specific vault ARNs, with wildcards in the name, to include and exclude", async () => {
    const sel = { ...ALL_VAULTS, IncludeVaults: [vaultArn("prod-*"), vaultArn("archive")], ExcludeVaults: [vaultArn("prod-scratch")], SelectionWindowDays: 7 };
    const { name } = await createPlan(backup, { RecoveryPointSelection: sel });
    expect((await getPlan(name)).RecoveryPointSelection).toEqual(sel);
  });

  it("refuses tags with a reserved aws: key with InvalidParameterValueException", async () => {
    const err = await errorOf(backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan")), Tags: { "aws:owner": "me" } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("aws:owner");
  });

  it("refuses the 101st plan of a Region with LimitExceededException", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      for (let i = 0; i < 100; i++) await createPlan(c);
      const err = await errorOf(c.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(rtName("plan")) })));
      expect(err.name).toBe("LimitExceededException");
      expect(err.message).toContain("100");
      // The quota is per Region.
      await createPlan(local.client({ region: OTHER_REGION }));
    } finally {
      await local.stop();
    }
  });
});

describe("GetRestoreTestingPlan", () => {
  it("returns every member of the plan as it was created", async () => {
    const name = rtName("plan");
    const sel: RestoreTestingRecoveryPointSelection = {
      Algorithm: "RANDOM_WITHIN_WINDOW",
      IncludeVaults: [vaultArn("main")],
      ExcludeVaults: [vaultArn("main-old")],
      RecoveryPointTypes: ["SNAPSHOT", "CONTINUOUS"],
      SelectionWindowDays: 14,
    };
    const created = await backup.send(
      new CreateRestoreTestingPlanCommand({
        CreatorRequestId: "req-1",
        RestoreTestingPlan: planOf(name, { RecoveryPointSelection: sel, ScheduleExpressionTimezone: "Europe/Paris", StartWindowHours: 3 }),
      }),
    );
    const p = await getPlan(name);
    expect(p).toEqual({
      RestoreTestingPlanName: name,
      RestoreTestingPlanArn: created.RestoreTestingPlanArn,
      CreationTime: created.CreationTime,
      LastUpdateTime: created.CreationTime,
      CreatorRequestId: "req-1",
      RecoveryPointSelection: sel,
      ScheduleExpression: "cron(0 1 ? * * *)",
      ScheduleExpressionTimezone: "Europe/Paris",
      StartWindowHours: 3,
    });
    expect(p.LastExecutionTime).toBeUndefined();
  });

  it("answers ResourceNotFoundException naming a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: "no_such_plan" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no_such_plan");
  });

  it("does not show a plan to another account or in another Region", async () => {
    const { name } = await createPlan();
    for (const c of [t.client({ accountId: OTHER_ACCOUNT }), t.client({ region: OTHER_REGION })]) {
      expect((await errorOf(c.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: name })))).name).toBe("ResourceNotFoundException");
    }
  });
});

describe("UpdateRestoreTestingPlan", () => {
  it("changes only the members it is given and records the update time", async () => {
    const { name, arn } = await createPlan(backup, { StartWindowHours: 5, ScheduleExpressionTimezone: "Asia/Tokyo" });
    const before = await getPlan(name);
    await new Promise((r) => setTimeout(r, 20));
    const out = await backup.send(new UpdateRestoreTestingPlanCommand({ RestoreTestingPlanName: name, RestoreTestingPlan: { ScheduleExpression: "cron(30 2 ? * MON *)" } }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.RestoreTestingPlanArn).toBe(arn);
    expect(out.RestoreTestingPlanName).toBe(name);
    expect(out.CreationTime).toEqual(before.CreationTime);
    expect(out.UpdateTime!.getTime()).toBeGreaterThan(before.CreationTime!.getTime());
    const after = await getPlan(name);
    expect(after).toEqual({ ...before, ScheduleExpression: "cron(30 2 ? * MON *)", LastUpdateTime: out.UpdateTime });
  });

  it("changes the start window and time zone", async () => {
    const { name } = await createPlan();
    await backup.send(new UpdateRestoreTestingPlanCommand({ RestoreTestingPlanName: name, RestoreTestingPlan: { StartWindowHours: 12, ScheduleExpressionTimezone: "America/New_York" } }));
    const p = await getPlan(name);
    expect(p.StartWindowHours).toBe(12);
    expect(p.ScheduleExpressionTimezone).toBe("America/New_York");
  });

  it("replaces the recovery point selection whole, with its defaults", async () => {
    const { name } = await createPlan(backup, { RecoveryPointSelection: { ...ALL_VAULTS, SelectionWindowDays: 5 } });
    const sel = { Algorithm: "RANDOM_WITHIN_WINDOW" as const, IncludeVaults: [vaultArn("other")], RecoveryPointTypes: ["CONTINUOUS" as const] };
    await backup.send(new UpdateRestoreTestingPlanCommand({ RestoreTestingPlanName: name, RestoreTestingPlan: { RecoveryPointSelection: sel } }));
    expect((await getPlan(name)).RecoveryPointSelection).toEqual({ ...sel, ExcludeVaults: [], SelectionWindowDays: 30 });
  });

  it("refuses an incomplete recovery point selection with MissingParameterValueException", async () => {
    const { name } = await createPlan();
    const err = await errorOf(
      backup.send(new UpdateRestoreTestingPlanCommand({ RestoreTestingPlanName: name, RestoreTestingPlan: { RecoveryPointSelection: { SelectionWindowDays: 10 } } })),
    );
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("Algorithm");
  });

  it.each([
    ["ScheduleExpression", { ScheduleExpression: "cron(0 1 * * * *)" }],
    ["ScheduleExpressionTimezone", { ScheduleExpressionTimezone: "Nowhere/Town" }],
    ["StartWindowHours", { StartWindowHours: 200 }],
  ])("refuses an invalid %s with InvalidParameterValueException and leaves the plan unchanged", async (member, change) => {
    const { name } = await createPlan();
    const before = await getPlan(name);
    const err = await errorOf(backup.send(new UpdateRestoreTestingPlanCommand({ RestoreTestingPlanName: name, RestoreTestingPlan: change })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(member);
    expect(await getPlan(name)).toEqual(before);
  });

  it("answers ResourceNotFoundException naming a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new UpdateRestoreTestingPlanCommand({ RestoreTestingPlanName: "missing_plan", RestoreTestingPlan: { StartWindowHours: 2 } })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("missing_plan");
  });
});

describe("DeleteRestoreTestingPlan", () => {
  it("deletes a plan without selections, answers 204, and drops its tags", async () => {
    const name = rtName("plan");
    const created = await backup.send(new CreateRestoreTestingPlanCommand({ RestoreTestingPlan: planOf(name), Tags: { k: "v" } }));
    const out = await backup.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: name }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect((await errorOf(backup.send(new GetRestoreTestingPlanCommand({ RestoreTestingPlanName: name })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(backup.send(new ListTagsCommand({ ResourceArn: created.RestoreTestingPlanArn })))).name).toBe("ResourceNotFoundException");
  });

  it("frees the name for a new plan with a new ARN", async () => {
    const { name, arn } = await createPlan();
    await backup.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: name }));
    const again = await createPlan(backup, { RestoreTestingPlanName: name });
    expect(again.arn).not.toBe(arn);
  });

  it("refuses a plan that still has selections with InvalidRequestException until they are deleted", async () => {
    const { name } = await createPlan();
    const sel = await createSelection(name);
    const err = await errorOf(backup.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: name })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(name);
    expect(err.message).toMatch(/selection/);
    await backup.send(new DeleteRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: sel }));
    await backup.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: name }));
  });

  it("answers InvalidRequestException, the error the model lists, naming a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new DeleteRestoreTestingPlanCommand({ RestoreTestingPlanName: "gone_plan" })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain("gone_plan");
  });
});

describe("ListRestoreTestingPlans", () => {
  it("pages with MaxResults and NextToken, seeing each plan exactly once", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const names: string[] = [];
      for (let i = 0; i < 5; i++) names.push((await createPlan(c)).name);
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.send(new ListRestoreTestingPlansCommand({ MaxResults: 2, NextToken: token }));
        expect(page.RestoreTestingPlans!.length).toBeLessThanOrEqual(2);
        seen.push(...page.RestoreTestingPlans!.map((p) => p.RestoreTestingPlanName!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen).toEqual(names);
    } finally {
      await local.stop();
    }
  });

  it("lists the summary members of each plan", async () => {
    const { name, arn } = await createPlan(backup, { StartWindowHours: 6 });
    const all = (await backup.send(new ListRestoreTestingPlansCommand({}))).RestoreTestingPlans!;
    const item = all.find((p) => p.RestoreTestingPlanName === name)!;
    expect(item).toMatchObject({
      RestoreTestingPlanArn: arn,
      ScheduleExpression: "cron(0 1 ? * * *)",
      ScheduleExpressionTimezone: "Etc/UTC",
      StartWindowHours: 6,
    });
    expect(item.CreationTime).toBeInstanceOf(Date);
    expect(item).not.toHaveProperty("RecoveryPointSelection");
  });

  it("lists only the caller's plans of the caller's Region", async () => {
    const { name } = await createPlan();
    for (const c of [t.client({ accountId: OTHER_ACCOUNT }), t.client({ region: OTHER_REGION })]) {
      const names = (await c.send(new ListRestoreTestingPlansCommand({}))).RestoreTestingPlans!.map((p) => p.RestoreTestingPlanName);
      expect(names).not.toContain(name);
    }
  });

  it("refuses a NextToken it did not issue with InvalidParameterValueException", async () => {
    const err = await errorOf(backup.send(new ListRestoreTestingPlansCommand({ NextToken: "not-a-token" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("NextToken");
  });
});

describe("CreateRestoreTestingSelection", () => {
  it("creates a selection of every resource of a type and answers 201 with the plan's ARN", async () => {
    const { name, arn } = await createPlan();
    const sel = selectionOf();
    const out = await backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: sel }));
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out).toMatchObject({ RestoreTestingPlanArn: arn, RestoreTestingPlanName: name, RestoreTestingSelectionName: sel.RestoreTestingSelectionName });
    expect(Math.abs(out.CreationTime!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  const prod = { StringEquals: [{ Key: "aws:ResourceTag/env", Value: "prod" }] };
  const prodNotScratch = { ...prod, StringNotEquals: [{ Key: "aws:ResourceTag/tier", Value: "scratch" }] };
  const volumes = [resources.ebs(), resources.ebs()];
  const docdb = [`arn:aws:rds:${REGION}:123456789012:cluster:docs`];
  it.each([
    ["specific ARNs of its type", { ProtectedResourceType: "EBS", ProtectedResourceArns: volumes }, volumes, undefined],
    ["tag conditions alone", { ProtectedResourceArns: undefined, ProtectedResourceConditions: prod }, undefined, prod],
    ["* with tag conditions", { ProtectedResourceConditions: prodNotScratch }, ["*"], prodNotScratch],
    ["DocumentDB clusters by their rds cluster ARNs", { ProtectedResourceType: "DocumentDB", ProtectedResourceArns: docdb }, docdb, undefined],
  ] as [string, Partial<RestoreTestingSelectionForCreate>, string[] | undefined, object | undefined][])("accepts %s", async (_what, extra, arns, conditions) => {
    const { name } = await createPlan();
    const got = await getSelection(name, await createSelection(name, extra));
    expect(got.ProtectedResourceArns).toEqual(arns);
    expect(got.ProtectedResourceConditions).toEqual(conditions);
  });

  it("refuses specific ARNs together with conditions with InvalidParameterValueException", async () => {
    const { name } = await createPlan();
    const sel = selectionOf({ ProtectedResourceArns: [resources.dynamo()], ProtectedResourceConditions: { StringEquals: [{ Key: "aws:ResourceTag/a", Value: "b" }] } });
    const err = await errorOf(backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: sel })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("ProtectedResourceConditions");
  });

  it("refuses a selection with neither ARNs nor conditions with MissingParameterValueException", async () => {
    const { name } = await createPlan();
    const sel = selectionOf({ ProtectedResourceArns: [] });
    const err = await errorOf(backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: sel })));
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("ProtectedResourceArns");
  });

  it.each([
    ["* mixed with specific ARNs", { ProtectedResourceArns: ["*", "arn:aws:dynamodb:us-east-1:123456789012:table/t"] }, "ProtectedResourceArns"],
    ["an ARN of another resource type", { ProtectedResourceArns: ["arn:aws:ec2:us-east-1:123456789012:volume/vol-1"] }, "arn:aws:ec2:us-east-1:123456789012:volume/vol-1"],
    ["an entry that is not an ARN", { ProtectedResourceArns: ["my-table"] }, "my-table"],
    ["more than 30 ARNs", { ProtectedResourceArns: Array.from({ length: 31 }, () => resources.dynamo()) }, "30"],
    [
      "more than 30 conditions",
      { ProtectedResourceConditions: { StringEquals: Array.from({ length: 16 }, (_, i) => ({ Key: `aws:ResourceTag/k${i}`, Value: "v" })), StringNotEquals: Array.from({ length: 15 }, (_, i) => ({ Key: `aws:ResourceTag/n${i}`, Value: "v" })) } },
      "30",
    ],
    ["a condition key that is not aws:ResourceTag/<key>", { ProtectedResourceConditions: { StringEquals: [{ Key: "env", Value: "prod" }] } }, '"env"'],
    ["an unsupported resource type", { ProtectedResourceType: "Redshift" }, "Redshift"],
    ["an unknown resource type", { ProtectedResourceType: "Mainframe" }, "Mainframe"],
    ["an IAM role that is not a role ARN", { IamRoleArn: "arn:aws:iam::123456789012:user/bob" }, "IamRoleArn"],
    ["a ValidationWindowHours above 168", { ValidationWindowHours: 169 }, "ValidationWindowHours"],
    ["a name with a hyphen", { RestoreTestingSelectionName: "has-hyphen" }, "has-hyphen"],
    ["a name longer than 50 characters", { RestoreTestingSelectionName: "s".repeat(51) }, "RestoreTestingSelectionName"],
  ] as [string, Partial<RestoreTestingSelectionForCreate>, string][])("refuses %s with InvalidParameterValueException", async (_what, extra, culprit) => {
    const { name } = await createPlan();
    const err = await errorOf(backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: selectionOf(extra) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(culprit);
  });

  it("accepts a ValidationWindowHours of 0 and of 168", async () => {
    const { name } = await createPlan();
    for (const hours of [0, 168]) {
      const sel = await createSelection(name, { ValidationWindowHours: hours });
      expect((await getSelection(name, sel)).ValidationWindowHours).toBe(hours);
    }
  });

  it("refuses a second selection of the same name in the plan with AlreadyExistsException", async () => {
    const { name } = await createPlan();
    const sel = await createSelection(name);
    const err = await errorOf(backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: selectionOf({ RestoreTestingSelectionName: sel }) })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(sel);
  });

  it("allows the same selection name in two plans", async () => {
    const a = await createPlan();
    const b = await createPlan();
    const sel = await createSelection(a.name);
    await createSelection(b.name, { RestoreTestingSelectionName: sel });
    expect((await getSelection(b.name, sel)).RestoreTestingPlanName).toBe(b.name);
  });

  it("returns the first selection when retried with the same CreatorRequestId, and refuses the token for another name", async () => {
    const { name } = await createPlan();
    const input = { RestoreTestingPlanName: name, RestoreTestingSelection: selectionOf(), CreatorRequestId: uniqueName("req") };
    const a = await backup.send(new CreateRestoreTestingSelectionCommand(input));
    const b = await backup.send(new CreateRestoreTestingSelectionCommand(input));
    expect(b.CreationTime).toEqual(a.CreationTime);
    const err = await errorOf(backup.send(new CreateRestoreTestingSelectionCommand({ ...input, RestoreTestingSelection: selectionOf() })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(input.CreatorRequestId);
  });

  it("answers ResourceNotFoundException naming a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: "absent_plan", RestoreTestingSelection: selectionOf() })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("absent_plan");
  });

  it("refuses the 31st selection of a plan with LimitExceededException", async () => {
    const { name } = await createPlan();
    for (let i = 0; i < 30; i++) await createSelection(name);
    const err = await errorOf(backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: selectionOf() })));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain(name);
  });

  it("cannot add a selection to another account's plan", async () => {
    const { name } = await createPlan();
    const other = t.client({ accountId: OTHER_ACCOUNT });
    const err = await errorOf(other.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: selectionOf() })));
    expect(err.name).toBe("ResourceNotFoundException");
  });
});

describe("GetRestoreTestingSelection", () => {
  it("returns every member of the selection", async () => {
    const { name } = await createPlan();
    const sel = selectionOf({
      ProtectedResourceType: "RDS",
      ProtectedResourceArns: [resources.rds()],
      IamRoleArn: OTHER_ROLE,
      RestoreMetadataOverrides: { dbInstanceClass: "db.t3.small" },
      ValidationWindowHours: 12,
    });
    const created = await backup.send(new CreateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelection: sel, CreatorRequestId: "sel-req" }));
    expect(await getSelection(name, sel.RestoreTestingSelectionName!)).toEqual({
      ...sel,
      RestoreTestingPlanName: name,
      CreationTime: created.CreationTime,
      CreatorRequestId: "sel-req",
    });
  });

  it("answers ResourceNotFoundException naming a selection or plan that does not exist", async () => {
    const { name } = await createPlan();
    const noSel = await errorOf(backup.send(new GetRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: "nope_sel" })));
    expect(noSel.name).toBe("ResourceNotFoundException");
    expect(noSel.message).toContain("nope_sel");
    const noPlan = await errorOf(backup.send(new GetRestoreTestingSelectionCommand({ RestoreTestingPlanName: "nope_plan", RestoreTestingSelectionName: "x" })));
    expect(noPlan.name).toBe("ResourceNotFoundException");
    expect(noPlan.message).toContain("nope_plan");
  });
});

describe("UpdateRestoreTestingSelection", () => {
  it("changes only the members it is given and answers with the update time", async () => {
    const { name, arn } = await createPlan();
    const arns = [resources.dynamo()];
    const sel = await createSelection(name, { ProtectedResourceArns: arns, RestoreMetadataOverrides: { encryptionType: "Default" }, ValidationWindowHours: 4 });
    const before = await getSelection(name, sel);
    const out = await backup.send(
      new UpdateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: sel, RestoreTestingSelection: { IamRoleArn: OTHER_ROLE } }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out).toMatchObject({ RestoreTestingPlanArn: arn, RestoreTestingPlanName: name, RestoreTestingSelectionName: sel, CreationTime: before.CreationTime });
    expect(out.UpdateTime!.getTime()).toBeGreaterThanOrEqual(before.CreationTime!.getTime());
    expect(await getSelection(name, sel)).toEqual({ ...before, IamRoleArn: OTHER_ROLE });
  });

  it("changes the validation window and replaces or clears the metadata overrides", async () => {
    const { name } = await createPlan();
    const sel = await createSelection(name, { RestoreMetadataOverrides: { encryptionType: "Default" } });
    const update = (s: object) =>
      backup.send(new UpdateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: sel, RestoreTestingSelection: s }));
    await update({ ValidationWindowHours: 48, RestoreMetadataOverrides: { kmsMasterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" } });
    let got = await getSelection(name, sel);
    expect(got.ValidationWindowHours).toBe(48);
    expect(got.RestoreMetadataOverrides).toEqual({ kmsMasterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k" });
    await update({ RestoreMetadataOverrides: {} });
    got = await getSelection(name, sel);
    expect(got.RestoreMetadataOverrides).toBeUndefined();
  });

  it("moves from specific ARNs to * with conditions only when both are sent", async () => {
    const { name } = await createPlan();
    const sel = await createSelection(name, { ProtectedResourceArns: [resources.dynamo()] });
    const conditions = { StringEquals: [{ Key: "aws:ResourceTag/env", Value: "prod" }] };
    const update = (s: object) =>
      backup.send(new UpdateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: sel, RestoreTestingSelection: s }));
    const err = await errorOf(update({ ProtectedResourceConditions: conditions }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("ProtectedResourceConditions");
    await update({ ProtectedResourceArns: ["*"], ProtectedResourceConditions: conditions });
    const got = await getSelection(name, sel);
    expect(got.ProtectedResourceArns).toEqual(["*"]);
    expect(got.ProtectedResourceConditions).toEqual(conditions);
  });

  it.each([
    ["IamRoleArn", { IamRoleArn: "not-a-role" }],
    ["ValidationWindowHours", { ValidationWindowHours: 500 }],
    ["arn:aws:s3:::bucket-x", { ProtectedResourceArns: ["arn:aws:s3:::bucket-x"] }],
  ])("refuses an update with an invalid value (%s) with InvalidParameterValueException", async (culprit, change) => {
    const { name } = await createPlan();
    const sel = await createSelection(name);
    const err = await errorOf(
      backup.send(new UpdateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: sel, RestoreTestingSelection: change })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(culprit);
  });

  it("answers ResourceNotFoundException naming a selection or plan that does not exist", async () => {
    const { name } = await createPlan();
    const noSel = await errorOf(
      backup.send(new UpdateRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: "ghost_sel", RestoreTestingSelection: { ValidationWindowHours: 1 } })),
    );
    expect(noSel.name).toBe("ResourceNotFoundException");
    expect(noSel.message).toContain("ghost_sel");
    const noPlan = await errorOf(
      backup.send(new UpdateRestoreTestingSelectionCommand({ RestoreTestingPlanName: "ghost_plan", RestoreTestingSelectionName: "x", RestoreTestingSelection: {} })),
    );
    expect(noPlan.name).toBe("ResourceNotFoundException");
    expect(noPlan.message).toContain("ghost_plan");
  });
});

describe("DeleteRestoreTestingSelection", () => {
  it("deletes the selection and answers 204", async () => {
    const { name } = await createPlan();
    const sel = await createSelection(name);
    const out = await backup.send(new DeleteRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: sel }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const err = await errorOf(backup.send(new GetRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: sel })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  it("answers ResourceNotFoundException naming a selection or plan that does not exist", async () => {
    const { name } = await createPlan();
    const noSel = await errorOf(backup.send(new DeleteRestoreTestingSelectionCommand({ RestoreTestingPlanName: name, RestoreTestingSelectionName: "never_sel" })));
    expect(noSel.name).toBe("ResourceNotFoundException");
    expect(noSel.message).toContain("never_sel");
    const noPlan = await errorOf(backup.send(new DeleteRestoreTestingSelectionCommand({ RestoreTestingPlanName: "never_plan", RestoreTestingSelectionName: "x" })));
    expect(noPlan.name).toBe("ResourceNotFoundException");
    expect(noPlan.message).toContain("never_plan");
  });
});

describe("ListRestoreTestingSelections", () => {
  it("pages through the plan's selections only, seeing each exactly once", async () => {
    const { name } = await createPlan();
    const other = await createPlan();
    const otherSel = await createSelection(other.name);
    const names: string[] = [];
    for (let i = 0; i < 5; i++) names.push(await createSelection(name, { ValidationWindowHours: i }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await backup.send(new ListRestoreTestingSelectionsCommand({ RestoreTestingPlanName: name, MaxResults: 2, NextToken: token }));
      expect(page.RestoreTestingSelections!.length).toBeLessThanOrEqual(2);
      for (const s of page.RestoreTestingSelections!) {
        expect(s).toMatchObject({ RestoreTestingPlanName: name, ProtectedResourceType: "DynamoDB", IamRoleArn: ROLE_ARN });
        expect(s).not.toHaveProperty("ProtectedResourceArns");
      }
      seen.push(...page.RestoreTestingSelections!.map((s) => s.RestoreTestingSelectionName!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
    expect(seen).not.toContain(otherSel);
  });

  it("answers ResourceNotFoundException naming a plan that does not exist, also for another account's plan", async () => {
    const err = await errorOf(backup.send(new ListRestoreTestingSelectionsCommand({ RestoreTestingPlanName: "unknown_plan" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("unknown_plan");
    const { name } = await createPlan();
    await createSelection(name);
    const other = t.client({ accountId: OTHER_ACCOUNT });
    expect((await errorOf(other.send(new ListRestoreTestingSelectionsCommand({ RestoreTestingPlanName: name })))).name).toBe("ResourceNotFoundException");
  });
});

describe("GetRestoreTestingInferredMetadata", () => {
  const infer = async (vault: string, rp: string, c: BackupClient = backup, account?: string) =>
    (await c.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: rp, BackupVaultAccountId: account }))).InferredMetadata!;

  it("infers a new, unprotected, randomly named DynamoDB table", async () => {
    const { vault, rp } = await backupOf(resources.dynamo());
    const m = await infer(vault, rp);
    expect(m).toEqual({ deletionProtection: "false", encryptionType: "Default", targetTableName: expect.stringMatching(/^awsbackup-restore-test-/) });
  });

  it.each([
    ["EBS", () => resources.ebs(), { availabilityZone: expect.stringMatching(new RegExp(`^${REGION}[a-z]$`)), encrypted: "true" }],
    ["EC2", () => resources.ec2(), { disableApiTermination: "false", instanceType: expect.any(String), requiredImdsV2: "true" }],
    [
      "EFS",
      () => resources.efs(),
      { encrypted: "true", "file-system-id": expect.stringMatching(/^fs-/), kmsKeyId: "alias/aws/elasticfilesystem", newFileSystem: "true", performanceMode: "generalPurpose" },
    ],
    ["RDS", () => resources.rds(), { dbInstanceIdentifier: expect.stringMatching(/^awsbackup-restore-test-/), deletionProtection: "false", multiAz: "false", publiclyAccessible: "false" }],
    [
      "Aurora",
      () => `arn:aws:rds:${REGION}:123456789012:cluster:${uniqueName("aurora")}`,
      { availabilityZones: expect.any(String), dbClusterIdentifier: expect.stringMatching(/^awsbackup-restore-test-/), engine: "aurora-mysql" },
    ],
    [
      "S3",
      () => resources.s3(),
      { destinationBucketName: expect.stringMatching(/^awsbackup-restore-test-/), encrypted: "true", encryptionType: "SSE-S3", newBucket: "true", restoreACLs: "true" },
    ],
  ] as [string, () => string, Record<string, unknown>][])("infers the documented keys for a %s recovery point", async (_type, arn, expected) => {
    const { vault, rp } = await backupOf(arn());
    expect(await infer(vault, rp)).toEqual(expected);
  });

  it("infers the EFS file system id from the recovery point", async () => {
    const fs = resources.efs();
    const { vault, rp } = await backupOf(fs);
    expect((await infer(vault, rp))["file-system-id"]).toBe(fs.split("/")[1]);
  });

  it("lists up to three Availability Zones of the Region for a cluster as a JSON array", async () => {
    const { vault, rp } = await backupOf(`arn:aws:rds:${REGION}:123456789012:cluster:${uniqueName("c")}`);
    const zones = JSON.parse((await infer(vault, rp)).availabilityZones!) as string[];
    expect(zones.length).toBeGreaterThan(0);
    expect(zones.length).toBeLessThanOrEqual(3);
    for (const z of zones) expect(z.startsWith(REGION)).toBe(true);
  });

  it("does not restore ACLs of an S3 backup taken with BackupACLs disabled", async () => {
    const { vault, rp } = await backupOf(resources.s3(), { BackupACLs: "disabled" });
    expect((await infer(vault, rp)).restoreACLs).toBe("false");
  });

  it("names a new random target on each call", async () => {
    const { vault, rp } = await backupOf(resources.dynamo());
    expect((await infer(vault, rp)).targetTableName).not.toBe((await infer(vault, rp)).targetTableName);
  });

  it("refuses a recovery point of a type restore testing does not support with InvalidParameterValueException", async () => {
    const { vault, rp } = await backupOf(`arn:aws:redshift:${REGION}:123456789012:cluster:${uniqueName("wh")}`);
    const err = await errorOf(backup.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: rp })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Redshift");
  });

  it("answers ResourceNotFoundException naming an unknown vault or recovery point", async () => {
    const { vault, rp } = await backupOf(resources.dynamo());
    const noVault = await errorOf(backup.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: "no-such-vault", RecoveryPointArn: rp })));
    expect(noVault.name).toBe("ResourceNotFoundException");
    expect(noVault.message).toContain("no-such-vault");
    const missing = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:00000000-0000-0000-0000-000000000000`;
    const noRp = await errorOf(backup.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: missing })));
    expect(noRp.name).toBe("ResourceNotFoundException");
    expect(noRp.message).toContain(missing);
  });

  it("answers ResourceNotFoundException for a recovery point that is in another vault", async () => {
    const a = await backupOf(resources.dynamo());
    const b = await backupOf(resources.dynamo());
    const err = await errorOf(backup.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: b.vault, RecoveryPointArn: a.rp })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(a.rp);
  });

  it("does not find another account's or another Region's vault by name", async () => {
    const { vault, rp } = await backupOf(resources.dynamo());
    for (const c of [t.client({ accountId: OTHER_ACCOUNT }), t.client({ region: OTHER_REGION })]) {
      const err = await errorOf(c.send(new GetRestoreTestingInferredMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: rp })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(vault);
    }
  });

  it("reads the vault of the account BackupVaultAccountId names once that account shares it", async () => {
    const other = t.client({ accountId: OTHER_ACCOUNT });
    const { vault, rp } = await backupOf(resources.dynamo(), undefined, other);
    await shareVault(other, vault, ACCOUNT);
    expect(Object.keys(await infer(vault, rp, backup, OTHER_ACCOUNT))).toContain("targetTableName");
  });
});

describe("restore testing plan tags", () => {
  it("tags and lists tags of a plan by its ARN, and refuses a plan ARN that names no plan", async () => {
    const { arn } = await createPlan();
    await backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { owner: "qa" } }));
    expect((await backup.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ owner: "qa" });
    const stale = arn.replace(/-[0-9a-f-]{36}$/, "-00000000-0000-0000-0000-000000000000");
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: stale, Tags: { owner: "qa" } })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(stale);
  });
});

describe("restore testing plan runs", () => {
  /** A plan over one vault's recovery points, with one selection; returns the names. */
  async function planOverVault(vault: string, sel: Partial<RestoreTestingSelectionForCreate>, rps: Partial<RestoreTestingRecoveryPointSelection> = {}) {
    const plan = await createPlan(backup, { RecoveryPointSelection: { ...ALL_VAULTS, IncludeVaults: [vaultArn(vault)], ...rps } });
    await createSelection(plan.name, sel);
    return plan;
  }
  const jobsOf = async (planArn: string) => (await backup.send(new ListRestoreJobsCommand({ ByRestoreTestingPlanArn: planArn }))).RestoreJobs!;

  it("restores the latest recovery point of each selected resource with the inferred metadata and the overrides, and records LastExecutionTime", async () => {
    const vault = uniqueName("vault");
    const table = resources.dynamo();
    await backupOf(table, undefined, backup, vault);
    await new Promise((r) => setTimeout(r, 10));
    const latest = (await backupOf(table, undefined, backup, vault)).rp;
    const other = (await backupOf(resources.dynamo(), undefined, backup, vault)).rp;
    const plan = await planOverVault(vault, { IamRoleArn: OTHER_ROLE, RestoreMetadataOverrides: { EncryptionType: "KMS" } });
    const at = t.emu.clock.now();
    const jobs = runRestoreTestingPlan(runDeps(), HOME, plan.name, at);
    expect(jobs.map((j) => j.RecoveryPointArn).sort()).toEqual([latest, other].sort());
    const listed = await jobsOf(plan.arn);
    expect(listed).toHaveLength(2);
    for (const j of listed) {
      expect(j.CreatedBy).toEqual({ RestoreTestingPlanArn: plan.arn });
      expect(j.IamRoleArn).toBe(OTHER_ROLE);
      const { Metadata } = await backup.send(new GetRestoreJobMetadataCommand({ RestoreJobId: j.RestoreJobId }));
      expect(Metadata).toEqual({ deletionProtection: "false", EncryptionType: "KMS", targetTableName: expect.stringMatching(/^awsbackup-restore-test-/) });
    }
    expect((await getPlan(plan.name)).LastExecutionTime!.getTime()).toBe(Math.round(at * 1000));
    const done = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: listed[0]!.RestoreJobId }));
    expect(done.Status).toBe("COMPLETED");
  });

  it("restores only resources whose latest recovery point carries the tags the conditions ask for", async () => {
    const vault = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const tagged = resources.dynamo();
    const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: tagged, IamRoleArn: ROLE_ARN, RecoveryPointTags: { env: "prod" } }));
    await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, RecoveryPointTags: { env: "dev" } }));
    await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    const plan = await planOverVault(vault, { ProtectedResourceConditions: { StringEquals: [{ Key: "aws:ResourceTag/env", Value: "prod" }] } });
    await getPlan(plan.name); // lets the backups finish
    const jobs = runRestoreTestingPlan(runDeps(), HOME, plan.name, t.emu.clock.now());
    expect(jobs.map((j) => j.RecoveryPointArn)).toEqual([job.RecoveryPointArn]);
  });

  it("restores only the resources a selection names by ARN", async () => {
    const vault = uniqueName("vault");
    const wanted = resources.dynamo();
    const { rp } = await backupOf(wanted, undefined, backup, vault);
    await backupOf(resources.dynamo(), undefined, backup, vault);
    const plan = await planOverVault(vault, { ProtectedResourceArns: [wanted] });
    expect(runRestoreTestingPlan(runDeps(), HOME, plan.name, t.emu.clock.now()).map((j) => j.RecoveryPointArn)).toEqual([rp]);
  });

  it("skips recovery points in a vault that an ExcludeVaults wildcard names", async () => {
    const vault = uniqueName("vault");
    await backupOf(resources.dynamo(), undefined, backup, vault);
    const plan = await planOverVault(vault, {}, { ExcludeVaults: [vaultArn(`${vault.slice(0, 6)}*`)] });
    const control = await planOverVault(vault, {});
    expect(runRestoreTestingPlan(runDeps(), HOME, plan.name, t.emu.clock.now())).toEqual([]);
    expect(runRestoreTestingPlan(runDeps(), HOME, control.name, t.emu.clock.now())).toHaveLength(1);
  });

  it("skips snapshot recovery points when the plan tests only continuous ones", async () => {
    const vault = uniqueName("vault");
    await backupOf(resources.dynamo(), undefined, backup, vault);
    const plan = await planOverVault(vault, {}, { RecoveryPointTypes: ["CONTINUOUS"] });
    const control = await planOverVault(vault, {}, { RecoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"] });
    expect(runRestoreTestingPlan(runDeps(), HOME, plan.name, t.emu.clock.now())).toEqual([]);
    expect(runRestoreTestingPlan(runDeps(), HOME, control.name, t.emu.clock.now())).toHaveLength(1);
  });

  it("skips recovery points older than the selection window", async () => {
    const vault = uniqueName("vault");
    await backupOf(resources.dynamo(), undefined, backup, vault);
    const plan = await planOverVault(vault, {}, { SelectionWindowDays: 1 });
    await getPlan(plan.name);
    expect(runRestoreTestingPlan(runDeps(), HOME, plan.name, t.emu.clock.now() + 2 * 86_400)).toEqual([]);
    expect(runRestoreTestingPlan(runDeps(), HOME, plan.name, t.emu.clock.now())).toHaveLength(1);
  });

  it("runs from its queued work item only while the plan that queued it exists", async () => {
    const vault = uniqueName("vault");
    await backupOf(resources.dynamo(), undefined, backup, vault);
    const plan = await planOverVault(vault, {});
    await getPlan(plan.name);
    const work = restoreTestingWork[RESTORE_TESTING_WORK]!({ ...runDeps(), log: pino({ level: "silent" }) });
    const at = t.emu.clock.now();
    const item = { seq: 0, due: at, kind: RESTORE_TESTING_WORK, scope: HOME, ref: plan.arn, data: { name: plan.name } };
    work({ ...item, ref: `${plan.arn}-stale` }, at);
    expect((await getPlan(plan.name)).LastExecutionTime).toBeUndefined();
    work(item, at);
    expect((await getPlan(plan.name)).LastExecutionTime).toBeInstanceOf(Date);
    expect(await jobsOf(plan.arn)).toHaveLength(1);
  });
});
