/**
 * Restore jobs. A job restores one COMPLETED recovery point of the caller's account and Region
 * into a new resource: it moves PENDING → RUNNING → COMPLETED over the configured delay (half
 * of it to start running), driven by the scheduler's queue, and on completion carries the ARN
 * of the resource it created and stamps the recovery point's LastRestoreTime. Restore testing
 * starts its jobs through `startRestoreJob` with a CreatedBy naming its plan; only those jobs
 * accept validation results (PutRestoreValidationResult).
 */
import {
  InvalidParameterValueException,
  InvalidRequestException,
  ResourceNotFoundException,
} from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { RecoveryPointRecord } from "../store/records.js";
import { restoreJobsDef, type RestoreJobRecord } from "../store/schema/restore.js";
import type { Scope, Table } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { jobStateChanged } from "./events.js";
import { uuid } from "./ids.js";
import { createdResourceArn, type RestoreMetadata } from "./restore-targets.js";
import { validateRoleArn } from "./selections.js";
import { contentOf, dropTransfer, isFinished, queueTransfer, readsResource, transferOf } from "./transfers.js";
import type { Config } from "../config.js";

const HOUR = 3600;
import { shape } from "./util.js";
import type { WorkFactory } from "./work.js";

export const RESTORE_JOB_WORK = "restore-job";
/** Restore testing's deletion of a restored resource once its validation window has passed. */
export const RESTORED_RESOURCE_DELETION_WORK = "restored-resource-deletion";
type Transition = "RUNNING" | "COMPLETED";

export interface StartRestoreJob {
  RecoveryPointArn: string;
  Metadata: RestoreMetadata;
  IamRoleArn?: string;
  /** When given, it must be the recovery point's own type. */
  ResourceType?: string;
  /** Set when a restore testing plan starts the job. */
  CreatedBy?: Shapes["RestoreJobCreator"];
  /** Restore testing: hours after completion at which the restored resource is deleted. */
  ValidationWindowHours?: number;
}

export const restoreJobs = (store: Store): Table<RestoreJobRecord> => store.table(restoreJobsDef);

/**
 * The recovery point a restore reads. Restores run in the account and Region that hold the
 * recovery point (the developer guide: a cross-account or cross-Region backup is restored
 * from its copy in the destination), and only from a finished backup.
 */
export function requireRestorableRecoveryPoint(store: Store, scope: Scope, arn: string): RecoveryPointRecord {
  const rp = store.recoveryPoints.get(scope, arn);
  if (!rp) {
    const elsewhere = store.recoveryPoints.find({ arn })[0];
    if (elsewhere && elsewhere.scope.accountId !== scope.accountId) {
      throw new InvalidRequestException(
        `Recovery point ${arn} belongs to account ${elsewhere.scope.accountId}, not ${scope.accountId}: restore it from that account, or copy it into a vault of this account first.`,
        { Context: arn },
      );
    }
    const where = elsewhere ? ` (it is in ${elsewhere.scope.region}; a restore runs in the recovery point's Region)` : "";
    throw new ResourceNotFoundException(`Recovery point ${arn} does not exist in account ${scope.accountId} and Region ${scope.region}${where}.`, {
      Context: arn,
    });
  }
  if (rp.Status !== "COMPLETED") {
    throw new InvalidRequestException(`Recovery point ${arn} is ${rp.Status}; only a COMPLETED recovery point can be restored.`, { Context: arn });
  }
  return rp;
}

export function requireRestoreJob(store: Store, scope: Scope, id: string): RestoreJobRecord {
  const job = restoreJobs(store).get(scope, id);
  if (!job) throw new ResourceNotFoundException(`Restore job ${id} does not exist in account ${scope.accountId} and Region ${scope.region}.`, { Context: id });
  return job;
}

