/**
 * DynamoDB tables: a backup records the table's description (keys, indexes, billing, stream,
 * TTL, encryption, tags) and every item, scanned page by page into NDJSON chunks of bounded
 * size (each chunk a blob, items in DynamoDB's JSON form with binary values in base64). A
 * restore creates the table under a new name, waits for it to be ACTIVE and writes the items
 * back in BatchWriteItem batches.
 */
import type { AttributeValue, CreateTableCommandInput, DynamoDBClient, WriteRequest } from "@aws-sdk/client-dynamodb";
import { createInterface } from "node:readline";
import type { ContentStore } from "./content-store.js";
import { clientConfig, explain, isNotFound, pause } from "./sdk.js";
import { TransferError, type Manifest, type Part, type Progress, type ResourceDataPlane, type RestoreRequest, type Sibling } from "./types.js";

/** A chunk of items is cut once it passes this size. */
const CHUNK_BYTES = 1024 * 1024;
const BATCH = 25;
const BATCHES_IN_FLIGHT = 4;
/** Retries of a batch's UnprocessedItems before the restore fails. */
const UNPROCESSED_RETRIES = 8;
const ACTIVE_WAIT_MS = 120_000;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface TableDescription {
  TableName: string;
  TableArn?: string;
  KeySchema: { AttributeName: string; KeyType: string }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  BillingMode: "PROVISIONED" | "PAY_PER_REQUEST";
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  LocalSecondaryIndexes?: { IndexName: string; KeySchema: TableDescription["KeySchema"]; Projection: Json }[];
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: TableDescription["KeySchema"]; Projection: Json; ProvisionedThroughput?: TableDescription["ProvisionedThroughput"] }[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: string };
  SSE?: { SSEType?: string; KMSMasterKeyArn?: string };
  TimeToLive?: { AttributeName: string };
  DeletionProtectionEnabled?: boolean;
  Tags: { Key: string; Value: string }[];
}

type ChunkPart = Part & { items: number };

export const tableName = (arn: string): string => arn.split(":table/")[1]?.split("/")[0] ?? arn;

/** An attribute value as JSON (binary as base64, as on DynamoDB's wire). */
function encode(av: AttributeValue): Json {
  const v = av as unknown as Record<string, unknown>;
  if (v.B instanceof Uint8Array) return { B: Buffer.from(v.B).toString("base64") };
  if (Array.isArray(v.BS)) return { BS: (v.BS as Uint8Array[]).map((b) => Buffer.from(b).toString("base64")) };
  if (Array.isArray(v.L)) return { L: (v.L as AttributeValue[]).map(encode) };
  if (v.M) return { M: Object.fromEntries(Object.entries(v.M as Record<string, AttributeValue>).map(([k, x]) => [k, encode(x)])) };
  return Object.fromEntries(Object.entries(v).filter(([k, x]) => x !== undefined && k !== "$unknown")) as Json;
}

function decode(j: Json): AttributeValue {
  const v = j as Record<string, Json>;
  if (typeof v.B === "string") return { B: Buffer.from(v.B, "base64") };
  if (Array.isArray(v.BS)) return { BS: (v.BS as string[]).map((b) => Buffer.from(b, "base64")) };
  if (Array.isArray(v.L)) return { L: v.L.map(decode) };
  if (v.M && typeof v.M === "object") return { M: Object.fromEntries(Object.entries(v.M as Record<string, Json>).map(([k, x]) => [k, decode(x)])) };
  return v as unknown as AttributeValue;
}

async function sdk() {
  return import("@aws-sdk/client-dynamodb");
}

