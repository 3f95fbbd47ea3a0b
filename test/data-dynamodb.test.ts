/**
 * DynamoDB backups that hold data: with RESOURCE_ENDPOINT pointing at moto_server, a backup
 * reads the table (schema, indexes, TTL, tags, every item) and a restore creates a new table
 * with all of it. Skipped, with a message, without moto_server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DescribeRecoveryPointCommand,
  GetRecoveryPointRestoreMetadataCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
  BatchWriteItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { motoAvailable, startMoto, type Moto } from "./helpers/moto.js";
import { backupJobEnd, MOTO_ACCOUNT, peer, restoreJobEnd } from "./helpers/data.js";

if (!motoAvailable) console.warn("data-dynamodb.test.ts: moto_server is not installed; skipping the DynamoDB data plane tests");

type Item = Record<string, AttributeValue>;

/** Items of every attribute type, nested ones included. */
export function mixedItems(n: number): Item[] {
  return Array.from({ length: n }, (_, i) => ({
    pk: { S: `user#${i % 37}` },
    sk: { N: String(i) },
    name: { S: `name ${i} – ünïcode ✓` },
    score: { N: (i * 1.5).toString() },
    blob: { B: Buffer.from([i % 256, 0, 255, (i * 7) % 256]) },
    flags: { SS: [`a${i % 3}`, `b${i % 5}`] },
    nums: { NS: [String(i), String(i + 1)] },
    bins: { BS: [Buffer.from(`x${i}`), Buffer.from(`y${i}`)] },
    list: { L: [{ S: "one" }, { N: "2" }, { BOOL: i % 2 === 0 }, { NULL: true }, { M: { deep: { L: [{ S: `d${i}` }] } } }] },
    map: { M: { city: { S: `c${i % 4}` }, zip: { N: String(10000 + i) }, inner: { M: { b: { B: Buffer.from("inner") } } } } },
    gsiKey: { S: `g${i % 10}` },
    lsiKey: { S: `l${i % 7}` },
    expires: { N: String(1_900_000_000 + i) },
  }));
}

