/** Backup vault operations. */
import type { HandlerMap } from "../api/types.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { createVault, deleteVault, describeVault, ownerScope, vaultListMember } from "../domain/vaults.js";
import { requireVaultFor } from "../domain/vault-policy.js";

export const vaultHandlers = {
  CreateBackupVault: (input, ctx) => {
    const v = createVault(ctx, {
      BackupVaultName: input.BackupVaultName,
      VaultType: "BACKUP_VAULT",
      EncryptionKeyArn: input.EncryptionKeyArn,
      CreatorRequestId: input.CreatorRequestId,
      Tags: input.BackupVaultTags,
    });
    return { BackupVaultName: v.BackupVaultName, BackupVaultArn: v.BackupVaultArn, CreationDate: v.CreationDate };
  },

  DescribeBackupVault: (input, ctx) => {
    const scope = ownerScope(ctx, input.BackupVaultName, input.BackupVaultAccountId);
    return describeVault(requireVaultFor(ctx, "backup:DescribeBackupVault", input.BackupVaultName, undefined, scope));
  },

  DeleteBackupVault: (input, ctx) => {
    deleteVault(ctx, input.BackupVaultName);
  },

  ListBackupVaults: (input, ctx) => {
    const { limit, after } = pageArgs("ListBackupVaults", input);
    // Vaults shared with this account through AWS RAM: the emulator has no sharing, so none.
    if (input.ByShared) return { BackupVaultList: [] };
    const page = ctx.store.vaults.list(ctx.scope, { vault_type: input.ByVaultType }, limit, after);
    return pageOutput("ListBackupVaults", "BackupVaultList", page, vaultListMember);
  },
} satisfies Partial<HandlerMap>;
