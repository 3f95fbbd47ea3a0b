/**
 * Large states written directly as a state document (the format of GET /_emulator/state) and
 * loaded with one POST /_emulator/state: 100,000 recovery points through the API one by one
 * would take minutes, and would measure the API rather than prepare a test.
 * The record shapes copy what the emulator itself exports after CreateBackupVault and a
 * completed StartBackupJob.
 */
import { randomUUID } from "node:crypto";

export const DEFAULT_ACCOUNT = "000000000000";
/** StartBackupJob runs in an account of its own, so the jobs it piles up do not change ListBackupJobs' data. */
export const JOB_ACCOUNT = "111111111111";
export const REGION = "us-east-1";

export const VAULTS = {
  describe: "bench-vault",
  rpSmall: "bench-rp-small",
  rpLarge: "bench-rp-large",
  jobs: "bench-jobs",
  jobTarget: "bench-job-target",
} as const;

interface Row {
  accountId: string;
  region: string;
  doc: Record<string, unknown>;
}

const vaultArn = (account: string, name: string) => `arn:aws:backup:${REGION}:${account}:backup-vault:${name}`;
const KMS_KEY = `arn:aws:kms:${REGION}:${DEFAULT_ACCOUNT}:key/f14ded79-04fb-463d-a95f-207772c84147`;
const ROLE = (account: string) => `arn:aws:iam::${account}:role/service-role/AWSBackupDefaultServiceRole`;

/** A fleet of resources of a few types, as a real account backs up. */
function resource(i: number, account: string): { ResourceArn: string; ResourceType: string; ResourceName?: string } {
  const k = i % 500;
  switch (k % 3) {
    case 0:
      return { ResourceArn: `arn:aws:dynamodb:${REGION}:${account}:table/orders-${k}`, ResourceType: "DynamoDB", ResourceName: `orders-${k}` };
    case 1:
      return { ResourceArn: `arn:aws:ec2:${REGION}:${account}:volume/vol-${k.toString(16).padStart(17, "0")}`, ResourceType: "EBS" };
    default:
      return { ResourceArn: `arn:aws:rds:${REGION}:${account}:db:billing-${k}`, ResourceType: "RDS", ResourceName: `billing-${k}` };
  }
}

function vault(account: string, name: string, created: number, recoveryPoints: number): Row {
  return {
    accountId: account,
    region: REGION,
    doc: {
      BackupVaultName: name,
      BackupVaultArn: vaultArn(account, name),
      VaultType: "BACKUP_VAULT",
      VaultState: "AVAILABLE",
      EncryptionKeyArn: KMS_KEY,
      CreationDate: created,
      Locked: false,
      NumberOfRecoveryPoints: recoveryPoints,
      CreatorRequestId: randomUUID(),
    },
  };
}

/** `count` completed recovery points in `vaultName`, one a minute up to `now`. */
function recoveryPoints(vaultName: string, count: number, now: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const created = Math.round((now - (count - i) * 60) * 1000) / 1000;
    rows.push({
      accountId: DEFAULT_ACCOUNT,
      region: REGION,
      doc: {
        RecoveryPointArn: `arn:aws:backup:${REGION}:${DEFAULT_ACCOUNT}:recovery-point:${randomUUID()}`,
        BackupVaultName: vaultName,
        BackupVaultArn: vaultArn(DEFAULT_ACCOUNT, vaultName),
        ...resource(i, DEFAULT_ACCOUNT),
        IamRoleArn: ROLE(DEFAULT_ACCOUNT),
        Status: "COMPLETED",
        CreationDate: created,
        InitiationDate: created,
        CompletionDate: created + 95,
        BackupSizeInBytes: 1_000_000 + ((i * 7919) % 900_000_000),
        EncryptionKeyArn: KMS_KEY,
        IsEncrypted: true,
        StorageClass: "WARM",
        IsParent: false,
        VaultType: "BACKUP_VAULT",
      },
    });
  }
  return rows;
}

