/**
 * What the store keeps per resource. Records follow the service's richest output shape for the
 * resource (Describe*), plus the few facts the service keeps but never returns in that shape.
 */
import type { Shapes } from "../../generated/operations.js";

type Req<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

export type Tags = Record<string, string>;

export interface VaultNotifications {
  SNSTopicArn: string;
  BackupVaultEvents: Shapes["BackupVaultEvent"][];
}

export type VaultRecord = Req<
  Omit<Shapes["DescribeBackupVaultOutput"], "NumberOfRecoveryPoints">,
  "BackupVaultName" | "BackupVaultArn" | "VaultType" | "VaultState" | "CreationDate" | "EncryptionKeyArn" | "Locked"
> & {
  NumberOfRecoveryPoints: number;
  AccessPolicy?: string;
  Notifications?: VaultNotifications;
  /** Vault lock: when the lock was (re)configured and its grace period in days. */
  LockConfiguredAt?: number;
  ChangeableForDays?: number;
  /** Restore access vaults: when access to the source vault's recovery points was approved. */
  ApprovalDate?: number;
};

export interface PlanRecord {
  BackupPlanId: string;
  BackupPlanArn: string;
  BackupPlanName: string;
  VersionId: string;
  CreatorRequestId?: string;
  /** Creation of the plan's first version. */
  CreationDate: number;
  DeletionDate?: number;
  LastExecutionDate?: number;
  BackupPlan: Shapes["BackupPlan"];
}

/** One version of a plan; CreationDate is when that version was made. */
export type PlanVersionRecord = PlanRecord;

export interface SelectionRecord {
  SelectionId: string;
  BackupPlanId: string;
  CreationDate: number;
  CreatorRequestId?: string;
  BackupSelection: Shapes["BackupSelection"];
}

export type BackupJobRecord = Req<
  Shapes["DescribeBackupJobOutput"],
  "AccountId" | "BackupJobId" | "BackupVaultName" | "BackupVaultArn" | "ResourceArn" | "ResourceType" | "CreationDate" | "State" | "IamRoleArn"
> & {
  RecoveryPointTags?: Tags;
  Index?: Shapes["Index"];
  /** Started by a continuous-backup rule: updates the resource's continuous recovery point. */
  Continuous?: boolean;
};

export type RecoveryPointRecord = Req<
  Shapes["DescribeRecoveryPointOutput"],
  "RecoveryPointArn" | "BackupVaultName" | "BackupVaultArn" | "ResourceArn" | "ResourceType" | "Status" | "CreationDate" | "StorageClass"
>;