async function describe(client: DynamoDBClient, name: string, s: Sibling): Promise<TableDescription & { sizeBytes: number }> {
  const d = await sdk();
  const opts = { abortSignal: s.signal };
  let t;
  try {
    t = (await client.send(new d.DescribeTableCommand({ TableName: name }), opts)).Table;
  } catch (err) {
    if (isNotFound(err, "ResourceNotFoundException")) {
      throw new TransferError(`DynamoDB table ${name} does not exist in account ${s.accountId} and region ${s.region} at the resource endpoint ${s.endpoint}.`);
    }
    throw explain(err, `describing DynamoDB table ${name}`, s);
  }
  if (!t?.KeySchema || !t.AttributeDefinitions) throw new TransferError(`The resource endpoint ${s.endpoint} described DynamoDB table ${name} without its key schema.`);
  const ttl = await client.send(new d.DescribeTimeToLiveCommand({ TableName: name }), opts).catch(() => undefined);
  const tags: { Key: string; Value: string }[] = [];
  if (t.TableArn) {
    let token: string | undefined;
    do {
      const page = await client.send(new d.ListTagsOfResourceCommand({ ResourceArn: t.TableArn, NextToken: token }), opts).catch(() => undefined);
      for (const tag of page?.Tags ?? []) tags.push({ Key: tag.Key ?? "", Value: tag.Value ?? "" });
      token = page?.NextToken;
    } while (token);
  }
  const billing = t.BillingModeSummary?.BillingMode === "PAY_PER_REQUEST" ? "PAY_PER_REQUEST" : "PROVISIONED";
  const throughput = (p: { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined) =>
    billing === "PROVISIONED" && p ? { ReadCapacityUnits: p.ReadCapacityUnits || 1, WriteCapacityUnits: p.WriteCapacityUnits || 1 } : undefined;
  const keys = (k: { AttributeName?: string; KeyType?: string }[] | undefined) => (k ?? []).map((x) => ({ AttributeName: x.AttributeName ?? "", KeyType: x.KeyType ?? "HASH" }));
  const pt = throughput(t.ProvisionedThroughput);
  const sseOn = t.SSEDescription?.Status === "ENABLED" || t.SSEDescription?.Status === "ENABLING";
  const ttlName = ttl?.TimeToLiveDescription?.TimeToLiveStatus === "ENABLED" || ttl?.TimeToLiveDescription?.TimeToLiveStatus === "ENABLING" ? ttl.TimeToLiveDescription.AttributeName : undefined;
  return {
    TableName: name,
    ...(t.TableArn ? { TableArn: t.TableArn } : {}),
    KeySchema: keys(t.KeySchema),
    AttributeDefinitions: t.AttributeDefinitions.map((a) => ({ AttributeName: a.AttributeName ?? "", AttributeType: a.AttributeType ?? "S" })),
    BillingMode: billing,
    ...(pt ? { ProvisionedThroughput: pt } : {}),
    ...(t.LocalSecondaryIndexes?.length
      ? { LocalSecondaryIndexes: t.LocalSecondaryIndexes.map((i) => ({ IndexName: i.IndexName ?? "", KeySchema: keys(i.KeySchema), Projection: (i.Projection ?? { ProjectionType: "ALL" }) as Json })) }
      : {}),
    ...(t.GlobalSecondaryIndexes?.length
      ? {
          GlobalSecondaryIndexes: t.GlobalSecondaryIndexes.map((i) => {
            const gpt = throughput(i.ProvisionedThroughput);
            return { IndexName: i.IndexName ?? "", KeySchema: keys(i.KeySchema), Projection: (i.Projection ?? { ProjectionType: "ALL" }) as Json, ...(gpt ? { ProvisionedThroughput: gpt } : {}) };
          }),
        }
      : {}),
    ...(t.StreamSpecification?.StreamEnabled ? { StreamSpecification: { StreamEnabled: true, ...(t.StreamSpecification.StreamViewType ? { StreamViewType: t.StreamSpecification.StreamViewType } : {}) } } : {}),
    ...(sseOn ? { SSE: { ...(t.SSEDescription?.SSEType ? { SSEType: t.SSEDescription.SSEType } : {}), ...(t.SSEDescription?.KMSMasterKeyArn ? { KMSMasterKeyArn: t.SSEDescription.KMSMasterKeyArn } : {}) } } : {}),
    ...(ttlName ? { TimeToLive: { AttributeName: ttlName } } : {}),
    ...(t.DeletionProtectionEnabled !== undefined ? { DeletionProtectionEnabled: t.DeletionProtectionEnabled } : {}),
    Tags: tags,
    sizeBytes: t.TableSizeBytes ?? 0,
  };
}

function restoreMetadataOf(t: TableDescription): Record<string, string> {
  const kms = t.SSE?.SSEType === "KMS" && t.SSE.KMSMasterKeyArn;
  return {
    targetTableName: t.TableName,
    encryptionType: kms ? "KMS" : "Default",
    ...(kms ? { kmsMasterKeyArn: t.SSE!.KMSMasterKeyArn! } : {}),
    deletionProtection: String(t.DeletionProtectionEnabled ?? false),
    ...(t.TableArn ? { sourceTableArn: t.TableArn } : {}),
    billingMode: t.BillingMode,
  };
}

async function backup(s: Sibling, resourceArn: string, content: ContentStore, progress: Progress): Promise<Manifest<TableDescription, ChunkPart>> {
  const d = await sdk();
  const name = tableName(resourceArn);
  const client = new d.DynamoDBClient(clientConfig(s));
  try {
    const { sizeBytes, ...table } = await describe(client, name, s);
    progress.total(sizeBytes);
    const parts: ChunkPart[] = [];
    let lines: string[] = [];
    let pending = 0;
    let items = 0;
    const flush = async () => {
      if (lines.length === 0) return;
      const blob = await content.putBuffer(lines.join(""));
      parts.push({ ...blob, items: lines.length });
      lines = [];
      pending = 0;
    };
    let start: Record<string, AttributeValue> | undefined;
    do {
      let page;
      try {
        page = await client.send(new d.ScanCommand({ TableName: name, ExclusiveStartKey: start }), { abortSignal: s.signal });
      } catch (err) {
        throw explain(err, `scanning DynamoDB table ${name}`, s);
      }
      for (const item of page.Items ?? []) {
        const line = JSON.stringify(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, encode(v)]))) + "\n";
        lines.push(line);
        pending += Buffer.byteLength(line);
        items++;
        progress.add(Buffer.byteLength(line), 1);
        if (pending >= CHUNK_BYTES) await flush();
      }
      start = page.LastEvaluatedKey;
    } while (start);
    await flush();
    return {
      format: "aws-backup-emulator/content",
      version: 1,
      resourceType: "DynamoDB",
      resourceArn,
      description: table,
      restoreMetadata: restoreMetadataOf(table),
      parts,
      sizeBytes: parts.reduce((n, p) => n + p.size, 0),
      items,
    };
  } finally {
    client.destroy();
  }
}

