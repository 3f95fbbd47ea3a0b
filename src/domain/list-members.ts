/**
 * How a stored record appears as a member of a list answer. These are pure functions of the
 * record, so the store keeps each one's JSON beside the document (TableDef.views) and a list
 * page is served from it without parsing or re-shaping a document. A module of its own, with
 * no imports but the model's shapes, because the table definitions in store/schema name them.
 * Their results are read, never changed (readShape may hand back the record itself).
 */
import type { Shapes } from "../../generated/operations.js";
import type { CopyJobRecord } from "../store/schema/copy.js";
import type { RestoreJobRecord } from "../store/schema/restore.js";
import type { ScanJobRecord } from "../store/schema/tiering-scans.js";
import type { BackupJobRecord, RecoveryPointRecord } from "../store/records.js";
import { defined, readShape, shape } from "./util.js";

export function recoveryPointByVault(rp: RecoveryPointRecord): Shapes["RecoveryPointByBackupVault"] {
  const out: Shapes["RecoveryPointByBackupVault"] = shape("RecoveryPointByBackupVault", rp);
  if (rp.ScanResults?.length) {
    out.AggregatedScanResult = {
      FailedScan: rp.ScanResults.some((s) => s.ScanJobState === "FAILED"),
      Findings: rp.ScanResults.flatMap((s) => s.Findings ?? []).filter((f, i, all) => all.indexOf(f) === i),
      LastComputed: Math.max(...rp.ScanResults.map((s) => s.LastScanTimestamp ?? 0)),
    };
  }
  return out;
}

export function recoveryPointByResource(rp: RecoveryPointRecord): Shapes["RecoveryPointByResource"] {
  // The by-vault shape already aggregates scan results; reuse it so the rule lives in one place.
  const { AggregatedScanResult } = recoveryPointByVault(rp);
  return defined({
    RecoveryPointArn: rp.RecoveryPointArn,
    CreationDate: rp.CreationDate,
    Status: rp.Status,
    StatusMessage: rp.StatusMessage,
    EncryptionKeyArn: rp.EncryptionKeyArn,
    EncryptionKeyType: rp.EncryptionKeyType,
    BackupSizeBytes: rp.BackupSizeInBytes,
    BackupVaultName: rp.BackupVaultName,
    IsParent: rp.IsParent ?? false,
    ParentRecoveryPointArn: rp.ParentRecoveryPointArn,
    ResourceName: rp.ResourceName,
    VaultType: rp.VaultType,
    IndexStatus: rp.IndexStatus,
    IndexStatusMessage: rp.IndexStatusMessage,
    AggregatedScanResult,
  });
}

export const backupJobListMember = (j: BackupJobRecord): Shapes["BackupJob"] => readShape("BackupJob", j);
/** The CopyJob shape, as ListCopyJobs and DescribeCopyJob return it. */
export const copyJobShape = (j: CopyJobRecord): Shapes["CopyJob"] => readShape("CopyJob", j);
export const restoreJobListMember = (j: RestoreJobRecord): Shapes["RestoreJobsListMember"] => readShape("RestoreJobsListMember", j);
export const scanJobListMember = (j: ScanJobRecord): Shapes["ScanJob"] => readShape("ScanJob", j);
