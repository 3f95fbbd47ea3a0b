import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AssociateBackupVaultMpaApprovalTeamCommand,
  CreateBackupVaultCommand,
  CreateLogicallyAirGappedBackupVaultCommand,
  CreateRestoreAccessBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  ListBackupVaultsCommand,
  ListRestoreAccessBackupVaultsCommand,
  ListTagsCommand,
  RevokeRestoreAccessBackupVaultCommand,
  StartBackupJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
let recovery: BackupClient;
const RECOVERY_ACCOUNT = "111122223333";
const TEAM = "arn:aws:mpa:us-east-1:000000000000:approval-team/guardians";
const KEY = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
  recovery = t.client({ accountId: RECOVERY_ACCOUNT });
});
afterAll(() => t.stop());

const lagArn = (name: string, account = "000000000000", region = "us-east-1") => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;

async function newAirGappedVault(opts: { team?: boolean; c?: BackupClient } = {}): Promise<string> {
  const c = opts.c ?? backup;
  const name = uniqueName("lag");
  await c.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: name, MinRetentionDays: 7, MaxRetentionDays: 30 }));
  if (opts.team) await c.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: name, MpaApprovalTeamArn: TEAM }));
  return name;
}

describe("CreateLogicallyAirGappedBackupVault", () => {
  it("creates an available vault of its type with the retention bounds and an AWS-owned key", async () => {
    const name = uniqueName("lag");
    const out = await backup.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: name, MinRetentionDays: 7, MaxRetentionDays: 3650, CreatorRequestId: "req-1" }));
    expect(out).toMatchObject({ BackupVaultName: name, BackupVaultArn: lagArn(name), VaultState: "AVAILABLE" });
    expect(out.CreationDate).toBeInstanceOf(Date);
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }));
    expect(d).toMatchObject({
      VaultType: "LOGICALLY_AIR_GAPPED_BACKUP_VAULT",
      VaultState: "AVAILABLE",
      EncryptionKeyType: "AWS_OWNED_KMS_KEY",
      Locked: true,
      MinRetentionDays: 7,
      MaxRetentionDays: 3650,
      NumberOfRecoveryPoints: 0,
      CreatorRequestId: "req-1",
    });
  });

  it("uses a customer-managed key when one is given", async () => {
    const name = uniqueName("lag");
    await backup.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: name, MinRetentionDays: 7, MaxRetentionDays: 30, EncryptionKeyArn: KEY }));
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }));
    expect(d).toMatchObject({ EncryptionKeyArn: KEY, EncryptionKeyType: "CUSTOMER_MANAGED_KMS_KEY" });
  });

  it("tags the vault", async () => {
    const name = uniqueName("lag");
    const out = await backup.send(
      new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: name, MinRetentionDays: 7, MaxRetentionDays: 30, BackupVaultTags: { team: "dr" } }),
    );
    expect((await backup.send(new ListTagsCommand({ ResourceArn: out.BackupVaultArn }))).Tags).toEqual({ team: "dr" });
  });

  it("is listed by ListBackupVaults under its own vault type only", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const lag = await newAirGappedVault({ c });
      const standard = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: standard }));
      const names = async (type?: "BACKUP_VAULT" | "LOGICALLY_AIR_GAPPED_BACKUP_VAULT") =>
        (await c.send(new ListBackupVaultsCommand({ ByVaultType: type }))).BackupVaultList!.map((v) => v.BackupVaultName);
      expect(await names("LOGICALLY_AIR_GAPPED_BACKUP_VAULT")).toEqual([lag]);
      expect(await names("BACKUP_VAULT")).toEqual([standard]);
      const listed = (await c.send(new ListBackupVaultsCommand({}))).BackupVaultList!.find((v) => v.BackupVaultName === lag);
      expect(listed).toMatchObject({ VaultType: "LOGICALLY_AIR_GAPPED_BACKUP_VAULT", Locked: true, MinRetentionDays: 7, MaxRetentionDays: 30, EncryptionKeyType: "AWS_OWNED_KMS_KEY" });
    } finally {
      await local.stop();
    }
  });

  it("refuses a CreatorRequestId that is not 1 to 50 letters, digits or '-_.', naming it", async () => {
    const err = await errorOf(
      backup.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: uniqueName("lag"), MinRetentionDays: 7, MaxRetentionDays: 30, CreatorRequestId: "a/b" })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain('CreatorRequestId "a/b"');
  });

  it("refuses retention bounds out of range or inverted with InvalidParameterValueException", async () => {
    for (const [min, max, culprit] of [
      [6, 30, /MinRetentionDays must be at least 7/],
      [7, 36501, /MaxRetentionDays must be between 7 and 36500/],
      [30, 10, /MinRetentionDays \(30\) must not be greater than MaxRetentionDays \(10\)/],
    ] as const) {
      const err = await errorOf(backup.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: uniqueName("lag"), MinRetentionDays: min, MaxRetentionDays: max })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toMatch(culprit);
    }
  });

  it("refuses a name already used by any vault with AlreadyExistsException", async () => {
    const name = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const err = await errorOf(backup.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: name, MinRetentionDays: 7, MaxRetentionDays: 30 })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(name);
  });

  it("refuses an encryption key that is not a KMS key ARN", async () => {
    const err = await errorOf(
      backup.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: uniqueName("lag"), MinRetentionDays: 7, MaxRetentionDays: 30, EncryptionKeyArn: "alias/mine" })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("EncryptionKeyArn");
  });

  it("keeps vaults of the same name apart across accounts and regions", async () => {
    const name = await newAirGappedVault();
    for (const other of [recovery, t.client({ region: "eu-west-1" })]) {
      await other.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: name, MinRetentionDays: 14, MaxRetentionDays: 60 }));
      expect((await other.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).MinRetentionDays).toBe(14);
    }
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).MinRetentionDays).toBe(7);
  });

  it("fails jobs into the vault whose retention breaks its bounds, and completes those within them", async () => {
    const name = await newAirGappedVault();
    for (const [lifecycle, culprit] of [
      [{ DeleteAfterDays: 3 }, /shorter than the minimum retention of 7 days/],
      [{ DeleteAfterDays: 31 }, /exceeds the maximum retention of 30 days/],
      [undefined, /must set DeleteAfterDays/],
    ] as const) {
      const { BackupJobId } = await backup.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, Lifecycle: lifecycle }));
      const failed = await backup.send(new DescribeBackupJobCommand({ BackupJobId }));
      expect(failed).toMatchObject({ State: "FAILED", MessageCategory: "FAILED" });
      expect(failed.StatusMessage).toMatch(culprit);
      expect(failed.StatusMessage).toContain(name);
    }
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).NumberOfRecoveryPoints).toBe(0);
    const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 14 } }));
    const described = await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    expect(described).toMatchObject({ State: "COMPLETED", VaultType: "LOGICALLY_AIR_GAPPED_BACKUP_VAULT", VaultLockState: "LOCKED" });
    const err = await errorOf(backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(name);
  });
});

