/** Tables for restore jobs: record types and their store definitions. */
import type { Shapes } from "../../../generated/operations.js";
import type { TableDef } from "../table.js";
import { restoreJobListMember } from "../../domain/list-members.js";

type Req<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

/** DescribeRestoreJobOutput, plus the metadata the job was started with. */
export type RestoreJobRecord = Req<
  Shapes["DescribeRestoreJobOutput"],
  "AccountId" | "RestoreJobId" | "RecoveryPointArn" | "CreationDate" | "Status" | "ResourceType"
> & {
  /** StartRestoreJob's Metadata, returned by GetRestoreJobMetadata. */
  Metadata: Record<string, string>;
  /** Name of the vault holding the recovery point (for notifications). */
  BackupVaultName?: string;
  /** A restore test's validation window: its restored resource is deleted this long after the restore completes. */
  ValidationWindowHours?: number;
};

export const restoreJobsDef: TableDef<RestoreJobRecord> = {
  name: "restore_jobs",
  key: { id: (j) => j.RestoreJobId },
  columns: {
    created: { type: "REAL", from: (j) => j.CreationDate },
    completed: { type: "REAL", from: (j) => j.CompletionDate ?? null },
    status: { type: "TEXT", from: (j) => j.Status },
    resource_type: { type: "TEXT", from: (j) => j.ResourceType },
    source_resource_arn: { type: "TEXT", from: (j) => j.SourceResourceArn ?? null },
    recovery_point_created: { type: "REAL", from: (j) => j.RecoveryPointCreationDate ?? null },
    restore_testing_plan_arn: { type: "TEXT", from: (j) => j.CreatedBy?.RestoreTestingPlanArn ?? null },
    parent_id: { type: "TEXT", from: (j) => j.ParentJobId ?? null },
  },
  order: { column: "created", desc: true },
  indexes: [["status"], ["source_resource_arn"], ["resource_type"]],
  views: { list: restoreJobListMember },
};

export const restoreTables: readonly TableDef<never>[] = [restoreJobsDef];
