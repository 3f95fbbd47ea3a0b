import { randomInt, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeProtectedResourceCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  ListProtectedResourcesByBackupVaultCommand,
  ListProtectedResourcesCommand,
  ListRecoveryPointsByResourceCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { insertRecoveryPoint } from "../src/domain/recovery-points.js";
import { ACCOUNT, errorOf, REGION, resources, ROLE_ARN, shareVault, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

/** A client of an account no other test uses, so lists hold only what the test made. */
const freshAccount = (region?: string): { client: BackupClient; accountId: string } => {
  const accountId = String(randomInt(100_000_000_000, 999_999_999_999));
  return { client: t.client({ accountId, ...(region ? { region } : {}) }), accountId };
};

async function newVault(c: BackupClient): Promise<string> {
  const name = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  return name;
}

/**
 * Back up `resourceArn` into `vault` and return the recovery point ARN (with the default delay
 * of 0 the job completes at the next request). The clock then moves on a second so that the
 * next backup is strictly newer.
 */
async function backUp(c: BackupClient, vault: string, resourceArn: string): Promise<string> {
  const out = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN }));
  t.emu.clock.advance(1);
  return out.RecoveryPointArn!;
}

const vaultArn = (name: string, account = ACCOUNT, region = REGION) => `arn:aws:backup:${region}:${account}:backup-vault:${name}`;

async function allPages<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await fetch(token);
    items.push(...page.items);
    token = page.next;
    pages++;
  } while (token);
  return { items, pages };
}

describe("ListProtectedResources", () => {
  it("lists each backed-up resource once, with the time, vault and ARN of its newest recovery point", async () => {
    const { client } = freshAccount();
    const [v1, v2] = [await newVault(client), await newVault(client)];
    const table = resources.dynamo();
    const volume = resources.ebs();
    await backUp(client, v1, table);
    const newest = await backUp(client, v2, table);
    const volumePoint = await backUp(client, v1, volume);

    const out = await client.send(new ListProtectedResourcesCommand({}));
    expect(out.Results!.map((r) => r.ResourceArn).sort()).toEqual([table, volume].sort());
    const described = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: v2, RecoveryPointArn: newest }));
    const tableRow = out.Results!.find((r) => r.ResourceArn === table)!;
    expect(tableRow).toMatchObject({
      ResourceType: "DynamoDB",
      ResourceName: table.split("/")[1],
      LastRecoveryPointArn: newest,
      LastBackupVaultArn: described.BackupVaultArn,
    });
    expect(tableRow.LastBackupTime).toEqual(described.CreationDate);
    expect(out.Results!.find((r) => r.ResourceArn === volume)).toMatchObject({ ResourceType: "EBS", LastRecoveryPointArn: volumePoint });
  });

  it("lists a resource only once its backup has completed", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const c = slow.client();
      const vault = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const table = resources.dynamo();
      await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: table, IamRoleArn: ROLE_ARN }));
      expect((await c.send(new ListProtectedResourcesCommand({}))).Results).toEqual([]);
      slow.emu.clock.advance(60);
      expect((await c.send(new ListProtectedResourcesCommand({}))).Results!.map((r) => r.ResourceArn)).toEqual([table]);
    } finally {
      await slow.stop();
    }
  });

  it("falls back to the previous recovery point when the newest is deleted, and drops the resource with its last one", async () => {
    const { client } = freshAccount();
    const vault = await newVault(client);
    const table = resources.dynamo();
    const first = await backUp(client, vault, table);
    const second = await backUp(client, vault, table);
    const list = async () => (await client.send(new ListProtectedResourcesCommand({}))).Results!;

    expect((await list())[0]!.LastRecoveryPointArn).toBe(second);
    await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: second }));
    expect((await list())[0]!.LastRecoveryPointArn).toBe(first);
    await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: first }));
    expect(await list()).toEqual([]);
  });

  it("pages with MaxResults and NextToken, seeing each resource exactly once", async () => {
    const { client } = freshAccount();
    const vault = await newVault(client);
    const arns = Array.from({ length: 5 }, () => resources.dynamo());
    for (const arn of arns) {
      await backUp(client, vault, arn);
      await backUp(client, vault, arn);
    }
    const { items, pages } = await allPages(async (NextToken) => {
      const page = await client.send(new ListProtectedResourcesCommand({ MaxResults: 2, NextToken }));
      expect(page.Results!.length).toBeLessThanOrEqual(2);
      return { items: page.Results!.map((r) => r.ResourceArn!), next: page.NextToken };
    });
    expect(pages).toBe(3);
    expect(items.sort()).toEqual([...arns].sort());
  });

  it("refuses a NextToken that does not belong to this list with InvalidParameterValueException", async () => {
    const err = await errorOf(backup.send(new ListProtectedResourcesCommand({ NextToken: "not-a-token" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("NextToken");
  });

  it("shows only the resources of the caller's account and region", async () => {
    const { client, accountId } = freshAccount();
    const vault = await newVault(client);
    const table = resources.dynamo();
    await backUp(client, vault, table);
    expect((await client.send(new ListProtectedResourcesCommand({}))).Results!.map((r) => r.ResourceArn)).toEqual([table]);
    const elsewhere = [freshAccount().client, t.client({ accountId, region: "eu-west-1" })];
    for (const c of elsewhere) expect((await c.send(new ListProtectedResourcesCommand({}))).Results).toEqual([]);
  });
});

describe("ListProtectedResourcesByBackupVault", () => {
  it("lists the resources backed up in the vault, with their newest recovery point in that vault", async () => {
    const { client, accountId } = freshAccount();
    const [v1, v2] = [await newVault(client), await newVault(client)];
    const table = resources.dynamo();
    const other = resources.dynamo();
    const inV1 = await backUp(client, v1, table);
    await backUp(client, v2, table);
    await backUp(client, v2, other);

    const out = await client.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: v1 }));
    expect(out.Results).toHaveLength(1);
    expect(out.Results![0]).toMatchObject({ ResourceArn: table, LastRecoveryPointArn: inV1, LastBackupVaultArn: vaultArn(v1, accountId) });
    const inV2 = await client.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: v2 }));
    expect(inV2.Results!.map((r) => r.ResourceArn).sort()).toEqual([table, other].sort());
  });

  it("pages with MaxResults and NextToken, seeing each resource exactly once", async () => {
    const { client } = freshAccount();
    const vault = await newVault(client);
    const elsewhere = await newVault(client);
    const arns = Array.from({ length: 3 }, () => resources.ebs());
    for (const arn of arns) await backUp(client, vault, arn);
    await backUp(client, elsewhere, resources.ebs());
    const { items, pages } = await allPages(async (NextToken) => {
      const page = await client.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: vault, MaxResults: 1, NextToken }));
      return { items: page.Results!.map((r) => r.ResourceArn!), next: page.NextToken };
    });
    expect(pages).toBe(3);
    expect(items.sort()).toEqual([...arns].sort());
  });

  it("answers ResourceNotFoundException naming a vault that does not exist", async () => {
    const err = await errorOf(backup.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: "no-such-vault" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-vault");
  });

  it("reads another account's vault when BackupVaultAccountId names it, and only the caller's otherwise", async () => {
    const owner = freshAccount();
    const vault = await newVault(owner.client);
    const table = resources.dynamo();
    await backUp(owner.client, vault, table);
    const readerAccount = freshAccount();
    const reader = readerAccount.client;
    const unshared = await errorOf(reader.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: vault, BackupVaultAccountId: owner.accountId })));
    expect(unshared.name).toBe("ResourceNotFoundException");
    await shareVault(owner.client, vault, readerAccount.accountId);
    const shared = await reader.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: vault, BackupVaultAccountId: owner.accountId }));
    expect(shared.Results!.map((r) => r.ResourceArn)).toEqual([table]);
    const own = await errorOf(reader.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: vault })));
    expect(own.name).toBe("ResourceNotFoundException");
    expect(own.message).toContain(vault);
  });

  it("does not find the vault from another region", async () => {
    const { client, accountId } = freshAccount();
    const vault = await newVault(client);
    await backUp(client, vault, resources.dynamo());
    const err = await errorOf(t.client({ accountId, region: "eu-west-1" }).send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(vault);
  });
});