/** Create a restore job (at `at`, default now) and queue its transitions. */
export function startRestoreJob(ctx: DomainContext, req: StartRestoreJob, at = ctx.clock.now()): RestoreJobRecord {
  const { store, scope, config } = ctx;
  // IamRoleArn is optional (model and API reference, StartRestoreJob); a job started without one reports none.
  const role = req.IamRoleArn;
  if (role !== undefined) validateRoleArn(role, "IamRoleArn");
  return store.transaction(() => {
    const rp = requireRestorableRecoveryPoint(store, scope, req.RecoveryPointArn);
    if (req.ResourceType !== undefined && req.ResourceType !== rp.ResourceType) {
      throw new InvalidParameterValueException(
        `ResourceType "${req.ResourceType}" does not match recovery point ${rp.RecoveryPointArn}, which is a backup of a ${rp.ResourceType} resource.`,
        { Context: req.ResourceType },
      );
    }
    const id = uuid();
    const delay = config.jobCompletionDelaySeconds;
    const job: RestoreJobRecord = {
      AccountId: scope.accountId,
      RestoreJobId: id,
      RecoveryPointArn: rp.RecoveryPointArn,
      SourceResourceArn: rp.ResourceArn,
      BackupVaultArn: rp.BackupVaultArn,
      BackupVaultName: rp.BackupVaultName,
      CreationDate: at,
      Status: "PENDING",
      PercentDone: "0.0",
      ...(rp.BackupSizeInBytes !== undefined ? { BackupSizeInBytes: rp.BackupSizeInBytes } : {}),
      ...(role !== undefined ? { IamRoleArn: role } : {}),
      ExpectedCompletionTimeMinutes: Math.ceil(delay / 60),
      ResourceType: rp.ResourceType,
      RecoveryPointCreationDate: rp.CreationDate,
      ...(req.CreatedBy ? { CreatedBy: req.CreatedBy } : {}),
      IsParent: false,
      Metadata: { ...req.Metadata },
      ...(req.ValidationWindowHours !== undefined ? { ValidationWindowHours: req.ValidationWindowHours } : {}),
    };
    restoreJobs(store).insert(scope, job);
    announce(store, scope, job, at);
    // A backup that holds content is restored into the resource endpoint; others are simulated.
    const content = config.resourceEndpoint ? contentOf(store, scope, rp.RecoveryPointArn) : undefined;
    if (content) {
      const target = createdResourceArn(scope, { jobId: id, resourceType: rp.ResourceType, sourceResourceArn: rp.ResourceArn, metadata: job.Metadata });
      queueTransfer(store, scope, { kind: "RESTORE", jobId: id, resourceType: rp.ResourceType, resourceArn: target, at, completeAt: at + delay, manifest: content.Manifest, restoreMetadata: job.Metadata });
    }
    store.schedule(at + delay / 2, RESTORE_JOB_WORK, scope, id, { to: "RUNNING" }, { due: at + delay, data: { to: "COMPLETED" } });
    return job;
  });
}

/**
 * Record a restore test's validation result. Validation belongs to restore testing: results
 * are accepted for jobs a restore testing plan started, once the restore has COMPLETED
 * (developer guide, "Restore testing validation": validation runs when the restore job
 * reaches COMPLETED), and until restore testing has begun deleting the restored resource.
 */
export function putRestoreValidationResult(
  ctx: DomainContext,
  id: string,
  status: Shapes["RestoreValidationStatus"],
  message: string | undefined,
): RestoreJobRecord {
  const { store, scope } = ctx;
  return store.transaction(() => {
    const job = requireRestoreJob(store, scope, id);
    if (!job.CreatedBy?.RestoreTestingPlanArn) {
      throw new InvalidRequestException(`Restore job ${id} was not started by a restore testing plan; validation results are accepted only for restore testing jobs.`, {
        Context: id,
      });
    }
    if (job.Status !== "COMPLETED") {
      throw new InvalidRequestException(`Restore job ${id} is ${job.Status}; a validation result can be sent only once the restore has COMPLETED.`, { Context: id });
    }
    if (job.DeletionStatus !== undefined) {
      throw new InvalidRequestException(
        `Restore job ${id} is past its validation window: its restored resource is ${job.DeletionStatus === "DELETING" ? "being deleted" : "deleted"} (DeletionStatus ${job.DeletionStatus}).`,
        { Context: id },
      );
    }
    // A new result replaces the previous one, message included.
    const next: RestoreJobRecord = { ...job, ValidationStatus: status };
    if (message !== undefined) next.ValidationStatusMessage = message;
    else delete next.ValidationStatusMessage;
    restoreJobs(store).put(scope, next);
    return next;
  });
}

function announce(store: Store, scope: Scope, job: RestoreJobRecord, at: number): void {
  jobStateChanged(
    store,
    scope,
    {
      jobType: "RESTORE",
      jobId: job.RestoreJobId,
      state: job.Status,
      ...(job.BackupVaultName ? { backupVaultName: job.BackupVaultName } : {}),
      ...(job.BackupVaultArn ? { backupVaultArn: job.BackupVaultArn } : {}),
      ...(job.SourceResourceArn ? { resourceArn: job.SourceResourceArn } : {}),
      resourceType: job.ResourceType,
      recoveryPointArn: job.RecoveryPointArn,
      ...(job.StatusMessage ? { statusMessage: job.StatusMessage } : {}),
    },
    at,
  );
}

/** Progress of a restore's transfer (see backupJobProgress). Returns false when the job no longer wants it. */
export function restoreJobProgress(store: Store, scope: Scope, id: string, percent: number, at: number): boolean {
  const job = restoreJobs(store).get(scope, id);
  if (!job || (job.Status !== "PENDING" && job.Status !== "RUNNING")) return false;
  const next: RestoreJobRecord = { ...job, Status: "RUNNING", PercentDone: percent.toFixed(1) };
  restoreJobs(store).put(scope, next);
  if (job.Status !== "RUNNING") announce(store, scope, next, at);
  return true;
}

/**
 * The one place a restore job ends, at `at`: the resource it created, or why it could not. With
 * a transfer, the job waits (undefined) until the transfer has finished.
 */
