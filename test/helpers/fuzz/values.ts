/**
 * Valid inputs for every operation, generated from the model's schemas. Members whose schema is
 * only "a string" (ARNs, ids, cron expressions, JSON documents) mostly get values with meaning,
 * many of them naming resources that exist (the pools), so valid requests reach the handlers'
 * success paths and mutations reach existing state; the rest are schema-driven.
 */
import fc from "fast-check";
import type { OperationId } from "../../../generated/operations.js";
import { conforms, inputSchemaOf, mapValueSchema, resolve, specOf, type JsonSchema } from "./model.js";

/**
 * Names and ids of resources that exist, by kind. Generators read the arrays when they draw a
 * value, so refreshing them in place (poolsFrom) keeps requests aimed at what exists now.
 */
export interface Pools {
  vaults: string[];
  vaultArns: string[];
  /** Logically air-gapped vaults: the only ones MPA teams and restore access apply to. */
  lagVaults: string[];
  lagVaultArns: string[];
  plans: string[];
  planVersions: string[];
  selections: string[];
  /** [plan id, selection id] of each selection. */
  selectionPairs: [string, string][];
  backupJobs: string[];
  recoveryPoints: string[];
  /** [vault name, recovery point ARN] of each recovery point. */
  pointPairs: [string, string][];
  resources: string[];
  /** ARNs TagResource accepts: the Backup resources that exist. */
  taggable: string[];
  copyJobs: string[];
  restoreJobs: string[];
  legalHolds: string[];
  frameworks: string[];
  frameworkArns: string[];
  reportPlans: string[];
  reportJobs: string[];
  restoreTestingPlans: string[];
  restoreTestingSelections: string[];
  /** [plan name, selection name] of each restore testing selection. */
  restoreTestingPairs: [string, string][];
  tieringConfigurations: string[];
  scanJobs: string[];
  planTemplates: string[];
}

export const emptyPools = (): Pools => ({
  vaults: [],
  vaultArns: [],
  lagVaults: [],
  lagVaultArns: [],
  plans: [],
  planVersions: [],
  selections: [],
  selectionPairs: [],
  backupJobs: [],
  recoveryPoints: [],
  pointPairs: [],
  resources: [],
  taggable: [],
  copyJobs: [],
  restoreJobs: [],
  legalHolds: [],
  frameworks: [],
  frameworkArns: [],
  reportPlans: [],
  reportJobs: [],
  restoreTestingPlans: [],
  restoreTestingSelections: [],
  restoreTestingPairs: [],
  tieringConfigurations: [],
  scanJobs: [],
  planTemplates: [],
});

/**
 * One element of a pool as it is when the value is drawn (`missing` when it is empty then): half
 * the time one of the first few, which the pools order to be the seeded and busiest resources,
 * since what the fuzzer itself creates soon outnumbers them.
 */
function live<T>(pool: readonly T[], missing: T): fc.Arbitrary<T> {
  return fc.tuple(fc.nat(), fc.boolean()).map(([i, lead]) => (pool.length ? nth(pool, i, lead) : missing));
}

const nth = <T>(pool: readonly T[], i: number, lead: boolean): T => pool[i % (lead ? Math.min(pool.length, 5) : pool.length)]!;

export const ROLE_ARN = "arn:aws:iam::000000000000:role/service-role/AWSBackupDefaultServiceRole";
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z: timestamps near "now" without reading the clock.
const DAY = 86_400;

