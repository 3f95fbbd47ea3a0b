import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupVaultCommand,
  ListBackupVaultsCommand,
  StartBackupJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

describe("CreateBackupVault", () => {
  it("creates a vault and returns its name, ARN and creation date", async () => {
    const name = uniqueName("vault");
    const out = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    expect(out.BackupVaultName).toBe(name);
    expect(out.BackupVaultArn).toBe(`arn:aws:backup:us-east-1:000000000000:backup-vault:${name}`);
    expect(out.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(out.CreationDate!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("refuses a second vault of the same name with AlreadyExistsException", async () => {
    const name = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, CreatorRequestId: "first" }));
    const err = await errorOf(backup.send(new CreateBackupVaultCommand({ BackupVaultName: name })));
    expect(err.name).toBe("AlreadyExistsException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((err as unknown as { CreatorRequestId: string }).CreatorRequestId).toBe("first");
  });

  it("returns the same vault when retried with the same CreatorRequestId", async () => {
    const name = uniqueName("vault");
    const a = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, CreatorRequestId: "retry-1" }));
    const b = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, CreatorRequestId: "retry-1" }));
    expect(b.BackupVaultArn).toBe(a.BackupVaultArn);
    expect(b.CreationDate).toEqual(a.CreationDate);
  });

  it("refuses a name that breaks the model's pattern with InvalidParameterValueException naming the member", async () => {
    const err = await errorOf(backup.send(new CreateBackupVaultCommand({ BackupVaultName: "bad name!" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("BackupVaultName");
  });

  it("refuses a CreatorRequestId that is not 1 to 50 letters, digits or '-_.', naming it, and accepts one of 50", async () => {
    for (const id of ["has space", "x".repeat(51), "semi;colon"]) {
      const err = await errorOf(backup.send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault"), CreatorRequestId: id })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain(`CreatorRequestId "${id}"`);
    }
    const out = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault"), CreatorRequestId: `a-b_c.${"d".repeat(44)}` }));
    expect(out.BackupVaultArn).toBeTruthy();
  });

  it("refuses an encryption key that is not a KMS key ARN", async () => {
    const err = await errorOf(backup.send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault"), EncryptionKeyArn: "alias/aws/backup" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("EncryptionKeyArn");
  });
});

describe("DescribeBackupVault", () => {
  it("returns every field the service returns, with a default key when none was given", async () => {
    const name = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, CreatorRequestId: "req-1" }));
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }));
    expect(d).toMatchObject({
      BackupVaultName: name,
      BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${name}`,
      VaultType: "BACKUP_VAULT",
      VaultState: "AVAILABLE",
      Locked: false,
      NumberOfRecoveryPoints: 0,
      CreatorRequestId: "req-1",
    });
    expect(d.CreationDate).toBeInstanceOf(Date);
    expect(d.EncryptionKeyArn).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
  });

  it("keeps the encryption key that was given", async () => {
    const name = uniqueName("vault");
    const key = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name, EncryptionKeyArn: key }));
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name }));
    expect(d.EncryptionKeyArn).toBe(key);
    expect(d.EncryptionKeyType).toBe("CUSTOMER_MANAGED_KMS_KEY");
  });

  it("answers ResourceNotFoundException (400) for a vault that does not exist", async () => {
    const err = await errorOf(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: "no-such-vault" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toContain("no-such-vault");
  });
});

describe("DeleteBackupVault", () => {
  it("deletes an empty vault", async () => {
    const name = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name }));
    expect((await errorOf(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: name })))).name).toBe("ResourceNotFoundException");
  });

  it("refuses to delete a vault that holds recovery points with InvalidRequestException", async () => {
    const name = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    await backup.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    const err = await errorOf(backup.send(new DeleteBackupVaultCommand({ BackupVaultName: name })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toMatch(/contains recovery points/);
    expect(err.Code).toBe("ERROR_9101");
  });

  it("answers ResourceNotFoundException for a vault that does not exist", async () => {
    expect((await errorOf(backup.send(new DeleteBackupVaultCommand({ BackupVaultName: "never-made" })))).name).toBe("ResourceNotFoundException");
  });
});

describe("ListBackupVaults", () => {
  it("lists vaults with their counts and pages with MaxResults and NextToken", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const names = Array.from({ length: 5 }, () => uniqueName("vault"));
      for (const n of names) await c.send(new CreateBackupVaultCommand({ BackupVaultName: n }));
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.send(new ListBackupVaultsCommand({ MaxResults: 2, NextToken: token }));
        expect(page.BackupVaultList!.length).toBeLessThanOrEqual(2);
        seen.push(...page.BackupVaultList!.map((v) => v.BackupVaultName!));
        for (const v of page.BackupVaultList!) expect(v.NumberOfRecoveryPoints).toBe(0);
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...names].sort());
    } finally {
      await local.stop();
    }
  });

  it("filters by vault type and shows nothing as shared", async () => {
    const name = uniqueName("vault");
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const standard = await backup.send(new ListBackupVaultsCommand({ ByVaultType: "BACKUP_VAULT" }));
    expect(standard.BackupVaultList!.map((v) => v.BackupVaultName)).toContain(name);
    const airGapped = await backup.send(new ListBackupVaultsCommand({ ByVaultType: "LOGICALLY_AIR_GAPPED_BACKUP_VAULT" }));
    expect(airGapped.BackupVaultList!.map((v) => v.BackupVaultName)).not.toContain(name);
    const shared = await backup.send(new ListBackupVaultsCommand({ ByShared: true }));
    expect(shared.BackupVaultList).toEqual([]);
  });
});
