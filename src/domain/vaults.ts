/** Backup vaults: lookup, creation, deletion and the shapes the API returns for them. */
import { AlreadyExistsException, InvalidParameterValueException, InvalidRequestException, LimitExceededException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { Tags, VaultRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { parseArn, vaultArn } from "./arn.js";
import { stableUuid, validateCreatorRequestId } from "./ids.js";
import { setTagsOnCreate } from "./tags.js";
import { lockForbidsVaultDeletion } from "./vault-lock.js";
import { shape } from "./util.js";
import { callerOf, grantsAny, requireVaultFor } from "./vault-policy.js";

/** Service quota: backup vaults per account per Region. */
export const MAX_VAULTS_PER_REGION = 1000;

/** Stands in for the account's AWS managed key `aws/backup`: one per account and region. */
export const defaultKeyArn = (scope: Scope): string =>
  `arn:aws:kms:${scope.region}:${scope.accountId}:key/${stableUuid(`aws/backup:${scope.accountId}:${scope.region}`)}`;

export function findVault(store: Store, scope: Scope, name: string): VaultRecord | undefined {
  return store.vaults.get(scope, name);
}

export function requireVault(store: Store, scope: Scope, name: string): VaultRecord {
  const v = store.vaults.get(scope, name);
  if (!v) throw new ResourceNotFoundException(`Backup vault ${name} does not exist in account ${scope.accountId} and region ${scope.region}.`, { Context: name });
  return v;
}

/** Actions whose grant in a vault's access policy lets another account read the vault. */
const SHARED_READ_ACTIONS = ["backup:DescribeBackupVault", "backup:ListRecoveryPointsByBackupVault", "backup:DescribeRecoveryPoint", "backup:GetRecoveryPointRestoreMetadata"];

/**
 * The scope to look up a vault in when a request names its owner (BackupVaultAccountId).
 * Another account's vault is visible only when it is shared with the caller: the emulator has
 * no AWS RAM, so sharing is the vault's access policy granting the caller a read action.
 * Otherwise the vault is not found, as for any resource the caller cannot see.
 */
export function ownerScope(ctx: DomainContext, name: string, accountId: string | undefined): Scope {
  if (accountId === undefined || accountId === ctx.scope.accountId) return ctx.scope;
  const scope = { accountId, region: ctx.scope.region };
  const vault = ctx.store.vaults.get(scope, name);
  if (vault && grantsAny(vault, SHARED_READ_ACTIONS, callerOf(ctx))) return scope;
  throw new ResourceNotFoundException(`Backup vault ${name} of account ${accountId} is not shared with account ${ctx.scope.accountId}.`, { Context: name });
}

export function validateKmsKeyArn(arn: string | undefined): void {
  if (arn === undefined) return;
  const a = parseArn(arn);
  if (!a || a.service !== "kms" || !/^key\/.+/.test(a.resource)) {
    throw new InvalidParameterValueException(`EncryptionKeyArn must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<id>), got "${arn}".`);
  }
}

export interface NewVault {
  BackupVaultName: string;
  VaultType: Shapes["VaultType"];
  EncryptionKeyArn?: string;
  CreatorRequestId?: string;
  Tags?: Tags;
  extra?: Partial<VaultRecord>;
}

export function createVault(ctx: DomainContext, v: NewVault): VaultRecord {
  const { store, scope } = ctx;
  validateKmsKeyArn(v.EncryptionKeyArn);
  // The API reference gives CreatorRequestId a form for backup and logically air-gapped vaults, none for restore access vaults.
  if (v.VaultType !== "RESTORE_ACCESS_BACKUP_VAULT") validateCreatorRequestId(v.CreatorRequestId);
  return store.transaction(() => {
    const existing = store.vaults.get(scope, v.BackupVaultName);
    if (existing) {
      throw new AlreadyExistsException(`Backup vault with the name ${v.BackupVaultName} already exists.`, {
        Arn: existing.BackupVaultArn,
        CreatorRequestId: existing.CreatorRequestId,
      });
    }
    if (store.vaults.count(scope) >= MAX_VAULTS_PER_REGION) {
      throw new LimitExceededException(`This account already has ${MAX_VAULTS_PER_REGION} backup vaults in ${scope.region}, the service quota.`);
    }
    const record: VaultRecord = {
      BackupVaultName: v.BackupVaultName,
      BackupVaultArn: vaultArn(scope, v.BackupVaultName),
      VaultType: v.VaultType,
      VaultState: "AVAILABLE",
      EncryptionKeyArn: v.EncryptionKeyArn ?? defaultKeyArn(scope),
      CreationDate: ctx.clock.now(),
      Locked: false,
      NumberOfRecoveryPoints: 0,
      ...(v.EncryptionKeyArn ? { EncryptionKeyType: "CUSTOMER_MANAGED_KMS_KEY" as const } : {}),
      ...(v.CreatorRequestId !== undefined ? { CreatorRequestId: v.CreatorRequestId } : {}),
      ...v.extra,
    };
    store.vaults.insert(scope, record);
    setTagsOnCreate(ctx, record.BackupVaultArn, v.Tags, "BackupVaultTags");
    return record;
  });
}

export function deleteVault(ctx: DomainContext, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:DeleteBackupVault", name);
    const locked = lockForbidsVaultDeletion(v, ctx.clock.now());
    if (locked) throw new InvalidRequestException(locked, { Context: name });
    if (v.NumberOfRecoveryPoints > 0) {
      throw new InvalidRequestException("Backup vault cannot be deleted because it contains recovery points.", { Code: "ERROR_9101", Context: name });
    }
    store.vaults.delete(scope, name);
    store.deleteTags(v.BackupVaultArn);
  });
}

/** Keep NumberOfRecoveryPoints equal to the vault's recovery points (called inside their transaction). */
export function adjustRecoveryPointCount(store: Store, scope: Scope, name: string, delta: number): void {
  store.vaults.addToMember(scope, [name], "NumberOfRecoveryPoints", delta);
}

export const vaultListMember = (v: VaultRecord): Shapes["BackupVaultListMember"] => shape("BackupVaultListMember", v);
export const describeVault = (v: VaultRecord): Shapes["DescribeBackupVaultOutput"] => shape("DescribeBackupVaultOutput", v);
