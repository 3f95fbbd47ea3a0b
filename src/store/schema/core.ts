/**
 * The tables: which columns each record exposes for filters and ordering, and the indexes
 * that keep every list an index range scan. Adding a table or column means a new entry in
 * MIGRATIONS (store/db.ts).
 */
import type { TableDef } from "../table.js";
import type { BackupJobRecord, PlanRecord, PlanVersionRecord, RecoveryPointRecord, SelectionRecord, VaultRecord } from "../records.js";
import { backupJobListMember, recoveryPointByResource, recoveryPointByVault } from "../../domain/list-members.js";

export const vaultsDef: TableDef<VaultRecord> = {
  name: "vaults",
  key: { name: (v) => v.BackupVaultName },
  columns: {
    created: { type: "REAL", from: (v) => v.CreationDate },
    vault_type: { type: "TEXT", from: (v) => v.VaultType },
  },
  order: { column: "created", desc: false },
  indexes: [["vault_type"]],
  // Read on nearly every request (access policy, job start and completion, counters).
  cached: true,
};

export const plansDef: TableDef<PlanRecord> = {
  name: "plans",
  key: { id: (p) => p.BackupPlanId },
  columns: {
    created: { type: "REAL", from: (p) => p.CreationDate },
    name: { type: "TEXT", from: (p) => p.BackupPlanName },
    deleted: { type: "REAL", from: (p) => p.DeletionDate ?? null },
  },
  order: { column: "created", desc: false },
  indexes: [["name"], ["deleted"]],
};

export const planVersionsDef: TableDef<PlanVersionRecord> = {
  name: "plan_versions",
  key: { plan_id: (p) => p.BackupPlanId, version_id: (p) => p.VersionId },
  columns: { created: { type: "REAL", from: (p) => p.CreationDate } },
  order: { column: "created", desc: true },
  indexes: [["plan_id"]],
};

export const selectionsDef: TableDef<SelectionRecord> = {
  name: "selections",
  key: { plan_id: (s) => s.BackupPlanId, id: (s) => s.SelectionId },
  columns: {
    created: { type: "REAL", from: (s) => s.CreationDate },
    name: { type: "TEXT", from: (s) => s.BackupSelection.SelectionName },
  },
  order: { column: "created", desc: false },
  indexes: [["plan_id"]],
};

export const backupJobsDef: TableDef<BackupJobRecord> = {
  name: "backup_jobs",
  key: { id: (j) => j.BackupJobId },
  columns: {
    created: { type: "REAL", from: (j) => j.CreationDate },
    completed: { type: "REAL", from: (j) => j.CompletionDate ?? null },
    state: { type: "TEXT", from: (j) => j.State },
    vault: { type: "TEXT", from: (j) => j.BackupVaultName },
    resource_arn: { type: "TEXT", from: (j) => j.ResourceArn },
    resource_type: { type: "TEXT", from: (j) => j.ResourceType },
    parent_id: { type: "TEXT", from: (j) => j.ParentJobId ?? null },
    message_category: { type: "TEXT", from: (j) => j.MessageCategory ?? null },
  },
  order: { column: "created", desc: true },
  // Rare filters (resource type, parent job) scan the scope's rows in list order instead of
  // keeping indexes that every job write pays for.
  indexes: [["state"], ["vault"], ["resource_arn"]],
  views: { list: backupJobListMember },
};

export const recoveryPointsDef: TableDef<RecoveryPointRecord> = {
  name: "recovery_points",
  key: { arn: (r) => r.RecoveryPointArn },
  columns: {
    created: { type: "REAL", from: (r) => r.CreationDate },
    vault: { type: "TEXT", from: (r) => r.BackupVaultName },
    resource_arn: { type: "TEXT", from: (r) => r.ResourceArn },
    resource_type: { type: "TEXT", from: (r) => r.ResourceType },
    plan_id: { type: "TEXT", from: (r) => r.CreatedBy?.BackupPlanId ?? null },
    parent_arn: { type: "TEXT", from: (r) => r.ParentRecoveryPointArn ?? null },
    status: { type: "TEXT", from: (r) => r.Status },
    index_status: { type: "TEXT", from: (r) => r.IndexStatus ?? null },
  },
  order: { column: "created", desc: true },
  // (vault, resource_arn) groups a vault's points by resource (ListProtectedResourcesByBackupVault);
  // index_status keeps ListIndexedRecoveryPoints to the indexed points.
  // Parent and index-status filters are rare: they scan the scope's rows in list order.
  indexes: [["vault"], ["resource_arn"], ["vault", "resource_arn"]],
  // ListRecoveryPointsByBackupVault and ListRecoveryPointsByResource answer with different shapes.
  views: { by_vault: recoveryPointByVault, by_resource: recoveryPointByResource },
};

export const coreTables: readonly TableDef<never>[] = [vaultsDef, plansDef, planVersionsDef, selectionsDef, backupJobsDef, recoveryPointsDef];
