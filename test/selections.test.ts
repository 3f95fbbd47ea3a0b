import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  GetBackupSelectionCommand,
  ListBackupSelectionsCommand,
  type BackupClient,
  type BackupSelection,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
let vault: string;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
  vault = uniqueName("vault");
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
});
afterAll(() => t.stop());

async function newPlan(): Promise<string> {
  const out = await backup.send(
    new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault }] } }),
  );
  return out.BackupPlanId!;
}

function selection(extra: Partial<BackupSelection> = {}): BackupSelection {
  return { SelectionName: uniqueName("sel"), IamRoleArn: ROLE_ARN, Resources: [resources.dynamo()], ...extra };
}

describe("CreateBackupSelection", () => {
  it("creates a selection and returns its id, plan id and creation date", async () => {
    const planId = await newPlan();
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection() }));
    expect(out.SelectionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.BackupPlanId).toBe(planId);
    expect(out.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(out.CreationDate!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("refuses a plan that does not exist with InvalidParameterValueException, the only error the model allows", async () => {
    const err = await errorOf(backup.send(new CreateBackupSelectionCommand({ BackupPlanId: "no-such-plan", BackupSelection: selection() })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("no-such-plan");
  });

  it("refuses a CreatorRequestId that is not 1 to 50 letters, digits or '-_.', naming it", async () => {
    const planId = await newPlan();
    const err = await errorOf(backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection(), CreatorRequestId: "x".repeat(51) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(`CreatorRequestId "${"x".repeat(51)}"`);
  });

  it("refuses a plan that has been deleted", async () => {
    const planId = await newPlan();
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: planId }));
    const err = await errorOf(backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection() })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(planId);
  });

  it("refuses a second selection of the same name in a plan with AlreadyExistsException", async () => {
    const planId = await newPlan();
    const s = selection();
    await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: s }));
    const err = await errorOf(backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: { ...s, Resources: ["*"] } })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(s.SelectionName);
  });

  it("allows the same selection name in another plan", async () => {
    const s = selection();
    await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: await newPlan(), BackupSelection: s }));
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: await newPlan(), BackupSelection: s }));
    expect(out.SelectionId).toBeTruthy();
  });

  it("refuses an IamRoleArn that is not an IAM role ARN, naming the member", async () => {
    const err = await errorOf(
      backup.send(new CreateBackupSelectionCommand({ BackupPlanId: await newPlan(), BackupSelection: selection({ IamRoleArn: "arn:aws:iam::123456789012:user/bob" }) })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("IamRoleArn");
    expect(err.message).toContain("user/bob");
  });

  it("refuses a resource entry that is neither an ARN nor *", async () => {
    const err = await errorOf(
      backup.send(new CreateBackupSelectionCommand({ BackupPlanId: await newPlan(), BackupSelection: selection({ Resources: ["my-table"] }) })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Resources");
    expect(err.message).toContain("my-table");
  });

  it("refuses more than 500 resource ARNs, or more than 30 when any has a wildcard, naming the member, and accepts the limits", async () => {
    const planId = await newPlan();
    const arns = (n: number, wildcard = false) => Array.from({ length: n }, (_, i) => `arn:aws:dynamodb:us-east-1:000000000000:table/t${i}${wildcard && i === 0 ? "*" : ""}`);
    for (const [member, list, culprit] of [
      ["Resources", arns(501), "BackupSelection.Resources lists 501 ARNs"],
      ["Resources", arns(31, true), "BackupSelection.Resources lists 31 ARNs"],
      ["NotResources", arns(31, true), "BackupSelection.NotResources lists 31 ARNs"],
    ] as const) {
      const body = member === "Resources" ? { Resources: list } : { Resources: ["*"], NotResources: list };
      const err = await errorOf(backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection(body) })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain(culprit);
    }
    for (const list of [arns(500), arns(30, true)]) {
      const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection({ SelectionName: uniqueName("sel"), Resources: list }) }));
      expect(out.SelectionId).toBeTruthy();
    }
  });

  it("refuses a condition without a ConditionKey, naming the entry", async () => {
    const planId = await newPlan();
    const sel = selection({ Conditions: { StringLike: [{ ConditionKey: "aws:ResourceTag/env", ConditionValue: "p*" }, { ConditionValue: "prod" }] } });
    const err = await errorOf(backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: sel })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Conditions.StringLike[1]");
  });

  it("refuses a selection without a name with MissingParameterValueException", async () => {
    const err = await errorOf(
      backup.send(new CreateBackupSelectionCommand({ BackupPlanId: await newPlan(), BackupSelection: { IamRoleArn: ROLE_ARN } as BackupSelection })),
    );
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("SelectionName");
  });

  it("returns the same selection when retried with the same CreatorRequestId", async () => {
    const planId = await newPlan();
    const s = selection();
    const a = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: s, CreatorRequestId: "sel-retry-1" }));
    const b = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: s, CreatorRequestId: "sel-retry-1" }));
    expect(b.SelectionId).toBe(a.SelectionId);
  });
});