/** Seven in ten jobs completed, the rest failed, aborted or expired: what a busy account's history looks like. */
const JOB_STATES = ["COMPLETED", "COMPLETED", "FAILED", "COMPLETED", "COMPLETED", "ABORTED", "COMPLETED", "COMPLETED", "EXPIRED", "COMPLETED"] as const;

function backupJobs(vaultName: string, count: number, now: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const created = Math.round((now - (count - i) * 30) * 1000) / 1000;
    const state = JOB_STATES[i % JOB_STATES.length]!;
    const done = state === "COMPLETED";
    const size = 1_000_000 + ((i * 7919) % 900_000_000);
    rows.push({
      accountId: DEFAULT_ACCOUNT,
      region: REGION,
      doc: {
        AccountId: DEFAULT_ACCOUNT,
        BackupJobId: randomUUID(),
        BackupVaultName: vaultName,
        BackupVaultArn: vaultArn(DEFAULT_ACCOUNT, vaultName),
        VaultType: "BACKUP_VAULT",
        ...(done ? { RecoveryPointArn: `arn:aws:backup:${REGION}:${DEFAULT_ACCOUNT}:recovery-point:${randomUUID()}` } : {}),
        EncryptionKeyArn: KMS_KEY,
        IsEncrypted: true,
        ...resource(i, DEFAULT_ACCOUNT),
        CreationDate: created,
        InitiationDate: created,
        State: state,
        PercentDone: done ? "100.0" : "0.0",
        IamRoleArn: ROLE(DEFAULT_ACCOUNT),
        StartBy: created + 8 * 3600,
        ExpectedCompletionDate: created + 7 * 86400,
        BackupType: "",
        IsParent: false,
        ...(done
          ? { CompletionDate: created + 95, BackupSizeInBytes: size, BytesTransferred: size, MessageCategory: "SUCCESS" }
          : { StatusMessage: `The backup job was ${state.toLowerCase()}.`, MessageCategory: state === "FAILED" ? "ACCESS_DENIED" : state }),
      },
    });
  }
  return rows;
}

export interface SeedContents {
  describeVault?: boolean;
  jobTarget?: boolean;
  /** Recovery points in VAULTS.rpSmall / VAULTS.rpLarge. */
  rpSmall?: number;
  rpLarge?: number;
  /** Backup jobs in VAULTS.jobs. */
  jobs?: number;
}

/** A state document holding exactly `what` (nothing else: loading it replaces the state). */
export function stateDocument(version: number, what: SeedContents, now = Date.now() / 1000): string {
  const t0 = Math.round((now - 400 * 86400) * 1000) / 1000;
  const vaults: Row[] = [];
  const rps: Row[] = [];
  const jobs: Row[] = [];
  if (what.describeVault) vaults.push(vault(DEFAULT_ACCOUNT, VAULTS.describe, t0, 0));
  if (what.jobTarget) vaults.push(vault(JOB_ACCOUNT, VAULTS.jobTarget, t0, 0));
  if (what.rpSmall) {
    vaults.push(vault(DEFAULT_ACCOUNT, VAULTS.rpSmall, t0, what.rpSmall));
    for (const r of recoveryPoints(VAULTS.rpSmall, what.rpSmall, now)) rps.push(r);
  }
  if (what.rpLarge) {
    vaults.push(vault(DEFAULT_ACCOUNT, VAULTS.rpLarge, t0, what.rpLarge));
    // One by one: push(...rows) with 100,000 arguments can overflow the stack.
    for (const r of recoveryPoints(VAULTS.rpLarge, what.rpLarge, now)) rps.push(r);
  }
  if (what.jobs) {
    vaults.push(vault(DEFAULT_ACCOUNT, VAULTS.jobs, t0, 0));
    for (const j of backupJobs(VAULTS.jobs, what.jobs, now)) jobs.push(j);
  }
  return JSON.stringify({
    format: "aws-backup-emulator/state",
    version,
    exportedAt: now,
    clock: { offsetSeconds: 0 },
    tables: { vaults, recovery_points: rps, backup_jobs: jobs },
  });
}
