/**
 * Vault Lock: retention bounds on the recovery points of a locked vault.
 *
 * Two modes (Developer Guide, "AWS Backup Vault Lock"):
 *  - governance mode (no ChangeableForDays): the lock can be changed or removed at any time;
 *  - compliance mode: ChangeableForDays is a grace period; from the LockDate (configuration time
 *    + ChangeableForDays) on, the lock can be neither changed nor removed, and the vault can no
 *    longer be deleted while it holds recovery points.
 * Logically air-gapped vaults carry a compliance-mode lock from their creation.
 */
import { periodDays } from "./lifecycle.js";
import { InvalidParameterValueException, InvalidRequestException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { RecoveryPointRecord, VaultRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { requireVaultFor } from "./vault-policy.js";
import { timeText } from "./util.js";

const DAY = 86_400;

/** API reference, PutBackupVaultLockConfiguration: shortest minimum and longest maximum retention. */
export const LOCK_MIN_RETENTION_DAYS = 1;
export const LOCK_MAX_RETENTION_DAYS = 36_500;
/** The 72-hour cooling-off period: ChangeableForDays must be 3 or greater. */
export const LOCK_MIN_CHANGEABLE_DAYS = 3;
export const LOCK_MAX_CHANGEABLE_DAYS = 36_500;

export interface LockSettings {
  MinRetentionDays?: number;
  MaxRetentionDays?: number;
  ChangeableForDays?: number;
}

/** True once a compliance-mode lock has passed its lock date. */
export function lockIsImmutable(v: VaultRecord, at: number): boolean {
  return v.Locked && v.LockDate !== undefined && v.LockDate <= at;
}

/** Throws InvalidParameterValueException when retention bounds are out of range or inverted. */
export function validateRetentionBounds(min: number | undefined, max: number | undefined, lowest: number): void {
  if (min !== undefined && min < lowest) throw new InvalidParameterValueException(`MinRetentionDays must be at least ${lowest}, got ${min}.`);
  // The longest retention bounds the minimum too (it may not exceed the maximum, which may be
  // left out); without it a minimum past the range of dates breaks every deadline computed from it.
  if (min !== undefined && min > LOCK_MAX_RETENTION_DAYS) {
    throw new InvalidParameterValueException(`MinRetentionDays must be at most ${LOCK_MAX_RETENTION_DAYS}, got ${min}.`);
  }
  if (max !== undefined && (max < lowest || max > LOCK_MAX_RETENTION_DAYS)) {
    throw new InvalidParameterValueException(`MaxRetentionDays must be between ${lowest} and ${LOCK_MAX_RETENTION_DAYS}, got ${max}.`);
  }
  if (min !== undefined && max !== undefined && min > max) {
    throw new InvalidParameterValueException(`MinRetentionDays (${min}) must not be greater than MaxRetentionDays (${max}).`);
  }
}

function requireStandardVault(v: VaultRecord): void {
  if (v.VaultType !== "BACKUP_VAULT") {
    throw new InvalidRequestException(
      `Backup vault ${v.BackupVaultName} is a ${v.VaultType}; its lock is set when it is created and cannot be configured or removed.`,
      { Context: v.BackupVaultName },
    );
  }
}

export function putLock(ctx: DomainContext, name: string, s: LockSettings): void {
  const { store, scope } = ctx;
  validateRetentionBounds(s.MinRetentionDays, s.MaxRetentionDays, LOCK_MIN_RETENTION_DAYS);
  const days = s.ChangeableForDays;
  if (days !== undefined && (days < LOCK_MIN_CHANGEABLE_DAYS || days > LOCK_MAX_CHANGEABLE_DAYS)) {
    throw new InvalidParameterValueException(
      `ChangeableForDays must be between ${LOCK_MIN_CHANGEABLE_DAYS} and ${LOCK_MAX_CHANGEABLE_DAYS} (AWS Backup enforces a 72-hour cooling-off period), got ${days}.`,
    );
  }
  store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:PutBackupVaultLockConfiguration", name);
    requireStandardVault(v);
    const now = ctx.clock.now();
    if (lockIsImmutable(v, now)) {
      throw new InvalidRequestException(`The Vault Lock of backup vault ${name} passed its lock date and can no longer be changed.`, { Context: name });
    }
    const next: VaultRecord = { ...withoutLock(v), Locked: true, LockConfiguredAt: now };
    if (s.MinRetentionDays !== undefined) next.MinRetentionDays = s.MinRetentionDays;
    if (s.MaxRetentionDays !== undefined) next.MaxRetentionDays = s.MaxRetentionDays;
    if (days !== undefined) {
      next.ChangeableForDays = days;
      next.LockDate = now + days * DAY;
    }
    store.vaults.put(scope, next);
  });
}

