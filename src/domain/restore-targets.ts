/**
 * What a restore works with, per resource type: the restore metadata a recovery point offers
 * (GetRecoveryPointRestoreMetadata), and the resource a restore job creates from the metadata
 * it was started with (DescribeRestoreJob CreatedResourceArn).
 *
 * Keys follow the developer guide's per-service restore pages and "Restore testing inferred
 * metadata" (targetTableName for DynamoDB, file-system-id/newFileSystem for EFS,
 * DBInstanceIdentifier for RDS, DestinationBucketName/NewBucket for S3 …). The guide says
 * restore metadata keys are not case sensitive, so lookups here ignore case. The metadata a
 * recovery point offers uses the same keys StartRestoreJob reads, so it can be passed back
 * as it is.
 */
import type { RecoveryPointRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import { parseArn } from "./arn.js";
import { hex, stableUuid, uuid } from "./ids.js";
import { resourceNameOf } from "./resources.js";

export type RestoreMetadata = Record<string, string>;

const GIB = 1024 ** 3;

/** The value of `key` in restore metadata, matched without regard to case. */
export function metadataValue(metadata: RestoreMetadata, key: string): string | undefined {
  const want = key.toLowerCase();
  for (const [k, v] of Object.entries(metadata)) if (k.toLowerCase() === want && v !== "") return v;
  return undefined;
}

const isTrue = (v: string | undefined): boolean => v?.toLowerCase() === "true";

/** The metadata a recovery point offers for restoring it: the configuration of the resource it came from. */
export function recoveryPointRestoreMetadata(rp: RecoveryPointRecord, scope: Scope): RestoreMetadata {
  const name = resourceNameOf(rp.ResourceArn) ?? "";
  switch (rp.ResourceType) {
    case "DynamoDB":
      return { targetTableName: name, encryptionType: "Default", deletionProtection: "false" };
    case "EBS":
      return {
        volumeId: name,
        availabilityZone: `${scope.region}a`,
        volumeSize: String(Math.max(1, Math.ceil((rp.BackupSizeInBytes ?? GIB) / GIB))),
        volumeType: "gp3",
        encrypted: "false",
      };
    case "EC2":
      return { InstanceType: "t3.micro", DisableApiTermination: "false", RequireIMDSv2: "true", InstanceInitiatedShutdownBehavior: "stop" };
    case "EFS":
      return { "file-system-id": name, Encrypted: "false", PerformanceMode: "generalPurpose", newFileSystem: "true", CreationToken: stableUuid(rp.RecoveryPointArn) };
    case "RDS":
      return { DBInstanceIdentifier: name, DBInstanceClass: "db.t3.micro", MultiAZ: "false" };
    case "Aurora":
    case "DocumentDB":
    case "Neptune":
      return { DBClusterIdentifier: name };
    case "S3":
      return { DestinationBucketName: name, NewBucket: "false", EncryptionType: "SSE-S3" };
    case "FSx":
      return { FileSystemId: name };
    case "Redshift":
      return { ClusterIdentifier: name };
    case "EKS":
      return { clusterName: name, newCluster: "false" };
    case "CloudFormation":
      return { StackName: name };
    default:
      return { ResourceName: name };
  }
}

/** What a restore job needs to know to name the resource it creates. */
export interface RestoreTarget {
  jobId: string;
  resourceType: string;
  /** The resource the recovery point was taken of. */
  sourceResourceArn: string | undefined;
  metadata: RestoreMetadata;
}

/**
 * The ARN of the resource a restore creates, in the caller's account and region: a new table,
 * volume, instance, file system, DB instance or cluster …, named by the metadata where the
 * metadata names it, else after the source with a suffix of the job id.
 */
export function createdResourceArn(scope: Scope, t: RestoreTarget): string {
  const { region, accountId: account } = scope;
  const m = (key: string) => metadataValue(t.metadata, key);
  const source = t.sourceResourceArn ?? "";
  const sourceName = resourceNameOf(source) ?? "restored";
  const fallbackName = `${sourceName}-restored-${t.jobId.slice(0, 8)}`;
  switch (t.resourceType) {
    case "DynamoDB":
      return `arn:aws:dynamodb:${region}:${account}:table/${m("targetTableName") ?? fallbackName}`;
    case "EBS":
      return `arn:aws:ec2:${region}:${account}:volume/vol-${hex(17)}`;
    case "EC2":
      return `arn:aws:ec2:${region}:${account}:instance/i-${hex(17)}`;
    case "EFS":
      // newFileSystem=false restores into the existing file system named by file-system-id.
      if (m("newFileSystem") !== undefined && !isTrue(m("newFileSystem"))) {
        return `arn:aws:elasticfilesystem:${region}:${account}:file-system/${m("file-system-id") ?? sourceName}`;
      }
      return `arn:aws:elasticfilesystem:${region}:${account}:file-system/fs-${hex(17)}`;
    case "RDS":
      // RDS stores instance identifiers in lower case.
      return `arn:aws:rds:${region}:${account}:db:${(m("DBInstanceIdentifier") ?? fallbackName).toLowerCase()}`;
    case "Aurora":
    case "DocumentDB":
    case "Neptune":
      return `arn:aws:rds:${region}:${account}:cluster:${(m("DBClusterIdentifier") ?? fallbackName).toLowerCase()}`;
    case "S3":
      return `arn:aws:s3:::${m("DestinationBucketName") ?? sourceName}`;
    case "FSx": {
      const res = parseArn(source)?.resource ?? "";
      if (res.startsWith("volume/")) {
        const fsId = res.split("/")[1] ?? `fs-${hex(17)}`;
        return `arn:aws:fsx:${region}:${account}:volume/${fsId}/fsvol-${hex(17)}`;
      }
      return `arn:aws:fsx:${region}:${account}:file-system/fs-${hex(17)}`;
    }
    case "Redshift":
      return `arn:aws:redshift:${region}:${account}:cluster:${(m("ClusterIdentifier") ?? fallbackName).toLowerCase()}`;
    case "Timestream": {
      // Source: database/<db>/table/<table>.
      const parts = (parseArn(source)?.resource ?? "").split("/");
      const db = m("DatabaseName") ?? parts[1] ?? "restored";
      return `arn:aws:timestream:${region}:${account}:database/${db}/table/${m("TableName") ?? `${parts[3] ?? "table"}-restored-${t.jobId.slice(0, 8)}`}`;
    }
    case "Storage Gateway": {
      const gateway = (parseArn(source)?.resource ?? "").split("/")[1] ?? `sgw-${hex(8).toUpperCase()}`;
      return `arn:aws:storagegateway:${region}:${account}:gateway/${gateway}/volume/vol-${hex(17).toUpperCase()}`;
    }
    case "VirtualMachine":
      // A virtual machine restores either as an EC2 instance or as a new VMware VM.
      if (m("RestoreTo")?.toLowerCase() === "ec2instance") return `arn:aws:ec2:${region}:${account}:instance/i-${hex(17)}`;
      return `arn:aws:backup-gateway:${region}:${account}:vm/vm-${hex(17)}`;
    case "CloudFormation":
      return `arn:aws:cloudformation:${region}:${account}:stack/${m("StackName") ?? fallbackName}/${uuid()}`;
    case "EKS":
      return `arn:aws:eks:${region}:${account}:cluster/${m("clusterName") ?? fallbackName}`;
    default: {
      // SAP HANA and other in-place restores write into the database they name, else the source.
      const a = parseArn(source);
      return a ? `arn:${a.partition}:${a.service}:${region}:${account}:${a.resource}` : source;
    }
  }
}
