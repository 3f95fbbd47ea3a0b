/**
 * Resource types the resource endpoint knows but whose data it does not hold (an EBS volume's
 * blocks, a file system's files, a database's rows): a backup records the resource's
 * description, and a restore creates a new resource from it there, empty. Each is a describe,
 * a create and a delete call of the type's service.
 */
import { randomBytes } from "node:crypto";
import type { ContentStore } from "./content-store.js";
import { clientConfig, explain, isNotFound } from "./sdk.js";
import { TransferError, type Manifest, type Progress, type ResourceDataPlane, type RestoreRequest, type Sibling } from "./types.js";

interface MetadataOnly<D> {
  type: string;
  describe(s: Sibling, resourceArn: string): Promise<D>;
  restoreMetadata(d: D): Record<string, string>;
  create(s: Sibling, d: D, req: RestoreRequest): Promise<string>;
  remove(s: Sibling, resourceArn: string): Promise<void>;
}

const tail = (arn: string, sep: string): string => arn.slice(arn.lastIndexOf(sep) + 1);
const meta = (req: RestoreRequest, key: string): string | undefined => Object.entries(req.metadata).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1] || undefined;
const missing = (what: string, s: Sibling) => new TransferError(`${what} does not exist in account ${s.accountId} and region ${s.region} at the resource endpoint ${s.endpoint}.`);

function plane<D>(m: MetadataOnly<D>): ResourceDataPlane {
  return {
    carriesData: false,
    async backup(s: Sibling, resourceArn: string, _content: ContentStore, progress: Progress): Promise<Manifest> {
      const description = await m.describe(s, resourceArn);
      progress.add(0, 1);
      return { format: "aws-backup-emulator/content", version: 1, resourceType: m.type, resourceArn, description, restoreMetadata: m.restoreMetadata(description), parts: [], sizeBytes: 0, items: 0 };
    },
    restore: (s, manifest, req) => m.create(s, manifest.description as D, req),
    remove: (s, arn) => m.remove(s, arn),
  };
}

interface Volume {
  VolumeId: string;
  Size: number;
  VolumeType: string;
  AvailabilityZone: string;
  Encrypted: boolean;
  Iops?: number;
  Tags: { Key: string; Value: string }[];
}

export const ebs = plane<Volume>({
  type: "EBS",
  async describe(s, arn) {
    const ec2 = await import("@aws-sdk/client-ec2");
    const client = new ec2.EC2Client(clientConfig(s));
    const id = tail(arn, "/");
    try {
      const v = (await client.send(new ec2.DescribeVolumesCommand({ VolumeIds: [id] }), { abortSignal: s.signal })).Volumes?.[0];
      if (!v) throw missing(`EBS volume ${id}`, s);
      return {
        VolumeId: id,
        Size: v.Size ?? 1,
        VolumeType: v.VolumeType ?? "gp3",
        AvailabilityZone: v.AvailabilityZone ?? `${s.region}a`,
        Encrypted: v.Encrypted ?? false,
        ...(v.Iops ? { Iops: v.Iops } : {}),
        Tags: (v.Tags ?? []).map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })),
      };
    } catch (err) {
      if (isNotFound(err, "InvalidVolume.NotFound")) throw missing(`EBS volume ${id}`, s);
      throw explain(err, `describing EBS volume ${id}`, s);
    } finally {
      client.destroy();
    }
  },
  restoreMetadata: (v) => ({ volumeId: v.VolumeId, availabilityZone: v.AvailabilityZone, volumeSize: String(v.Size), volumeType: v.VolumeType, encrypted: String(v.Encrypted) }),
  async create(s, v, req) {
    const ec2 = await import("@aws-sdk/client-ec2");
    const client = new ec2.EC2Client(clientConfig(s));
    try {
      const out = await client.send(
        new ec2.CreateVolumeCommand({
          AvailabilityZone: meta(req, "availabilityZone") ?? v.AvailabilityZone,
          Size: Number(meta(req, "volumeSize") ?? v.Size),
          VolumeType: (meta(req, "volumeType") ?? v.VolumeType) as never,
          Encrypted: (meta(req, "encrypted") ?? String(v.Encrypted)).toLowerCase() === "true",
          ...(v.Tags.length ? { TagSpecifications: [{ ResourceType: "volume", Tags: v.Tags }] } : {}),
        }),
        { abortSignal: s.signal },
      );
      return `arn:aws:ec2:${s.region}:${s.accountId}:volume/${out.VolumeId}`;
    } catch (err) {
      throw explain(err, `creating an EBS volume from ${v.VolumeId}`, s);
    } finally {
      client.destroy();
    }
  },
  async remove(s, arn) {
    const ec2 = await import("@aws-sdk/client-ec2");
    const client = new ec2.EC2Client(clientConfig(s));
    try {
      await client.send(new ec2.DeleteVolumeCommand({ VolumeId: tail(arn, "/") }), { abortSignal: s.signal });
    } catch (err) {
      if (!isNotFound(err, "InvalidVolume.NotFound")) throw explain(err, `deleting EBS volume ${tail(arn, "/")}`, s);
    } finally {
      client.destroy();
    }
  },
});