function complete(store: Store, scope: Scope, job: RestoreJobRecord, at: number): RestoreJobRecord | undefined {
  const transfer = transferOf(store, scope, job.RestoreJobId);
  if (transfer && !isFinished(transfer)) return job.Status === "RUNNING" ? undefined : { ...job, Status: "RUNNING" };
  if (transfer) dropTransfer(store, scope, transfer.TransferId);
  if (transfer?.State === "FAILED") return { ...job, Status: "FAILED", CompletionDate: at, StatusMessage: transfer.Message ?? `Restore of ${job.RecoveryPointArn} failed.` };
  const rp = store.recoveryPoints.get(scope, job.RecoveryPointArn);
  if (!rp && !transfer) return { ...job, Status: "FAILED", CompletionDate: at, StatusMessage: `Recovery point ${job.RecoveryPointArn} was deleted before the restore finished.` };
  if (rp) store.recoveryPoints.put(scope, { ...rp, LastRestoreTime: at });
  return {
    ...job,
    Status: "COMPLETED",
    CompletionDate: at,
    PercentDone: "100.0",
    CreatedResourceArn:
      transfer?.CreatedResourceArn ??
      createdResourceArn(scope, { jobId: job.RestoreJobId, resourceType: job.ResourceType, sourceResourceArn: job.SourceResourceArn, metadata: job.Metadata }),
  };
}

export function restoreJobWork(store: Store, config: Pick<Config, "resourceEndpoint">) {
  return (item: WorkItem, at: number): void => {
    const scope = item.scope;
    const job = restoreJobs(store).get(scope, item.ref);
    if (!job) return;
    const to = (item.data as { to: Transition }).to;
    let next: RestoreJobRecord | undefined;
    if (to === "RUNNING" && job.Status === "PENDING") {
      next = { ...job, Status: "RUNNING", PercentDone: transferOf(store, scope, job.RestoreJobId) ? job.PercentDone : "50.0" };
    } else if (to === "COMPLETED" && (job.Status === "PENDING" || job.Status === "RUNNING")) {
      next = complete(store, scope, job, at);
    }
    if (!next) return;
    restoreJobs(store).put(scope, next);
    announce(store, scope, next, at);
    // Restore testing deletes what it restored once validation has had its window (developer guide,
    // "Restore testing"); only where something was restored, in the resource endpoint.
    if (next.Status === "COMPLETED" && next.CreatedBy?.RestoreTestingPlanArn && config.resourceEndpoint) {
      store.schedule(at + (next.ValidationWindowHours ?? 0) * HOUR, RESTORED_RESOURCE_DELETION_WORK, scope, next.RestoreJobId, { to: "DELETING" });
    }
  };
}

/**
 * Deleting a restore test's resource: DeletionStatus DELETING, then SUCCESSFUL (or FAILED with a
 * message). A resource the test restored into the resource endpoint is deleted there (a
 * transfer); one of a type without a data plane only changes status.
 */
export function restoredResourceDeletionWork(store: Store, config: Pick<Config, "resourceEndpoint">) {
  return (item: WorkItem, at: number): void => {
    const scope = item.scope;
    const job = restoreJobs(store).get(scope, item.ref);
    if (!job || job.Status !== "COMPLETED") return;
    const to = (item.data as { to: "DELETING" | "COMPLETED" }).to;
    const id = `${job.RestoreJobId}:delete`;
    if (to === "DELETING" && job.DeletionStatus === undefined) {
      restoreJobs(store).put(scope, { ...job, DeletionStatus: "DELETING" });
      if (config.resourceEndpoint && job.CreatedResourceArn && readsResource(config, job.ResourceType)) {
        queueTransfer(store, scope, { kind: "DELETE", jobId: job.RestoreJobId, resourceType: job.ResourceType, resourceArn: job.CreatedResourceArn, at, completeAt: at });
      } else {
        store.schedule(at, RESTORED_RESOURCE_DELETION_WORK, scope, job.RestoreJobId, { to: "COMPLETED" });
      }
    } else if (to === "COMPLETED" && job.DeletionStatus === "DELETING") {
      const transfer = transferOf(store, scope, id);
      if (transfer && !isFinished(transfer)) return;
      if (transfer) dropTransfer(store, scope, id);
      restoreJobs(store).put(scope, {
        ...job,
        DeletionStatus: transfer?.State === "FAILED" ? "FAILED" : "SUCCESSFUL",
        DeletionStatusMessage: transfer?.State === "FAILED" ? (transfer.Message ?? "The restored resource could not be deleted.") : `Deleted ${job.CreatedResourceArn ?? "the restored resource"} after the validation window.`,
      });
    }
  };
}

export const restoreWork: Record<string, WorkFactory> = {
  [RESTORE_JOB_WORK]: ({ store, config }) => restoreJobWork(store, config),
  [RESTORED_RESOURCE_DELETION_WORK]: ({ store, config }) => restoredResourceDeletionWork(store, config),
};

export const describeRestoreJob = (j: RestoreJobRecord): Shapes["DescribeRestoreJobOutput"] => shape("DescribeRestoreJobOutput", j);
