/**
 * Organizations (the ORGANIZATION setting, docs/organizations.md): who may read and update the
 * global settings, and what cross-account copies need once accounts belong to an organization.
 */
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeGlobalSettingsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  PutBackupVaultAccessPolicyCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  UpdateGlobalSettingsCommand,
  type BackupClient,
  type CopyJob,
} from "@aws-sdk/client-backup";
import { ConfigError, organization, type Organization } from "../src/config.js";
import { errorOf, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const parse = (raw: string): Organization => organization(raw, "ORGANIZATION");

const account = () => String(randomInt(100_000_000_000, 999_999_999_999));

describe("ORGANIZATION setting", () => {
  it("reads the management account, the members and an optional organization id", () => {
    expect(parse("management:111111111111,members:222222222222+333333333333,id:o-exampleorg1")).toEqual({
      id: "o-exampleorg1",
      managementAccountId: "111111111111",
      accountIds: ["111111111111", "222222222222", "333333333333"],
    });
  });

  it("derives a stable organization id from the management account when none is given", () => {
    const org = parse("management:111111111111");
    expect(org.id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(parse(" management:111111111111 , members:222222222222").id).toBe(org.id);
    expect(parse("management:222222222222").id).not.toBe(org.id);
  });

  it.each([
    ["members:222222222222", /must name the management account/],
    ["management:1111", /account "1111" is not 12 digits/],
    ["management:111111111111,members:222222222222+x", /account "x" is not 12 digits/],
    ["management:111111111111,members:111111111111", /account 111111111111 is listed twice/],
    ["management:111111111111,owner:222222222222", /unknown field "owner"/],
    ["management:111111111111,management:222222222222", /field "management" is given twice/],
    ["management:111111111111,id:org-1", /organization id "org-1" must be "o-"/],
  ])("refuses %j with a ConfigError naming the problem", (raw, message) => {
    expect(() => parse(raw)).toThrow(ConfigError);
    expect(() => parse(raw)).toThrow(message);
  });
});

describe("DescribeGlobalSettings", () => {
  let alone: TestEmulator;
  beforeAll(async () => {
    alone = await startTestEmulator();
  });
  afterAll(() => alone.stop());

  it("refuses an account that belongs to no organization with InvalidRequestException", async () => {
    const id = account();
    const err = await errorOf(alone.client({ accountId: id }).send(new DescribeGlobalSettingsCommand({})));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(`Account ${id} is not a member of an organization`);
  });
});

describe("UpdateGlobalSettings", () => {
  let alone: TestEmulator;
  beforeAll(async () => {
    alone = await startTestEmulator();
  });
  afterAll(() => alone.stop());

  it("refuses an account that belongs to no organization with InvalidRequestException", async () => {
    const id = account();
    const err = await errorOf(alone.client({ accountId: id }).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "true" } })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(`Account ${id} is not a member of an organization`);
  });
});

interface Vault {
  name: string;
  arn: string;
  point: string;
}

async function newVault(c: BackupClient, accountId: string, t: TestEmulator): Promise<Vault> {
  const name = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  const job = await c.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
  t.emu.clock.advance(1);
  return { name, arn: `arn:aws:backup:${REGION}:${accountId}:backup-vault:${name}`, point: job.RecoveryPointArn! };
}

const allowCopyFrom = (principal: unknown, condition?: unknown) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: principal, Action: "backup:CopyIntoBackupVault", Resource: "*", ...(condition ? { Condition: condition } : {}) }],
  });

async function copyAndWait(c: BackupClient, from: Vault, to: string): Promise<CopyJob> {
  const { CopyJobId } = await c.send(new StartCopyJobCommand({ RecoveryPointArn: from.point, SourceBackupVaultName: from.name, DestinationBackupVaultArn: to, IamRoleArn: ROLE_ARN }));
  return (await c.send(new DescribeCopyJobCommand({ CopyJobId })))!.CopyJob!;
}

