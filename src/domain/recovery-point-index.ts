/**
 * Backup indexes (the developer guide's "Backup search"): only EBS and S3 backups can be indexed.
 * An index is PENDING while it is built and ACTIVE once searchable, over the job delay; disabling
 * it marks it DELETING until it is gone. Both moves are queued work, tagged with the index's
 * creation date so work left over from an earlier index of the same point does nothing.
 */
import { InvalidParameterValueException, InvalidRequestException, MissingParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { RecoveryPointRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { inColdStorage } from "./recovery-point-management.js";
import { requireRecoveryPoint } from "./recovery-points.js";
import { validateRoleArn } from "./selections.js";
import { defined } from "./util.js";
import { requireVaultFor } from "./vault-policy.js";
import { requireVault } from "./vaults.js";
import type { WorkFactory } from "./work.js";

export const RECOVERY_POINT_INDEX_WORK = "recovery-point-index";

/** Resource types whose backups can be indexed (API reference, IndexAction). */
export const INDEXABLE_RESOURCE_TYPES: ReadonlySet<string> = new Set(["EBS", "S3"]);

/** What the service keeps about a point's index beyond IndexStatus and IndexStatusMessage. */
interface IndexDetails {
  IndexCreationDate: number;
  IndexCompletionDate?: number;
  IndexDeletionDate?: number;
  TotalItemsIndexed?: number;
  IamRoleArn?: string;
}

/** The index details ride in the recovery point's stored document, next to IndexStatus. */
type IndexedRecord = RecoveryPointRecord & { BackupIndex?: IndexDetails };

interface IndexWork {
  to: "ACTIVE" | "DELETED";
  /** IndexCreationDate of the index the work belongs to. */
  created: number;
}

/** Simulated item count: stable per point, growing with its size. */
const itemsIndexed = (rp: RecoveryPointRecord): number => Math.max(1, Math.round((rp.BackupSizeInBytes ?? 0) / (64 * 1024)));

/**
 * The point's index details. An index made with the backup itself (StartBackupJob's Index) may
 * carry only its status; it was then built along with the backup.
 */
function detailsOf(rp: RecoveryPointRecord): IndexDetails | undefined {
  if (!rp.IndexStatus) return undefined;
  const stored = (rp as IndexedRecord).BackupIndex;
  if (stored) return stored;
  const built = rp.CompletionDate ?? rp.CreationDate;
  return { IndexCreationDate: built, ...(rp.IndexStatus === "ACTIVE" ? { IndexCompletionDate: built, TotalItemsIndexed: itemsIndexed(rp) } : {}) };
}

function withIndex(rp: RecoveryPointRecord, status: Shapes["IndexStatus"] | undefined, details: IndexDetails | undefined): IndexedRecord {
  const { IndexStatus: _status, IndexStatusMessage: _message, BackupIndex: _details, ...rest } = rp as IndexedRecord;
  return { ...rest, ...(status ? { IndexStatus: status } : {}), ...(details ? { BackupIndex: details } : {}) };
}

/**
 * Start building an index of `rp` at `at` (call inside a transaction): PENDING now, ACTIVE after
 * the job delay.
 */
export function startIndexing(store: Store, scope: Scope, rp: RecoveryPointRecord, at: number, delaySeconds: number, iamRoleArn?: string): RecoveryPointRecord {
  const next = withIndex(rp, "PENDING", { IndexCreationDate: at, ...(iamRoleArn ? { IamRoleArn: iamRoleArn } : {}) });
  store.recoveryPoints.put(scope, next);
  store.schedule(at + delaySeconds, RECOVERY_POINT_INDEX_WORK, scope, rp.RecoveryPointArn, { to: "ACTIVE", created: at } satisfies IndexWork);
  return next;
}

export interface IndexSettings {
  BackupVaultName: string;
  RecoveryPointArn: string;
  Index: Shapes["Index"];
  IamRoleArn?: string;
}

/**
 * UpdateRecoveryPointIndexSettings. Enabling an index that exists (PENDING or ACTIVE) or
 * disabling one that does not is a no-op answering the current status, as the operation is
 * idempotent.
 */
export function updateIndexSettings(ctx: DomainContext, req: IndexSettings): Shapes["UpdateRecoveryPointIndexSettingsOutput"] {
  const { store, scope, config } = ctx;
  if (req.IamRoleArn !== undefined) validateRoleArn(req.IamRoleArn, "IamRoleArn");
  return store.transaction(() => {
    requireVaultFor(ctx, "backup:UpdateRecoveryPointIndexSettings", req.BackupVaultName, req.RecoveryPointArn);
    let rp = requireRecoveryPoint(store, scope, req.BackupVaultName, req.RecoveryPointArn);
    const arn = rp.RecoveryPointArn;
    const now = ctx.clock.now();
    if (req.Index === "ENABLED" && rp.IndexStatus !== "PENDING" && rp.IndexStatus !== "ACTIVE") {
      if (rp.IndexStatus === "DELETING") throw new InvalidRequestException(`The backup index of recovery point ${arn} is being deleted; enable it again once the deletion has finished.`, { Context: arn });
      if (!INDEXABLE_RESOURCE_TYPES.has(rp.ResourceType)) {
        throw new InvalidRequestException(`Recovery point ${arn} is a backup of a ${rp.ResourceType} resource; backup indexes can only be created for EBS and S3 backups.`, { Context: arn });
      }
      if (rp.Status !== "COMPLETED" && rp.Status !== "AVAILABLE") {
        throw new InvalidRequestException(`Recovery point ${arn} is ${rp.Status}; a backup index can only be created for a completed recovery point.`, { Context: arn });
      }
      if (inColdStorage(rp, now)) throw new InvalidRequestException(`Recovery point ${arn} is in cold storage and cannot be indexed.`, { Context: arn });
      // The API reference lists IamRoleArn as required to create an index, though the model marks it optional.
      if (req.IamRoleArn === undefined) throw new MissingParameterValueException(`IamRoleArn is required to create a backup index for recovery point ${arn}.`);
      rp = startIndexing(store, scope, rp, now, config.jobCompletionDelaySeconds, req.IamRoleArn);
    } else if (req.Index === "DISABLED") {
      const details = detailsOf(rp);
      if (details && rp.IndexStatus !== "DELETING") {
        const next = withIndex(rp, "DELETING", { ...details, IndexDeletionDate: now });
        store.recoveryPoints.put(scope, next);
        store.schedule(now + config.jobCompletionDelaySeconds, RECOVERY_POINT_INDEX_WORK, scope, arn, { to: "DELETED", created: details.IndexCreationDate } satisfies IndexWork);
        rp = next;
      }
    }
    return defined({ BackupVaultName: rp.BackupVaultName, RecoveryPointArn: arn, Index: req.Index, IndexStatus: rp.IndexStatus });
  });
}

export function indexDetails(store: Store, scope: Scope, vaultName: string, arn: string): Shapes["GetRecoveryPointIndexDetailsOutput"] {
  requireVault(store, scope, vaultName);
  const rp = requireRecoveryPoint(store, scope, vaultName, arn);
  const details = detailsOf(rp);
  if (!details) throw new ResourceNotFoundException(`Recovery point ${arn} has no backup index.`, { Context: arn });
  return defined({
    RecoveryPointArn: rp.RecoveryPointArn,
    BackupVaultArn: rp.BackupVaultArn,
    SourceResourceArn: rp.ResourceArn,
    IndexStatus: rp.IndexStatus,
    IndexStatusMessage: rp.IndexStatusMessage,
    IndexCreationDate: details.IndexCreationDate,
    IndexCompletionDate: details.IndexCompletionDate,
    IndexDeletionDate: details.IndexDeletionDate,
    TotalItemsIndexed: details.TotalItemsIndexed,
  });
}

/** ListIndexedRecoveryPoints accepts only the indexable types as a filter. */
export function validateIndexedResourceType(type: string | undefined): void {
  if (type !== undefined && !INDEXABLE_RESOURCE_TYPES.has(type)) {
    throw new InvalidParameterValueException(`ResourceType "${type}" cannot have backup indexes; use EBS or S3.`);
  }
}

export function indexedRecoveryPoint(rp: RecoveryPointRecord): Shapes["IndexedRecoveryPoint"] {
  const details = detailsOf(rp);
  return defined({
    RecoveryPointArn: rp.RecoveryPointArn,
    SourceResourceArn: rp.ResourceArn,
    IamRoleArn: details?.IamRoleArn ?? rp.IamRoleArn,
    BackupCreationDate: rp.CreationDate,
    ResourceType: rp.ResourceType,
    IndexCreationDate: details?.IndexCreationDate,
    IndexStatus: rp.IndexStatus,
    IndexStatusMessage: rp.IndexStatusMessage,
    BackupVaultArn: rp.BackupVaultArn,
  });
}

function indexWork(store: Store) {
  return (item: WorkItem, at: number): void => {
    const rp = store.recoveryPoints.get(item.scope, item.ref);
    const work = item.data as IndexWork;
    const details = rp && detailsOf(rp);
    if (!rp || !details || details.IndexCreationDate !== work.created) return;
    if (work.to === "ACTIVE" && rp.IndexStatus === "PENDING") {
      store.recoveryPoints.put(item.scope, withIndex(rp, "ACTIVE", { ...details, IndexCompletionDate: at, TotalItemsIndexed: itemsIndexed(rp) }));
    } else if (work.to === "DELETED" && rp.IndexStatus === "DELETING") {
      store.recoveryPoints.put(item.scope, withIndex(rp, undefined, undefined));
    }
  };
}

export const recoveryPointIndexWork: Record<string, WorkFactory> = {
  [RECOVERY_POINT_INDEX_WORK]: ({ store }) => indexWork(store),
};
