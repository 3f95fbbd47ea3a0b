/**
 * Terraform compatibility: the calls the Terraform AWS provider makes for `aws_backup_vault`,
 * `aws_backup_vault_policy`, `aws_backup_vault_notifications`, `aws_backup_plan` and
 * `aws_backup_selection`, replayed in the provider's order through the real JavaScript SDK, with
 * every answer judged the way the provider judges it (test/helpers/terraform.ts).
 *
 * Sources, hashicorp/terraform-provider-aws `internal/service/backup/`:
 * - vault.go: create (CreateBackupVault with BackupVaultTags and EncryptionKeyArn) → read
 *   (DescribeBackupVault: BackupVaultArn, EncryptionKeyArn, BackupVaultName,
 *   NumberOfRecoveryPoints; a VaultType other than BACKUP_VAULT is "no such vault"); delete with
 *   force_destroy (ListRecoveryPointsByBackupVault pages → DeleteRecoveryPoint each →
 *   waitRecoveryPointDeleted polling DescribeRecoveryPoint, pending DELETING, target gone) →
 *   DeleteBackupVault, where ResourceNotFoundException/AccessDeniedException mean "already gone".
 * - tags_gen.go: ListTags after every read (the @Tags interceptor); updateTags =
 *   UntagResource(removed keys) then TagResource(added or changed keys).
 * - vault_policy.go, vault_notifications.go: reads that must answer ResourceNotFoundException
 *   when no policy / notification configuration is set.
 * - plan.go: CreateBackupPlan (rules carry the schema defaults: StartWindowMinutes 60,
 *   CompletionWindowMinutes 180, ScheduleExpressionTimezone Etc/UTC, EnableContinuousBackup
 *   false) → GetBackupPlan (rules flattened attribute by attribute, VersionId,
 *   AdvancedBackupSettings from the top level) → UpdateBackupPlan → DeleteBackupPlan, retried
 *   while the service says "Related backup plan selections must be deleted prior to backup";
 *   afterwards GetBackupPlan must answer ResourceNotFoundException.
 * - selection.go: CreateBackupSelection (always sending Conditions, ListOfTags, NotResources and
 *   Resources, empty when unset; retried while IAM says the role "cannot be assumed") →
 *   GetBackupSelection until found → DeleteBackupSelection → GetBackupSelection not found.
 * - vault_test.go / plan_test.go / selection_test.go: the CheckDestroy reads after destroy.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupPlanCommand,
  DeleteBackupSelectionCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultNotificationsCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  GetBackupPlanCommand,
  GetBackupSelectionCommand,
  GetBackupVaultAccessPolicyCommand,
  GetBackupVaultNotificationsCommand,
  ListBackupVaultsCommand,
  ListTagsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  UpdateBackupPlanCommand,
  paginateListRecoveryPointsByBackupVault,
  type BackupClient,
  type BackupRuleInput,
  type BackupSelection,
} from "@aws-sdk/client-backup";
import { ACCOUNT, errorOf, REGION, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { readOrNotFound, selectionNotFound, strictNotFound, updateTags, vaultNotFound, waitForState } from "./helpers/terraform.js";

let t: TestEmulator;
let backup: BackupClient;

/** The role the provider's acceptance tests use (vault_test.go testAccCheckRunDynamoDBTableBackupJob). */
const SERVICE_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
  // vault_test.go testAccPreCheck: the acceptance tests start by listing vaults.
  await backup.send(new ListBackupVaultsCommand({}));
});
afterAll(() => t.stop());