const hex = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: n, maxLength: n });
const resourceArn = fc.oneof(
  hex(17).map((h) => `arn:aws:ec2:us-east-1:000000000000:volume/vol-${h}`),
  hex(17).map((h) => `arn:aws:ec2:us-east-1:000000000000:instance/i-${h}`),
  hex(8).map((h) => `arn:aws:s3:::bucket-${h}`),
  hex(8).map((h) => `arn:aws:dynamodb:us-east-1:000000000000:table/t-${h}`),
  hex(8).map((h) => `arn:aws:rds:us-east-1:000000000000:db:db-${h}`),
  hex(8).map((h) => `arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-${h}`),
);
const resourceType = fc.constantFrom("EBS", "EC2", "S3", "DynamoDB", "RDS", "EFS", "Aurora", "FSx", "Storage Gateway", "VirtualMachine");
const cron = fc.constantFrom("cron(0 5 ? * * *)", "cron(0 12 * * ? *)", "cron(15 */6 ? * MON-FRI *)", "rate(1 hour)", "cron(0 0 1 * ? *)");
const timezone = fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata");
const policy = fc.constant(
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "backup:DeleteRecoveryPoint", Resource: "*" }] }),
);
const planTemplateJson = fc.constant(
  JSON.stringify({ BackupPlan: { BackupPlanName: "from-json", Rules: [{ RuleName: "daily", TargetBackupVaultName: "Default", ScheduleExpression: "cron(0 5 ? * * *)" }] } }),
);

const NEW_NAME = "new";
const newName = (pattern: RegExp) => fc.stringMatching(pattern);
const CONTROLS = [
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
  "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
  "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
  "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
  "BACKUP_RECOVERY_POINT_ENCRYPTED",
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
  "BACKUP_LAST_RECOVERY_POINT_CREATED",
];

/**
 * Values with meaning for one operation's member, where the member's meaning there differs from
 * elsewhere: a create names something new, tags need a Backup resource, some types are narrower.
 */
function opHint(op: string, name: string, pools: Pools): fc.Arbitrary<unknown> | typeof NEW_NAME | undefined {
  switch (`${op}.${name}`) {
    case "CreateBackupVault.BackupVaultName":
    case "CreateLogicallyAirGappedBackupVault.BackupVaultName":
    case "CreateRestoreAccessBackupVault.BackupVaultName":
    case "CreateFramework.FrameworkName":
    case "CreateReportPlan.ReportPlanName":
      return NEW_NAME;
    case "CreateRestoreTestingPlan.RestoreTestingPlanName":
    case "CreateRestoreTestingSelection.RestoreTestingSelectionName":
    case "CreateTieringConfiguration.TieringConfigurationName":
      return newName(/^fz_[a-zA-Z0-9_]{1,20}$/);
    case "AssociateBackupVaultMpaApprovalTeam.BackupVaultName":
    case "DisassociateBackupVaultMpaApprovalTeam.BackupVaultName":
    case "RevokeRestoreAccessBackupVault.BackupVaultName":
    case "ListRestoreAccessBackupVaults.BackupVaultName":
      return live(pools.lagVaults, "no-air-gapped-vault");
    case "CreateRestoreAccessBackupVault.SourceBackupVaultArn":
      return live(pools.lagVaultArns, "arn:aws:backup:us-east-1:000000000000:backup-vault:none");
    case "TagResource.ResourceArn":
    case "UntagResource.ResourceArn":
    case "ListTags.ResourceArn":
      return live(pools.taggable, "arn:aws:backup:us-east-1:000000000000:backup-vault:none");
    case "ListIndexedRecoveryPoints.ResourceType":
      return fc.constantFrom("EBS", "S3");
    case "CreateRestoreTestingSelection.ProtectedResourceType":
      return fc.constantFrom("DynamoDB", "EBS", "EC2", "S3", "RDS", "Aurora", "EFS");
    case "CreateTieringConfiguration.ResourceType":
    case "UpdateTieringConfiguration.ResourceType":
      return fc.constant("S3");
    case "CreateTieringConfiguration.Resources[]":
    case "UpdateTieringConfiguration.Resources[]":
      return fc.constantFrom("*", "arn:aws:s3:::fuzz-bucket");
    default:
      return undefined;
  }
}