interface FileSystem {
  FileSystemId: string;
  PerformanceMode: string;
  ThroughputMode?: string;
  Encrypted: boolean;
  Tags: { Key: string; Value: string }[];
}

export const efs = plane<FileSystem>({
  type: "EFS",
  async describe(s, arn) {
    const sdk = await import("@aws-sdk/client-efs");
    const client = new sdk.EFSClient(clientConfig(s));
    const id = tail(arn, "/");
    try {
      const f = (await client.send(new sdk.DescribeFileSystemsCommand({ FileSystemId: id }), { abortSignal: s.signal })).FileSystems?.[0];
      if (!f) throw missing(`EFS file system ${id}`, s);
      return {
        FileSystemId: id,
        PerformanceMode: f.PerformanceMode ?? "generalPurpose",
        ...(f.ThroughputMode ? { ThroughputMode: f.ThroughputMode } : {}),
        Encrypted: f.Encrypted ?? false,
        Tags: (f.Tags ?? []).filter((t) => t.Key !== "Name" || t.Value).map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })),
      };
    } catch (err) {
      if (isNotFound(err, "FileSystemNotFound")) throw missing(`EFS file system ${id}`, s);
      throw explain(err, `describing EFS file system ${id}`, s);
    } finally {
      client.destroy();
    }
  },
  restoreMetadata: (f) => ({ "file-system-id": f.FileSystemId, Encrypted: String(f.Encrypted), PerformanceMode: f.PerformanceMode, newFileSystem: "true" }),
  async create(s, f, req) {
    const sdk = await import("@aws-sdk/client-efs");
    const client = new sdk.EFSClient(clientConfig(s));
    try {
      // newFileSystem=false restores into the file system the metadata names: it must exist.
      if ((meta(req, "newFileSystem") ?? "true").toLowerCase() !== "true") {
        const id = meta(req, "file-system-id") ?? f.FileSystemId;
        const found = await client.send(new sdk.DescribeFileSystemsCommand({ FileSystemId: id }), { abortSignal: s.signal }).catch(() => undefined);
        if (!found?.FileSystems?.[0]) throw missing(`EFS file system ${id}`, s);
        return found.FileSystems[0].FileSystemArn ?? `arn:aws:elasticfilesystem:${s.region}:${s.accountId}:file-system/${id}`;
      }
      const out = await client.send(
        new sdk.CreateFileSystemCommand({
          CreationToken: meta(req, "CreationToken") ?? `restore-${randomBytes(8).toString("hex")}`,
          PerformanceMode: (meta(req, "PerformanceMode") ?? f.PerformanceMode) as never,
          Encrypted: (meta(req, "Encrypted") ?? String(f.Encrypted)).toLowerCase() === "true",
          ...(f.Tags.length ? { Tags: f.Tags } : {}),
        }),
        { abortSignal: s.signal },
      );
      return out.FileSystemArn ?? `arn:aws:elasticfilesystem:${s.region}:${s.accountId}:file-system/${out.FileSystemId}`;
    } catch (err) {
      throw explain(err, `creating an EFS file system from ${f.FileSystemId}`, s);
    } finally {
      client.destroy();
    }
  },
  async remove(s, arn) {
    const sdk = await import("@aws-sdk/client-efs");
    const client = new sdk.EFSClient(clientConfig(s));
    try {
      await client.send(new sdk.DeleteFileSystemCommand({ FileSystemId: tail(arn, "/") }), { abortSignal: s.signal });
    } catch (err) {
      if (!isNotFound(err, "FileSystemNotFound")) throw explain(err, `deleting EFS file system ${tail(arn, "/")}`, s);
    } finally {
      client.destroy();
    }
  },
});