const kmsKeyArn = () => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${randomUUID()}`;
const vaultArn = (name: string) => `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${name}`;

/** vault.go resourceVaultRead plus the tag interceptor's ListTags: what ends up in state. */
async function readVault(name: string) {
  const out = await readOrNotFound(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name })), vaultNotFound);
  if (out === "not-found") return out;
  // findBackupVaultByName: any other vault type reads as "no such vault".
  expect([undefined, "BACKUP_VAULT"]).toContain(out.VaultType);
  const tags = await backup.send(new ListTagsCommand({ ResourceArn: out.BackupVaultArn! }));
  return {
    arn: out.BackupVaultArn,
    kms_key_arn: out.EncryptionKeyArn,
    name: out.BackupVaultName,
    recovery_points: out.NumberOfRecoveryPoints,
    locked: out.Locked,
    tags: tags.Tags,
  };
}

/** vault_test.go testAccCheckRunDynamoDBTableBackupJob: StartBackupJob, then waitJobCompleted. */
async function runBackupJob(vault: string): Promise<string> {
  const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${uniqueName("table")}`;
  const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, IamRoleArn: SERVICE_ROLE, ResourceArn: table }));
  await waitForState({
    pending: ["CREATED", "PENDING", "RUNNING", "ABORTING"],
    target: ["COMPLETED"],
    refresh: async () => {
      const d = await readOrNotFound(backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId! })), strictNotFound);
      return d === "not-found" ? undefined : { value: d, state: d.State! };
    },
  });
  return job.RecoveryPointArn!;
}

describe("aws_backup_vault", () => {
  it("creates a vault with tags and a KMS key and reads back the attributes the provider keeps in state", async () => {
    const name = uniqueName("tf-vault");
    const key = kmsKeyArn();
    const tags = { Name: name, Environment: "test" };
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, BackupVaultTags: tags, EncryptionKeyArn: key }));

    // Create ends with a read; with d.IsNewResource() a not-found here is an error, not a removal.
    const state = await readVault(name);
    expect(state).toEqual({ arn: vaultArn(name), kms_key_arn: key, name, recovery_points: 0, locked: false, tags });
  });

  it("fills kms_key_arn with a default key ARN when none is configured", async () => {
    // kms_key_arn is Optional+Computed and validated with verify.ValidARN on the next plan.
    const name = uniqueName("tf-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const state = await readVault(name);
    expect(state).not.toBe("not-found");
    if (state === "not-found") return;
    expect(state.kms_key_arn).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/);
    expect(state.tags).toEqual({});
  });

  it("answers ResourceNotFoundException for a new vault's access policy and notifications, which their resources read as absent", async () => {
    const name = uniqueName("tf-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));

    const policy = await errorOf(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name })));
    expect(policy.name).toBe("ResourceNotFoundException");
    expect(policy.$metadata?.httpStatusCode).toBe(400);
    expect(vaultNotFound(policy)).toBe(true);

    const notifications = await errorOf(backup.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: name })));
    expect(notifications.name).toBe("ResourceNotFoundException");
    expect(notifications.$metadata?.httpStatusCode).toBe(400);
    expect(strictNotFound(notifications)).toBe(true);
  });

  it("updates tags by untagging removed keys and then tagging added or changed ones", async () => {
    const name = uniqueName("tf-vault");
    const before = { Environment: "test", Owner: "alice" };
    const after = { Environment: "prod", Team: "backup" };
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, BackupVaultTags: before }));

    const calls = await updateTags(backup, vaultArn(name), before, after);
    expect(calls).toEqual(["UntagResource(Owner)", "TagResource(Environment,Team)"]);

    // Update ends with a read ("Tags only." in resourceVaultUpdate).
    const state = await readVault(name);
    expect(state).not.toBe("not-found");
    if (state !== "not-found") expect(state.tags).toEqual(after);
  });

  it("destroys a vault, after which the read and a second delete both see it as gone", async () => {
    const name = uniqueName("tf-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name }));

    // testAccCheckVaultDestroy and a refresh after an out-of-band delete.
    expect(await readVault(name)).toBe("not-found");
    const again = await errorOf(backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name })));
    expect(vaultNotFound(again)).toBe(true);
  });

  it("counts recovery points in recovery_points and refuses a plain destroy while the vault holds any", async () => {
    const name = uniqueName("tf-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    await runBackupJob(name);

    const state = await readVault(name);
    expect(state).not.toBe("not-found");
    if (state !== "not-found") expect(state.recovery_points).toBe(1);

    // force_destroy = false: the error reaches the user as "deleting Backup Vault (...)".
    const err = await errorOf(backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name })));
    expect(err.name).toBe("InvalidRequestException");
    expect(vaultNotFound(err)).toBe(false);
  });

  it("force-destroys a vault by deleting each listed recovery point, waiting for it to disappear, then deleting the vault", async () => {
    const name = uniqueName("tf-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const made = [await runBackupJob(name), await runBackupJob(name), await runBackupJob(name)];

    const deleted: string[] = [];
    // The provider uses the SDK paginator and deletes between pages; a page size of 2 makes
    // the emulator hand out a NextToken whose items were partly deleted in the meantime.
    for await (const page of paginateListRecoveryPointsByBackupVault({ client: backup, pageSize: 2 }, { BackupVaultName: name })) {
      for (const rp of page.RecoveryPoints ?? []) {
        const arn = rp.RecoveryPointArn!;
        await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: name, RecoveryPointArn: arn }));
        // waitRecoveryPointDeleted: DELETING is pending, not-found is the target, anything else fails.
        await waitForState({
          pending: ["DELETING"],
          target: [],
          refresh: async () => {
            const d = await readOrNotFound(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: name, RecoveryPointArn: arn })), strictNotFound);
            return d === "not-found" ? undefined : { value: d, state: d.Status! };
          },
        });
        deleted.push(arn);
      }
    }
    expect(deleted.sort()).toEqual([...made].sort());

    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name }));
    expect(await readVault(name)).toBe("not-found");
  });
});

