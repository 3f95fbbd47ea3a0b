import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  ListBackupVaultsCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
let vaultName: string;
/** One resource of each taggable kind. */
const arns: Record<"vault" | "plan" | "recoveryPoint" | "ebsRecoveryPoint", string> = {} as never;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
  vaultName = uniqueName("vault");
  arns.vault = (await backup.send(new CreateBackupVaultCommand({ BackupVaultName: vaultName }))).BackupVaultArn!;
  arns.plan = (
    await backup.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: vaultName }] } }))
  ).BackupPlanArn!;
  arns.recoveryPoint = (await backup.send(new StartBackupJobCommand({ BackupVaultName: vaultName, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN })))
    .RecoveryPointArn!;
  arns.ebsRecoveryPoint = (await backup.send(new StartBackupJobCommand({ BackupVaultName: vaultName, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN })))
    .RecoveryPointArn!;
});
afterAll(() => t.stop());

const listTags = async (arn: string) => (await backup.send(new ListTagsCommand({ ResourceArn: arn }))).Tags;

describe("TagResource", () => {
  for (const kind of ["vault", "plan", "recoveryPoint", "ebsRecoveryPoint"] as const) {
    it(`adds tags to a ${kind} ARN and overwrites the value of a key that is tagged again`, async () => {
      const arn = arns[kind];
      const key = uniqueName("key");
      await backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { [key]: "one", [`${key}-b`]: "two" } }));
      await backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { [key]: "three" } }));
      const tags = await listTags(arn);
      expect(tags![key]).toBe("three");
      expect(tags![`${key}-b`]).toBe("two");
    });
  }

  it("accepts an empty value", async () => {
    await backup.send(new TagResourceCommand({ ResourceArn: arns.vault, Tags: { "empty-value": "" } }));
    expect((await listTags(arns.vault))!["empty-value"]).toBe("");
  });

  it("answers ResourceNotFoundException for a vault ARN that names no vault", async () => {
    const arn = "arn:aws:backup:us-east-1:000000000000:backup-vault:no-such-vault";
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: "b" } })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException for a plan ARN that names no plan", async () => {
    const arn = "arn:aws:backup:us-east-1:000000000000:backup-plan:00000000-0000-0000-0000-000000000000";
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: "b" } })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException for a recovery point ARN that names no recovery point", async () => {
    const arn = "arn:aws:ec2:us-east-1::snapshot/snap-00000000000000000";
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: "b" } })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException for a vault that has been deleted", async () => {
    const name = uniqueName("vault");
    const arn = (await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }))).BackupVaultArn!;
    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name }));
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { a: "b" } })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  it("refuses a Backup ARN of a kind that carries no tags with InvalidParameterValueException naming the kind", async () => {
    const arn = "arn:aws:backup:us-east-1:000000000000:report-job:0a1b2c3d";
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: "data" } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain('kind "report-job"');
    expect(err.message).toContain(arn);
  });

  it("refuses a Backup ARN without a resource kind, rather than looking it up as a recovery point", async () => {
    const arn = "arn:aws:backup:us-east-1:000000000000:nothing";
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: "data" } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain('kind "nothing"');
  });

  it("refuses a text that is not an ARN with InvalidParameterValueException", async () => {
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: "my-vault", Tags: { a: "b" } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("my-vault");
  });

  it("refuses keys that start with aws:, which AWS reserves, and applies none of the tags", async () => {
    for (const key of ["aws:created-by", "AWS:Team"]) {
      const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arns.vault, Tags: { fine: "yes", [key]: "x" } })));
      expect(err.name, key).toBe("InvalidParameterValueException");
      expect(err.message, key).toContain(key);
    }
    expect((await listTags(arns.vault))!.fine).toBeUndefined();
  });

  it("refuses a key longer than 128 characters and a value longer than 256", async () => {
    const longKey = "k".repeat(129);
    const keyErr = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arns.vault, Tags: { [longKey]: "v" } })));
    expect(keyErr.name).toBe("InvalidParameterValueException");
    expect(keyErr.message).toContain("128");
    const valueErr = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arns.vault, Tags: { "long-value": "v".repeat(257) } })));
    expect(valueErr.name).toBe("InvalidParameterValueException");
    expect(valueErr.message).toContain("long-value");
  });

  it("refuses more than 50 tags on one resource with LimitExceededException", async () => {
    const name = uniqueName("vault");
    const arn = (await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }))).BackupVaultArn!;
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key-${i}`, "v"]));
    await backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: fifty }));
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { "one-too-many": "v" } })));
    expect(err.name).toBe("LimitExceededException");
    expect(err.message).toContain("50");
    expect(Object.keys((await listTags(arn))!)).toHaveLength(50);
  });

  it("refuses a request without Tags with MissingParameterValueException", async () => {
    const err = await errorOf(backup.send(new TagResourceCommand({ ResourceArn: arns.vault } as never)));
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("Tags");
  });
});

describe("UntagResource", () => {
  for (const kind of ["vault", "plan", "recoveryPoint", "ebsRecoveryPoint"] as const) {
    it(`removes the named keys from a ${kind} ARN and keeps the others`, async () => {
      const arn = arns[kind];
      const key = uniqueName("key");
      await backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: { [key]: "1", [`${key}-keep`]: "2" } }));
      await backup.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: [key, "never-set"] }));
      const tags = await listTags(arn);
      expect(tags![key]).toBeUndefined();
      expect(tags![`${key}-keep`]).toBe("2");
    });
  }

  it("answers ResourceNotFoundException for an ARN that names nothing", async () => {
    const arn = "arn:aws:backup:us-east-1:000000000000:backup-vault:never-was";
    const err = await errorOf(backup.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: ["a"] })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });

  it("refuses a request without TagKeyList with MissingParameterValueException", async () => {
    const err = await errorOf(backup.send(new UntagResourceCommand({ ResourceArn: arns.vault } as never)));
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("TagKeyList");
  });
});

describe("ListTags", () => {
  it("lists no tags for a resource that has none", async () => {
    const name = uniqueName("vault");
    const arn = (await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }))).BackupVaultArn!;
    expect(await listTags(arn)).toEqual({});
  });

  it("lists the tags given at creation of a vault", async () => {
    const name = uniqueName("vault");
    const arn = (await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, BackupVaultTags: { owner: "data", cost: "42" } }))).BackupVaultArn!;
    expect(await listTags(arn)).toEqual({ owner: "data", cost: "42" });
  });

  it("pages with MaxResults and NextToken, seeing each tag once, with no token on the last page", async () => {
    const name = uniqueName("vault");
    const arn = (await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }))).BackupVaultArn!;
    const tags = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`tag-${i}`, `value-${i}`]));
    await backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
    const seen: Record<string, string> = {};
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await backup.send(new ListTagsCommand({ ResourceArn: arn, MaxResults: 3, NextToken: token }));
      const keys = Object.keys(page.Tags!);
      expect(keys.length).toBeLessThanOrEqual(3);
      for (const k of keys) {
        expect(seen[k]).toBeUndefined();
        seen[k] = page.Tags![k]!;
      }
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(tags);
  });

  it("refuses a NextToken of another list", async () => {
    const other = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault") }));
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault") }));
    const vaults = await backup.send(new ListBackupVaultsCommand({ MaxResults: 1 }));
    expect(vaults.NextToken).toBeTruthy();
    const err = await errorOf(backup.send(new ListTagsCommand({ ResourceArn: other.BackupVaultArn, NextToken: vaults.NextToken })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("NextToken");
  });

  it("refuses a Backup ARN of a kind that carries no tags, naming the kind", async () => {
    const err = await errorOf(backup.send(new ListTagsCommand({ ResourceArn: "arn:aws:backup:us-east-1:000000000000:backup-selection:abc" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain('kind "backup-selection"');
  });

  it("answers ResourceNotFoundException for an ARN that names nothing", async () => {
    const arn = "arn:aws:backup:us-east-1:000000000000:backup-plan:not-a-plan";
    const err = await errorOf(backup.send(new ListTagsCommand({ ResourceArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });
});

describe("CreateBackupVault", () => {
  it("refuses reserved keys among the vault's tags, naming BackupVaultTags", async () => {
    const err = await errorOf(backup.send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault"), BackupVaultTags: { "aws:owner": "x" } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("BackupVaultTags");
    expect(err.message).toContain("aws:owner");
  });
});
