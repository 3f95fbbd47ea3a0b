/**
 * Tables of the data plane (docs/backups-with-data.md): transfers to or from the resource
 * endpoint, queued or running in the background, and the content each recovery point holds.
 */
import type { TableDef } from "../table.js";

export type TransferKind = "BACKUP" | "RESTORE" | "DELETE";
export type TransferState = "QUEUED" | "RUNNING" | "DONE" | "FAILED";

/** One transfer; its scope is the scope of the job it serves. */
export interface TransferRecord {
  /** The job's id (a restore testing deletion: the restore job's id with a suffix). */
  TransferId: string;
  Kind: TransferKind;
  JobId: string;
  ResourceType: string;
  /** Backup: the resource read. Restore: the resource to create. Delete: the resource to delete. */
  ResourceArn: string;
  State: TransferState;
  CreatedAt: number;
  /** The job may complete from this time on (its creation plus the configured delay). */
  CompleteAt: number;
  /** Runs started so far; a run cut short by a stop or a crash is started again, a bounded number of times. */
  Attempts: number;
  BytesTransferred: number;
  ItemsTransferred: number;
  /** An estimate of the bytes to move, for PercentDone. */
  TotalBytes?: number;
  /** Backup: the manifest written. Restore: the manifest read. */
  Manifest?: string;
  SizeBytes?: number;
  /** Restore: the job's metadata. Backup: what the resource's description says a restore needs. */
  RestoreMetadata?: Record<string, string>;
  CreatedResourceArn?: string;
  /** Why it failed, for a person. */
  Message?: string;
}

export const transfersDef: TableDef<TransferRecord> = {
  name: "transfers",
  key: { id: (t) => t.TransferId },
  columns: {
    created: { type: "REAL", from: (t) => t.CreatedAt },
    state: { type: "TEXT", from: (t) => t.State },
  },
  order: { column: "created", desc: false },
  indexes: [["state"]],
};

/** The content a recovery point holds: a manifest in the content store, shared by its copies. */
export interface RecoveryPointContent {
  RecoveryPointArn: string;
  Manifest: string;
  SizeBytes: number;
  ResourceType: string;
  /** What the backup recorded, returned by GetRecoveryPointRestoreMetadata. */
  RestoreMetadata: Record<string, string>;
  CreatedAt: number;
}

export const contentsDef: TableDef<RecoveryPointContent> = {
  name: "recovery_point_contents",
  key: { arn: (c) => c.RecoveryPointArn },
  columns: {
    created: { type: "REAL", from: (c) => c.CreatedAt },
    manifest: { type: "TEXT", from: (c) => c.Manifest },
  },
  order: { column: "created", desc: false },
  indexes: [],
};

export const dataPlaneTables: readonly TableDef<never>[] = [transfersDef, contentsDef];