describe("an organization", () => {
  const MANAGEMENT = "111111111111";
  const MEMBER = "222222222222";
  const OTHER_MEMBER = "333333333333";
  const OUTSIDER = "999999999999";
  const ORG_ID = "o-testorg001";
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ organization: parse(`management:${MANAGEMENT},members:${MEMBER}+${OTHER_MEMBER},id:${ORG_ID}`) });
  });
  afterAll(() => t.stop());

  const client = (accountId: string) => t.client({ accountId });
  const setCrossAccount = (value: "true" | "false") => client(MANAGEMENT).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: value } }));

  describe("DescribeGlobalSettings", () => {
    it("answers the management account and the members with the organization's one set of flags", async () => {
      await setCrossAccount("false");
      for (const id of [MANAGEMENT, MEMBER, OTHER_MEMBER]) {
        expect((await client(id).send(new DescribeGlobalSettingsCommand({}))).GlobalSettings?.isCrossAccountBackupEnabled).toBe("false");
      }
    });

    it("refuses an account outside the organization with InvalidRequestException", async () => {
      const err = await errorOf(client(OUTSIDER).send(new DescribeGlobalSettingsCommand({})));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(`Account ${OUTSIDER} is not a member of an organization`);
    });
  });

  describe("UpdateGlobalSettings", () => {
    it("refuses a member that is not the management account with InvalidRequestException, changing nothing", async () => {
      await setCrossAccount("false");
      const err = await errorOf(client(MEMBER).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "true" } })));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(`Account ${MEMBER} is not the management account of organization ${ORG_ID}`);
      expect(err.message).toContain(MANAGEMENT);
      expect((await client(MEMBER).send(new DescribeGlobalSettingsCommand({}))).GlobalSettings?.isCrossAccountBackupEnabled).toBe("false");
    });

    it("refuses an account outside the organization with InvalidRequestException", async () => {
      const err = await errorOf(client(OUTSIDER).send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "true" } })));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toContain(`Account ${OUTSIDER} is not a member of an organization`);
    });

    it("lets the management account change the flags for every member", async () => {
      await setCrossAccount("true");
      expect((await client(OTHER_MEMBER).send(new DescribeGlobalSettingsCommand({}))).GlobalSettings?.isCrossAccountBackupEnabled).toBe("true");
      await setCrossAccount("false");
      expect((await client(OTHER_MEMBER).send(new DescribeGlobalSettingsCommand({}))).GlobalSettings?.isCrossAccountBackupEnabled).toBe("false");
    });
  });

  describe("StartCopyJob", () => {
    it("copies into another member's vault when cross-account backup is on and the vault's policy allows it", async () => {
      await setCrossAccount("true");
      const from = await newVault(client(MEMBER), MEMBER, t);
      const to = await newVault(client(OTHER_MEMBER), OTHER_MEMBER, t);
      await client(OTHER_MEMBER).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: to.name, Policy: allowCopyFrom({ AWS: MEMBER }) }));
      const job = await copyAndWait(client(MEMBER), from, to.arn);
      expect(job.State).toBe("COMPLETED");
      const points = await client(OTHER_MEMBER).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: to.name }));
      expect(points.RecoveryPoints!.map((p) => p.RecoveryPointArn)).toContain(job.DestinationRecoveryPointArn);
    });

    it("accepts an Allow for the whole organization through aws:PrincipalOrgID", async () => {
      await setCrossAccount("true");
      const from = await newVault(client(MEMBER), MEMBER, t);
      const to = await newVault(client(MANAGEMENT), MANAGEMENT, t);
      await client(MANAGEMENT).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: to.name, Policy: allowCopyFrom("*", { StringEquals: { "aws:PrincipalOrgID": ORG_ID } }) }));
      expect((await copyAndWait(client(MEMBER), from, to.arn)).State).toBe("COMPLETED");

      const elsewhere = await newVault(client(MANAGEMENT), MANAGEMENT, t);
      await client(MANAGEMENT).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: elsewhere.name, Policy: allowCopyFrom("*", { StringEquals: { "aws:PrincipalOrgID": "o-anotherorg1" } }) }));
      const refused = await copyAndWait(client(MEMBER), from, elsewhere.arn);
      expect(refused.State).toBe("FAILED");
      expect(refused.StatusMessage).toContain("no resource-based policy allows the backup:CopyIntoBackupVault action");
    });

    it("fails the job when cross-account backup is off in the organization, and no copy arrives", async () => {
      await setCrossAccount("false");
      const from = await newVault(client(MEMBER), MEMBER, t);
      const to = await newVault(client(OTHER_MEMBER), OTHER_MEMBER, t);
      await client(OTHER_MEMBER).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: to.name, Policy: allowCopyFrom({ AWS: MEMBER }) }));
      const job = await copyAndWait(client(MEMBER), from, to.arn);
      expect(job.State).toBe("FAILED");
      expect(job.MessageCategory).toBe("ACCESS_DENIED");
      expect(job.StatusMessage).toContain(`Cross-account backup is not enabled for organization ${ORG_ID}`);
      expect(job.StatusMessage).toContain("isCrossAccountBackupEnabled");
      const points = await client(OTHER_MEMBER).send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: to.name }));
      expect(points.RecoveryPoints!.map((p) => p.RecoveryPointArn)).toEqual([to.point]);
    });

    it("fails the job when the destination account is outside the organization, whatever its policy says", async () => {
      await setCrossAccount("true");
      const from = await newVault(client(MEMBER), MEMBER, t);
      const to = await newVault(client(OUTSIDER), OUTSIDER, t);
      await client(OUTSIDER).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: to.name, Policy: allowCopyFrom("*") }));
      const job = await copyAndWait(client(MEMBER), from, to.arn);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain(`from account ${MEMBER} to account ${OUTSIDER}`);
      expect(job.StatusMessage).toContain(`organization ${ORG_ID}`);
    });

    it("fails the job when the destination vault's policy does not allow the source account", async () => {
      await setCrossAccount("true");
      const from = await newVault(client(MEMBER), MEMBER, t);
      const to = await newVault(client(OTHER_MEMBER), OTHER_MEMBER, t);
      const job = await copyAndWait(client(MEMBER), from, to.arn);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain(`arn:aws:iam::${MEMBER}:root is not authorized to perform: backup:CopyIntoBackupVault on resource: ${to.arn}`);
    });

    it("copies within one account whatever the organization's flags", async () => {
      await setCrossAccount("false");
      const from = await newVault(client(MEMBER), MEMBER, t);
      const to = await newVault(client(MEMBER), MEMBER, t);
      expect((await copyAndWait(client(MEMBER), from, to.arn)).State).toBe("COMPLETED");
    });
  });

  describe("DescribeBackupVault", () => {
    it("shows another account's vault to the members a policy on aws:PrincipalOrgID names", async () => {
      const owner = await newVault(client(MANAGEMENT), MANAGEMENT, t);
      const policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "backup:DescribeBackupVault", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": ORG_ID } } }],
      });
      await client(MANAGEMENT).send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: owner.name, Policy: policy }));
      const seen = await client(MEMBER).send(new DescribeBackupVaultCommand({ BackupVaultName: owner.name, BackupVaultAccountId: MANAGEMENT }));
      expect(seen.BackupVaultArn).toBe(owner.arn);
      const err = await errorOf(client(OUTSIDER).send(new DescribeBackupVaultCommand({ BackupVaultName: owner.name, BackupVaultAccountId: MANAGEMENT })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(`not shared with account ${OUTSIDER}`);
    });
  });
});

describe("StartCopyJob without an organization", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  it("still copies into another account's vault without an Allow when signatures are not verified, as before organizations existed", async () => {
    const a = account();
    const b = account();
    const from = await newVault(t.client({ accountId: a }), a, t);
    const to = await newVault(t.client({ accountId: b }), b, t);
    expect((await copyAndWait(t.client({ accountId: a }), from, to.arn)).State).toBe("COMPLETED");
  });
});