describe("aws_backup_vault_policy", () => {
  it("puts a policy, reads it back as equivalent JSON, deletes it and then reads it as absent", async () => {
    const name = uniqueName("tf-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    // The policy of vault_policy_test.go's basic configuration.
    const policy = {
      Version: "2012-10-17",
      Id: "default",
      Statement: [
        {
          Sid: "default",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["backup:DescribeBackupVault", "backup:DeleteBackupVault", "backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVaultAccessPolicy", "backup:GetBackupVaultAccessPolicy", "backup:StartBackupJob", "backup:GetBackupVaultNotifications", "backup:PutBackupVaultNotifications"],
          Resource: vaultArn(name),
        },
      ],
    };
    await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: name, Policy: JSON.stringify(policy) }));

    const read = await readOrNotFound(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name })), vaultNotFound);
    expect(read).not.toBe("not-found");
    if (read === "not-found") return;
    expect(read.BackupVaultArn).toBe(vaultArn(name));
    expect(read.BackupVaultName).toBe(name);
    // verify.SecondJSONUnlessEquivalent: any formatting, same document.
    expect(JSON.parse(read.Policy!)).toEqual(policy);

    await backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: name }));
    expect(await readOrNotFound(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: name })), vaultNotFound)).toBe("not-found");
  });
});

describe("aws_backup_vault_notifications", () => {
  it("puts a notification configuration, reads back topic and events, deletes it and then reads it as absent", async () => {
    const name = uniqueName("tf-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:${uniqueName("topic")}`;
    const events = ["BACKUP_JOB_STARTED", "RESTORE_JOB_COMPLETED"] as const;
    await backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: name, SNSTopicArn: topic, BackupVaultEvents: [...events] }));

    const read = await readOrNotFound(backup.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: name })), strictNotFound);
    expect(read).not.toBe("not-found");
    if (read === "not-found") return;
    expect(read.BackupVaultName).toBe(name);
    expect(read.BackupVaultArn).toBe(vaultArn(name));
    expect(read.SNSTopicArn).toBe(topic);
    // backup_vault_events is a set.
    expect([...(read.BackupVaultEvents ?? [])].sort()).toEqual([...events].sort());

    await backup.send(new DeleteBackupVaultNotificationsCommand({ BackupVaultName: name }));
    expect(await readOrNotFound(backup.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: name })), strictNotFound)).toBe("not-found");
  });
});