/** Values with meaning for members whose schema says little; each is filtered by the schema too. */
function hint(name: string, pools: Pools): fc.Arbitrary<unknown> | undefined {
  const from = (pool: readonly string[], missing: string, fallback?: fc.Arbitrary<string>) =>
    fallback ? fc.oneof({ arbitrary: live(pool, missing), weight: 4 }, { arbitrary: fallback, weight: 1 }) : live(pool, missing);
  switch (name) {
    case "BackupVaultName":
    case "SourceBackupVaultName":
    case "TargetBackupVaultName":
    case "ByBackupVaultName":
    case "VaultNames[]":
      return from(pools.vaults, "no-such-vault");
    case "DestinationBackupVaultArn":
    case "SourceBackupVaultArn":
    case "ByDestinationVaultArn":
    case "IncludeVaults[]":
    case "ExcludeVaults[]":
      return from(pools.vaultArns, "arn:aws:backup:us-east-1:000000000000:backup-vault:none");
    case "LogicallyAirGappedBackupVaultArn":
    case "TargetLogicallyAirGappedBackupVaultArn":
    case "RestoreAccessBackupVaultArn":
      return from(pools.lagVaultArns, "arn:aws:backup:us-east-1:000000000000:backup-vault:none");
    case "BackupPlanId":
    case "ByBackupPlanId":
      return from(pools.plans, "no-such-plan");
    case "VersionId":
      return from(pools.planVersions, "no-such-version");
    case "SelectionId":
      return from(pools.selections, "no-such-selection");
    case "BackupJobId":
    case "ByParentJobId":
      return from(pools.backupJobs, "no-such-job");
    case "RecoveryPointArn":
    case "ByRecoveryPointArn":
    case "ByParentRecoveryPointArn":
    case "BySourceRecoveryPointArn":
    case "ScanBaseRecoveryPointArn":
      return from(pools.recoveryPoints, "arn:aws:backup:us-east-1:000000000000:recovery-point:none");
    case "ResourceArn":
    case "ByResourceArn":
    case "SourceResourceArn":
    case "Resources[]":
    case "NotResources[]":
    case "ProtectedResourceArns[]":
      return from(pools.resources, "arn:aws:s3:::none", resourceArn);
    case "CopyJobId":
      return from(pools.copyJobs, "no-such-copy-job");
    case "RestoreJobId":
      return from(pools.restoreJobs, "no-such-restore-job");
    case "LegalHoldId":
      return from(pools.legalHolds, "no-such-hold");
    case "FrameworkName":
      return from(pools.frameworks, "no_such_framework");
    case "FrameworkArns[]":
      return from(pools.frameworkArns, "arn:aws:backup:us-east-1:000000000000:framework:none");
    case "ReportPlanName":
    case "ByReportPlanName":
      return from(pools.reportPlans, "no_such_report_plan");
    case "ReportJobId":
      return from(pools.reportJobs, "no-such-report-job");
    case "RestoreTestingPlanName":
      return from(pools.restoreTestingPlans, "no_such_rt_plan");
    case "RestoreTestingSelectionName":
      return from(pools.restoreTestingSelections, "no_such_rt_selection");
    case "TieringConfigurationName":
      return from(pools.tieringConfigurations, "no_such_tiering");
    case "ScanJobId":
      return from(pools.scanJobs, "no-such-scan-job");
    case "BackupPlanTemplateId":
      return from(pools.planTemplates, "no-such-template");
    case "IamRoleArn":
    case "ScannerRoleArn":
      return fc.constant(ROLE_ARN);
    case "EncryptionKeyArn":
      return hex(8).map((h) => `arn:aws:kms:us-east-1:000000000000:key/${h}-0000-4000-8000-000000000000`);
    case "SNSTopicArn":
      return fc.constant("arn:aws:sns:us-east-1:000000000000:backup-events");
    case "MpaApprovalTeamArn":
      return fc.constant("arn:aws:mpa:us-east-1:000000000000:approval-team/team-1");
    case "ScheduleExpression":
      return cron;
    case "ScheduleExpressionTimezone":
      return timezone;
    case "Policy":
      return policy;
    case "BackupPlanTemplateJson":
      return planTemplateJson;
    case "BackupPlanName":
      return newName(/^[a-zA-Z0-9\-_.]{1,50}$/);
    case "ControlName":
      return fc.constantFrom(...CONTROLS);
    case "ControlInputParameters":
      return fc.constant([]);
    case "AccountId":
    case "ByAccountId":
    case "BackupVaultAccountId":
    case "Accounts[]":
      return fc.constant("000000000000");
    case "OrganizationUnits[]":
      return fc.constant("ou-ab12-cd34ef56");
    case "Regions[]":
      return fc.constantFrom("us-east-1", "eu-west-1");
    case "ResourceType":
    case "ByResourceType":
    case "ProtectedResourceType":
    case "ResourceTypes[]":
    case "ComplianceResourceTypes[]":
      return resourceType;
    case "MessageCategory":
    case "ByMessageCategory":
      return fc.constantFrom("SUCCESS", "ABORTED", "FAILED", "AccessDenied");
    case "S3BucketName":
      return fc.constant("report-bucket");
    case "ReportTemplate":
      return fc.constantFrom("BACKUP_JOB_REPORT", "COPY_JOB_REPORT", "RESTORE_JOB_REPORT");
    case "Formats[]":
      return fc.constantFrom("CSV", "JSON");
    case "CreatorRequestId":
    case "IdempotencyToken":
      return fc.uuid();
    case "MoveToColdStorageAfterDays":
      return fc.integer({ min: 1, max: 400 });
    case "DeleteAfterDays":
      return fc.integer({ min: 491, max: 3650 });
    case "MinRetentionDays":
      return fc.oneof({ arbitrary: fc.integer({ min: 7, max: 30 }), weight: 4 }, { arbitrary: fc.constantFrom(36_500, 36_501, 1e15), weight: 1 });
    case "MaxRetentionDays":
      return fc.integer({ min: 31, max: 3650 });
    case "ChangeableForDays":
      return fc.integer({ min: 3, max: 30 });
    case "StartWindowMinutes":
      return fc.integer({ min: 60, max: 720 });
    case "CompletionWindowMinutes":
    case "CompleteWindowMinutes":
      return fc.integer({ min: 720, max: 10_080 });
    default:
      return undefined;
  }
}