export function deleteLock(ctx: DomainContext, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:DeleteBackupVaultLockConfiguration", name);
    requireStandardVault(v);
    if (lockIsImmutable(v, ctx.clock.now())) {
      throw new InvalidRequestException(`The Vault Lock of backup vault ${name} passed its lock date and can no longer be removed.`, { Context: name });
    }
    // Removing a lock that is not there leaves the vault as it is (the operation is idempotent).
    if (v.Locked) store.vaults.put(scope, withoutLock(v));
  });
}

function withoutLock(v: VaultRecord): VaultRecord {
  const { MinRetentionDays: _min, MaxRetentionDays: _max, LockDate: _date, LockConfiguredAt: _at, ChangeableForDays: _days, ...rest } = v;
  return { ...rest, Locked: false };
}

/** Why the vault's lock forbids deleting the vault at `at`, or undefined. */
export function lockForbidsVaultDeletion(v: VaultRecord, at: number): string | undefined {
  // Developer Guide: a vault locked in compliance mode cannot be deleted once the grace time has
  // expired if it holds recovery points; an empty one, or one in governance mode, can be.
  if (lockIsImmutable(v, at) && v.NumberOfRecoveryPoints > 0) {
    return `Backup vault ${v.BackupVaultName} is locked in compliance mode and holds recovery points, so it cannot be deleted.`;
  }
  return undefined;
}

/** Why the vault's lock forbids deleting this recovery point at `at`, or undefined. */
export function lockForbidsDeletion(store: Store, scope: Scope, rp: RecoveryPointRecord, at: number): string | undefined {
  const vault = store.vaults.get(scope, rp.BackupVaultName);
  if (!vault?.Locked || vault.MinRetentionDays === undefined) return undefined;
  const until = rp.CreationDate + vault.MinRetentionDays * DAY;
  if (at >= until) return undefined;
  return `Recovery point ${rp.RecoveryPointArn} is in backup vault ${vault.BackupVaultName}, whose Vault Lock keeps recovery points at least ${vault.MinRetentionDays} days; it cannot be deleted before ${timeText(until)}.`;
}

/**
 * Why a lifecycle breaks the retention bounds of the vault's lock (a recovery point stored in
 * `vault` with this lifecycle), or undefined when it complies or the vault is not locked.
 * The retention is DeleteAfterDays; without it the recovery point is kept forever, which a
 * maximum retention forbids (API reference, MaxRetentionDays: jobs must have a retention
 * period equal to or shorter than the maximum).
 */
export function lockRetentionViolation(vault: VaultRecord, lifecycle: Shapes["Lifecycle"] | undefined): string | undefined {
  if (!vault.Locked) return undefined;
  const keep = periodDays(lifecycle?.DeleteAfterDays);
  const { MinRetentionDays: min, MaxRetentionDays: max, BackupVaultName: name } = vault;
  if (max !== undefined && keep === undefined) {
    return `Backup vault ${name} is locked with a maximum retention of ${max} days, so the lifecycle must set DeleteAfterDays (at most ${max}).`;
  }
  if (max !== undefined && keep !== undefined && keep > max) {
    return `Lifecycle.DeleteAfterDays (${keep}) exceeds the maximum retention of ${max} days that the lock of backup vault ${name} allows.`;
  }
  if (min !== undefined && keep !== undefined && keep < min) {
    return `Lifecycle.DeleteAfterDays (${keep}) is shorter than the minimum retention of ${min} days that the lock of backup vault ${name} requires.`;
  }
  return undefined;
}

/** The fields that end a job the vault's lock fails. */
export interface LockJobFailure {
  State: "FAILED";
  CompletionDate: number;
  StatusMessage: string;
  MessageCategory: "FAILED";
}

/**
 * How a backup or copy job that would store a recovery point with `lifecycle` in `vault` ends
 * at `at` when the vault's lock forbids that retention; undefined when the job may complete.
 *
 * The request that starts the job is not refused: the API reference (PutBackupVaultLockConfiguration,
 * MinRetentionDays and MaxRetentionDays; CreateLogicallyAirGappedBackupVault, the same two) says
 * the vault *fails the backup or copy job*. The check is made when the job would store its
 * recovery point, so it judges the lock in force then: a lock put on the vault while the job
 * runs applies, and one removed in the meantime no longer does.
 */
export function lockFailsJob(vault: VaultRecord, lifecycle: Shapes["Lifecycle"] | undefined, at: number): LockJobFailure | undefined {
  const violation = lockRetentionViolation(vault, lifecycle);
  if (!violation) return undefined;
  return {
    State: "FAILED",
    CompletionDate: at,
    StatusMessage: `The Vault Lock of backup vault ${vault.BackupVaultName} failed the job: ${violation} Change the retention of the job or use another vault.`,
    MessageCategory: "FAILED",
  };
}