describe("GetBackupSelection", () => {
  it("returns the selection with its ListOfTags and Conditions exactly as given", async () => {
    const planId = await newPlan();
    const s = selection({
      Resources: [resources.ebs(), "arn:aws:dynamodb:*:*:table/*"],
      NotResources: [resources.ec2()],
      ListOfTags: [
        { ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "daily" },
        { ConditionType: "STRINGEQUALS", ConditionKey: "env", ConditionValue: "prod" },
      ],
      Conditions: {
        StringEquals: [{ ConditionKey: "aws:ResourceTag/team", ConditionValue: "storage" }],
        StringNotEquals: [{ ConditionKey: "aws:ResourceTag/tier", ConditionValue: "scratch" }],
        StringLike: [{ ConditionKey: "aws:ResourceTag/app", ConditionValue: "web-*" }],
        StringNotLike: [{ ConditionKey: "aws:ResourceTag/owner", ConditionValue: "test-*" }],
      },
    });
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: s, CreatorRequestId: "get-sel-1" }));
    const got = await backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: out.SelectionId }));
    expect(got.BackupSelection).toEqual(s);
    expect(got.SelectionId).toBe(out.SelectionId);
    expect(got.BackupPlanId).toBe(planId);
    expect(got.CreationDate).toEqual(out.CreationDate);
    expect(got.CreatorRequestId).toBe("get-sel-1");
  });

  it("answers ResourceNotFoundException for a selection that does not exist", async () => {
    const planId = await newPlan();
    const err = await errorOf(backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: "no-such-selection" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-selection");
  });

  it("answers ResourceNotFoundException when the selection belongs to another plan", async () => {
    const a = await newPlan();
    const b = await newPlan();
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: a, BackupSelection: selection() }));
    const err = await errorOf(backup.send(new GetBackupSelectionCommand({ BackupPlanId: b, SelectionId: out.SelectionId })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(out.SelectionId!);
  });
});

describe("DeleteBackupSelection", () => {
  it("deletes a selection, after which it cannot be read", async () => {
    const planId = await newPlan();
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection() }));
    await backup.send(new DeleteBackupSelectionCommand({ BackupPlanId: planId, SelectionId: out.SelectionId }));
    const err = await errorOf(backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: out.SelectionId })));
    expect(err.name).toBe("ResourceNotFoundException");
    const list = await backup.send(new ListBackupSelectionsCommand({ BackupPlanId: planId }));
    expect(list.BackupSelectionsList).toEqual([]);
  });

  it("answers ResourceNotFoundException for a selection that does not exist", async () => {
    const planId = await newPlan();
    const err = await errorOf(backup.send(new DeleteBackupSelectionCommand({ BackupPlanId: planId, SelectionId: "gone-selection" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("gone-selection");
  });

  it("frees the selection's name in the plan", async () => {
    const planId = await newPlan();
    const s = selection();
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: s }));
    await backup.send(new DeleteBackupSelectionCommand({ BackupPlanId: planId, SelectionId: out.SelectionId }));
    const again = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: s }));
    expect(again.SelectionId).not.toBe(out.SelectionId);
  });
});

describe("ListBackupSelections", () => {
  it("lists a plan's selections only, each once across pages, with no token on the last page", async () => {
    const planId = await newPlan();
    const other = await newPlan();
    await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: other, BackupSelection: selection() }));
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = selection();
      names.push(s.SelectionName!);
      await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: s, CreatorRequestId: `list-${i}-${s.SelectionName}` }));
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await backup.send(new ListBackupSelectionsCommand({ BackupPlanId: planId, MaxResults: 2, NextToken: token }));
      expect(page.BackupSelectionsList!.length).toBeLessThanOrEqual(2);
      for (const s of page.BackupSelectionsList!) {
        expect(s.BackupPlanId).toBe(planId);
        expect(s.IamRoleArn).toBe(ROLE_ARN);
        expect(s.CreationDate).toBeInstanceOf(Date);
        expect(s.CreatorRequestId).toBe(`list-${names.indexOf(s.SelectionName!)}-${s.SelectionName}`);
        seen.push(s.SelectionName!);
      }
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...names].sort());
  });

  it("answers ResourceNotFoundException for a plan that does not exist", async () => {
    const err = await errorOf(backup.send(new ListBackupSelectionsCommand({ BackupPlanId: "plan-that-is-not" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("plan-that-is-not");
  });
});
