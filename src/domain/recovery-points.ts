/** Recovery points: creation and removal keep the vault's count, and their shapes. */
import { ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { RecoveryPointRecord, VaultRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { adjustRecoveryPointCount } from "./vaults.js";
import { shape } from "./util.js";
import { releaseContent } from "./transfers.js";

/** The queued work that moves a recovery point to cold storage and deletes it (domain/expiry.ts). */
export const LIFECYCLE_WORK = "recovery-point-lifecycle";

/** Store a new recovery point, count it in its vault and queue its lifecycle (call inside a transaction). */
/** What a new recovery point takes from the vault it is stored in (encryption, type), warm and not a parent. */
export function storedIn(vault: VaultRecord): Pick<RecoveryPointRecord, "EncryptionKeyArn" | "EncryptionKeyType" | "IsEncrypted" | "StorageClass" | "IsParent" | "VaultType"> {
  return {
    EncryptionKeyArn: vault.EncryptionKeyArn,
    ...(vault.EncryptionKeyType ? { EncryptionKeyType: vault.EncryptionKeyType } : {}),
    IsEncrypted: true,
    StorageClass: "WARM",
    IsParent: false,
    VaultType: vault.VaultType,
  };
}

export function insertRecoveryPoint(store: Store, scope: Scope, rp: RecoveryPointRecord): void {
  if (!store.recoveryPoints.insert(scope, rp)) return;
  adjustRecoveryPointCount(store, scope, rp.BackupVaultName, +1);
  queueLifecycle(store, scope, rp);
}

/** (Re)queue the cold-storage move and the deletion a recovery point's CalculatedLifecycle calls for. */
export function scheduleLifecycle(store: Store, scope: Scope, rp: RecoveryPointRecord): void {
  store.cancelWork(LIFECYCLE_WORK, rp.RecoveryPointArn);
  queueLifecycle(store, scope, rp);
}

function queueLifecycle(store: Store, scope: Scope, rp: RecoveryPointRecord): void {
  const at = rp.CalculatedLifecycle;
  if (at?.MoveToColdStorageAt !== undefined && rp.StorageClass === "WARM") store.schedule(at.MoveToColdStorageAt, LIFECYCLE_WORK, scope, rp.RecoveryPointArn, { to: "COLD" });
  if (at?.DeleteAt !== undefined) store.schedule(at.DeleteAt, LIFECYCLE_WORK, scope, rp.RecoveryPointArn, { to: "DELETE" });
}

/** Remove a recovery point, its tags, its queued lifecycle and its place in the vault's count (call inside a transaction). */
export function removeRecoveryPoint(store: Store, scope: Scope, rp: RecoveryPointRecord): void {
  if (store.recoveryPoints.delete(scope, rp.RecoveryPointArn)) adjustRecoveryPointCount(store, scope, rp.BackupVaultName, -1);
  store.deleteTags(rp.RecoveryPointArn);
  store.cancelWork(LIFECYCLE_WORK, rp.RecoveryPointArn);
  releaseContent(store, scope, rp.RecoveryPointArn);
}

/** The recovery point `arn` in vault `vault`; ResourceNotFoundException when either is missing. */
export function requireRecoveryPoint(store: Store, scope: Scope, vault: string, arn: string): RecoveryPointRecord {
  const rp = store.recoveryPoints.get(scope, arn);
  if (!rp || rp.BackupVaultName !== vault) {
    throw new ResourceNotFoundException(`Recovery point ${arn} does not exist in backup vault ${vault}.`, { Context: arn });
  }
  return rp;
}

export const describeRecoveryPoint = (rp: RecoveryPointRecord): Shapes["DescribeRecoveryPointOutput"] => shape("DescribeRecoveryPointOutput", rp);

