/**
 * Backup vault notifications: an SNS topic and the vault events sent to it. The events are
 * written to the event log by events.ts when they happen; this module keeps the configuration.
 */
import { InvalidParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import { requireVaultFor } from "./vault-policy.js";

type VaultEvent = Shapes["BackupVaultEvent"];

/**
 * The events PutBackupVaultNotifications accepts. The BackupVaultEvent enum also lists
 * deprecated events (BACKUP_JOB_SUCCESSFUL, BACKUP_JOB_FAILED, BACKUP_JOB_EXPIRED,
 * RESTORE_JOB_SUCCESSFUL, RESTORE_JOB_FAILED, BACKUP_PLAN_CREATED, BACKUP_PLAN_MODIFIED) that the
 * API reference says are no longer in use, and the service answers them with a 400 naming the
 * events it does accept. The first ten are the ones that message lists; the rest were added
 * to the service later (continuous backup, backup indexes, EKS).
 */
export const SUPPORTED_VAULT_EVENTS: readonly VaultEvent[] = [
  "BACKUP_JOB_STARTED",
  "BACKUP_JOB_COMPLETED",
  "RESTORE_JOB_STARTED",
  "RESTORE_JOB_COMPLETED",
  "COPY_JOB_STARTED",
  "COPY_JOB_SUCCESSFUL",
  "COPY_JOB_FAILED",
  "RECOVERY_POINT_MODIFIED",
  "S3_BACKUP_OBJECT_FAILED",
  "S3_RESTORE_OBJECT_FAILED",
  "CONTINUOUS_BACKUP_INTERRUPTED",
  "RECOVERY_POINT_INDEX_COMPLETED",
  "RECOVERY_POINT_INDEX_DELETED",
  "RECOVERY_POINT_INDEXING_FAILED",
  "EKS_BACKUP_OBJECT_FAILED",
  "EKS_RESTORE_OBJECT_FAILED",
  "EKS_RESTORE_OBJECT_SKIPPED",
];

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:(\d{12}):([A-Za-z0-9_-]{1,256}(\.fifo)?)$/;

/** Throws InvalidParameterValueException naming what is wrong with the topic or the events. */
export function validateNotifications(ctx: DomainContext, topicArn: string, events: readonly VaultEvent[]): void {
  const m = SNS_TOPIC_ARN.exec(topicArn);
  if (!m) throw new InvalidParameterValueException(`SNSTopicArn must be the ARN of an Amazon SNS topic (arn:aws:sns:<region>:<account>:<topic>), got "${topicArn}".`);
  // Developer Guide, "Notification options": no cross-account topics, no FIFO topics.
  if (m[1] !== ctx.scope.accountId) {
    throw new InvalidParameterValueException(`SNSTopicArn ${topicArn} belongs to account ${m[1]}; AWS Backup notifications need a topic in your own account (${ctx.scope.accountId}).`);
  }
  if (m[3]) throw new InvalidParameterValueException(`SNSTopicArn ${topicArn} is a FIFO topic; AWS Backup notifications support standard topics only.`);
  if (events.length === 0) throw new InvalidParameterValueException("BackupVaultEvents must name at least one event.");
  const unsupported = events.filter((e) => !SUPPORTED_VAULT_EVENTS.includes(e));
  if (unsupported.length) {
    throw new InvalidParameterValueException(
      `BackupVaultEvents contains ${unsupported.join(", ")}, which cannot be subscribed to. Please select from the following list of notifications: ${SUPPORTED_VAULT_EVENTS.join(", ")}`,
    );
  }
}

export function putNotifications(ctx: DomainContext, name: string, topicArn: string, events: readonly VaultEvent[]): void {
  ctx.store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:PutBackupVaultNotifications", name);
    validateNotifications(ctx, topicArn, events);
    ctx.store.vaults.put(ctx.scope, { ...v, Notifications: { SNSTopicArn: topicArn, BackupVaultEvents: [...new Set(events)] } });
  });
}

export function getNotifications(ctx: DomainContext, name: string): Shapes["GetBackupVaultNotificationsOutput"] {
  const v = requireVaultFor(ctx, "backup:GetBackupVaultNotifications", name);
  if (!v.Notifications) throw new ResourceNotFoundException(`Backup vault ${name} has no notification configuration.`, { Context: name });
  return { BackupVaultName: v.BackupVaultName, BackupVaultArn: v.BackupVaultArn, ...v.Notifications };
}

/** Deleting a configuration that is not there succeeds (the operation is idempotent). */
export function deleteNotifications(ctx: DomainContext, name: string): void {
  ctx.store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:DeleteBackupVaultNotifications", name);
    if (!v.Notifications) return;
    const { Notifications: _n, ...rest } = v;
    ctx.store.vaults.put(ctx.scope, rest);
  });
}