interface DbInstance {
  DBInstanceIdentifier: string;
  DBInstanceClass: string;
  Engine: string;
  EngineVersion?: string;
  AllocatedStorage: number;
  MultiAZ: boolean;
  MasterUsername: string;
  Tags: { Key: string; Value: string }[];
}

export const rds = plane<DbInstance>({
  type: "RDS",
  async describe(s, arn) {
    const sdk = await import("@aws-sdk/client-rds");
    const client = new sdk.RDSClient(clientConfig(s));
    const id = tail(arn, ":");
    try {
      const d = (await client.send(new sdk.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), { abortSignal: s.signal })).DBInstances?.[0];
      if (!d) throw missing(`RDS DB instance ${id}`, s);
      return {
        DBInstanceIdentifier: id,
        DBInstanceClass: d.DBInstanceClass ?? "db.t3.micro",
        Engine: d.Engine ?? "postgres",
        ...(d.EngineVersion ? { EngineVersion: d.EngineVersion } : {}),
        AllocatedStorage: d.AllocatedStorage ?? 20,
        MultiAZ: d.MultiAZ ?? false,
        MasterUsername: d.MasterUsername ?? "admin",
        Tags: (d.TagList ?? []).map((t) => ({ Key: t.Key ?? "", Value: t.Value ?? "" })),
      };
    } catch (err) {
      if (isNotFound(err, "DBInstanceNotFoundFault", "DBInstanceNotFound")) throw missing(`RDS DB instance ${id}`, s);
      throw explain(err, `describing RDS DB instance ${id}`, s);
    } finally {
      client.destroy();
    }
  },
  restoreMetadata: (d) => ({ DBInstanceIdentifier: d.DBInstanceIdentifier, DBInstanceClass: d.DBInstanceClass, Engine: d.Engine, MultiAZ: String(d.MultiAZ) }),
  async create(s, d, req) {
    const sdk = await import("@aws-sdk/client-rds");
    const client = new sdk.RDSClient(clientConfig(s));
    const id = tail(req.targetArn, ":");
    try {
      const out = await client.send(
        new sdk.CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          DBInstanceClass: meta(req, "DBInstanceClass") ?? d.DBInstanceClass,
          Engine: d.Engine,
          ...(d.EngineVersion ? { EngineVersion: d.EngineVersion } : {}),
          AllocatedStorage: d.AllocatedStorage,
          MultiAZ: (meta(req, "MultiAZ") ?? String(d.MultiAZ)).toLowerCase() === "true",
          MasterUsername: d.MasterUsername,
          // A restored instance keeps the source's password in AWS; the description does not carry it.
          MasterUserPassword: randomBytes(12).toString("hex"),
          ...(d.Tags.length ? { Tags: d.Tags } : {}),
        }),
        { abortSignal: s.signal },
      );
      return out.DBInstance?.DBInstanceArn ?? req.targetArn;
    } catch (err) {
      if ((err as { name?: string }).name === "DBInstanceAlreadyExistsFault") {
        throw new TransferError(`RDS DB instance ${id} already exists at ${s.endpoint}; restore under another DBInstanceIdentifier.`);
      }
      throw explain(err, `creating RDS DB instance ${id}`, s);
    } finally {
      client.destroy();
    }
  },
  async remove(s, arn) {
    const sdk = await import("@aws-sdk/client-rds");
    const client = new sdk.RDSClient(clientConfig(s));
    try {
      await client.send(new sdk.DeleteDBInstanceCommand({ DBInstanceIdentifier: tail(arn, ":"), SkipFinalSnapshot: true }), { abortSignal: s.signal });
    } catch (err) {
      if (!isNotFound(err, "DBInstanceNotFoundFault", "DBInstanceNotFound")) throw explain(err, `deleting RDS DB instance ${tail(arn, ":")}`, s);
    } finally {
      client.destroy();
    }
  },
});