/** A rule as plan.go expandBackupRuleInputs builds it from a `rule` block with the schema defaults. */
function terraformRule(vault: string, extra: Partial<BackupRuleInput> = {}): BackupRuleInput {
  return {
    RuleName: uniqueName("rule"),
    TargetBackupVaultName: vault,
    ScheduleExpression: "cron(0 12 * * ? *)",
    ScheduleExpressionTimezone: "Etc/UTC",
    StartWindowMinutes: 60,
    CompletionWindowMinutes: 180,
    EnableContinuousBackup: false,
    ...extra,
  };
}

/**
 * plan.go flattenBackupRules: the attributes of each rule as the provider stores them. A value
 * that differs from the one sent shows up as a permanent diff in `terraform plan`.
 */
function flattenRule(r: BackupRuleInput) {
  return {
    rule_name: r.RuleName,
    target_vault_name: r.TargetBackupVaultName,
    schedule: r.ScheduleExpression ?? "",
    schedule_expression_timezone: r.ScheduleExpressionTimezone ?? "",
    start_window: r.StartWindowMinutes ?? 0,
    completion_window: r.CompletionWindowMinutes ?? 0,
    enable_continuous_backup: r.EnableContinuousBackup ?? false,
    lifecycle: r.Lifecycle
      ? { delete_after: r.Lifecycle.DeleteAfterDays ?? 0, cold_storage_after: r.Lifecycle.MoveToColdStorageAfterDays ?? 0, opt_in: r.Lifecycle.OptInToArchiveForSupportedResources ?? false }
      : undefined,
    copy_action: (r.CopyActions ?? []).map((c) => ({
      destination_vault_arn: c.DestinationBackupVaultArn,
      lifecycle: c.Lifecycle ? { delete_after: c.Lifecycle.DeleteAfterDays ?? 0, cold_storage_after: c.Lifecycle.MoveToColdStorageAfterDays ?? 0 } : undefined,
    })),
    recovery_point_tags: r.RecoveryPointTags && Object.keys(r.RecoveryPointTags).length > 0 ? r.RecoveryPointTags : undefined,
  };
}

const byName = <T extends { rule_name?: string }>(a: T, b: T) => (a.rule_name ?? "").localeCompare(b.rule_name ?? "");

