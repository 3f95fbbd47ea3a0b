/**
 * Backup jobs. A job moves CREATED → RUNNING → COMPLETED over the configured delay (half of it
 * to start running), driven by the scheduler's queue, not by timers; on completion its
 * recovery point appears in the vault. StopBackupJob moves an unfinished job to ABORTING and
 * then ABORTED, with no recovery point.
 */
import { InvalidParameterValueException, InvalidRequestException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { BackupJobRecord, RecoveryPointRecord, Tags } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { uuid } from "./ids.js";
import { calculateLifecycle, validateLifecycle } from "./lifecycle.js";
import { insertRecoveryPoint, storedIn } from "./recovery-points.js";
import { newRecoveryPointArn, resourceNameOf, resourceTypeOf, simulatedSizeBytes } from "./resources.js";
import { validateBackupOptions, validateWindows, RULE_DEFAULTS } from "./plans.js";
import { validateRoleArn } from "./selections.js";
import { requireVault } from "./vaults.js";
import { lockFailsJob } from "./vault-lock.js";
import { validateTags } from "./tags.js";
import { shape } from "./util.js";
import type { WorkDeps, WorkFactory } from "./work.js";
import { afterPlanBackup } from "./plan-runs.js";
import { startIndexing } from "./recovery-point-index.js";
import { jobStateChanged } from "./events.js";
import { dropTransfer, isFinished, queueTransfer, readsResource, recordContent, transferOf } from "./transfers.js";

export const BACKUP_JOB_WORK = "backup-job";
type Transition = "RUNNING" | "COMPLETED" | "ABORTED";

export interface StartBackupJob {
  BackupVaultName: string;
  ResourceArn: string;
  IamRoleArn: string;
  Lifecycle?: Shapes["Lifecycle"];
  RecoveryPointTags?: Tags;
  BackupOptions?: Record<string, string>;
  StartWindowMinutes?: number;
  CompleteWindowMinutes?: number;
  Index?: Shapes["Index"];
  /** Set when a backup plan starts the job. */
  CreatedBy?: Shapes["RecoveryPointCreator"];
  /** A continuous-backup rule's job: it keeps one continuous recovery point per resource and vault up to date. */
  Continuous?: boolean;
  /** Why the target vault's access policy denies a plan's job: it is recorded and ends FAILED at once (ACCESS_DENIED). */
  AccessDenied?: string;
}

/** Recovery point indexes exist for these types (developer guide, "Backup indexes"). */
const INDEXABLE_TYPES = new Set(["EBS", "S3"]);

/** StopBackupJob is not supported for these types (API reference, StopBackupJob). */
const UNSTOPPABLE_TYPES = new Set(["RDS", "Aurora", "DocumentDB", "Neptune", "FSx", "SAP HANA on Amazon EC2"]);

const FINAL_STATES = new Set(["COMPLETED", "ABORTED", "FAILED", "EXPIRED", "PARTIAL"]);
const MINUTE = 60;

/** Create a job (at `at`, default now) and queue its transitions. */
export function startBackupJob(ctx: DomainContext, req: StartBackupJob, at = ctx.clock.now()): BackupJobRecord {
  const { store, scope, config } = ctx;
  validateRoleArn(req.IamRoleArn, "IamRoleArn");
  const resourceType = resourceTypeOf(req.ResourceArn);
  if (!resourceType) {
    throw new InvalidParameterValueException(`ResourceArn "${req.ResourceArn}" is not a resource type that AWS Backup supports (see GetSupportedResourceTypes).`);
  }
  validateLifecycle(req.Lifecycle);
  if (req.Index === "ENABLED" && !INDEXABLE_TYPES.has(resourceType)) {
    throw new InvalidParameterValueException(`Index: backup indexes are available for ${[...INDEXABLE_TYPES].join(" and ")} recovery points, not ${resourceType}.`);
  }
  validateWindows(req.StartWindowMinutes, req.CompleteWindowMinutes, "", "CompleteWindowMinutes");
  validateBackupOptions(resourceType, req.BackupOptions, "BackupOptions");
  if (req.RecoveryPointTags) validateTags(req.RecoveryPointTags, "RecoveryPointTags");
  return store.transaction(() => {
    // A retention the vault's lock forbids does not refuse the request: the job fails when it would complete (lockFailsJob).
    const vault = requireVault(store, scope, req.BackupVaultName);
    const id = uuid();
    const job: BackupJobRecord = {
      AccountId: scope.accountId,
      BackupJobId: id,
      BackupVaultName: vault.BackupVaultName,
      BackupVaultArn: vault.BackupVaultArn,
      VaultType: vault.VaultType,
      ...(vault.Locked ? { VaultLockState: "LOCKED" } : {}),
      RecoveryPointArn: req.Continuous ? continuousRecoveryPointArn(store, scope, vault.BackupVaultName, req.ResourceArn) : newRecoveryPointArn(scope, resourceType, id),
      EncryptionKeyArn: vault.EncryptionKeyArn,
      IsEncrypted: true,
      ResourceArn: req.ResourceArn,
      ResourceType: resourceType,
      ResourceName: resourceNameOf(req.ResourceArn),
      CreationDate: at,
      InitiationDate: at,
      State: "CREATED",
      PercentDone: "0.0",
      IamRoleArn: req.IamRoleArn,
      StartBy: at + (req.StartWindowMinutes ?? RULE_DEFAULTS.StartWindowMinutes) * MINUTE,
      ExpectedCompletionDate: at + (req.CompleteWindowMinutes ?? RULE_DEFAULTS.CompletionWindowMinutes) * MINUTE,
      // The service reports a BackupType only for Windows VSS backups.
      ...(req.BackupOptions?.WindowsVSS === "enabled" ? { BackupType: "WindowsVSS" } : {}),
      IsParent: false,
      ...(req.Lifecycle ? { RecoveryPointLifecycle: req.Lifecycle } : {}),
      ...(req.BackupOptions ? { BackupOptions: req.BackupOptions } : {}),
      ...(req.CreatedBy ? { CreatedBy: req.CreatedBy } : {}),
      ...(req.RecoveryPointTags ? { RecoveryPointTags: req.RecoveryPointTags } : {}),
      ...(req.Index ? { Index: req.Index } : {}),
      ...(req.Continuous ? { Continuous: true } : {}),
    };
    store.backupJobs.insert(scope, job);
    announce(store, scope, job, at);
    if (req.AccessDenied) {
      const denied: BackupJobRecord = { ...job, State: "FAILED", CompletionDate: at, StatusMessage: `Access denied: ${req.AccessDenied}`, MessageCategory: "ACCESS_DENIED" };
      store.backupJobs.put(scope, denied);
      announce(store, scope, denied, at);
      return denied;
    }
    const delay = config.jobCompletionDelaySeconds;
    if (readsResource(config, resourceType)) {
      queueTransfer(store, scope, { kind: "BACKUP", jobId: id, resourceType, resourceArn: req.ResourceArn, at, completeAt: at + delay });
    }
    store.schedule(at + delay / 2, BACKUP_JOB_WORK, scope, id, { to: "RUNNING" }, { due: at + delay, data: { to: "COMPLETED" } });
    return job;
  });
}

export function requireBackupJob(store: Store, scope: Scope, id: string): BackupJobRecord {
  const job = store.backupJobs.get(scope, id);
  if (!job) throw new ResourceNotFoundException(`Backup job ${id} does not exist.`, { Context: id });
  return job;
}

export function stopBackupJob(ctx: DomainContext, id: string): void {
  const { store, scope, config } = ctx;
  store.transaction(() => {
    const job = requireBackupJob(store, scope, id);
    if (UNSTOPPABLE_TYPES.has(job.ResourceType)) {
      throw new InvalidRequestException(`Backup jobs of ${job.ResourceType} resources cannot be stopped (API reference, StopBackupJob); job ${id} continues.`, { Context: id });
    }
    if (FINAL_STATES.has(job.State) || job.State === "ABORTING") {
      throw new InvalidRequestException(`Backup job ${id} is ${job.State} and can no longer be stopped.`, { Context: id });
    }
    const now = ctx.clock.now();
    const aborting: BackupJobRecord = { ...job, State: "ABORTING", StatusMessage: "Stop requested by the user." };
    store.backupJobs.update(scope, job, aborting);
    announce(store, scope, aborting, now);
    // Aborting takes a moment in the service; here a tenth of the job delay (at once with delay 0).
    store.schedule(now + config.jobCompletionDelaySeconds / 10, BACKUP_JOB_WORK, scope, id, { to: "ABORTED" });
  });
}

/**
 * The continuous recovery point of a resource in a vault: the existing one, or a new ARN in the
 * service's form for continuous backups (`recovery-point:continuous:<resource>-<suffix>`).
 */
function continuousRecoveryPointArn(store: Store, scope: Scope, vault: string, resourceArn: string): string {
  const existing = store.recoveryPoints.all(scope, { vault, resource_arn: resourceArn }).find((rp) => rp.RecoveryPointArn.includes(":recovery-point:continuous:"));
  return existing?.RecoveryPointArn ?? `arn:aws:backup:${scope.region}:${scope.accountId}:recovery-point:continuous:${resourceNameOf(resourceArn) ?? "resource"}-${uuid().slice(0, 8)}`;
}

/** The recovery point a finished job leaves behind. */
function recoveryPointFor(store: Store, scope: Scope, job: BackupJobRecord, at: number, size: number): RecoveryPointRecord | undefined {
  const vault = store.vaults.get(scope, job.BackupVaultName);
  if (!vault) return undefined;
  const lifecycle = job.RecoveryPointLifecycle;
  const calculated = calculateLifecycle(lifecycle, job.CreationDate, job.ResourceType);
  return {
    RecoveryPointArn: job.RecoveryPointArn!,
    BackupVaultName: vault.BackupVaultName,
    BackupVaultArn: vault.BackupVaultArn,
    ResourceArn: job.ResourceArn,
    ResourceType: job.ResourceType,
    ...(job.ResourceName !== undefined ? { ResourceName: job.ResourceName } : {}),
    ...(job.CreatedBy ? { CreatedBy: job.CreatedBy } : {}),
    IamRoleArn: job.IamRoleArn,
    Status: "COMPLETED",
    CreationDate: job.CreationDate,
    InitiationDate: job.InitiationDate ?? job.CreationDate,
    CompletionDate: at,
    BackupSizeInBytes: size,
    ...(lifecycle ? { Lifecycle: lifecycle } : {}),
    ...(calculated ? { CalculatedLifecycle: calculated } : {}),
    ...storedIn(vault),
  };
}

function announce(store: Store, scope: Scope, job: BackupJobRecord, at: number): void {
  jobStateChanged(
    store,
    scope,
    {
      jobType: "BACKUP",
      jobId: job.BackupJobId,
      state: job.State,
      backupVaultName: job.BackupVaultName,
      backupVaultArn: job.BackupVaultArn,
      resourceArn: job.ResourceArn,
      resourceType: job.ResourceType,
      ...(job.RecoveryPointArn ? { recoveryPointArn: job.RecoveryPointArn } : {}),
      ...(job.StatusMessage ? { statusMessage: job.StatusMessage } : {}),
    },
    at,
  );
}

/**
 * Progress of a job's transfer: the job is RUNNING from its first byte, with BytesTransferred
 * and PercentDone as they move. Returns false when the job no longer wants its transfer
 * (stopped by the user, or gone).
 */
export function backupJobProgress(store: Store, scope: Scope, id: string, bytes: number, percent: number, at: number): boolean {
  const job = store.backupJobs.get(scope, id);
  if (!job || (job.State !== "CREATED" && job.State !== "PENDING" && job.State !== "RUNNING")) return false;
  const next: BackupJobRecord = { ...job, State: "RUNNING", BytesTransferred: bytes, PercentDone: percent.toFixed(1) };
  store.backupJobs.update(scope, job, next);
  if (job.State !== "RUNNING") announce(store, scope, next, at);
  return true;
}

function failed(job: BackupJobRecord, at: number, message: string): BackupJobRecord {
  return { ...job, State: "FAILED", CompletionDate: at, StatusMessage: message, MessageCategory: "FAILED" };
}

/**
 * The one place a backup job ends, at `at`: its recovery point stored in the vault, or why it
 * could not be. With a transfer, the job waits (undefined) until the transfer has finished.
 */
function complete(deps: Pick<WorkDeps, "store" | "config" | "log">, scope: Scope, job: BackupJobRecord, at: number): { next?: BackupJobRecord; stored?: RecoveryPointRecord } {
  const { store, config } = deps;
  const transfer = transferOf(store, scope, job.BackupJobId);
  if (transfer && !isFinished(transfer)) {
    // Still reading the resource: the transfer's end queues this completion again.
    return job.State === "RUNNING" ? {} : { next: { ...job, State: "RUNNING" } };
  }
  if (transfer) dropTransfer(store, scope, transfer.TransferId);
  if (transfer?.State === "FAILED") return { next: failed(job, at, transfer.Message ?? `Backup of ${job.ResourceArn} failed.`) };
  const vault = store.vaults.get(scope, job.BackupVaultName);
  const lockFailure = vault && lockFailsJob(vault, job.RecoveryPointLifecycle, at);
  if (lockFailure) return { next: { ...job, ...lockFailure } };
  const size = transfer?.SizeBytes ?? simulatedSizeBytes(job.ResourceArn);
  const rp = recoveryPointFor(store, scope, job, at, size);
  if (!rp) return { next: failed(job, at, `Backup vault ${job.BackupVaultName} no longer exists; the recovery point could not be stored.`) };
  let stored = storeRecoveryPoint(store, scope, job, rp, at);
  if (transfer?.Manifest) {
    recordContent(store, scope, {
      RecoveryPointArn: rp.RecoveryPointArn,
      Manifest: transfer.Manifest,
      SizeBytes: size,
      ResourceType: job.ResourceType,
      RestoreMetadata: transfer.RestoreMetadata ?? {},
      CreatedAt: at,
    });
  }
  if (job.RecoveryPointTags && Object.keys(job.RecoveryPointTags).length) store.setTags(scope, rp.RecoveryPointArn, job.RecoveryPointTags);
  if (job.Index === "ENABLED") stored = startIndexing(store, scope, stored, at, config.jobCompletionDelaySeconds, job.IamRoleArn);
  return {
    next: { ...job, State: "COMPLETED", CompletionDate: at, PercentDone: "100.0", BackupSizeInBytes: size, BytesTransferred: size, MessageCategory: "SUCCESS" },
    stored,
  };
}

export function backupJobWork(deps: Pick<WorkDeps, "store" | "config" | "log">) {
  const { store, config, log } = deps;
  return (item: WorkItem, at: number): void => {
    const job = store.backupJobs.get(item.scope, item.ref);
    if (!job) return;
    const to = (item.data as { to: Transition }).to;
    const scope = item.scope;
    let next: BackupJobRecord | undefined;
    let stored: RecoveryPointRecord | undefined;
    if (to === "RUNNING" && (job.State === "CREATED" || job.State === "PENDING")) {
      next = { ...job, State: "RUNNING", PercentDone: transferOf(store, scope, job.BackupJobId) ? job.PercentDone : "50.0" };
    } else if (to === "COMPLETED" && (job.State === "CREATED" || job.State === "PENDING" || job.State === "RUNNING")) {
      ({ next, stored } = complete(deps, scope, job, at));
    } else if (to === "ABORTED" && job.State === "ABORTING") {
      dropTransfer(store, scope, job.BackupJobId);
      next = { ...job, State: "ABORTED", CompletionDate: at, StatusMessage: "Backup job was stopped by the user.", MessageCategory: "ABORTED" };
    }
    if (!next) return;
    store.backupJobs.update(scope, job, next);
    announce(store, scope, next, at);
    if (stored && next.CreatedBy) afterPlanBackup({ store, config, log }, scope, next, stored, at);
  };
}

/**
 * Put a finished job's recovery point in its vault. A continuous backup updates the resource's
 * one continuous recovery point (its latest restorable time moves to `at`) instead of adding one.
 */
function storeRecoveryPoint(store: Store, scope: Scope, job: BackupJobRecord, rp: RecoveryPointRecord, at: number): RecoveryPointRecord {
  const existing = job.Continuous ? store.recoveryPoints.get(scope, rp.RecoveryPointArn) : undefined;
  if (!existing) {
    insertRecoveryPoint(store, scope, rp);
    return rp;
  }
  const updated: RecoveryPointRecord = { ...existing, CompletionDate: at, BackupSizeInBytes: rp.BackupSizeInBytes, Status: "COMPLETED" };
  store.recoveryPoints.put(scope, updated);
  return updated;
}

export const backupWork: Record<string, WorkFactory> = {
  [BACKUP_JOB_WORK]: (deps) => backupJobWork(deps),
};

export const describeBackupJob = (j: BackupJobRecord): Shapes["DescribeBackupJobOutput"] => shape("DescribeBackupJobOutput", j);
