/**
 * The data plane's records (docs/backups-with-data.md): with RESOURCE_ENDPOINT set, a backup or
 * restore job of a type that has a data plane module gets a transfer row, which the background
 * service (domain/data-plane.ts) runs outside any request; the job's completion waits for it.
 * A completed backup leaves a content row naming its manifest; copies share that manifest.
 */
import type { Config } from "../config.js";
import type { RecoveryPointRecord } from "../store/records.js";
import { recoveryPointRestoreMetadata } from "./restore-targets.js";
import { DATA_PLANE_TYPES } from "../dataplane/index.js";
import { contentsDef, transfersDef, type RecoveryPointContent, type TransferKind, type TransferRecord } from "../store/schema/dataplane.js";
import type { Scope, Table } from "../store/table.js";
import type { Store } from "../store/store.js";

export const transfers = (store: Store): Table<TransferRecord> => store.table(transfersDef);
export const contents = (store: Store): Table<RecoveryPointContent> => store.table(contentsDef);

/** Set when content may have lost its last reference, so the service sweeps unreferenced blobs. */
export const SWEEP_WANTED = "dataplane.sweep";

export const isFinished = (t: TransferRecord): boolean => t.State === "DONE" || t.State === "FAILED";

/** Does a backup of this type read its resource from the resource endpoint? */
export const readsResource = (config: Pick<Config, "resourceEndpoint">, resourceType: string): boolean => Boolean(config.resourceEndpoint) && DATA_PLANE_TYPES.has(resourceType);

export interface NewTransfer {
  kind: TransferKind;
  jobId: string;
  resourceType: string;
  resourceArn: string;
  at: number;
  completeAt: number;
  manifest?: string;
  restoreMetadata?: Record<string, string>;
}

/** Queue a transfer (inside the transaction that creates its job). */
export function queueTransfer(store: Store, scope: Scope, t: NewTransfer): TransferRecord {
  const row: TransferRecord = {
    TransferId: t.kind === "DELETE" ? `${t.jobId}:delete` : t.jobId,
    Kind: t.kind,
    JobId: t.jobId,
    ResourceType: t.resourceType,
    ResourceArn: t.resourceArn,
    State: "QUEUED",
    CreatedAt: t.at,
    CompleteAt: t.completeAt,
    Attempts: 0,
    BytesTransferred: 0,
    ItemsTransferred: 0,
    ...(t.manifest ? { Manifest: t.manifest } : {}),
    ...(t.restoreMetadata ? { RestoreMetadata: t.restoreMetadata } : {}),
  };
  transfers(store).put(scope, row);
  return row;
}

export const transferOf = (store: Store, scope: Scope, id: string): TransferRecord | undefined => transfers(store).get(scope, id);

/** Forget a transfer whose job has taken its result (its manifest stays referenced by the content row, if any). */
export function dropTransfer(store: Store, scope: Scope, id: string): void {
  if (transfers(store).delete(scope, id)) store.setMeta(SWEEP_WANTED, "1");
}

export const contentOf = (store: Store, scope: Scope, recoveryPointArn: string): RecoveryPointContent | undefined => contents(store).get(scope, recoveryPointArn);

export function recordContent(store: Store, scope: Scope, c: RecoveryPointContent): void {
  contents(store).put(scope, c);
}

/** A recovery point is gone: its content is freed at the next sweep unless something else shares it. */
export function releaseContent(store: Store, scope: Scope, recoveryPointArn: string): void {
  if (contents(store).delete(scope, recoveryPointArn)) store.setMeta(SWEEP_WANTED, "1");
}

/** The restore metadata a recovery point offers: what its backup recorded, else what the emulator infers. */
export function offeredRestoreMetadata(store: Store, scope: Scope, rp: RecoveryPointRecord): Record<string, string> {
  return contentOf(store, scope, rp.RecoveryPointArn)?.RestoreMetadata ?? recoveryPointRestoreMetadata(rp, scope);
}
