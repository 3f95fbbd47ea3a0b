/**
 * Protected resources are not stored: a resource is protected while it has at least one
 * recovery point in the account and Region, whatever that point's status (API reference,
 * ListProtectedResources). Its Last* fields follow its newest point, so deleting that point
 * falls back to the one before, and deleting its last point makes it unprotected again.
 */
import { InvalidParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { RecoveryPointRecord } from "../store/records.js";
import { restoreJobsDef } from "../store/schema/restore.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { resourceTypeOf } from "./resources.js";
import { defined } from "./util.js";

/** The protected-resource view of a resource's newest recovery point. */
export function protectedResource(latest: RecoveryPointRecord): Shapes["ProtectedResource"] {
  return defined({
    ResourceArn: latest.ResourceArn,
    ResourceType: latest.ResourceType,
    ResourceName: latest.ResourceName,
    LastBackupTime: latest.CreationDate,
    LastBackupVaultArn: latest.BackupVaultArn,
    LastRecoveryPointArn: latest.RecoveryPointArn,
  });
}

/** The newest recovery point of a resource in `scope`, or undefined when it has none. */
function latestRecoveryPointOf(store: Store, scope: Scope, resourceArn: string): RecoveryPointRecord | undefined {
  return store.recoveryPoints.list(scope, { resource_arn: resourceArn }, 1).items[0];
}

export function describeProtectedResource(store: Store, scope: Scope, resourceArn: string): Shapes["DescribeProtectedResourceOutput"] {
  const latest = latestRecoveryPointOf(store, scope, resourceArn);
  if (!latest) {
    throw new ResourceNotFoundException(
      `Resource ${resourceArn} is not protected: it has no recovery points in account ${scope.accountId} and region ${scope.region}.`,
      { Context: resourceArn },
    );
  }
  return { ...protectedResource(latest), ...latestRestore(store, scope, resourceArn) };
}

const SECONDS_PER_MINUTE = 60;

/**
 * The Latest* restore fields: the newest restore job of the resource gives its creation date and
 * that of the recovery point it restored; its run time is known once it has completed.
 */
function latestRestore(store: Store, scope: Scope, resourceArn: string): Partial<Shapes["DescribeProtectedResourceOutput"]> {
  const job = store.table(restoreJobsDef).list(scope, { source_resource_arn: resourceArn }, 1).items[0];
  if (!job) return {};
  const done = job.Status === "COMPLETED" ? job.CompletionDate : undefined;
  return defined({
    LatestRestoreJobCreationDate: job.CreationDate,
    LatestRestoreRecoveryPointCreationDate: job.RecoveryPointCreationDate,
    LatestRestoreExecutionTimeMinutes: done !== undefined ? Math.round((done - job.CreationDate) / SECONDS_PER_MINUTE) : undefined,
  });
}

/** Throws InvalidParameterValueException unless `arn` names a resource type AWS Backup supports. */
export function requireSupportedResourceArn(arn: string, where = "ResourceArn"): void {
  if (!resourceTypeOf(arn)) {
    throw new InvalidParameterValueException(`${where} "${arn}" is not the ARN of a resource type that AWS Backup supports (see GetSupportedResourceTypes).`);
  }
}

/**
 * ManagedByAWSBackupOnly as a store condition on the recovery point ARN: it keeps the points
 * AWS Backup holds itself, which carry a Backup recovery point ARN (fully managed types,
 * logically air-gapped copies), and drops snapshots the source service keeps (EBS, EC2, RDS…).
 */
export const MANAGED_BY_BACKUP = { like: "arn:aws:backup:%" } as const;

