/**
 * S3 buckets: a backup streams every object (ListObjectsV2, GetObject) into the content store,
 * one blob per body, with its content type, user metadata, headers and tags; a restore writes
 * them, byte for byte, into the bucket the restore metadata names (DestinationBucketName,
 * created when NewBucket is "true"). Unchanged objects cost nothing in a second backup.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import type { ContentStore } from "./content-store.js";
import { clientConfig, explain, isNotFound } from "./sdk.js";
import { TransferError, type Manifest, type Part, type Progress, type ResourceDataPlane, type RestoreRequest, type Sibling } from "./types.js";

/** Objects copied at once. */
const PARALLEL = 4;

export interface BucketDescription {
  Bucket: string;
  Region: string;
  Tags: Record<string, string>;
}

export type ObjectPart = Part & {
  key: string;
  contentType?: string;
  metadata?: Record<string, string>;
  tags?: Record<string, string>;
  headers?: { CacheControl?: string; ContentEncoding?: string; ContentDisposition?: string; ContentLanguage?: string };
};

export const bucketName = (arn: string): string => arn.replace(/^arn:[^:]+:s3:::/, "").split("/")[0] ?? arn;

async function sdk() {
  return import("@aws-sdk/client-s3");
}

async function client(s: Sibling): Promise<S3Client> {
  const { S3Client } = await sdk();
  // Checksums only where S3 requires them: peer emulators differ in the trailers they accept.
  return new S3Client({ ...clientConfig(s), forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
}

/** Run `fn` over `items` with at most `n` at a time; the first failure stops the rest. */
async function parallel<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failure !== undefined) throw failure;
}

const tagMap = (tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> => Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
const tagging = (tags: Record<string, string>): string =>
  Object.entries(tags)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");

async function backup(s: Sibling, resourceArn: string, content: ContentStore, progress: Progress): Promise<Manifest<BucketDescription, ObjectPart>> {
  const c = await sdk();
  const bucket = bucketName(resourceArn);
  const s3 = await client(s);
  const opts = { abortSignal: s.signal };
  try {
    try {
      await s3.send(new c.HeadBucketCommand({ Bucket: bucket }), opts);
    } catch (err) {
      if (isNotFound(err, "NotFound", "NoSuchBucket")) throw new TransferError(`S3 bucket ${bucket} does not exist in account ${s.accountId} at the resource endpoint ${s.endpoint}.`);
      throw explain(err, `reading S3 bucket ${bucket}`, s);
    }
    const bucketTags = await s3
      .send(new c.GetBucketTaggingCommand({ Bucket: bucket }), opts)
      .then((r) => tagMap(r.TagSet))
      .catch(() => ({}));
    // A first listing gives the total, so PercentDone means something.
    let token: string | undefined;
    let total = 0;
    do {
      const page = await s3.send(new c.ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }), opts).catch((err: unknown) => Promise.reject(explain(err, `listing S3 bucket ${bucket}`, s)));
      for (const o of page.Contents ?? []) total += o.Size ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    progress.total(total);
    const parts: ObjectPart[] = [];
    do {
      const page = await s3.send(new c.ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }), opts).catch((err: unknown) => Promise.reject(explain(err, `listing S3 bucket ${bucket}`, s)));
      const keys = (page.Contents ?? []).map((o) => o.Key!).filter((k) => k !== undefined);
      const got = new Array<ObjectPart | undefined>(keys.length);
      await parallel(
        keys.map((key, i) => ({ key, i })),
        PARALLEL,
        async ({ key, i }) => {
          let obj;
          try {
            obj = await s3.send(new c.GetObjectCommand({ Bucket: bucket, Key: key }), opts);
          } catch (err) {
            // Deleted between the listing and the read: not part of this backup.
            if (isNotFound(err, "NoSuchKey")) return;
            throw explain(err, `reading s3://${bucket}/${key}`, s);
          }
          const blob = await content.putStream(obj.Body as Readable, (n) => progress.add(n), s.signal).catch((err: unknown) => Promise.reject(explain(err, `reading s3://${bucket}/${key}`, s)));
          const tags = await s3
            .send(new c.GetObjectTaggingCommand({ Bucket: bucket, Key: key }), opts)
            .then((r) => tagMap(r.TagSet))
            .catch(() => ({}));
          const headers = {
            ...(obj.CacheControl ? { CacheControl: obj.CacheControl } : {}),
            ...(obj.ContentEncoding ? { ContentEncoding: obj.ContentEncoding } : {}),
            ...(obj.ContentDisposition ? { ContentDisposition: obj.ContentDisposition } : {}),
            ...(obj.ContentLanguage ? { ContentLanguage: obj.ContentLanguage } : {}),
          };
          progress.add(0, 1);
          got[i] = {
            ...blob,
            key,
            ...(obj.ContentType ? { contentType: obj.ContentType } : {}),
            ...(obj.Metadata && Object.keys(obj.Metadata).length ? { metadata: obj.Metadata } : {}),
            ...(Object.keys(tags).length ? { tags } : {}),
            ...(Object.keys(headers).length ? { headers } : {}),
          };
        },
      );
      for (const p of got) if (p) parts.push(p);
      token = page.NextContinuationToken;
    } while (token);
    const description: BucketDescription = { Bucket: bucket, Region: s.region, Tags: bucketTags };
    return {
      format: "aws-backup-emulator/content",
      version: 1,
      resourceType: "S3",
      resourceArn,
      description,
      restoreMetadata: { DestinationBucketName: bucket, NewBucket: "false", EncryptionType: "SSE-S3" },
      parts,
      sizeBytes: parts.reduce((n, p) => n + p.size, 0),
      items: parts.length,
    };
  } finally {
    s3.destroy();
  }
}

