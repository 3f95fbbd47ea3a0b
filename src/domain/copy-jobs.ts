/**
 * Copy jobs. A job copies a completed recovery point into a destination vault named by ARN,
 * which may be in another region or another account of the emulator. It moves CREATED →
 * RUNNING → COMPLETED over the configured delay (half of it to start running), driven by the
 * scheduler's queue; on completion the copy appears in the destination vault.
 *
 * The destination is checked when the copy runs: a destination vault that does not exist (or
 * no longer does), or whose Vault Lock forbids the copy's retention ("the vault fails the backup
 * or copy job", API reference, PutBackupVaultLockConfiguration), makes the job end FAILED with a
 * StatusMessage. StartCopyJob refuses only what is wrong in the request or on the source side.
 */
import { InvalidParameterValueException, InvalidRequestException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { Config } from "../config.js";
import type { DomainContext } from "./context.js";
import type { RecoveryPointRecord, VaultRecord } from "../store/records.js";
import { copyJobsDef, type CopyJobRecord } from "../store/schema/copy.js";
import type { Scope, Table } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { vaultFromArn } from "./arn.js";
import { jobStateChanged } from "./events.js";
import { uuid } from "./ids.js";
import { calculateLifecycle, validateLifecycle } from "./lifecycle.js";
import { insertRecoveryPoint, requireRecoveryPoint, storedIn } from "./recovery-points.js";
import { newRecoveryPointArn } from "./resources.js";
import { validateRoleArn } from "./selections.js";
import { lockFailsJob } from "./vault-lock.js";
import { copyIntoRefusal } from "./vault-policy.js";
import { contentOf, recordContent } from "./transfers.js";
import { requireVault } from "./vaults.js";
import type { WorkFactory } from "./work.js";

export const COPY_JOB_WORK = "copy-job";
type Transition = "RUNNING" | "COMPLETED";

export interface StartCopyJob {
  RecoveryPointArn: string;
  SourceBackupVaultName: string;
  DestinationBackupVaultArn: string;
  IamRoleArn: string;
  /** The copy's lifecycle; without one the copy keeps the source recovery point's. */
  Lifecycle?: Shapes["Lifecycle"];
  /** Set when a backup plan's copy action starts the job. */
  CreatedBy?: Shapes["RecoveryPointCreator"];
  /** The plan-created backup job whose recovery point is copied. */
  CreatedByBackupJobId?: string;
  /** Why the source vault's access policy denies a plan's copy: it is recorded and ends FAILED at once (ACCESS_DENIED). */
  AccessDenied?: string;
}

/** What starting a copy needs when no request is at hand (scheduled work passes `at`). */
export type CopyContext = Pick<DomainContext, "store" | "scope" | "config">;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Message categories of finished jobs (see "Monitoring" in the developer guide). */
const SUCCESS = "SUCCESS";
const INVALID_PARAMETERS = "InvalidParameters";

export const copyJobs = (store: Store): Table<CopyJobRecord> => store.table(copyJobsDef);

/** The destination vault's scope and name; InvalidParameterValueException when the ARN names no vault. */
export function parseDestinationVaultArn(arn: string): { scope: Scope; name: string } {
  const dest = vaultFromArn(arn);
  if (!dest || !REGION.test(dest.scope.region) || !/^[a-zA-Z0-9\-_]{2,50}$/.test(dest.name)) {
    throw new InvalidParameterValueException(
      `DestinationBackupVaultArn "${arn}" is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>).`,
    );
  }
  return dest;
}

/**
 * Create a copy job (at `at`, default now) and queue its transitions. Throws the modeled
 * errors of StartCopyJob for a request the service refuses.
 */
export function startCopyJob(ctx: DomainContext, req: StartCopyJob, at?: number): CopyJobRecord;
export function startCopyJob(ctx: CopyContext, req: StartCopyJob, at: number): CopyJobRecord;
export function startCopyJob(ctx: CopyContext | DomainContext, req: StartCopyJob, at?: number): CopyJobRecord {
  const { store, scope, config } = ctx;
  const when = at ?? ("clock" in ctx ? ctx.clock.now() : undefined);
  if (when === undefined) throw new TypeError("startCopyJob needs the time `at` when its context has no clock.");
  validateRoleArn(req.IamRoleArn, "IamRoleArn");
  const dest = parseDestinationVaultArn(req.DestinationBackupVaultArn);
  validateLifecycle(req.Lifecycle);
  return store.transaction(() => {
    const source = requireVault(store, scope, req.SourceBackupVaultName);
    const rp = requireRecoveryPoint(store, scope, source.BackupVaultName, req.RecoveryPointArn);
    if (rp.Status !== "COMPLETED") {
      throw new InvalidRequestException(`Recovery point ${rp.RecoveryPointArn} is ${rp.Status}; only a COMPLETED recovery point can be copied.`, {
        Context: rp.RecoveryPointArn,
      });
    }
    // Recovery points in cold storage or an archive tier cannot be copied (developer guide, "Backup and tag copy").
    if (rp.StorageClass !== "WARM") {
      throw new InvalidRequestException(`Recovery point ${rp.RecoveryPointArn} is in ${rp.StorageClass} storage; only recovery points in warm storage can be copied.`, {
        Context: rp.RecoveryPointArn,
      });
    }
    const destVault = store.vaults.get(dest.scope, dest.name);
    // Copies keep the source's retention unless the request overrides it (developer guide, "Backup and tag copy").
    const lifecycle = req.Lifecycle ?? rp.Lifecycle;
    const id = uuid();
    const job: CopyJobRecord = {
      AccountId: scope.accountId,
      CopyJobId: id,
      SourceBackupVaultName: source.BackupVaultName,
      SourceBackupVaultArn: source.BackupVaultArn,
      SourceRecoveryPointArn: rp.RecoveryPointArn,
      DestinationBackupVaultArn: req.DestinationBackupVaultArn,
      ...(destVault ? destinationFacts(destVault) : {}),
      ...(lifecycle ? { DestinationRecoveryPointLifecycle: lifecycle } : {}),
      ResourceArn: rp.ResourceArn,
      ResourceType: rp.ResourceType,
      ...(rp.ResourceName !== undefined ? { ResourceName: rp.ResourceName } : {}),
      CreationDate: when,
      State: "CREATED",
      IamRoleArn: req.IamRoleArn,
      IsParent: false,
      ...(req.CreatedBy ? { CreatedBy: req.CreatedBy } : {}),
      ...(req.CreatedByBackupJobId ? { CreatedByBackupJobId: req.CreatedByBackupJobId } : {}),
    };
    copyJobs(store).insert(scope, job);
    announce(store, scope, job, when);
    if (req.AccessDenied) {
      const denied: CopyJobRecord = { ...failed(job, when, `Access denied: ${req.AccessDenied}`), MessageCategory: "ACCESS_DENIED" };
      copyJobs(store).put(scope, denied);
      announce(store, scope, denied, when);
      return denied;
    }
    const delay = config.jobCompletionDelaySeconds;
    store.schedule(when + delay / 2, COPY_JOB_WORK, scope, id, { to: "RUNNING" }, { due: when + delay, data: { to: "COMPLETED" } });
    return job;
  });
}

export function requireCopyJob(store: Store, scope: Scope, id: string): CopyJobRecord {
  const job = copyJobs(store).get(scope, id);
  if (!job) throw new ResourceNotFoundException(`Copy job ${id} does not exist.`, { Context: id });
  return job;
}

/** What the job reports about its destination vault. */
function destinationFacts(v: VaultRecord): Pick<CopyJobRecord, "DestinationVaultType" | "DestinationVaultLockState" | "DestinationEncryptionKeyArn"> {
  return {
    DestinationVaultType: v.VaultType,
    ...(v.Locked ? { DestinationVaultLockState: "LOCKED" } : {}),
    DestinationEncryptionKeyArn: v.EncryptionKeyArn,
  };
}

/**
 * The copy as stored in the destination vault: it keeps the source's resource, size, creation
 * date and tags (developer guide, "Backup and tag copy"), and takes the destination vault's key.
 */
function copiedRecoveryPoint(job: CopyJobRecord, source: RecoveryPointRecord, destScope: Scope, vault: VaultRecord, at: number): RecoveryPointRecord {
  const lifecycle = job.DestinationRecoveryPointLifecycle;
  const calculated = calculateLifecycle(lifecycle, source.CreationDate, source.ResourceType);
  return {
    RecoveryPointArn: newRecoveryPointArn(destScope, source.ResourceType, job.CopyJobId),
    BackupVaultName: vault.BackupVaultName,
    BackupVaultArn: vault.BackupVaultArn,
    SourceBackupVaultArn: job.SourceBackupVaultArn,
    ResourceArn: source.ResourceArn,
    ResourceType: source.ResourceType,
    ...(source.ResourceName !== undefined ? { ResourceName: source.ResourceName } : {}),
    ...(job.CreatedBy ? { CreatedBy: job.CreatedBy } : {}),
    IamRoleArn: job.IamRoleArn,
    Status: "COMPLETED",
    CreationDate: source.CreationDate,
    InitiationDate: job.CreationDate,
    CompletionDate: at,
    ...(source.BackupSizeInBytes !== undefined ? { BackupSizeInBytes: source.BackupSizeInBytes } : {}),
    ...(lifecycle ? { Lifecycle: lifecycle } : {}),
    ...(calculated ? { CalculatedLifecycle: calculated } : {}),
    ...storedIn(vault),
  };
}

function announce(store: Store, scope: Scope, job: CopyJobRecord, at: number): void {
  jobStateChanged(
    store,
    scope,
    {
      jobType: "COPY",
      jobId: job.CopyJobId,
      state: job.State,
      backupVaultName: job.SourceBackupVaultName,
      backupVaultArn: job.SourceBackupVaultArn,
      resourceArn: job.ResourceArn,
      resourceType: job.ResourceType,
      recoveryPointArn: job.DestinationRecoveryPointArn ?? job.SourceRecoveryPointArn,
      ...(job.StatusMessage ? { statusMessage: job.StatusMessage } : {}),
    },
    at,
  );
}

function failed(job: CopyJobRecord, at: number, message: string): CopyJobRecord {
  return { ...job, State: "FAILED", CompletionDate: at, StatusMessage: message, MessageCategory: INVALID_PARAMETERS };
}

/** The job's end at `at`: the copy stored in the destination vault, or why it could not be. */
function complete(store: Store, scope: Scope, job: CopyJobRecord, at: number, config: CopyAccessConfig): CopyJobRecord {
  const dest = vaultFromArn(job.DestinationBackupVaultArn);
  const vault = dest && store.vaults.get(dest.scope, dest.name);
  if (!dest || !vault) {
    const where = dest ? ` in account ${dest.scope.accountId} and region ${dest.scope.region}` : "";
    return failed(job, at, `Destination backup vault ${dest?.name ?? job.DestinationBackupVaultArn} does not exist${where}.`);
  }
  const source = store.recoveryPoints.get(scope, job.SourceRecoveryPointArn);
  if (!source) return failed(job, at, `Source recovery point ${job.SourceRecoveryPointArn} no longer exists.`);
  const facts = destinationFacts(vault);
  const refusal = copyIntoRefusal(store, config, scope.accountId, vault);
  if (refusal) return { ...failed(job, at, `Access denied: ${refusal}`), ...facts, MessageCategory: "ACCESS_DENIED" };
  const lockFailure = lockFailsJob(vault, job.DestinationRecoveryPointLifecycle, at);
  if (lockFailure) return { ...job, ...facts, ...lockFailure };
  const rp = copiedRecoveryPoint(job, source, dest.scope, vault, at);
  insertRecoveryPoint(store, dest.scope, rp);
  // Content is addressed by its hash: the copy shares the source's manifest and blobs.
  const content = contentOf(store, scope, source.RecoveryPointArn);
  if (content) recordContent(store, dest.scope, { ...content, RecoveryPointArn: rp.RecoveryPointArn, CreatedAt: at });
  const tags = store.getTags(source.RecoveryPointArn);
  if (Object.keys(tags).length) store.setTags(dest.scope, rp.RecoveryPointArn, tags);
  return {
    ...job,
    ...facts,
    State: "COMPLETED",
    CompletionDate: at,
    DestinationRecoveryPointArn: rp.RecoveryPointArn,
    ...(rp.BackupSizeInBytes !== undefined ? { BackupSizeInBytes: rp.BackupSizeInBytes } : {}),
    MessageCategory: SUCCESS,
  };
}

/** What decides whether a copy may enter another account's vault. */
type CopyAccessConfig = Pick<Config, "authMode" | "organization">;

export function copyJobWork(store: Store, config: CopyAccessConfig = { authMode: "off", organization: undefined }) {
  return (item: WorkItem, at: number): void => {
    const table = copyJobs(store);
    const job = table.get(item.scope, item.ref);
    if (!job) return;
    const to = (item.data as { to: Transition }).to;
    let next: CopyJobRecord | undefined;
    if (to === "RUNNING" && job.State === "CREATED") next = { ...job, State: "RUNNING" };
    else if (to === "COMPLETED" && (job.State === "CREATED" || job.State === "RUNNING")) next = complete(store, item.scope, job, at, config);
    if (!next) return;
    table.put(item.scope, next);
    announce(store, item.scope, next, at);
  };
}

export const copyWork: Record<string, WorkFactory> = {
  [COPY_JOB_WORK]: ({ store, config }) => copyJobWork(store, config),
};
