import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  ExportBackupPlanTemplateCommand,
  GetBackupPlanCommand,
  GetBackupPlanFromJSONCommand,
  GetBackupPlanFromTemplateCommand,
  ListBackupPlanTemplatesCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { errorOf, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let c: BackupClient;
let vault: string;
beforeAll(async () => {
  t = await startTestEmulator({ clockStart: "2026-03-06T12:00:00Z" });
  c = t.client();
  vault = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
});
afterAll(() => t.stop());

describe("ListBackupPlanTemplates", () => {
  it("lists the templates with stable ids and pages through them", async () => {
    const all = (await c.send(new ListBackupPlanTemplatesCommand({}))).BackupPlanTemplatesList!;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.map((x) => x.BackupPlanTemplateName)).toContain("Daily-35day-Retention");
    const again = (await c.send(new ListBackupPlanTemplatesCommand({}))).BackupPlanTemplatesList!;
    expect(again).toEqual(all);
    const first = await c.send(new ListBackupPlanTemplatesCommand({ MaxResults: 2 }));
    expect(first.BackupPlanTemplatesList).toHaveLength(2);
    const rest = await c.send(new ListBackupPlanTemplatesCommand({ NextToken: first.NextToken }));
    expect([...first.BackupPlanTemplatesList!, ...rest.BackupPlanTemplatesList!]).toEqual(all);
    expect(rest.NextToken).toBeUndefined();
  });
});

describe("GetBackupPlanFromTemplate", () => {
  it("returns the template's plan document with its rules' defaults", async () => {
    const id = (await c.send(new ListBackupPlanTemplatesCommand({}))).BackupPlanTemplatesList!.find((x) => x.BackupPlanTemplateName === "Daily-35day-Retention")!.BackupPlanTemplateId!;
    const doc = (await c.send(new GetBackupPlanFromTemplateCommand({ BackupPlanTemplateId: id }))).BackupPlanDocument!;
    expect(doc.BackupPlanName).toBe("Daily-35day-Retention");
    expect(doc.Rules![0]).toMatchObject({ ScheduleExpression: "cron(0 5 ? * * *)", Lifecycle: { DeleteAfterDays: 35 }, StartWindowMinutes: 480 });
  });

  it("answers ResourceNotFoundException for an unknown template id", async () => {
    const err = await errorOf(c.send(new GetBackupPlanFromTemplateCommand({ BackupPlanTemplateId: "nope" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("nope");
  });
});

describe("ExportBackupPlanTemplate and GetBackupPlanFromJSON", () => {
  it("round-trips a plan: the exported JSON converts back to the same plan document", async () => {
    const plan = {
      BackupPlanName: uniqueName("plan"),
      Rules: [
        { RuleName: "daily", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 3 ? * * *)", Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 }, RecoveryPointTags: { a: "b" } },
        { RuleName: "weekly", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 4 ? * SUN *)", ScheduleExpressionTimezone: "Europe/Paris" },
      ],
    };
    const created = await c.send(new CreateBackupPlanCommand({ BackupPlan: plan }));
    const json = (await c.send(new ExportBackupPlanTemplateCommand({ BackupPlanId: created.BackupPlanId }))).BackupPlanTemplateJson!;
    expect(JSON.parse(json).Rules[0].RuleId).toBeUndefined();
    const back = (await c.send(new GetBackupPlanFromJSONCommand({ BackupPlanTemplateJson: json }))).BackupPlan!;
    const stored = (await c.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId }))).BackupPlan!;
    expect({ ...back, Rules: back.Rules!.map((r) => ({ ...r, RuleId: undefined })) }).toEqual({ ...stored, Rules: stored.Rules!.map((r) => ({ ...r, RuleId: undefined })) });
  });

  it("answers ResourceNotFoundException when exporting a plan that does not exist", async () => {
    expect((await errorOf(c.send(new ExportBackupPlanTemplateCommand({ BackupPlanId: "missing" })))).name).toBe("ResourceNotFoundException");
  });

  it.each([
    ["text that is not JSON", "{", /not valid JSON/],
    ["a member the model does not define", JSON.stringify({ BackupPlanName: "p", Rules: [{ RuleName: "r", TargetBackupVaultName: "v", Colour: "red" }] }), /Rules\[0\].*Colour/],
    ["a missing rule name", JSON.stringify({ BackupPlanName: "p", Rules: [{ TargetBackupVaultName: "v" }] }), /RuleName/],
    ["a bad schedule", JSON.stringify({ BackupPlanName: "p", Rules: [{ RuleName: "r", TargetBackupVaultName: "vault-1", ScheduleExpression: "every day" }] }), /ScheduleExpression/],
    ["a lifecycle shorter than 90 days in cold storage", JSON.stringify({ BackupPlanName: "p", Rules: [{ RuleName: "r", TargetBackupVaultName: "vault-1", Lifecycle: { MoveToColdStorageAfterDays: 10, DeleteAfterDays: 20 } }] }), /DeleteAfterDays/],
    ["a wrong type", JSON.stringify({ BackupPlanName: "p", Rules: [{ RuleName: "r", TargetBackupVaultName: "vault-1", StartWindowMinutes: "soon" }] }), /StartWindowMinutes/],
    ["a reserved recovery point tag key", JSON.stringify({ BackupPlanName: "p", Rules: [{ RuleName: "r", TargetBackupVaultName: "vault-1", RecoveryPointTags: { "aws:x": "y" } }] }), /Rules\[0\]\.RecoveryPointTags: .*"aws:x"/],
  ])("refuses %s with InvalidParameterValueException naming the problem", async (_what, json, message) => {
    const err = await errorOf(c.send(new GetBackupPlanFromJSONCommand({ BackupPlanTemplateJson: json })));
    expect(["InvalidParameterValueException", "MissingParameterValueException"]).toContain(err.name);
    expect(err.message).toMatch(message);
  });
});

describe("GetBackupPlan with MaxScheduledRunsPreview", () => {
  it("lists the next runs of every rule, merged in time order, in the rule's time zone", async () => {
    // The clock starts at 2026-03-06T12:00:00Z (a Friday).
    const created = await c.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: uniqueName("plan"),
          Rules: [
            { RuleName: "daily", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 5 ? * * *)" },
            { RuleName: "paris", TargetBackupVaultName: vault, ScheduleExpression: "cron(30 1 ? * * *)", ScheduleExpressionTimezone: "Europe/Paris", EnableContinuousBackup: true },
          ],
        },
      }),
    );
    const out = await c.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId, MaxScheduledRunsPreview: 4 }));
    const runs = out.ScheduledRunsPreview!;
    expect(runs.map((r) => r.ExecutionTime!.toISOString())).toEqual([
      "2026-03-07T00:30:00.000Z",
      "2026-03-07T05:00:00.000Z",
      "2026-03-08T00:30:00.000Z",
      "2026-03-08T05:00:00.000Z",
    ]);
    const paris = out.BackupPlan!.Rules!.find((r) => r.RuleName === "paris")!.RuleId;
    expect(runs[0]).toMatchObject({ RuleId: paris, RuleExecutionType: "CONTINUOUS_AND_SNAPSHOTS" });
    expect(runs[1]!.RuleExecutionType).toBe("SNAPSHOTS");
    expect((await c.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId }))).ScheduledRunsPreview).toBeUndefined();
  });

  it("refuses a preview longer than 10 runs", async () => {
    const created = await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: vault }] } }));
    const err = await errorOf(c.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId, MaxScheduledRunsPreview: 11 })));
    expect(err.name).toBe("InvalidParameterValueException");
    await c.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId }));
  });
});
