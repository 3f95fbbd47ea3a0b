/**
 * Recovery point lifecycles carried out: at MoveToColdStorageAt the storage class becomes COLD,
 * at DeleteAt the recovery point is deleted (the vault's count falls; a RECOVERY_POINT_MODIFIED
 * notification is recorded where configured) — unless a legal hold covers it (it is deleted
 * once the last hold is cancelled: CancelLegalHold queues the deletion again) or its vault's
 * lock keeps it until the lock's minimum retention has passed (the deletion is queued again for
 * that time).
 */
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import type { RecoveryPointRecord } from "../store/records.js";
import { notifyVault } from "./events.js";
import { activeHoldsOn } from "./legal-holds.js";
import { LIFECYCLE_WORK, removeRecoveryPoint } from "./recovery-points.js";
import { lockForbidsDeletion } from "./vault-lock.js";
import type { WorkFactory } from "./work.js";

const DAY = 86_400;

/** Queue a deletion that was held back (called when a legal hold is cancelled), for `at`. */
export function requeueDueDeletion(store: Store, scope: Scope, rp: RecoveryPointRecord, at: number): void {
  const deleteAt = rp.CalculatedLifecycle?.DeleteAt;
  if (deleteAt !== undefined && deleteAt <= at) store.schedule(at, LIFECYCLE_WORK, scope, rp.RecoveryPointArn, { to: "DELETE" });
}

function apply(store: Store, scope: Scope, arn: string, to: "COLD" | "DELETE", at: number): void {
  const rp = store.recoveryPoints.get(scope, arn);
  const due = to === "COLD" ? rp?.CalculatedLifecycle?.MoveToColdStorageAt : rp?.CalculatedLifecycle?.DeleteAt;
  // The lifecycle may have changed since this was queued: act only when it is still due.
  if (!rp || due === undefined || due > at + 0.001) return;
  if (to === "COLD") {
    if (rp.StorageClass !== "WARM") return;
    store.recoveryPoints.put(scope, { ...rp, StorageClass: "COLD" });
    notifyVault(store, scope, rp.BackupVaultName, "RECOVERY_POINT_MODIFIED", { recoveryPointArn: arn, resourceArn: rp.ResourceArn, state: "COLD" }, at);
    return;
  }
  if (activeHoldsOn(store, scope, rp).length > 0) return;
  if (lockForbidsDeletion(store, scope, rp, at)) {
    const min = store.vaults.get(scope, rp.BackupVaultName)?.MinRetentionDays;
    const allowed = min !== undefined ? rp.CreationDate + min * DAY : undefined;
    if (allowed !== undefined && allowed > at) store.schedule(allowed, LIFECYCLE_WORK, scope, arn, { to: "DELETE" });
    return;
  }
  removeRecoveryPoint(store, scope, rp);
  notifyVault(store, scope, rp.BackupVaultName, "RECOVERY_POINT_MODIFIED", { recoveryPointArn: arn, resourceArn: rp.ResourceArn, state: "DELETED" }, at);
}

export const expiryWork: Record<string, WorkFactory> = {
  [LIFECYCLE_WORK]:
    ({ store }) =>
    (item, at) =>
      apply(store, item.scope, item.ref, (item.data as { to: "COLD" | "DELETE" }).to, at),
};
