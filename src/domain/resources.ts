/**
 * What the emulator knows of the resources AWS Backup protects: the resource type an ARN
 * names, its display name, and the shape of recovery point ARNs per type. Backup infers the
 * type from the ARN's service and resource prefix (EBS volumes and EC2 instances both live
 * under `ec2`).
 */
import { parseArn } from "./arn.js";
import { hex, uuid } from "./ids.js";
import type { Scope } from "../store/table.js";

/** The types GetSupportedResourceTypes lists (API reference, GetSupportedResourceTypes). */
export const SUPPORTED_RESOURCE_TYPES = [
  "Aurora",
  "CloudFormation",
  "DocumentDB",
  "DynamoDB",
  "EBS",
  "EC2",
  "EFS",
  "EKS",
  "FSx",
  "Neptune",
  "RDS",
  "Redshift",
  "S3",
  "SAP HANA on Amazon EC2",
  "Storage Gateway",
  "Timestream",
  "VirtualMachine",
] as const;
export type ResourceType = (typeof SUPPORTED_RESOURCE_TYPES)[number];

interface TypeRule {
  service: string;
  /** Resource part prefix, e.g. `volume/`; undefined matches any. */
  prefix?: string;
  type: ResourceType;
}

const RULES: TypeRule[] = [
  { service: "ec2", prefix: "volume/", type: "EBS" },
  { service: "ec2", prefix: "instance/", type: "EC2" },
  { service: "elasticfilesystem", prefix: "file-system/", type: "EFS" },
  { service: "dynamodb", prefix: "table/", type: "DynamoDB" },
  { service: "rds", prefix: "db:", type: "RDS" },
  { service: "rds", prefix: "cluster:", type: "Aurora" },
  { service: "docdb", type: "DocumentDB" },
  { service: "neptune-db", type: "Neptune" },
  { service: "fsx", prefix: "file-system/", type: "FSx" },
  { service: "fsx", prefix: "volume/", type: "FSx" },
  { service: "storagegateway", prefix: "gateway/", type: "Storage Gateway" },
  { service: "s3", type: "S3" },
  { service: "redshift", prefix: "cluster:", type: "Redshift" },
  { service: "timestream", prefix: "database/", type: "Timestream" },
  { service: "cloudformation", prefix: "stack/", type: "CloudFormation" },
  { service: "ssm-sap", type: "SAP HANA on Amazon EC2" },
  { service: "backup-gateway", prefix: "vm/", type: "VirtualMachine" },
  { service: "eks", prefix: "cluster/", type: "EKS" },
];

/** The resource type of a protected resource's ARN, or undefined when Backup does not support it. */
export function resourceTypeOf(resourceArn: string): ResourceType | undefined {
  const arn = parseArn(resourceArn);
  if (!arn) return undefined;
  return RULES.find((r) => r.service === arn.service && (r.prefix === undefined || arn.resource.startsWith(r.prefix)))?.type;
}

/** The name Backup shows for a resource: the last part of its resource id. */
export function resourceNameOf(resourceArn: string): string | undefined {
  const arn = parseArn(resourceArn);
  if (!arn) return undefined;
  const parts = arn.resource.split(/[:/]/).filter(Boolean);
  // table/Name, db:name, vm/vm-1 → the part after the type word; S3 buckets have no type word.
  return parts.length > 1 ? parts[1] : parts[0];
}

/**
 * The ARN a new recovery point of this type gets. EBS and EC2 recovery points are the
 * service's own snapshots and images (their ARNs have no account and contain `/`); RDS and
 * Aurora snapshots are named after the job; fully managed types get a Backup recovery point ARN.
 */
export function newRecoveryPointArn(scope: Scope, type: string, jobId: string): string {
  switch (type) {
    case "EBS":
      return `arn:aws:ec2:${scope.region}::snapshot/snap-${hex(17)}`;
    case "EC2":
      return `arn:aws:ec2:${scope.region}::image/ami-${hex(17)}`;
    case "RDS":
      return `arn:aws:rds:${scope.region}:${scope.accountId}:snapshot:awsbackup:job-${jobId}`;
    case "Aurora":
    case "DocumentDB":
    case "Neptune":
      return `arn:aws:rds:${scope.region}:${scope.accountId}:cluster-snapshot:awsbackup:job-${jobId}`;
    default:
      return `arn:aws:backup:${scope.region}:${scope.accountId}:recovery-point:${uuid()}`;
  }
}

/** Simulated size of a backup: stable per resource so repeated backups look alike. */
export function simulatedSizeBytes(resourceArn: string): number {
  let h = 0;
  for (const c of resourceArn) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return (1 + (h % 1000)) * 1024 * 1024;
}