describe("DescribeProtectedResource", () => {
  it("describes a protected resource from its newest recovery point", async () => {
    const { client, accountId } = freshAccount();
    const vault = await newVault(client);
    const volume = resources.ebs();
    await backUp(client, vault, volume);
    const newest = await backUp(client, vault, volume);
    const point = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: newest }));

    const out = await client.send(new DescribeProtectedResourceCommand({ ResourceArn: volume }));
    expect(out).toMatchObject({
      ResourceArn: volume,
      ResourceType: "EBS",
      ResourceName: volume.split("/")[1],
      LastRecoveryPointArn: newest,
      LastBackupVaultArn: vaultArn(vault, accountId),
    });
    expect(out.LastBackupTime).toEqual(point.CreationDate);
    expect(out.LatestRestoreJobCreationDate).toBeUndefined();
  });

  it("answers ResourceNotFoundException naming a resource that was never backed up", async () => {
    const table = resources.dynamo();
    const err = await errorOf(backup.send(new DescribeProtectedResourceCommand({ ResourceArn: table })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(table);
  });

  it("answers ResourceNotFoundException once the resource's last recovery point is deleted", async () => {
    const { client } = freshAccount();
    const vault = await newVault(client);
    const table = resources.dynamo();
    const only = await backUp(client, vault, table);
    await client.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: only }));
    const err = await errorOf(client.send(new DescribeProtectedResourceCommand({ ResourceArn: table })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(table);
  });

  it("does not see a resource protected in another account or region", async () => {
    const { client, accountId } = freshAccount();
    const vault = await newVault(client);
    const table = resources.dynamo();
    await backUp(client, vault, table);
    for (const c of [freshAccount().client, t.client({ accountId, region: "eu-west-1" })]) {
      const err = await errorOf(c.send(new DescribeProtectedResourceCommand({ ResourceArn: table })));
      expect(err.name).toBe("ResourceNotFoundException");
    }
  });

  it("reports the newest restore job of the resource", async () => {
    const { client } = freshAccount();
    const vault = await newVault(client);
    const table = resources.dynamo();
    const point = await backUp(client, vault, table);
    const pointCreated = (await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: point }))).CreationDate;
    const { RestoreJobId } = await client.send(
      new StartRestoreJobCommand({ RecoveryPointArn: point, IamRoleArn: ROLE_ARN, Metadata: { TargetTableName: uniqueName("restored") } }),
    );
    const job = await client.send(new DescribeRestoreJobCommand({ RestoreJobId }));
    expect(job.Status).toBe("COMPLETED");

    const out = await client.send(new DescribeProtectedResourceCommand({ ResourceArn: table }));
    expect(out.LatestRestoreJobCreationDate).toEqual(job.CreationDate);
    expect(out.LatestRestoreRecoveryPointCreationDate).toEqual(pointCreated);
    expect(out.LatestRestoreExecutionTimeMinutes).toBe(Math.round((job.CompletionDate!.getTime() - job.CreationDate!.getTime()) / 60_000));
  });
});