export async function createMixedTable(endpoint: string, name: string, items: Item[]): Promise<string> {
  const p = peer(endpoint);
  try {
    const out = await p.ddb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "N" },
          { AttributeName: "gsiKey", AttributeType: "S" },
          { AttributeName: "lsiKey", AttributeType: "S" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        GlobalSecondaryIndexes: [{ IndexName: "by-gsi", KeySchema: [{ AttributeName: "gsiKey", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } }],
        LocalSecondaryIndexes: [
          {
            IndexName: "by-lsi",
            KeySchema: [
              { AttributeName: "pk", KeyType: "HASH" },
              { AttributeName: "lsiKey", KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        Tags: [
          { Key: "team", Value: "data" },
          { Key: "env", Value: "test" },
        ],
      }),
    );
    await p.ddb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: "expires" } }));
    for (let i = 0; i < items.length; i += 25) {
      await p.ddb.send(new BatchWriteItemCommand({ RequestItems: { [name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    return out.TableDescription!.TableArn!;
  } finally {
    p.destroy();
  }
}

export async function scanAll(endpoint: string, name: string): Promise<Item[]> {
  const p = peer(endpoint);
  try {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await p.ddb.send(new ScanCommand({ TableName: name, ExclusiveStartKey: start }));
      out.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => `${a.pk!.S}/${a.sk!.N!.padStart(6, "0")}`.localeCompare(`${b.pk!.S}/${b.sk!.N!.padStart(6, "0")}`));
  } finally {
    p.destroy();
  }
}

/** Items in a form that compares binary values by content. */
export const comparable = (items: Item[]) => JSON.parse(JSON.stringify(items, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v))) as unknown;

describe.skipIf(!motoAvailable)("DynamoDB backups with data (moto_server)", () => {
  let moto: Moto;
  let t: TestEmulator;
  let c: BackupClient;
  let vault: string;
  beforeAll(async () => {
    moto = await startMoto();
    t = await startTestEmulator({ resourceEndpoint: moto.endpoint });
    c = t.client({ accountId: MOTO_ACCOUNT });
    vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await moto?.stop();
  });

  describe("StartBackupJob and StartRestoreJob", () => {
    it("bring back every item, the key schema, both indexes, TTL and tags after the table is damaged and deleted", async () => {
      const name = uniqueName("orders");
      const items = mixedItems(300);
      const arn = await createMixedTable(moto.endpoint, name, items);
      const before = await scanAll(moto.endpoint, name);
      expect(before).toHaveLength(300);

      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      expect(job.State, job.StatusMessage).toBe("COMPLETED");
      expect(job.BackupSizeInBytes).toBeGreaterThan(0);
      expect(job.BytesTransferred).toBe(job.BackupSizeInBytes);
      const rp = await c.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn! }));
      expect(rp.BackupSizeInBytes).toBe(job.BackupSizeInBytes);

      // Damage the original, then delete it.
      const p = peer(moto.endpoint);
      await p.ddb.send(new DeleteItemCommand({ TableName: name, Key: { pk: before[0]!.pk!, sk: before[0]!.sk! } }));
      await p.ddb.send(new PutItemCommand({ TableName: name, Item: { ...before[1]!, name: { S: "changed" } } }));
      await p.ddb.send(new DeleteTableCommand({ TableName: name }));

      const target = uniqueName("orders-restored");
      const { RestoreJobId } = await c.send(
        new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { targetTableName: target } }),
      );
      const restore = await restoreJobEnd(c, RestoreJobId!);
      expect(restore.Status, restore.StatusMessage).toBe("COMPLETED");
      expect(restore.CreatedResourceArn).toBe(`arn:aws:dynamodb:us-east-1:${MOTO_ACCOUNT}:table/${target}`);
      expect(restore.PercentDone).toBe("100.0");

      expect(comparable(await scanAll(moto.endpoint, target))).toEqual(comparable(before));
      const described = (await p.ddb.send(new DescribeTableCommand({ TableName: target }))).Table!;
      expect(described.KeySchema).toEqual([
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ]);
      expect(described.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection?.ProjectionType])).toEqual([
        ["by-gsi", [{ AttributeName: "gsiKey", KeyType: "HASH" }], "ALL"],
      ]);
      expect(described.LocalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType])).toEqual([["by-lsi", "KEYS_ONLY"]]);
      expect(described.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
      const ttl = await p.ddb.send(new DescribeTimeToLiveCommand({ TableName: target }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: "ENABLED", AttributeName: "expires" });
      const tags = await p.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: restore.CreatedResourceArn! }));
      expect(Object.fromEntries(tags.Tags!.map((x) => [x.Key, x.Value]))).toEqual({ team: "data", env: "test" });
      p.destroy();
    }, 60_000);

    it("fail a restore into a table that already exists, naming the table", async () => {
      const name = uniqueName("small");
      const arn = await createMixedTable(moto.endpoint, name, mixedItems(3));
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      const { RestoreJobId } = await c.send(new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn!, IamRoleArn: ROLE_ARN, Metadata: { targetTableName: name } }));
      const restore = await restoreJobEnd(c, RestoreJobId!);
      expect(restore.Status).toBe("FAILED");
      expect(restore.StatusMessage).toContain(`DynamoDB table ${name} already exists`);
    }, 30_000);
  });

  describe("GetRecoveryPointRestoreMetadata", () => {
    it("returns what the backup recorded: the table's name and ARN, its encryption and billing mode", async () => {
      const name = uniqueName("meta");
      const arn = await createMixedTable(moto.endpoint, name, mixedItems(2));
      const { BackupJobId } = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: arn, IamRoleArn: ROLE_ARN }));
      const job = await backupJobEnd(c, BackupJobId!);
      const meta = await c.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn! }));
      expect(meta.RestoreMetadata).toEqual({ targetTableName: name, encryptionType: "Default", deletionProtection: "false", sourceTableArn: arn, billingMode: "PAY_PER_REQUEST" });
    }, 30_000);
  });

  describe("StartBackupJob of a table the endpoint does not have", () => {
    it("ends FAILED with a message naming the table and the endpoint", async () => {
      const name = uniqueName("missing");
      const { BackupJobId } = await c.send(
        new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:dynamodb:us-east-1:${MOTO_ACCOUNT}:table/${name}`, IamRoleArn: ROLE_ARN }),
      );
      const job = await backupJobEnd(c, BackupJobId!);
      expect(job.State).toBe("FAILED");
      expect(job.StatusMessage).toContain(`DynamoDB table ${name} does not exist`);
      expect(job.StatusMessage).toContain(moto.endpoint);
      expect(job.RecoveryPointArn && (await c.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn })).catch((e: Error) => e.name))).toBe(
        "ResourceNotFoundException",
      );
    }, 30_000);
  });
});