export interface GenOptions {
  op: OperationId;
  /** Every optional member present (down to `maxDepth`), arrays and maps non-empty: gives mutations more sites. */
  full: boolean;
  maxDepth: number;
}

/** A value that satisfies `schema`, for the member called `name` of `op`'s input. */
export function valueArb(schemaIn: JsonSchema, name: string, pools: Pools, opts: GenOptions, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(schemaIn);
  const special = opHint(opts.op, name, pools);
  const hinted = special === NEW_NAME ? undefined : (special ?? hint(name, pools));
  const plain = schemaArb(schema, name, pools, opts, depth);
  if (!hinted) return plain;
  return fc.oneof({ arbitrary: hinted.filter((v) => conforms(schema, v)), weight: 4 }, { arbitrary: plain, weight: 1 });
}

function schemaArb(schema: JsonSchema, name: string, pools: Pools, opts: GenOptions, depth: number): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case "string": {
      if (schema.enum) return fc.constantFrom(...schema.enum);
      const max = Math.min(schema.maxLength ?? 24, 60);
      if (schema.pattern !== undefined) {
        return fc.stringMatching(new RegExp(schema.pattern, "u"), { maxLength: max }).filter((s) => conforms(schema, s));
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: max });
    }
    case "integer": {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? Math.max(min, 1000);
      if (schema.maximum !== undefined) return fc.integer({ min, max });
      // Unbounded in the model (int32 or int64 on the edge): mostly small, sometimes as large as the edge allows.
      const top = schema.format === "int32" ? 2 ** 31 - 1 : Number.MAX_SAFE_INTEGER;
      return fc.oneof({ arbitrary: fc.integer({ min, max }), weight: 4 }, { arbitrary: fc.constantFrom(top, 2 ** 31 - 1, 1e9, 1e12).filter((n) => n <= top), weight: 1 });
    }
    case "number":
      // Every number in the model is a timestamp (epoch seconds); JS sends milliseconds as fractions.
      // Now and then one far outside the range of dates, which the model allows all the same.
      return fc.oneof(
        { arbitrary: fc.integer({ min: NOW - 90 * DAY, max: NOW + 30 * DAY }), weight: 4 },
        { arbitrary: fc.integer({ min: (NOW - DAY) * 1000, max: NOW * 1000 }).map((ms) => ms / 1000), weight: 4 },
        { arbitrary: fc.constantFrom(0, -1, 8.64e12 + 1, -8.64e12 - 1, 1e20, -1e20), weight: 2 },
      );
    case "boolean":
      return fc.boolean();
    case "array": {
      const item = valueArb(schema.items ?? { type: "string" }, `${name}[]`, pools, opts, depth + 1);
      const minLength = Math.max(schema.minItems ?? 0, opts.full ? 1 : 0);
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)) });
    }
    case "object": {
      const mapValue = mapValueSchema(schema);
      if (mapValue) {
        const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.:/=+@-]{0,15}$/);
        return fc.dictionary(key, valueArb(mapValue, `${name}{}`, pools, opts, depth + 1), { minKeys: opts.full ? 1 : 0, maxKeys: 3 });
      }
      return objectArb(schema, pools, opts, depth);
    }
    default:
      return fc.constant(null);
  }
}