async function restore(s: Sibling, manifest: Manifest, req: RestoreRequest, content: ContentStore, progress: Progress): Promise<string> {
  const d = await sdk();
  const t = manifest.description as TableDescription;
  const target = tableName(req.targetArn);
  const meta = (key: string) => Object.entries(req.metadata).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  const client = new d.DynamoDBClient(clientConfig(s));
  const opts = { abortSignal: s.signal };
  progress.total(manifest.sizeBytes);
  try {
    const kms = meta("encryptionType")?.toUpperCase() === "KMS";
    const input: CreateTableCommandInput = {
      TableName: target,
      KeySchema: t.KeySchema as CreateTableCommandInput["KeySchema"],
      AttributeDefinitions: t.AttributeDefinitions as CreateTableCommandInput["AttributeDefinitions"],
      BillingMode: t.BillingMode,
      ...(t.ProvisionedThroughput ? { ProvisionedThroughput: t.ProvisionedThroughput } : {}),
      ...(t.LocalSecondaryIndexes ? { LocalSecondaryIndexes: t.LocalSecondaryIndexes as CreateTableCommandInput["LocalSecondaryIndexes"] } : {}),
      ...(t.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: t.GlobalSecondaryIndexes as CreateTableCommandInput["GlobalSecondaryIndexes"] } : {}),
      ...(t.StreamSpecification ? { StreamSpecification: t.StreamSpecification as CreateTableCommandInput["StreamSpecification"] } : {}),
      ...(kms ? { SSESpecification: { Enabled: true, SSEType: "KMS", ...(meta("kmsMasterKeyArn") ? { KMSMasterKeyId: meta("kmsMasterKeyArn") } : {}) } } : {}),
      ...(meta("deletionProtection")?.toLowerCase() === "true" ? { DeletionProtectionEnabled: true } : {}),
      ...(t.Tags.length ? { Tags: t.Tags } : {}),
    };
    let arn: string | undefined;
    try {
      arn = (await client.send(new d.CreateTableCommand(input), opts)).TableDescription?.TableArn;
    } catch (err) {
      if ((err as { name?: string }).name === "ResourceInUseException") {
        throw new TransferError(`DynamoDB table ${target} already exists in account ${s.accountId} and region ${s.region} at ${s.endpoint}; restore under another targetTableName.`);
      }
      throw explain(err, `creating DynamoDB table ${target}`, s);
    }
    const until = Date.now() + ACTIVE_WAIT_MS;
    for (;;) {
      const status = (await client.send(new d.DescribeTableCommand({ TableName: target }), opts).catch((err: unknown) => Promise.reject(explain(err, `waiting for DynamoDB table ${target}`, s)))).Table?.TableStatus;
      if (status === "ACTIVE") break;
      if (Date.now() > until) throw new TransferError(`DynamoDB table ${target} at ${s.endpoint} was still ${status} after ${ACTIVE_WAIT_MS / 1000} s.`);
      await pause(200, s.signal);
    }
    if (t.TimeToLive) {
      await client
        .send(new d.UpdateTimeToLiveCommand({ TableName: target, TimeToLiveSpecification: { Enabled: true, AttributeName: t.TimeToLive.AttributeName } }), opts)
        .catch((err: unknown) => Promise.reject(explain(err, `setting the TTL of DynamoDB table ${target}`, s)));
    }
    const write = async (batch: WriteRequest[], bytes: number) => {
      let requests = batch;
      for (let attempt = 0; ; attempt++) {
        let out;
        try {
          out = await client.send(new d.BatchWriteItemCommand({ RequestItems: { [target]: requests } }), opts);
        } catch (err) {
          throw explain(err, `writing items into DynamoDB table ${target}`, s);
        }
        const left = out.UnprocessedItems?.[target] ?? [];
        if (left.length === 0) break;
        if (attempt >= UNPROCESSED_RETRIES) throw new TransferError(`DynamoDB table ${target} at ${s.endpoint} left ${left.length} items unprocessed after ${UNPROCESSED_RETRIES} retries.`);
        requests = left;
        await pause(Math.min(2000, 50 * 2 ** attempt), s.signal);
      }
      progress.add(bytes, batch.length);
    };
    // Batches go out a few at a time; the first failure stops the restore.
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const launch = async (batch: WriteRequest[], bytes: number) => {
      const p: Promise<void> = write(batch, bytes)
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
      if (failure) throw failure;
    };
    try {
      for (const part of manifest.parts) {
        let batch: WriteRequest[] = [];
        let bytes = 0;
        for await (const line of createInterface({ input: content.read(part.hash), crlfDelay: Infinity })) {
          if (!line) continue;
          const item = JSON.parse(line) as Record<string, Json>;
          batch.push({ PutRequest: { Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, decode(v)])) } });
          bytes += Buffer.byteLength(line) + 1;
          if (batch.length === BATCH) {
            await launch(batch, bytes);
            batch = [];
            bytes = 0;
          }
        }
        if (batch.length) await launch(batch, bytes);
      }
    } finally {
      await Promise.all(inFlight);
    }
    if (failure) throw failure;
    return arn ?? req.targetArn;
  } finally {
    client.destroy();
  }
}

async function remove(s: Sibling, resourceArn: string): Promise<void> {
  const d = await sdk();
  const client = new d.DynamoDBClient(clientConfig(s));
  try {
    await client.send(new d.DeleteTableCommand({ TableName: tableName(resourceArn) }), { abortSignal: s.signal });
  } catch (err) {
    if (!isNotFound(err, "ResourceNotFoundException")) throw explain(err, `deleting DynamoDB table ${tableName(resourceArn)}`, s);
  } finally {
    client.destroy();
  }
}

export const dynamodb: ResourceDataPlane = {
  carriesData: true,
  backup: backup as ResourceDataPlane["backup"],
  restore,
  remove,
};
