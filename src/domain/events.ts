/**
 * Job state changes and vault notifications, written to the store's event log in the same
 * transaction as the change itself (so the log is an outbox: forwarders to SNS or EventBridge
 * read it, and nothing is announced that did not happen).
 *
 * Every state change is logged as a `state-change` event when an EventBridge forwarder will read
 * it (Store.logStateChanges). A change that maps to a
 * BackupVaultEvent the job's vault subscribes to (PutBackupVaultNotifications) is also logged
 * as a `notification`, readable from GET /_emulator/notifications.
 */
import type { Shapes } from "../../generated/operations.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import type { VaultRecord } from "../store/records.js";

export type JobType = "BACKUP" | "RESTORE" | "COPY" | "SCAN";
export type VaultEvent = Shapes["BackupVaultEvent"];

export interface JobStateChange {
  jobType: JobType;
  jobId: string;
  state: string;
  /** The vault whose notifications apply (for restores and copies: the source vault). */
  backupVaultName?: string;
  backupVaultArn?: string;
  resourceArn?: string;
  resourceType?: string;
  recoveryPointArn?: string;
  statusMessage?: string;
}

export interface NotificationEvent {
  event: VaultEvent;
  backupVaultName: string;
  backupVaultArn?: string;
  snsTopicArn: string;
  jobType?: JobType;
  jobId?: string;
  state?: string;
  resourceArn?: string;
  recoveryPointArn?: string;
  statusMessage?: string;
  time: number;
}

export const STATE_CHANGE = "state-change";
export const NOTIFICATION = "notification";

/** Which vault events a job state announces. */
export function vaultEventsFor(jobType: JobType, state: string): VaultEvent[] {
  const failed = state === "FAILED" || state === "ABORTED";
  switch (jobType) {
    case "BACKUP":
      if (state === "CREATED") return ["BACKUP_JOB_STARTED"];
      if (state === "COMPLETED") return ["BACKUP_JOB_COMPLETED", "BACKUP_JOB_SUCCESSFUL"];
      if (failed) return ["BACKUP_JOB_COMPLETED", "BACKUP_JOB_FAILED"];
      if (state === "EXPIRED") return ["BACKUP_JOB_EXPIRED"];
      return [];
    case "RESTORE":
      if (state === "PENDING") return ["RESTORE_JOB_STARTED"];
      if (state === "COMPLETED") return ["RESTORE_JOB_COMPLETED", "RESTORE_JOB_SUCCESSFUL"];
      if (failed) return ["RESTORE_JOB_COMPLETED", "RESTORE_JOB_FAILED"];
      return [];
    case "COPY":
      if (state === "CREATED") return ["COPY_JOB_STARTED"];
      if (state === "COMPLETED") return ["COPY_JOB_SUCCESSFUL"];
      if (failed) return ["COPY_JOB_FAILED"];
      return [];
    default:
      return [];
  }
}

/** Log a vault event as a notification when the vault subscribes to it. */
export function notifyVault(
  store: Store,
  scope: Scope,
  vaultName: string,
  event: VaultEvent,
  details: Partial<NotificationEvent>,
  at: number,
  vault: VaultRecord | undefined = store.vaults.get(scope, vaultName),
): void {
  const n = vault?.Notifications;
  if (!n || !n.BackupVaultEvents.includes(event)) return;
  const doc: NotificationEvent = { ...details, event, backupVaultName: vaultName, backupVaultArn: vault.BackupVaultArn, snsTopicArn: n.SNSTopicArn, time: at };
  store.appendEvent(scope, NOTIFICATION, at, doc);
}

/** Record a job's new state, and the vault notifications it triggers. Call inside the change's transaction. */
export function jobStateChanged(store: Store, scope: Scope, change: JobStateChange, at: number): void {
  if (store.logStateChanges) store.appendEvent(scope, STATE_CHANGE, at, { ...change, time: at });
  if (!change.backupVaultName) return;
  const events = vaultEventsFor(change.jobType, change.state);
  if (events.length === 0) return;
  const vault = store.vaults.get(scope, change.backupVaultName);
  if (!vault?.Notifications) return;
  for (const event of events) {
    notifyVault(
      store,
      scope,
      change.backupVaultName,
      event,
      {
        jobType: change.jobType,
        jobId: change.jobId,
        state: change.state,
        ...(change.resourceArn ? { resourceArn: change.resourceArn } : {}),
        ...(change.recoveryPointArn ? { recoveryPointArn: change.recoveryPointArn } : {}),
        ...(change.statusMessage ? { statusMessage: change.statusMessage } : {}),
      },
      at,
      vault,
    );
  }
}