describe("aws_backup_plan", () => {
  let vault: string;
  let copyVault: string;
  beforeAll(async () => {
    vault = uniqueName("tf-plan-vault");
    copyVault = uniqueName("tf-copy-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: copyVault }));
  });

  /** plan.go resourcePlanRead plus the tag interceptor's ListTags. */
  async function readPlan(id: string) {
    const out = await readOrNotFound(backup.send(new GetBackupPlanCommand({ BackupPlanId: id })), strictNotFound);
    if (out === "not-found") return out;
    // findPlan: a missing BackupPlan in the answer is an empty result, which fails the read.
    expect(out.BackupPlan).toBeDefined();
    const tags = await backup.send(new ListTagsCommand({ ResourceArn: out.BackupPlanArn! }));
    return {
      arn: out.BackupPlanArn,
      name: out.BackupPlan!.BackupPlanName,
      version: out.VersionId,
      rule_ids: (out.BackupPlan!.Rules ?? []).map((r) => r.RuleId),
      rule: (out.BackupPlan!.Rules ?? []).map(flattenRule).sort(byName),
      // Read from the top level on purpose: "the latter always contains nil" (plan.go).
      advanced_backup_setting: (out.AdvancedBackupSettings ?? []).map((s) => ({ resource_type: s.ResourceType, backup_options: s.BackupOptions })),
      tags: tags.Tags,
    };
  }

  it("creates a plan with the provider's rule defaults and reads every rule attribute back unchanged", async () => {
    const name = uniqueName("tf-plan");
    const rule = terraformRule(vault, { Lifecycle: { DeleteAfterDays: 35 } });
    const tags = { Name: name, Environment: "test" };
    const created = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [rule] }, BackupPlanTags: tags }));
    expect(created.BackupPlanId).toMatch(/^[0-9a-f-]{36}$/);

    const state = await readPlan(created.BackupPlanId!);
    expect(state).not.toBe("not-found");
    if (state === "not-found") return;
    expect(state.arn).toBe(`arn:aws:backup:${REGION}:${ACCOUNT}:backup-plan:${created.BackupPlanId}`);
    expect(state.name).toBe(name);
    expect(state.version).toBe(created.VersionId);
    expect(state.rule).toEqual([flattenRule(rule)]);
    expect(state.rule_ids).toHaveLength(1);
    expect(state.rule_ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.advanced_backup_setting).toEqual([]);
    expect(state.tags).toEqual(tags);
  });

  it("updates the rules with UpdateBackupPlan, which yields a new version that the next read returns", async () => {
    const name = uniqueName("tf-plan");
    const first = terraformRule(vault);
    const created = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [first] } }));

    const rules = [
      terraformRule(vault, { RuleName: first.RuleName, ScheduleExpression: "cron(0 6 * * ? *)", Lifecycle: { DeleteAfterDays: 14 } }),
      terraformRule(vault, {
        Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 },
        RecoveryPointTags: { Source: "terraform" },
        CopyActions: [{ DestinationBackupVaultArn: vaultArn(copyVault), Lifecycle: { DeleteAfterDays: 30 } }],
      }),
    ];
    const advanced = [{ ResourceType: "EC2", BackupOptions: { WindowsVSS: "enabled" } }];
    const updated = await backup.send(
      new UpdateBackupPlanCommand({ BackupPlanId: created.BackupPlanId!, BackupPlan: { BackupPlanName: name, Rules: rules, AdvancedBackupSettings: advanced } }),
    );
    expect(updated.VersionId).toBeDefined();
    expect(updated.VersionId).not.toBe(created.VersionId);

    const state = await readPlan(created.BackupPlanId!);
    expect(state).not.toBe("not-found");
    if (state === "not-found") return;
    expect(state.version).toBe(updated.VersionId);
    expect(state.rule).toEqual(rules.map(flattenRule).sort(byName));
    for (const id of state.rule_ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.advanced_backup_setting).toEqual([{ resource_type: "EC2", backup_options: { WindowsVSS: "enabled" } }]);
  });

  it("updates a plan's tags through UntagResource and TagResource on the plan ARN", async () => {
    const name = uniqueName("tf-plan");
    const before = { Environment: "test", Owner: "alice" };
    const after = { Environment: "prod" };
    const created = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: name, Rules: [terraformRule(vault)] }, BackupPlanTags: before }));

    expect(await updateTags(backup, created.BackupPlanArn!, before, after)).toEqual(["UntagResource(Owner)", "TagResource(Environment)"]);
    const state = await readPlan(created.BackupPlanId!);
    expect(state).not.toBe("not-found");
    if (state !== "not-found") expect(state.tags).toEqual(after);
  });

  it("destroys a plan, after which GetBackupPlan answers ResourceNotFoundException and a second delete is also not-found", async () => {
    const created = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("tf-plan"), Rules: [terraformRule(vault)] } }));
    const out = await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId! }));
    expect(out.BackupPlanId).toBe(created.BackupPlanId);
    expect(out.DeletionDate).toBeInstanceOf(Date);

    // testAccCheckPlanDestroy: only ResourceNotFoundException counts as destroyed.
    const err = await errorOf(backup.send(new GetBackupPlanCommand({ BackupPlanId: created.BackupPlanId! })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(await readPlan(created.BackupPlanId!)).toBe("not-found");

    // resourcePlanDelete treats ResourceNotFoundException as success.
    const again = await errorOf(backup.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId! })));
    expect(strictNotFound(again)).toBe(true);
  });

  it("refuses to delete a plan that still has a selection with InvalidRequestException", async () => {
    const created = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("tf-plan"), Rules: [terraformRule(vault)] } }));
    await backup.send(
      new CreateBackupSelectionCommand({ BackupPlanId: created.BackupPlanId!, BackupSelection: { SelectionName: uniqueName("sel"), IamRoleArn: SERVICE_ROLE, Resources: ["*"] } }),
    );
    const err = await errorOf(backup.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId! })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(created.BackupPlanId!);
  });

  // resourcePlanDelete retries for two minutes while the message contains "Related backup plan
  // selections must be deleted prior to backup" (the service's wording, quoted in
  // terraform-provider-aws#10414).
  it("words that refusal as the service does, so the provider's retry recognises it", async () => {
    const created = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("tf-plan"), Rules: [terraformRule(vault)] } }));
    await backup.send(
      new CreateBackupSelectionCommand({ BackupPlanId: created.BackupPlanId!, BackupSelection: { SelectionName: uniqueName("sel"), IamRoleArn: SERVICE_ROLE, Resources: ["*"] } }),
    );
    const err = await errorOf(backup.send(new DeleteBackupPlanCommand({ BackupPlanId: created.BackupPlanId! })));
    expect(err.message).toContain("Related backup plan selections must be deleted prior to backup");
  });
});

