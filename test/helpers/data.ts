/**
 * Helpers for the data plane tests: SDK clients of the peer emulator (moto_server), waiting for
 * jobs through the Backup API, and a proxy that slows the peer down or stands in for a dead one.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, ScanCommand, UpdateTimeToLiveCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command, PutBucketTaggingCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateBackupVaultCommand, DescribeBackupJobCommand, DescribeCopyJobCommand, DescribeRestoreJobCommand, type BackupClient } from "@aws-sdk/client-backup";
import { afterAll, beforeAll } from "vitest";
import type { EmulatorOptions } from "../../src/index.js";
import { eventually, startTestEmulator, uniqueName, type TestEmulator } from "./emulator.js";
import { startMoto, type Moto } from "./moto.js";

/** moto_server's account; the emulator's callers use the same one, so ARNs agree. */
export const MOTO_ACCOUNT = "123456789012";

export function peer(endpoint: string, region = "us-east-1") {
  const common = { endpoint, region, credentials: { accessKeyId: MOTO_ACCOUNT, secretAccessKey: "x" }, maxAttempts: 1 };
  return {
    ddb: new DynamoDBClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }),
    destroy() {
      this.ddb.destroy();
      this.s3.destroy();
    },
  };
}

const FINAL = new Set(["COMPLETED", "FAILED", "ABORTED", "EXPIRED", "PARTIAL"]);

export async function backupJobEnd(c: BackupClient, id: string, ms = 30_000) {
  return eventually(async () => {
    const j = await c.send(new DescribeBackupJobCommand({ BackupJobId: id }));
    return FINAL.has(j.State ?? "") ? j : undefined;
  }, ms, 50);
}

export async function restoreJobEnd(c: BackupClient, id: string, ms = 30_000) {
  return eventually(async () => {
    const j = await c.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
    return FINAL.has(j.Status ?? "") ? j : undefined;
  }, ms, 50);
}

export async function copyJobEnd(c: BackupClient, id: string, ms = 30_000) {
  return eventually(async () => {
    const j = (await c.send(new DescribeCopyJobCommand({ CopyJobId: id }))).CopyJob!;
    return FINAL.has(j.State ?? "") ? j : undefined;
  }, ms, 50);
}

export interface Proxy {
  endpoint: string;
  /** Milliseconds each response is held back. */
  delayMs: number;
  close(): Promise<void>;
}

/** An HTTP proxy to `target` that holds every response back `delayMs`. */
export async function slowProxy(target: string, delayMs: number): Promise<Proxy> {
  const to = new URL(target);
  const proxy: Proxy = { endpoint: "", delayMs, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      setTimeout(() => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      }, proxy.delayMs);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** An endpoint where nothing listens. */
export async function deadEndpoint(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export type Item = Record<string, AttributeValue>;

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

const MIB = 1024 * 1024;

export interface TestObject {
  key: string;
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
}

/** Small and multi-MiB objects, with content types, metadata, tags and awkward keys. */
export function testObjects(): TestObject[] {
  return [
    { key: "readme.txt", body: Buffer.from("hello\n"), contentType: "text/plain", metadata: { owner: "ops" }, tags: { kind: "doc" } },
    { key: "folder/sub folder/with spaces.json", body: Buffer.from(JSON.stringify({ a: 1 })), contentType: "application/json", metadata: {}, tags: { "tag with space": "v 1" } },
    { key: "ünïcødé/日本語/ファイル.bin", body: randomBytes(1000), contentType: "application/octet-stream", metadata: { checksum: "abc" }, tags: {} },
    { key: "big/blob-1.bin", body: randomBytes(3 * MIB + 17), contentType: "application/x-big", metadata: { part: "1" }, tags: { size: "big" } },
    { key: "big/blob-2.bin", body: randomBytes(5 * MIB), contentType: "image/png", metadata: {}, tags: {} },
    { key: "empty", body: Buffer.alloc(0), contentType: "text/plain", metadata: {}, tags: {} },
  ];
}

export async function createBucket(endpoint: string, bucket: string, objects: TestObject[]): Promise<void> {
  const p = peer(endpoint);
  try {
    await p.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await p.s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: "team", Value: "web" }] } }));
    for (const o of objects) {
      await p.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: o.key,
          Body: o.body,
          ContentType: o.contentType,
          Metadata: o.metadata,
          ...(Object.keys(o.tags).length ? { Tagging: Object.entries(o.tags).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&") } : {}),
        }),
      );
    }
  } finally {
    p.destroy();
  }
}

/** Every object of a bucket as the peer returns it: hash of the body, type, metadata, tags. */
export async function readBucket(endpoint: string, bucket: string) {
  const p = peer(endpoint);
  try {
    const out: Record<string, { sha: string; size: number; contentType?: string; metadata?: Record<string, string>; tags: Record<string, string> }> = {};
    const list = await p.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const o of list.Contents ?? []) {
      const got = await p.s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
      const body = Buffer.from(await got.Body!.transformToByteArray());
      const tags = await p.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: o.Key! }));
      out[o.Key!] = {
        sha: createHash("sha256").update(body).digest("hex"),
        size: body.length,
        ...(got.ContentType ? { contentType: got.ContentType } : {}),
        metadata: got.Metadata ?? {},
        tags: Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key!, t.Value!])),
      };
    }
    return out;
  } finally {
    p.destroy();
  }
}

export interface DataPlaneSuite {
  moto: Moto;
  t: TestEmulator;
  /** A client of the account moto_server's resources belong to. */
  c: BackupClient;
  vault: string;
}

/**
 * For a describe block: moto_server and an emulator pointed at it (with `options`) start
 * before its tests, with one vault of MOTO_ACCOUNT; both stop after. Fields are set by then.
 */
export function useDataPlane(options: EmulatorOptions = {}): DataPlaneSuite {
  const suite = {} as DataPlaneSuite;
  beforeAll(async () => {
    suite.moto = await startMoto();
    suite.t = await startTestEmulator({ resourceEndpoint: suite.moto.endpoint, ...options });
    suite.c = suite.t.client({ accountId: MOTO_ACCOUNT });
    suite.vault = uniqueName("vault");
    await suite.c.send(new CreateBackupVaultCommand({ BackupVaultName: suite.vault }));
  }, 60_000);
  afterAll(async () => {
    await suite.t?.stop();
    await suite.moto?.stop();
  });
  return suite;
}