describe("CreateRestoreAccessBackupVault", () => {
  it("creates a restore access vault in the recovery account for a source in another account", async () => {
    const source = await newAirGappedVault({ team: true });
    const name = uniqueName("ra");
    const out = await recovery.send(
      new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source), BackupVaultName: name, RequesterComment: "incident 7", BackupVaultTags: { why: "incident" } }),
    );
    expect(out).toMatchObject({
      RestoreAccessBackupVaultName: name,
      RestoreAccessBackupVaultArn: lagArn(name, RECOVERY_ACCOUNT),
      VaultState: "AVAILABLE",
    });
    expect(out.CreationDate).toBeInstanceOf(Date);
    const d = await recovery.send(new DescribeBackupVaultCommand({ BackupVaultName: name }));
    expect(d).toMatchObject({ VaultType: "RESTORE_ACCESS_BACKUP_VAULT", VaultState: "AVAILABLE", SourceBackupVaultArn: lagArn(source), EncryptionKeyType: "AWS_OWNED_KMS_KEY" });
    expect(d.MpaSessionArn).toMatch(/^arn:aws:mpa:us-east-1:000000000000:session\/guardians\//);
    expect((await recovery.send(new ListTagsCommand({ ResourceArn: out.RestoreAccessBackupVaultArn }))).Tags).toEqual({ why: "incident" });
    expect((await errorOf(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name })))).name).toBe("ResourceNotFoundException");
  });

  it("takes a CreatorRequestId of any form, for which the API reference states none", async () => {
    const source = await newAirGappedVault({ team: true });
    const out = await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source), CreatorRequestId: "incident #7: restore access" }));
    expect(out.VaultState).toBe("AVAILABLE");
  });

  it("names the vault after its source when no name is given", async () => {
    const source = await newAirGappedVault({ team: true });
    const a = await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) }));
    const b = await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) }));
    expect(a.RestoreAccessBackupVaultName).toMatch(new RegExp(`^${source}-restore-access-[0-9a-f]{6}$`));
    expect(b.RestoreAccessBackupVaultName).not.toBe(a.RestoreAccessBackupVaultName);
    expect((await recovery.send(new DescribeBackupVaultCommand({ BackupVaultName: a.RestoreAccessBackupVaultName }))).VaultType).toBe("RESTORE_ACCESS_BACKUP_VAULT");
  });

  it("answers ResourceNotFoundException for a source that does not exist", async () => {
    const arn = lagArn("no-such-lag");
    const err = await errorOf(recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-lag");
  });

  it("answers ResourceNotFoundException for a source that is not logically air-gapped", async () => {
    const name = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const err = await errorOf(recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(name) })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(name);
  });

  it("refuses a source without an MPA approval team with InvalidRequestException", async () => {
    const source = await newAirGappedVault();
    const err = await errorOf(recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(source);
    expect(err.message).toContain("MPA approval team");
  });

  it("refuses a source ARN that is not a vault ARN, or one in another region", async () => {
    const source = await newAirGappedVault({ team: true });
    for (const [arn, culprit] of [
      ["arn:aws:s3:::bucket", /SourceBackupVaultArn must be a backup vault ARN/],
      [lagArn(source, "000000000000", "eu-west-1"), /eu-west-1/],
    ] as const) {
      const err = await errorOf(recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: arn })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toMatch(culprit);
    }
    const err = await errorOf(t.client({ region: "eu-west-1", accountId: RECOVERY_ACCOUNT }).send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("us-east-1");
  });

  it("refuses a name already used in the recovery account with AlreadyExistsException", async () => {
    const source = await newAirGappedVault({ team: true });
    const name = uniqueName("taken");
    await recovery.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const err = await errorOf(recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source), BackupVaultName: name })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.message).toContain(name);
  });
});