describe("ListRecoveryPointsByResource", () => {
  it("lists every recovery point of the resource across vaults, newest first, in the by-resource shape", async () => {
    const { client } = freshAccount();
    const [v1, v2] = [await newVault(client), await newVault(client)];
    const table = resources.dynamo();
    const first = await backUp(client, v1, table);
    const second = await backUp(client, v2, table);
    await backUp(client, v1, resources.dynamo());

    const out = await client.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: table }));
    expect(out.RecoveryPoints!.map((p) => p.RecoveryPointArn)).toEqual([second, first]);
    const described = await client.send(new DescribeRecoveryPointCommand({ BackupVaultName: v2, RecoveryPointArn: second }));
    const row = out.RecoveryPoints![0]!;
    expect(row).toMatchObject({
      BackupVaultName: v2,
      Status: "COMPLETED",
      CreationDate: described.CreationDate,
      EncryptionKeyArn: described.EncryptionKeyArn,
      BackupSizeBytes: described.BackupSizeInBytes,
      ResourceName: described.ResourceName,
      VaultType: "BACKUP_VAULT",
      IsParent: false,
    });
    expect(row).not.toHaveProperty("BackupSizeInBytes");
  });

  it("keeps only the points AWS Backup manages itself when ManagedByAWSBackupOnly is true", async () => {
    const { client, accountId } = freshAccount();
    const vault = await newVault(client);
    const volume = resources.ebs();
    const snapshot = await backUp(client, vault, volume);
    // A point stored by AWS Backup itself (as a logically air-gapped copy of an EBS snapshot is):
    // no operation of the emulator makes one for EBS yet, so the test stores it directly.
    const managed = `arn:aws:backup:${REGION}:${accountId}:recovery-point:${randomUUID()}`;
    const scope = { accountId, region: REGION };
    t.emu.scheduler.runDue();
    const stored = t.emu.store.recoveryPoints.get(scope, snapshot)!;
    expect(stored.ResourceArn).toBe(volume);
    t.emu.store.transaction(() => insertRecoveryPoint(t.emu.store, scope, { ...stored, RecoveryPointArn: managed }));

    const all = await client.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: volume, ManagedByAWSBackupOnly: false }));
    expect(all.RecoveryPoints!.map((p) => p.RecoveryPointArn).sort()).toEqual([snapshot, managed].sort());
    const managedOnly = await client.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: volume, ManagedByAWSBackupOnly: true }));
    expect(managedOnly.RecoveryPoints!.map((p) => p.RecoveryPointArn)).toEqual([managed]);
  });

  it("pages with MaxResults and NextToken, seeing each recovery point exactly once", async () => {
    const { client } = freshAccount();
    const vault = await newVault(client);
    const table = resources.dynamo();
    const points = [await backUp(client, vault, table), await backUp(client, vault, table), await backUp(client, vault, table)];
    const { items, pages } = await allPages(async (NextToken) => {
      const page = await client.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: table, MaxResults: 2, NextToken }));
      return { items: page.RecoveryPoints!.map((p) => p.RecoveryPointArn!), next: page.NextToken };
    });
    expect(pages).toBe(2);
    expect(items).toEqual([...points].reverse());
  });

  it("answers an empty list for a resource that has no recovery points", async () => {
    const out = await backup.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: resources.rds() }));
    expect(out.RecoveryPoints).toEqual([]);
  });

  it("refuses an ARN of a resource type AWS Backup does not support with InvalidParameterValueException", async () => {
    const arn = "arn:aws:sqs:us-east-1:123456789012:queue-1";
    const err = await errorOf(backup.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: arn })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(arn);
  });

  it("does not show recovery points of another account or region", async () => {
    const { client, accountId } = freshAccount();
    const vault = await newVault(client);
    const table = resources.dynamo();
    await backUp(client, vault, table);
    for (const c of [freshAccount().client, t.client({ accountId, region: "eu-west-1" })]) {
      expect((await c.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: table }))).RecoveryPoints).toEqual([]);
    }
  });
});