async function restore(s: Sibling, manifest: Manifest, req: RestoreRequest, content: ContentStore, progress: Progress): Promise<string> {
  const c = await sdk();
  const bucket = bucketName(req.targetArn);
  const meta = (key: string) => Object.entries(req.metadata).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  const description = manifest.description as BucketDescription;
  const s3 = await client(s);
  const opts = { abortSignal: s.signal };
  progress.total(manifest.sizeBytes);
  try {
    if (meta("NewBucket")?.toLowerCase() === "true") {
      try {
        await s3.send(new c.CreateBucketCommand({ Bucket: bucket, ...(s.region !== "us-east-1" ? { CreateBucketConfiguration: { LocationConstraint: s.region as never } } : {}) }), opts);
      } catch (err) {
        const name = (err as { name?: string }).name;
        if (name === "BucketAlreadyExists" || name === "BucketAlreadyOwnedByYou") {
          throw new TransferError(`S3 bucket ${bucket} already exists at ${s.endpoint}; set NewBucket to "false" to restore into it, or name another DestinationBucketName.`);
        }
        throw explain(err, `creating S3 bucket ${bucket}`, s);
      }
      if (Object.keys(description.Tags).length) {
        await s3
          .send(new c.PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: Object.entries(description.Tags).map(([Key, Value]) => ({ Key, Value })) } }), opts)
          .catch((err: unknown) => Promise.reject(explain(err, `tagging S3 bucket ${bucket}`, s)));
      }
    } else {
      try {
        await s3.send(new c.HeadBucketCommand({ Bucket: bucket }), opts);
      } catch (err) {
        if (isNotFound(err, "NotFound", "NoSuchBucket")) {
          throw new TransferError(`S3 bucket ${bucket} does not exist at ${s.endpoint}; set NewBucket to "true" in the restore metadata to create it.`);
        }
        throw explain(err, `reading S3 bucket ${bucket}`, s);
      }
    }
    await parallel(manifest.parts as ObjectPart[], PARALLEL, async (o) => {
      try {
        await s3.send(
          new c.PutObjectCommand({
            Bucket: bucket,
            Key: o.key,
            Body: content.read(o.hash),
            ContentLength: o.size,
            ...(o.contentType ? { ContentType: o.contentType } : {}),
            ...(o.metadata ? { Metadata: o.metadata } : {}),
            ...(o.tags ? { Tagging: tagging(o.tags) } : {}),
            ...(o.headers ?? {}),
          }),
          opts,
        );
      } catch (err) {
        throw explain(err, `writing s3://${bucket}/${o.key}`, s);
      }
      progress.add(o.size, 1);
    });
    return `arn:aws:s3:::${bucket}`;
  } finally {
    s3.destroy();
  }
}

async function remove(s: Sibling, resourceArn: string): Promise<void> {
  const c = await sdk();
  const bucket = bucketName(resourceArn);
  const s3 = await client(s);
  const opts = { abortSignal: s.signal };
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(new c.ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }), opts);
      const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
      if (keys.length) await s3.send(new c.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }), opts);
      token = page.NextContinuationToken;
    } while (token);
    await s3.send(new c.DeleteBucketCommand({ Bucket: bucket }), opts);
  } catch (err) {
    if (!isNotFound(err, "NoSuchBucket", "NotFound")) throw explain(err, `deleting S3 bucket ${bucket}`, s);
  } finally {
    s3.destroy();
  }
}

export const s3: ResourceDataPlane = {
  carriesData: true,
  backup: backup as ResourceDataPlane["backup"],
  restore,
  remove,
};