describe("ListRestoreAccessBackupVaults", () => {
  it("lists the restore access vaults of a source across accounts, and pages with MaxResults and NextToken", async () => {
    const source = await newAirGappedVault({ team: true });
    const otherSource = await newAirGappedVault({ team: true });
    const arns: string[] = [];
    for (const c of [recovery, recovery, backup, t.client({ accountId: "444455556666" }), recovery]) {
      arns.push((await c.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) }))).RestoreAccessBackupVaultArn!);
    }
    await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(otherSource) }));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await backup.send(new ListRestoreAccessBackupVaultsCommand({ BackupVaultName: source, MaxResults: 2, NextToken: token }));
      expect(page.RestoreAccessBackupVaults!.length).toBeLessThanOrEqual(2);
      for (const v of page.RestoreAccessBackupVaults!) {
        expect(v.VaultState).toBe("AVAILABLE");
        expect(v.CreationDate).toBeInstanceOf(Date);
        expect(v.ApprovalDate).toBeInstanceOf(Date);
      }
      seen.push(...page.RestoreAccessBackupVaults!.map((v) => v.RestoreAccessBackupVaultArn!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...arns].sort());
  });

  it("answers ResourceNotFoundException for a vault that is not a logically air-gapped vault of the caller", async () => {
    const source = await newAirGappedVault({ team: true });
    const standard = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: standard }));
    for (const [c, name] of [
      [backup, standard],
      [backup, "no-such-lag"],
      [recovery, source],
      [t.client({ region: "eu-west-1" }), source],
    ] as const) {
      const err = await errorOf(c.send(new ListRestoreAccessBackupVaultsCommand({ BackupVaultName: name })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(name);
    }
  });
});

describe("RevokeRestoreAccessBackupVault", () => {
  it("revokes access by deleting the restore access vault", async () => {
    const source = await newAirGappedVault({ team: true });
    const keep = await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) }));
    const gone = await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) }));
    await backup.send(
      new RevokeRestoreAccessBackupVaultCommand({ BackupVaultName: source, RestoreAccessBackupVaultArn: gone.RestoreAccessBackupVaultArn, RequesterComment: "incident over" }),
    );
    const listed = (await backup.send(new ListRestoreAccessBackupVaultsCommand({ BackupVaultName: source }))).RestoreAccessBackupVaults!;
    expect(listed.map((v) => v.RestoreAccessBackupVaultArn)).toEqual([keep.RestoreAccessBackupVaultArn]);
    const err = await errorOf(recovery.send(new DescribeBackupVaultCommand({ BackupVaultName: gone.RestoreAccessBackupVaultName })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  it("answers ResourceNotFoundException for a restore access vault of another source, or an unknown ARN", async () => {
    const source = await newAirGappedVault({ team: true });
    const otherSource = await newAirGappedVault({ team: true });
    const other = await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(otherSource) }));
    for (const arn of [other.RestoreAccessBackupVaultArn!, lagArn("never-made", RECOVERY_ACCOUNT)]) {
      const err = await errorOf(backup.send(new RevokeRestoreAccessBackupVaultCommand({ BackupVaultName: source, RestoreAccessBackupVaultArn: arn })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(arn);
    }
    expect((await recovery.send(new DescribeBackupVaultCommand({ BackupVaultName: other.RestoreAccessBackupVaultName }))).VaultType).toBe("RESTORE_ACCESS_BACKUP_VAULT");
  });

  it("answers ResourceNotFoundException when the caller does not own the source vault", async () => {
    const source = await newAirGappedVault({ team: true });
    const ra = await recovery.send(new CreateRestoreAccessBackupVaultCommand({ SourceBackupVaultArn: lagArn(source) }));
    for (const c of [recovery, t.client({ region: "eu-west-1" })]) {
      const err = await errorOf(c.send(new RevokeRestoreAccessBackupVaultCommand({ BackupVaultName: source, RestoreAccessBackupVaultArn: ra.RestoreAccessBackupVaultArn })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(source);
    }
    expect((await recovery.send(new DescribeBackupVaultCommand({ BackupVaultName: ra.RestoreAccessBackupVaultName }))).VaultState).toBe("AVAILABLE");
  });
});
