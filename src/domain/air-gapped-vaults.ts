/**
 * Logically air-gapped vaults, the restore access vaults that open them to another account,
 * and the Multi-party approval (MPA) teams that guard that access.
 *
 * A logically air-gapped vault is a vault with a compliance-mode Vault Lock from its creation
 * (its MinRetentionDays/MaxRetentionDays bound every recovery point stored in it) and an
 * AWS-owned key unless a customer-managed key is given (Developer Guide, "Logically air-gapped
 * vault").
 *
 * The service provisions these vaults asynchronously (VaultState CREATING, then AVAILABLE) and
 * routes MPA-guarded changes through an approval session in AWS Multi-party approval. The
 * emulator has nothing to provision and no approvers: vaults are AVAILABLE when created, and
 * every session is APPROVED when it is opened.
 */
import { InvalidParameterValueException, InvalidRequestException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { Tags, VaultRecord } from "../store/records.js";
import type { Cursor, Page, Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { vaultFromArn } from "./arn.js";
import { hex, uuid } from "./ids.js";
import { validateRetentionBounds } from "./vault-lock.js";
import { requireVaultFor } from "./vault-policy.js";
import { createVault } from "./vaults.js";

/** API reference, CreateLogicallyAirGappedBackupVault: the minimum retention accepted is 7 days. */
export const AIR_GAPPED_MIN_RETENTION_DAYS = 7;

export interface NewAirGappedVault {
  BackupVaultName: string;
  MinRetentionDays: number;
  MaxRetentionDays: number;
  EncryptionKeyArn?: string;
  CreatorRequestId?: string;
  Tags?: Tags;
}

export function createAirGappedVault(ctx: DomainContext, req: NewAirGappedVault): VaultRecord {
  validateRetentionBounds(req.MinRetentionDays, req.MaxRetentionDays, AIR_GAPPED_MIN_RETENTION_DAYS);
  const now = ctx.clock.now();
  return createVault(ctx, {
    BackupVaultName: req.BackupVaultName,
    VaultType: "LOGICALLY_AIR_GAPPED_BACKUP_VAULT",
    EncryptionKeyArn: req.EncryptionKeyArn,
    CreatorRequestId: req.CreatorRequestId,
    Tags: req.Tags,
    extra: {
      // Compliance mode with no grace period: the bounds hold from the start.
      Locked: true,
      MinRetentionDays: req.MinRetentionDays,
      MaxRetentionDays: req.MaxRetentionDays,
      LockConfiguredAt: now,
      LockDate: now,
      ...(req.EncryptionKeyArn ? {} : { EncryptionKeyType: "AWS_OWNED_KMS_KEY" as const }),
    },
  });
}

/** The logically air-gapped vault `name` of the caller; ResourceNotFoundException otherwise. */
export function requireAirGappedVault(store: Store, scope: Scope, name: string): VaultRecord {
  const v = store.vaults.get(scope, name);
  if (!v || v.VaultType !== "LOGICALLY_AIR_GAPPED_BACKUP_VAULT") {
    throw new ResourceNotFoundException(`No logically air-gapped backup vault named ${name} exists in account ${scope.accountId}, region ${scope.region}.`, {
      Context: name,
    });
  }
  return v;
}

// ---- Multi-party approval teams ----

const MPA_TEAM_ARN = /^arn:aws[a-z-]*:mpa:[a-z0-9-]*:\d{12}:approval-team\/[A-Za-z0-9_-]+$/;

/** The ARN of an MPA session opened with `teamArn` (AWS Multi-party approval names sessions under the team). */
const mpaSessionArn = (teamArn: string): string => `${teamArn.replace(":approval-team/", ":session/")}/${uuid()}`;

/** A session for a change the team approved at once (see the module comment). */
function approvedUpdate(teamArn: string | undefined, at: number): Shapes["LatestMpaApprovalTeamUpdate"] {
  return { ...(teamArn ? { MpaSessionArn: mpaSessionArn(teamArn) } : {}), Status: "APPROVED", InitiationDate: at };
}

/** Only logically air-gapped vaults take an approval team (Developer Guide, "Multi-party approval"). */
function requireMpaCapable(v: VaultRecord): void {
  if (v.VaultType !== "LOGICALLY_AIR_GAPPED_BACKUP_VAULT") {
    throw new InvalidRequestException(
      `Backup vault ${v.BackupVaultName} is a ${v.VaultType}; only logically air-gapped backup vaults can be associated with an MPA approval team.`,
      { Context: v.BackupVaultName },
    );
  }
}

export function associateMpaTeam(ctx: DomainContext, name: string, teamArn: string): void {
  if (!MPA_TEAM_ARN.test(teamArn)) {
    throw new InvalidParameterValueException(`MpaApprovalTeamArn must be the ARN of an MPA approval team (arn:aws:mpa:<region>:<account>:approval-team/<id>), got "${teamArn}".`);
  }
  const { store, scope } = ctx;
  store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:AssociateBackupVaultMpaApprovalTeam", name);
    requireMpaCapable(v);
    // The first team is associated directly; replacing a team needs the current team's approval.
    const update = approvedUpdate(v.MpaApprovalTeamArn, ctx.clock.now());
    store.vaults.put(scope, { ...v, MpaApprovalTeamArn: teamArn, LatestMpaApprovalTeamUpdate: update });
  });
}

