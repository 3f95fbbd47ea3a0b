/** Tables for copy jobs: record types and their store definitions. */
import type { Shapes } from "../../../generated/operations.js";
import type { TableDef } from "../table.js";
import { copyJobShape } from "../../domain/list-members.js";

type Req<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

/**
 * A copy job lives in the scope (account, region) that started it, like the source recovery
 * point; its destination may be in another region or account.
 */
export type CopyJobRecord = Req<
  Shapes["CopyJob"],
  | "AccountId"
  | "CopyJobId"
  | "SourceBackupVaultArn"
  | "SourceRecoveryPointArn"
  | "DestinationBackupVaultArn"
  | "ResourceArn"
  | "CreationDate"
  | "State"
  | "ResourceType"
  | "IamRoleArn"
> & {
  /** Name of the source vault (its notifications announce the job). */
  SourceBackupVaultName: string;
};

export const copyJobsDef: TableDef<CopyJobRecord> = {
  name: "copy_jobs",
  key: { id: (j) => j.CopyJobId },
  columns: {
    created: { type: "REAL", from: (j) => j.CreationDate },
    completed: { type: "REAL", from: (j) => j.CompletionDate ?? null },
    state: { type: "TEXT", from: (j) => j.State },
    resource_arn: { type: "TEXT", from: (j) => j.ResourceArn },
    resource_type: { type: "TEXT", from: (j) => j.ResourceType },
    destination_vault_arn: { type: "TEXT", from: (j) => j.DestinationBackupVaultArn },
    source_recovery_point_arn: { type: "TEXT", from: (j) => j.SourceRecoveryPointArn },
    parent_id: { type: "TEXT", from: (j) => j.ParentJobId ?? null },
    message_category: { type: "TEXT", from: (j) => j.MessageCategory ?? null },
  },
  order: { column: "created", desc: true },
  indexes: [["state"], ["resource_arn"], ["resource_type"], ["destination_vault_arn"], ["source_recovery_point_arn"], ["parent_id"]],
  views: { list: copyJobShape },
};

export const copyTables: readonly TableDef<never>[] = [copyJobsDef];
