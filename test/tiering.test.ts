import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  CreateTieringConfigurationCommand,
  DeleteTieringConfigurationCommand,
  GetTieringConfigurationCommand,
  ListTagsCommand,
  ListTieringConfigurationsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTieringConfigurationCommand,
  type BackupClient,
  type ResourceSelection,
} from "@aws-sdk/client-backup";
import { errorOf, resources, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

/** A tiering configuration name: letters, digits and underscores only. */
const tierName = (prefix = "tier") => uniqueName(prefix).replace(/-/g, "_");
const ALL_S3: ResourceSelection[] = [{ ResourceType: "S3", Resources: ["*"], TieringDownSettingsInDays: 60 }];
const ARN_PATTERN = (name: string, region = "us-east-1", account = "000000000000") =>
  new RegExp(`^arn:aws:backup:${region}:${account}:tiering-configuration:${name}-[0-9a-z]+$`);

async function newVault(c: BackupClient = backup): Promise<string> {
  const name = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  return name;
}

function create(c: BackupClient, vault: string, extra: { name?: string; selection?: ResourceSelection[]; tags?: Record<string, string>; requestId?: string } = {}) {
  return c.send(
    new CreateTieringConfigurationCommand({
      TieringConfiguration: { TieringConfigurationName: extra.name ?? tierName(), BackupVaultName: vault, ResourceSelection: extra.selection ?? ALL_S3 },
      TieringConfigurationTags: extra.tags,
      CreatorRequestId: extra.requestId,
    }),
  );
}

describe("CreateTieringConfiguration", () => {
  it("creates a configuration for a vault and returns its name, ARN and creation time", async () => {
    const vault = await newVault();
    const name = tierName();
    const out = await create(backup, vault, { name });
    expect(out.TieringConfigurationName).toBe(name);
    expect(out.TieringConfigurationArn).toMatch(ARN_PATTERN(name));
    expect(out.CreationTime).toBeInstanceOf(Date);
    expect(Math.abs(out.CreationTime!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("creates one default configuration for all vaults with BackupVaultName *, and refuses a second", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const first = await create(c, "*");
      expect(first.TieringConfigurationArn).toBeDefined();
      const err = await errorOf(create(c, "*"));
      expect(err.name).toBe("AlreadyExistsException");
      expect(err.message).toContain(first.TieringConfigurationName!);
      expect(err.message).toContain("all backup vaults");
    } finally {
      await local.stop();
    }
  });

  it("refuses a second configuration of the same name with AlreadyExistsException carrying its ARN", async () => {
    const name = tierName();
    const first = await create(backup, await newVault(), { name, requestId: "first-request" });
    const err = await errorOf(create(backup, await newVault(), { name }));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(name);
    expect((err as unknown as { Arn: string }).Arn).toBe(first.TieringConfigurationArn);
    expect((err as unknown as { CreatorRequestId: string }).CreatorRequestId).toBe("first-request");
  });

  it("refuses a second configuration for a vault that already has one, naming the existing configuration", async () => {
    const vault = await newVault();
    const first = await create(backup, vault);
    const err = await errorOf(create(backup, vault));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(first.TieringConfigurationName!);
    expect(err.message).toContain(vault);
  });

  it("returns the same configuration when retried with the same CreatorRequestId", async () => {
    const vault = await newVault();
    const name = tierName();
    const a = await create(backup, vault, { name, requestId: "retry-1" });
    const b = await create(backup, vault, { name, requestId: "retry-1" });
    expect(b.TieringConfigurationArn).toBe(a.TieringConfigurationArn);
    expect(b.CreationTime).toEqual(a.CreationTime);
  });

  it("refuses a vault that does not exist with InvalidParameterValueException naming the vault", async () => {
    const err = await errorOf(create(backup, "no-such-vault"));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("no-such-vault");
  });

  it("refuses a CreatorRequestId that is not 1 to 50 letters, digits or '-_.', naming it", async () => {
    const err = await errorOf(create(backup, await newVault(), { requestId: "no spaces" }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain('CreatorRequestId "no spaces"');
  });

  it("refuses a resource type other than S3", async () => {
    const err = await errorOf(create(backup, await newVault(), { selection: [{ ResourceType: "EBS", Resources: ["*"], TieringDownSettingsInDays: 60 }] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("EBS");
    expect(err.message).toContain("ResourceType");
  });

  it("refuses more than five resource selections with LimitExceededException", async () => {
    const selection = Array.from({ length: 6 }, () => ({ ResourceType: "S3", Resources: [resources.s3()], TieringDownSettingsInDays: 90 }));
    const err = await errorOf(create(backup, await newVault(), { selection }));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain("ResourceSelection");
    expect(err.message).toContain("5");
  });

  it("refuses more than 100 specific resources across the selections with LimitExceededException", async () => {
    const selection = [0, 1].map(() => ({ ResourceType: "S3", Resources: Array.from({ length: 51 }, () => resources.s3()), TieringDownSettingsInDays: 90 }));
    const err = await errorOf(create(backup, await newVault(), { selection }));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain("102");
    expect(err.message).toContain("100");
  });

  it("accepts exactly 100 specific resources in five selections", async () => {
    const selection = Array.from({ length: 5 }, (_, i) => ({ ResourceType: "S3", Resources: Array.from({ length: 20 }, () => resources.s3()), TieringDownSettingsInDays: 60 + i }));
    const out = await create(backup, await newVault(), { selection });
    expect(out.TieringConfigurationArn).toBeDefined();
  });

  it("refuses a resource that is not an S3 bucket ARN", async () => {
    const ebs = resources.ebs();
    const err = await errorOf(create(backup, await newVault(), { selection: [{ ResourceType: "S3", Resources: [ebs], TieringDownSettingsInDays: 60 }] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(ebs);
  });

  it("refuses * combined with specific ARNs in one selection", async () => {
    const err = await errorOf(create(backup, await newVault(), { selection: [{ ResourceType: "S3", Resources: ["*", resources.s3()], TieringDownSettingsInDays: 60 }] }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("ResourceSelection[0].Resources");
  });

  it("refuses a resource selected twice", async () => {
    const bucket = resources.s3();
    const selection = [
      { ResourceType: "S3", Resources: [bucket], TieringDownSettingsInDays: 60 },
      { ResourceType: "S3", Resources: [bucket], TieringDownSettingsInDays: 120 },
    ];
    const err = await errorOf(create(backup, await newVault(), { selection }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(bucket);
  });

  it("refuses an empty resource selection list and an empty resource list", async () => {
    const vault = await newVault();
    const none = await errorOf(create(backup, vault, { selection: [] }));
    expect(none.name).toBe("InvalidParameterValueException");
    expect(none.message).toContain("ResourceSelection");
    const empty = await errorOf(create(backup, vault, { selection: [{ ResourceType: "S3", Resources: [], TieringDownSettingsInDays: 60 }] }));
    expect(empty.name).toBe("InvalidParameterValueException");
    expect(empty.message).toContain("Resources");
  });

  it("refuses TieringDownSettingsInDays outside 60 to 36500", async () => {
    const vault = await newVault();
    for (const days of [59, 36501]) {
      const err = await errorOf(create(backup, vault, { selection: [{ ResourceType: "S3", Resources: ["*"], TieringDownSettingsInDays: days }] }));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("TieringDownSettingsInDays");
    }
  });

  it("refuses a name with characters other than letters, digits and underscores", async () => {
    const err = await errorOf(create(backup, await newVault(), { name: "bad-name" }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("TieringConfigurationName");
  });

  it("tags the configuration with TieringConfigurationTags, and its ARN can be tagged and untagged", async () => {
    const out = await create(backup, await newVault(), { tags: { team: "storage" } });
    const arn = out.TieringConfigurationArn!;
    expect((await backup.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ team: "storage" });
    await backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: "test" } }));
    await backup.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: ["team"] }));
    expect((await backup.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ env: "test" });
  });

  it("refuses reserved tag keys", async () => {
    const err = await errorOf(create(backup, await newVault(), { tags: { "aws:owner": "x" } }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("aws:owner");
  });
});

describe("GetTieringConfiguration", () => {
  it("returns the whole configuration with its metadata", async () => {
    const vault = await newVault();
    const name = tierName();
    const bucket = resources.s3();
    const selection = [
      { ResourceType: "S3", Resources: [bucket], TieringDownSettingsInDays: 90 },
      { ResourceType: "S3", Resources: [resources.s3()], TieringDownSettingsInDays: 365 },
    ];
    const out = await create(backup, vault, { name, selection, requestId: "get-req" });
    const got = (await backup.send(new GetTieringConfigurationCommand({ TieringConfigurationName: name }))).TieringConfiguration!;
    expect(got).toMatchObject({
      TieringConfigurationName: name,
      TieringConfigurationArn: out.TieringConfigurationArn,
      BackupVaultName: vault,
      ResourceSelection: selection,
      CreatorRequestId: "get-req",
    });
    expect(got.CreationTime).toEqual(out.CreationTime);
    expect(got.LastUpdatedTime).toEqual(out.CreationTime);
  });

  it("answers ResourceNotFoundException naming a configuration that does not exist", async () => {
    const err = await errorOf(backup.send(new GetTieringConfigurationCommand({ TieringConfigurationName: "never_made" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toContain("never_made");
  });
});

describe("UpdateTieringConfiguration", () => {
  it("replaces the vault and resource selections, keeping the ARN and creation time and moving LastUpdatedTime", async () => {
    const name = tierName();
    const created = await create(backup, await newVault(), { name });
    const other = await newVault();
    t.emu.clock.advance(5);
    const selection = [{ ResourceType: "S3", Resources: [resources.s3()], TieringDownSettingsInDays: 200 }];
    const out = await backup.send(new UpdateTieringConfigurationCommand({ TieringConfigurationName: name, TieringConfiguration: { BackupVaultName: other, ResourceSelection: selection } }));
    expect(out.TieringConfigurationArn).toBe(created.TieringConfigurationArn);
    expect(out.TieringConfigurationName).toBe(name);
    expect(out.CreationTime).toEqual(created.CreationTime);
    expect(out.LastUpdatedTime!.getTime() - created.CreationTime!.getTime()).toBeGreaterThanOrEqual(5000);
    const got = (await backup.send(new GetTieringConfigurationCommand({ TieringConfigurationName: name }))).TieringConfiguration!;
    expect(got.BackupVaultName).toBe(other);
    expect(got.ResourceSelection).toEqual(selection);
    expect(got.LastUpdatedTime).toEqual(out.LastUpdatedTime);
  });

  it("keeps a configuration on its own vault", async () => {
    const vault = await newVault();
    const { TieringConfigurationName: name } = await create(backup, vault);
    const out = await backup.send(
      new UpdateTieringConfigurationCommand({ TieringConfigurationName: name, TieringConfiguration: { BackupVaultName: vault, ResourceSelection: [{ ...ALL_S3[0]!, TieringDownSettingsInDays: 75 }] } }),
    );
    expect(out.TieringConfigurationName).toBe(name);
  });

  it("refuses to move a configuration to a vault that has another one with AlreadyExistsException", async () => {
    const taken = await newVault();
    const holder = await create(backup, taken);
    const { TieringConfigurationName: name } = await create(backup, await newVault());
    const err = await errorOf(backup.send(new UpdateTieringConfigurationCommand({ TieringConfigurationName: name, TieringConfiguration: { BackupVaultName: taken, ResourceSelection: ALL_S3 } })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(holder.TieringConfigurationName!);
  });

  it("refuses a vault that does not exist and selections over the limits", async () => {
    const { TieringConfigurationName: name } = await create(backup, await newVault());
    const vaultErr = await errorOf(backup.send(new UpdateTieringConfigurationCommand({ TieringConfigurationName: name, TieringConfiguration: { BackupVaultName: "gone-vault", ResourceSelection: ALL_S3 } })));
    expect(vaultErr.name).toBe("InvalidParameterValueException");
    expect(vaultErr.message).toContain("gone-vault");
    const selection = Array.from({ length: 6 }, () => ({ ResourceType: "S3", Resources: [resources.s3()], TieringDownSettingsInDays: 90 }));
    const limitErr = await errorOf(backup.send(new UpdateTieringConfigurationCommand({ TieringConfigurationName: name, TieringConfiguration: { BackupVaultName: "*", ResourceSelection: selection } })));
    expect(limitErr.name).toBe("LimitExceededException");
  });

  it("answers ResourceNotFoundException naming a configuration that does not exist", async () => {
    const err = await errorOf(backup.send(new UpdateTieringConfigurationCommand({ TieringConfigurationName: "not_there", TieringConfiguration: { BackupVaultName: "*", ResourceSelection: ALL_S3 } })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("not_there");
  });
});

describe("DeleteTieringConfiguration", () => {
  it("deletes the configuration and its tags, frees its vault, and lets its name be reused with a new ARN", async () => {
    const vault = await newVault();
    const name = tierName();
    const first = await create(backup, vault, { name, tags: { a: "b" } });
    await backup.send(new DeleteTieringConfigurationCommand({ TieringConfigurationName: name }));
    expect((await errorOf(backup.send(new GetTieringConfigurationCommand({ TieringConfigurationName: name })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(backup.send(new ListTagsCommand({ ResourceArn: first.TieringConfigurationArn! })))).name).toBe("ResourceNotFoundException");
    const again = await create(backup, vault, { name });
    expect(again.TieringConfigurationArn).toMatch(ARN_PATTERN(name));
    expect(again.TieringConfigurationArn).not.toBe(first.TieringConfigurationArn);
    expect((await backup.send(new ListTagsCommand({ ResourceArn: again.TieringConfigurationArn! }))).Tags).toEqual({});
  });

  it("answers ResourceNotFoundException naming a configuration that does not exist", async () => {
    const err = await errorOf(backup.send(new DeleteTieringConfigurationCommand({ TieringConfigurationName: "nothing_here" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("nothing_here");
  });
});

describe("ListTieringConfigurations", () => {
  it("pages with MaxResults and NextToken, seeing each configuration once with its summary fields", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const names: string[] = [];
      for (let i = 0; i < 5; i++) {
        const out = await create(c, await newVault(c));
        names.push(out.TieringConfigurationName!);
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.send(new ListTieringConfigurationsCommand({ MaxResults: 2, NextToken: token }));
        expect(page.TieringConfigurations!.length).toBeLessThanOrEqual(2);
        for (const m of page.TieringConfigurations!) {
          expect(m.TieringConfigurationArn).toMatch(ARN_PATTERN(m.TieringConfigurationName!));
          expect(m.BackupVaultName).toMatch(/^vault-/);
          expect(m.CreationTime).toBeInstanceOf(Date);
          expect(m.LastUpdatedTime).toBeInstanceOf(Date);
          expect((m as Record<string, unknown>).ResourceSelection).toBeUndefined();
        }
        seen.push(...page.TieringConfigurations!.map((m) => m.TieringConfigurationName!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...names].sort());
    } finally {
      await local.stop();
    }
  });

  it("keeps configurations to their account and region", async () => {
    const local = await startTestEmulator();
    try {
      const home = local.client();
      const { TieringConfigurationName: name } = await create(home, "*");
      for (const other of [local.client({ accountId: "111122223333" }), local.client({ region: "eu-west-1" })]) {
        expect((await other.send(new ListTieringConfigurationsCommand({}))).TieringConfigurations).toEqual([]);
        expect((await errorOf(other.send(new GetTieringConfigurationCommand({ TieringConfigurationName: name })))).name).toBe("ResourceNotFoundException");
        // Each account and region has its own default configuration.
        const own = await create(other, "*", { name });
        expect(own.TieringConfigurationArn).toBeDefined();
      }
      const eu = await local.client({ region: "eu-west-1" }).send(new ListTieringConfigurationsCommand({}));
      expect(eu.TieringConfigurations!.map((m) => m.TieringConfigurationArn)).toEqual([expect.stringMatching(ARN_PATTERN(name!, "eu-west-1"))]);
      const acct = await local.client({ accountId: "111122223333" }).send(new ListTieringConfigurationsCommand({}));
      expect(acct.TieringConfigurations!.map((m) => m.TieringConfigurationArn)).toEqual([expect.stringMatching(ARN_PATTERN(name!, "us-east-1", "111122223333"))]);
      expect((await home.send(new ListTieringConfigurationsCommand({}))).TieringConfigurations).toHaveLength(1);
    } finally {
      await local.stop();
    }
  });
});