export function disassociateMpaTeam(ctx: DomainContext, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:DisassociateBackupVaultMpaApprovalTeam", name);
    requireMpaCapable(v);
    if (!v.MpaApprovalTeamArn) {
      throw new InvalidRequestException(`Backup vault ${name} has no MPA approval team to disassociate.`, { Context: name });
    }
    const { MpaApprovalTeamArn: team, ...rest } = v;
    store.vaults.put(scope, { ...rest, LatestMpaApprovalTeamUpdate: approvedUpdate(team, ctx.clock.now()) });
  });
}

// ---- Restore access vaults ----

export interface NewRestoreAccessVault {
  SourceBackupVaultArn: string;
  BackupVaultName?: string;
  CreatorRequestId?: string;
  Tags?: Tags;
}

/**
 * The name the service gives a restore access vault created without one is not documented;
 * here it is the source vault's name (cut to fit the 50-character limit), a marker and a
 * random suffix, so several restore access vaults of one source can coexist.
 */
const defaultRestoreAccessName = (source: string): string => `${source.slice(0, 27)}-restore-access-${hex(6)}`;

export function createRestoreAccessVault(ctx: DomainContext, req: NewRestoreAccessVault): VaultRecord {
  const { store, scope } = ctx;
  const ref = vaultFromArn(req.SourceBackupVaultArn);
  if (!ref) {
    throw new InvalidParameterValueException(`SourceBackupVaultArn must be a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>), got "${req.SourceBackupVaultArn}".`);
  }
  if (ref.scope.region !== scope.region) {
    throw new InvalidParameterValueException(`SourceBackupVaultArn ${req.SourceBackupVaultArn} is in ${ref.scope.region}; a restore access vault must be created in the source vault's Region.`);
  }
  return store.transaction(() => {
    // The source may belong to another account: giving a recovery account access is the point.
    const source = requireAirGappedVault(store, ref.scope, ref.name);
    if (!source.MpaApprovalTeamArn) {
      throw new InvalidRequestException(
        `Logically air-gapped vault ${source.BackupVaultName} has no MPA approval team, so nobody can approve restore access to it; associate one first.`,
        { Context: req.SourceBackupVaultArn },
      );
    }
    const now = ctx.clock.now();
    return createVault(ctx, {
      BackupVaultName: req.BackupVaultName ?? defaultRestoreAccessName(source.BackupVaultName),
      VaultType: "RESTORE_ACCESS_BACKUP_VAULT",
      CreatorRequestId: req.CreatorRequestId,
      Tags: req.Tags,
      extra: {
        SourceBackupVaultArn: source.BackupVaultArn,
        EncryptionKeyArn: source.EncryptionKeyArn,
        ...(source.EncryptionKeyType ? { EncryptionKeyType: source.EncryptionKeyType } : {}),
        MpaSessionArn: mpaSessionArn(source.MpaApprovalTeamArn),
        ApprovalDate: now,
      },
    });
  });
}

/** Every restore access vault opened on `source`, in any account, oldest first. */
function restoreAccessVaultsOf(store: Store, source: VaultRecord): { scope: Scope; doc: VaultRecord }[] {
  return store.vaults
    .find({ vault_type: "RESTORE_ACCESS_BACKUP_VAULT" })
    .filter((r) => r.doc.SourceBackupVaultArn === source.BackupVaultArn)
    .sort((a, b) => a.doc.CreationDate - b.doc.CreationDate || (a.doc.BackupVaultArn < b.doc.BackupVaultArn ? -1 : 1));
}

/**
 * One page of a source vault's restore access vaults. They live in the accounts that asked for
 * access, so they are gathered across scopes and paged here; a source has few of them.
 */
export function listRestoreAccessVaults(ctx: DomainContext, name: string, limit: number, after: Cursor | undefined): Page<VaultRecord> {
  const source = requireAirGappedVault(ctx.store, ctx.scope, name);
  const all = restoreAccessVaultsOf(ctx.store, source).map((r) => r.doc);
  const [afterDate, afterArn] = (after ?? []) as [number?, string?];
  const rest = after ? all.filter((v) => v.CreationDate > afterDate! || (v.CreationDate === afterDate && v.BackupVaultArn > afterArn!)) : all;
  const items = rest.slice(0, limit);
  const last = items[items.length - 1];
  return rest.length > limit && last ? { items, next: [last.CreationDate, last.BackupVaultArn] } : { items };
}

/** Revoking access deletes the restore access vault (API reference, RevokeRestoreAccessBackupVault). */
export function revokeRestoreAccess(ctx: DomainContext, name: string, restoreAccessArn: string): void {
  const { store } = ctx;
  store.transaction(() => {
    const source = requireAirGappedVault(store, ctx.scope, name);
    const found = restoreAccessVaultsOf(store, source).find((r) => r.doc.BackupVaultArn === restoreAccessArn);
    if (!found) {
      throw new ResourceNotFoundException(`No restore access backup vault ${restoreAccessArn} gives access to logically air-gapped vault ${name}.`, { Context: restoreAccessArn });
    }
    store.vaults.delete(found.scope, found.doc.BackupVaultName);
    store.deleteTags(found.doc.BackupVaultArn);
  });
}

export const restoreAccessListMember = (v: VaultRecord): Shapes["RestoreAccessBackupVaultListMember"] => ({
  RestoreAccessBackupVaultArn: v.BackupVaultArn,
  CreationDate: v.CreationDate,
  VaultState: v.VaultState,
  ...(v.ApprovalDate !== undefined ? { ApprovalDate: v.ApprovalDate } : {}),
});
