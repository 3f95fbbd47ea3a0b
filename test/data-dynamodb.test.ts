/**
 * DynamoDB backups that hold data: with RESOURCE_ENDPOINT pointing at moto_server, a backup
 * reads the table (schema, indexes, TTL, tags, every item) and a restore creates a new table
 * with all of it. Skipped, with a message, without moto_server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  DescribeRecoveryPointCommand,
  GetRecoveryPointRestoreMetadataCommand,
  StartBackupJobCommand,
  StartRestoreJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import {
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { ROLE_ARN, uniqueName } from "./helpers/emulator.js";
import { motoAvailable, type Moto } from "./helpers/moto.js";
import { backupJobEnd, comparable, createMixedTable, mixedItems, MOTO_ACCOUNT, peer, restoreJobEnd, scanAll, useDataPlane } from "./helpers/data.js";

if (!motoAvailable) console.warn("data-dynamodb.test.ts: moto_server is not installed; skipping the DynamoDB data plane tests");

describe.skipIf(!motoAvailable)("DynamoDB backups with data (moto_server)", () => {
  const suite = useDataPlane();
  let moto: Moto;
  let c: BackupClient;
  let vault: string;
  beforeAll(() => {
    ({ moto, c, vault } = suite);
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
