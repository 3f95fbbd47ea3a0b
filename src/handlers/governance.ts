/** Vault governance: access policies, notifications, Vault Lock, air-gapped and restore access vaults, MPA teams. */
import type { HandlerMap } from "../api/types.js";
import {
  associateMpaTeam,
  createAirGappedVault,
  createRestoreAccessVault,
  disassociateMpaTeam,
  listRestoreAccessVaults,
  restoreAccessListMember,
  revokeRestoreAccess,
} from "../domain/air-gapped-vaults.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { deleteLock, putLock } from "../domain/vault-lock.js";
import { deleteNotifications, getNotifications, putNotifications } from "../domain/vault-notifications.js";
import { deletePolicy, getPolicy, putPolicy } from "../domain/vault-policy.js";

export const governanceHandlers = {
  PutBackupVaultAccessPolicy: (input, ctx) => {
    putPolicy(ctx, input.BackupVaultName, input.Policy);
  },

  GetBackupVaultAccessPolicy: (input, ctx) => getPolicy(ctx, input.BackupVaultName),

  DeleteBackupVaultAccessPolicy: (input, ctx) => {
    deletePolicy(ctx, input.BackupVaultName);
  },

  PutBackupVaultNotifications: (input, ctx) => {
    putNotifications(ctx, input.BackupVaultName, input.SNSTopicArn, input.BackupVaultEvents);
  },

  GetBackupVaultNotifications: (input, ctx) => getNotifications(ctx, input.BackupVaultName),

  DeleteBackupVaultNotifications: (input, ctx) => {
    deleteNotifications(ctx, input.BackupVaultName);
  },

  PutBackupVaultLockConfiguration: (input, ctx) => {
    putLock(ctx, input.BackupVaultName, input);
  },

  DeleteBackupVaultLockConfiguration: (input, ctx) => {
    deleteLock(ctx, input.BackupVaultName);
  },

  CreateLogicallyAirGappedBackupVault: (input, ctx) => {
    const v = createAirGappedVault(ctx, {
      BackupVaultName: input.BackupVaultName,
      MinRetentionDays: input.MinRetentionDays,
      MaxRetentionDays: input.MaxRetentionDays,
      EncryptionKeyArn: input.EncryptionKeyArn,
      CreatorRequestId: input.CreatorRequestId,
      Tags: input.BackupVaultTags,
    });
    return { BackupVaultName: v.BackupVaultName, BackupVaultArn: v.BackupVaultArn, CreationDate: v.CreationDate, VaultState: v.VaultState };
  },

  CreateRestoreAccessBackupVault: (input, ctx) => {
    const v = createRestoreAccessVault(ctx, {
      SourceBackupVaultArn: input.SourceBackupVaultArn,
      BackupVaultName: input.BackupVaultName,
      CreatorRequestId: input.CreatorRequestId,
      Tags: input.BackupVaultTags,
    });
    return {
      RestoreAccessBackupVaultArn: v.BackupVaultArn,
      RestoreAccessBackupVaultName: v.BackupVaultName,
      CreationDate: v.CreationDate,
      VaultState: v.VaultState,
    };
  },

  ListRestoreAccessBackupVaults: (input, ctx) => {
    const { limit, after } = pageArgs("ListRestoreAccessBackupVaults", input);
    const page = listRestoreAccessVaults(ctx, input.BackupVaultName, limit, after);
    return pageOutput("ListRestoreAccessBackupVaults", "RestoreAccessBackupVaults", page, restoreAccessListMember);
  },

  RevokeRestoreAccessBackupVault: (input, ctx) => {
    revokeRestoreAccess(ctx, input.BackupVaultName, input.RestoreAccessBackupVaultArn);
  },

  AssociateBackupVaultMpaApprovalTeam: (input, ctx) => {
    associateMpaTeam(ctx, input.BackupVaultName, input.MpaApprovalTeamArn);
  },

  DisassociateBackupVaultMpaApprovalTeam: (input, ctx) => {
    disassociateMpaTeam(ctx, input.BackupVaultName);
  },
} satisfies Partial<HandlerMap>;