/** How the top-level members of an input travel, where that narrows their values. */
interface Travel {
  labels: ReadonlySet<string>;
  queryTimestamps: ReadonlySet<string>;
}

/**
 * A query timestamp is written as RFC 3339, which reaches only years 0001 to 9999, or as epoch
 * seconds in digits (the edge accepts those too), which reach far beyond any date but not below 0.
 */
const queryTimestamp = fc.oneof(
  { arbitrary: fc.integer({ min: NOW - 90 * DAY, max: NOW + 30 * DAY }), weight: 4 },
  { arbitrary: fc.constantFrom(0, -62_135_596_800, 253_402_300_799, 1e20), weight: 2 },
);

function objectArb(schema: JsonSchema, pools: Pools, opts: GenOptions, depth: number, travel?: Travel): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const deep = depth >= opts.maxDepth;
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, p] of Object.entries(schema.properties ?? {})) {
    if (deep && !required.has(k)) continue;
    const arb = travel?.queryTimestamps.has(k) ? queryTimestamp : valueArb(p, k, pools, opts, depth + 1);
    // A label is a whole path segment: SDKs refuse an empty one, and fetch would resolve "." and "..".
    model[k] = travel?.labels.has(k) ? arb.filter((v) => v !== "" && v !== "." && v !== "..") : arb;
  }
  const keys = Object.keys(model);
  return fc.record(model, { requiredKeys: opts.full ? keys : keys.filter((k) => required.has(k)) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Members that name one thing together: drawn as a pair that exists, most of the time. */
const PAIRS: readonly { members: readonly [string, string]; pool: (p: Pools) => readonly (readonly [string, string])[] }[] = [
  { members: ["BackupVaultName", "RecoveryPointArn"], pool: (p) => p.pointPairs },
  { members: ["SourceBackupVaultName", "RecoveryPointArn"], pool: (p) => p.pointPairs },
  { members: ["BackupPlanId", "SelectionId"], pool: (p) => p.selectionPairs },
  { members: ["RestoreTestingPlanName", "RestoreTestingSelectionName"], pool: (p) => p.restoreTestingPairs },
];

/** A valid Input of `op` (labels, query and body members together, as the AWS …Input shape). */
export function inputArb(op: OperationId, pools: Pools, opts: Omit<GenOptions, "op">): fc.Arbitrary<Record<string, unknown>> {
  const schema = inputSchemaOf(op);
  if (!schema) return fc.constant({});
  const props = schema.properties ?? {};
  const spec = specOf(op);
  const travel: Travel = {
    labels: new Set(spec.labels.map(([, member]) => member)),
    queryTimestamps: new Set(Object.values(spec.query).filter((q) => q.kind === "timestamp").map((q) => q.member)),
  };
  const base = objectArb(schema, pools, { ...opts, op }, 0, travel);
  const pair = PAIRS.find((p) => p.members.every((m) => props[m] !== undefined));
  if (!pair) return base;
  const [a, b] = pair.members;
  return fc.tuple(base, fc.nat(), fc.nat(3), fc.boolean()).map(([input, i, coin, lead]) => {
    const pool = pair.pool(pools);
    if (coin === 0 || pool.length === 0) return input;
    const [x, y] = nth(pool, i, lead);
    const out = { ...input, [a]: x, [b]: y };
    return conforms(schema, out) ? out : input;
  });
}
