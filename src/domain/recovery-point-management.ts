/**
 * Changing a recovery point after it exists: its lifecycle, and releasing it from AWS Backup
 * (continuous backups) or from its composite parent.
 */
import { InvalidParameterValueException, InvalidRequestException, InvalidResourceStateException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { RecoveryPointRecord } from "../store/records.js";
import { backupResource, parseArn } from "./arn.js";
import { notifyVault } from "./events.js";
import { calculateLifecycle, validateLifecycle } from "./lifecycle.js";
import { removeRecoveryPoint, requireRecoveryPoint, scheduleLifecycle } from "./recovery-points.js";
import { deletionBlocker } from "./retention.js";
import { lockRetentionViolation } from "./vault-lock.js";
import { requireVaultFor } from "./vault-policy.js";

/**
 * Continuous backups (point-in-time recovery) carry Backup ARNs whose id starts with
 * `continuous` (e.g. `…:recovery-point:continuous:db-abc-1234`); snapshot backups never do.
 */
export function isContinuous(rp: RecoveryPointRecord): boolean {
  const arn = parseArn(rp.RecoveryPointArn);
  const res = arn && backupResource(arn);
  return res?.kind === "recovery-point" && /^continuous[:-]/.test(res.id);
}

/**
 * Whether the point has moved to cold storage at `now`: marked COLD, or past the transition its
 * lifecycle set (the move happens at that time whether or not anything has looked since).
 */
export function inColdStorage(rp: RecoveryPointRecord, now: number): boolean {
  const at = rp.CalculatedLifecycle?.MoveToColdStorageAt;
  return rp.StorageClass === "COLD" || (at !== undefined && at <= now);
}

/**
 * UpdateRecoveryPointLifecycle. The given lifecycle replaces the stored one as a whole (the API
 * reference warns that omitted members become unset), and the schedule is recomputed from the
 * point's creation date.
 */
export function updateRecoveryPointLifecycle(
  ctx: DomainContext,
  vaultName: string,
  arn: string,
  lifecycle: Shapes["Lifecycle"] | undefined,
): RecoveryPointRecord {
  const { store, scope } = ctx;
  validateLifecycle(lifecycle);
  return store.transaction(() => {
    const vault = requireVaultFor(ctx, "backup:UpdateRecoveryPointLifecycle", vaultName, arn);
    const rp = requireRecoveryPoint(store, scope, vaultName, arn);
    if (isContinuous(rp)) {
      throw new InvalidRequestException(
        `Recovery point ${arn} is a continuous backup; its retention follows the backup plan rule and cannot be changed with UpdateRecoveryPointLifecycle.`,
        { Context: arn },
      );
    }
    if (rp.Status === "DELETING") throw new InvalidRequestException(`Recovery point ${arn} is being deleted; its lifecycle can no longer change.`, { Context: arn });
    const now = ctx.clock.now();
    const cold = rp.Lifecycle?.MoveToColdStorageAfterDays;
    // API reference: the transition to cold cannot change once the backup has transitioned.
    if (inColdStorage(rp, now) && lifecycle?.MoveToColdStorageAfterDays !== cold) {
      throw new InvalidRequestException(
        `Recovery point ${arn} is already in cold storage, so Lifecycle.MoveToColdStorageAfterDays must stay ${cold ?? "as it was"}; got ${lifecycle?.MoveToColdStorageAfterDays ?? "none"}.`,
        { Context: arn },
      );
    }
    const violation = lockRetentionViolation(vault, lifecycle);
    if (violation) throw new InvalidParameterValueException(violation, { Context: vault.BackupVaultName });

    const { Lifecycle: _old, CalculatedLifecycle: _oldCalculated, ...rest } = rp;
    const calculated = calculateLifecycle(lifecycle, rp.CreationDate, rp.ResourceType);
    const next: RecoveryPointRecord = { ...rest, ...(lifecycle ? { Lifecycle: lifecycle } : {}), ...(calculated ? { CalculatedLifecycle: calculated } : {}) };
    store.recoveryPoints.put(scope, next);
    scheduleLifecycle(store, scope, next);
    notifyVault(store, scope, vault.BackupVaultName, "RECOVERY_POINT_MODIFIED", { recoveryPointArn: arn, resourceArn: rp.ResourceArn }, now);
    return next;
  });
}

/**
 * DisassociateRecoveryPoint: AWS Backup lets go of a continuous backup (the source service keeps
 * it), so the point leaves the vault. Snapshot backups are refused (API reference). Legal holds
 * and the vault lock still apply, since the point leaves their protection just as by deletion.
 */
export function disassociateRecoveryPoint(ctx: DomainContext, vaultName: string, arn: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    requireVaultFor(ctx, "backup:DisassociateRecoveryPoint", vaultName, arn);
    const rp = requireRecoveryPoint(store, scope, vaultName, arn);
    if (!isContinuous(rp)) {
      throw new InvalidRequestException(
        `Recovery point ${arn} is a snapshot backup; only continuous backup recovery points can be disassociated (use DeleteRecoveryPoint for snapshots).`,
        { Context: arn },
      );
    }
    if (rp.Status === "DELETING") throw new InvalidResourceStateException(`Recovery point ${arn} is being deleted and cannot be disassociated.`, { Context: arn });
    const blocker = deletionBlocker(store, scope, rp, ctx.clock.now());
    if (blocker) throw new InvalidRequestException(blocker, { Context: arn });
    removeRecoveryPoint(store, scope, rp);
  });
}

/** DisassociateRecoveryPointFromParent: a child (nested) point stops belonging to its composite. */
export function disassociateFromParent(ctx: DomainContext, vaultName: string, arn: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    requireVaultFor(ctx, "backup:DisassociateRecoveryPointFromParent", vaultName, arn);
    const rp = requireRecoveryPoint(store, scope, vaultName, arn);
    if (!rp.ParentRecoveryPointArn) {
      throw new InvalidRequestException(
        `Recovery point ${arn} has no parent: only a child (nested) recovery point of a composite recovery point can be disassociated from its parent.`,
        { Context: arn },
      );
    }
    if (rp.Status === "DELETING") throw new InvalidRequestException(`Recovery point ${arn} is being deleted and cannot be disassociated from its parent.`, { Context: arn });
    // The member identifier only has meaning inside the composite.
    const { ParentRecoveryPointArn: _parent, CompositeMemberIdentifier: _member, ...rest } = rp;
    store.recoveryPoints.put(scope, rest);
  });
}