describe("aws_backup_selection", () => {
  let vault: string;
  beforeAll(async () => {
    vault = uniqueName("tf-sel-vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
  });

  async function newPlan(): Promise<string> {
    const out = await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("tf-plan"), Rules: [terraformRule(vault)] } }));
    return out.BackupPlanId!;
  }

  /** selection.go resourceSelectionCreate: create, then RetryWhenNotFound on the read. */
  async function createLikeTerraform(planId: string, selection: BackupSelection): Promise<{ id: string; reads: number }> {
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection }));
    let reads = 0;
    await waitForState({
      pending: [],
      target: ["found"],
      refresh: async () => {
        reads++;
        const s = await readOrNotFound(backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: out.SelectionId! })), selectionNotFound);
        return s === "not-found" ? undefined : { value: s, state: "found" };
      },
    });
    return { id: out.SelectionId!, reads };
  }

  /** selection.go resourceSelectionRead: the attributes it sets. */
  async function readSelection(planId: string, id: string) {
    const out = await readOrNotFound(backup.send(new GetBackupSelectionCommand({ BackupPlanId: planId, SelectionId: id })), selectionNotFound);
    if (out === "not-found") return out;
    // findSelection: a missing BackupSelection in the answer is an empty result.
    expect(out.BackupSelection).toBeDefined();
    const s = out.BackupSelection!;
    return {
      name: s.SelectionName,
      iam_role_arn: s.IamRoleArn,
      resources: [...(s.Resources ?? [])].sort(),
      not_resources: [...(s.NotResources ?? [])].sort(),
      selection_tag: s.ListOfTags?.map((c) => ({ key: c.ConditionKey, type: c.ConditionType, value: c.ConditionValue })),
      condition: s.Conditions
        ? {
            string_equals: s.Conditions.StringEquals ?? [],
            string_not_equals: s.Conditions.StringNotEquals ?? [],
            string_like: s.Conditions.StringLike ?? [],
            string_not_like: s.Conditions.StringNotLike ?? [],
          }
        : undefined,
    };
  }

  it("creates a selection by tags and conditions as the provider sends it and reads every attribute back", async () => {
    const planId = await newPlan();
    const name = uniqueName("tf-sel");
    const conditions = {
      StringEquals: [{ ConditionKey: "aws:ResourceTag/Component", ConditionValue: "rds" }],
      StringLike: [{ ConditionKey: "aws:ResourceTag/Application", ConditionValue: "app*" }],
      StringNotEquals: [{ ConditionKey: "aws:ResourceTag/Backup", ConditionValue: "false" }],
      StringNotLike: [{ ConditionKey: "aws:ResourceTag/Environment", ConditionValue: "test*" }],
    };
    const notResources = [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/scratch`];
    const { id, reads } = await createLikeTerraform(planId, {
      SelectionName: name,
      IamRoleArn: SERVICE_ROLE,
      Conditions: conditions,
      ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "true" }],
      NotResources: notResources,
      Resources: ["*"],
    });
    // The create-then-wait loop finds the selection at the first read.
    expect(reads).toBe(1);

    expect(await readSelection(planId, id)).toEqual({
      name,
      iam_role_arn: SERVICE_ROLE,
      resources: ["*"],
      not_resources: notResources,
      selection_tag: [{ key: "backup", type: "STRINGEQUALS", value: "true" }],
      condition: {
        string_equals: conditions.StringEquals,
        string_not_equals: conditions.StringNotEquals,
        string_like: conditions.StringLike,
        string_not_like: conditions.StringNotLike,
      },
    });
  });

  it("accepts the empty Conditions, ListOfTags and NotResources the provider always sends with a resource list", async () => {
    const planId = await newPlan();
    const name = uniqueName("tf-sel");
    const resources = [`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/orders`, `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:file-system/fs-0123456789abcdef0`];
    const { id } = await createLikeTerraform(planId, { SelectionName: name, IamRoleArn: SERVICE_ROLE, Conditions: {}, ListOfTags: [], NotResources: [], Resources: resources });

    const state = await readSelection(planId, id);
    expect(state).not.toBe("not-found");
    if (state === "not-found") return;
    expect(state.name).toBe(name);
    expect(state.resources).toEqual([...resources].sort());
    expect(state.not_resources).toEqual([]);
    expect(state.selection_tag ?? []).toEqual([]);
    for (const list of Object.values(state.condition ?? {})) expect(list).toEqual([]);
  });

  it("accepts a well-formed role at the first attempt, so the provider's IAM propagation retry never waits", async () => {
    // Retried only on InvalidParameterValueException "cannot be assumed" / "is not authorized to call".
    const planId = await newPlan();
    const freshRole = `arn:aws:iam::${ACCOUNT}:role/${uniqueName("tf-backup-role")}`;
    const out = await backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: { SelectionName: uniqueName("tf-sel"), IamRoleArn: freshRole, Resources: ["*"] } }));
    expect(out.SelectionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses an IAM ARN that is not a role with InvalidParameterValueException naming it", async () => {
    const planId = await newPlan();
    const user = `arn:aws:iam::${ACCOUNT}:user/bob`;
    const err = await errorOf(backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: { SelectionName: uniqueName("tf-sel"), IamRoleArn: user, Resources: ["*"] } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(user);
  });

  it("destroys a selection and then its plan, after which the selection reads as gone", async () => {
    const planId = await newPlan();
    const { id } = await createLikeTerraform(planId, { SelectionName: uniqueName("tf-sel"), IamRoleArn: SERVICE_ROLE, Conditions: {}, ListOfTags: [], NotResources: [], Resources: ["*"] });

    await backup.send(new DeleteBackupSelectionCommand({ BackupPlanId: planId, SelectionId: id }));
    expect(await readSelection(planId, id)).toBe("not-found");

    // Destroy order: the selection depends on the plan, so the plan goes next and must now succeed.
    await backup.send(new DeleteBackupPlanCommand({ BackupPlanId: planId }));
    // testAccCheckSelectionDestroy runs after the whole configuration is gone.
    expect(await readSelection(planId, id)).toBe("not-found");
  });

  // The service refuses a selection whose Resources and ListOfTags are both empty ("Invalid
  // backup selection. Either 'ListOfTags' or 'Resources' section must be non-empty.", seen by
  // Terraform users, terraform-provider-aws#25436).
  it("refuses a selection with neither Resources nor ListOfTags, as the service does", async () => {
    const planId = await newPlan();
    const err = await errorOf(
      backup.send(
        new CreateBackupSelectionCommand({
          BackupPlanId: planId,
          BackupSelection: {
            SelectionName: uniqueName("tf-sel"),
            IamRoleArn: SERVICE_ROLE,
            Conditions: { StringEquals: [{ ConditionKey: "aws:ResourceTag/Component", ConditionValue: "rds" }] },
            ListOfTags: [],
            NotResources: [],
            Resources: [],
          },
        }),
      ),
    );
    expect(err.name).toBe("InvalidParameterValueException");
  });
});
