/** Tables for tiering configurations and scan jobs. */
import type { Shapes } from "../../../generated/operations.js";
import type { TableDef } from "../table.js";
import { scanJobListMember } from "../../domain/list-members.js";

type Req<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

export type TieringConfigurationRecord = Req<
  Shapes["TieringConfiguration"],
  "TieringConfigurationName" | "TieringConfigurationArn" | "BackupVaultName" | "ResourceSelection" | "CreationTime"
>;

export const tieringConfigurationsDef: TableDef<TieringConfigurationRecord> = {
  name: "tiering_configurations",
  key: { name: (t) => t.TieringConfigurationName },
  columns: {
    created: { type: "REAL", from: (t) => t.CreationTime },
    vault: { type: "TEXT", from: (t) => t.BackupVaultName },
  },
  order: { column: "created", desc: false },
  indexes: [["vault"]],
};

export type ScanJobRecord = Req<
  Omit<Shapes["DescribeScanJobOutput"], "CreatedBy">,
  "AccountId" | "ScanJobId" | "BackupVaultName" | "RecoveryPointArn" | "ResourceArn" | "CreationDate" | "State" | "MalwareScanner"
> & {
  /** The plan and rule that started the scan; a scan started with StartScanJob has none. */
  CreatedBy?: Shapes["ScanJobCreator"];
  /** StartScanJob's IdempotencyToken: a retry with the same token answers with this job. */
  IdempotencyToken?: string;
};

export const scanJobsDef: TableDef<ScanJobRecord> = {
  name: "scan_jobs",
  key: { id: (j) => j.ScanJobId },
  columns: {
    created: { type: "REAL", from: (j) => j.CreationDate },
    completed: { type: "REAL", from: (j) => j.CompletionDate ?? null },
    state: { type: "TEXT", from: (j) => j.State },
    vault: { type: "TEXT", from: (j) => j.BackupVaultName },
    recovery_point_arn: { type: "TEXT", from: (j) => j.RecoveryPointArn },
    resource_arn: { type: "TEXT", from: (j) => j.ResourceArn },
    resource_type: { type: "TEXT", from: (j) => j.ResourceType ?? null },
    malware_scanner: { type: "TEXT", from: (j) => j.MalwareScanner },
    scan_result_status: { type: "TEXT", from: (j) => j.ScanResult?.ScanResultStatus ?? null },
    idempotency_token: { type: "TEXT", from: (j) => j.IdempotencyToken ?? null },
  },
  order: { column: "created", desc: true },
  indexes: [["state"], ["vault"], ["recovery_point_arn"], ["resource_arn"], ["idempotency_token"]],
  views: { list: scanJobListMember },
};

export const tieringScanTables: readonly TableDef<never>[] = [tieringConfigurationsDef, scanJobsDef];
