/**
 * Legal holds: which recovery points they cover.
 *
 * A hold covers the recovery points of its account and Region that match its
 * RecoveryPointSelection (vaults, resources, creation date range; an absent criterion matches
 * everything) and that existed when the hold was created (their creation date is not later):
 * a hold is placed on backups that are already there, and later backups are not added to it.
 * Coverage is evaluated from those criteria rather than copied, so a covered recovery point
 * needs no mark of its own.
 *
 * The service shows a hold as CREATING while it places it and CANCELING while it releases it.
 * Here placing and releasing are a matter of recording the hold, so it is ACTIVE as soon as
 * CreateLegalHold returns and CANCELED as soon as CancelLegalHold returns.
 */
import { InvalidParameterValueException, InvalidResourceStateException, LimitExceededException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { RecoveryPointRecord, Tags } from "../store/records.js";
import { legalHoldsDef, type LegalHoldRecord } from "../store/schema/governance.js";
import type { Cursor, Page, Scope, Where } from "../store/table.js";
import type { Store } from "../store/store.js";
import { backupArn } from "./arn.js";
import { requeueDueDeletion } from "./expiry.js";
import { uuid } from "./ids.js";
import { setTagsOnCreate, type TaggableLookup } from "./tags.js";
import { pick } from "./util.js";

const DAY = 86_400;

/** Developer Guide, "Legal holds": an account can have at most 50 active legal holds. */
export const MAX_ACTIVE_LEGAL_HOLDS = 50;

/** Taggable kind `legal-hold` (src/domain/tagging.ts). */
export const legalHoldExists: TaggableLookup = (store, scope, id) => store.table(legalHoldsDef).has(scope, id);

export interface NewLegalHold {
  Title: string;
  Description: string;
  RecoveryPointSelection?: Shapes["RecoveryPointSelection"];
  Tags?: Tags;
}

const holds = (store: Store) => store.table(legalHoldsDef);

export function createLegalHold(ctx: DomainContext, req: NewLegalHold): LegalHoldRecord {
  const { store, scope } = ctx;
  const sel = req.RecoveryPointSelection;
  if (sel?.DateRange && sel.DateRange.FromDate > sel.DateRange.ToDate) {
    throw new InvalidParameterValueException("RecoveryPointSelection.DateRange.FromDate must not be later than its ToDate.");
  }
  return store.transaction(() => {
    for (const name of sel?.VaultNames ?? []) {
      if (!store.vaults.has(scope, name)) {
        throw new InvalidParameterValueException(`RecoveryPointSelection.VaultNames: backup vault ${name} does not exist in account ${scope.accountId}, region ${scope.region}.`);
      }
    }
    if (holds(store).count(scope, { status: "ACTIVE" }) >= MAX_ACTIVE_LEGAL_HOLDS) {
      throw new LimitExceededException(`This account already has ${MAX_ACTIVE_LEGAL_HOLDS} active legal holds in ${scope.region}, the service quota; cancel one first.`);
    }
    const id = uuid();
    const hold: LegalHoldRecord = {
      LegalHoldId: id,
      LegalHoldArn: backupArn(scope, `legal-hold:${id}`),
      Title: req.Title,
      Description: req.Description,
      Status: "ACTIVE",
      CreationDate: ctx.clock.now(),
      ...(sel ? { RecoveryPointSelection: sel } : {}),
    };
    holds(store).insert(scope, hold);
    setTagsOnCreate(ctx, hold.LegalHoldArn, req.Tags);
    return hold;
  });
}

/** Forget cancelled holds whose record retention (RetainRecordInDays) has run out. */
function dropExpiredRecords(store: Store, scope: Scope, now: number): void {
  for (const h of holds(store).all(scope, { status: "CANCELED" })) {
    if (h.RetainRecordUntil !== undefined && h.RetainRecordUntil <= now) {
      holds(store).delete(scope, h.LegalHoldId);
      store.deleteTags(h.LegalHoldArn);
    }
  }
}

export function findLegalHold(ctx: DomainContext, id: string): LegalHoldRecord | undefined {
  return ctx.store.transaction(() => {
    dropExpiredRecords(ctx.store, ctx.scope, ctx.clock.now());
    return holds(ctx.store).get(ctx.scope, id);
  });
}

export const noSuchHold = (ctx: DomainContext, id: string): string => `Legal hold ${id} does not exist in account ${ctx.scope.accountId}, region ${ctx.scope.region}.`;

export function requireLegalHold(ctx: DomainContext, id: string): LegalHoldRecord {
  const h = findLegalHold(ctx, id);
  if (!h) throw new ResourceNotFoundException(noSuchHold(ctx, id), { Context: id });
  return h;
}

export function cancelLegalHold(ctx: DomainContext, id: string, description: string, retainRecordInDays: number | undefined): void {
  if (retainRecordInDays !== undefined && retainRecordInDays < 0) {
    throw new InvalidParameterValueException(`RetainRecordInDays must not be negative, got ${retainRecordInDays}.`);
  }
  ctx.store.transaction(() => {
    const h = requireLegalHold(ctx, id);
    if (h.Status === "CANCELED" || h.Status === "CANCELING") {
      throw new InvalidResourceStateException(`Legal hold ${id} is already ${h.Status}.`, { Context: id });
    }
    const now = ctx.clock.now();
    const cancelled: LegalHoldRecord = { ...h, Status: "CANCELED", CancelDescription: description, CancellationDate: now };
    // Without RetainRecordInDays the record of the cancelled hold is kept.
    if (retainRecordInDays !== undefined) cancelled.RetainRecordUntil = now + retainRecordInDays * DAY;
    holds(ctx.store).put(ctx.scope, cancelled);
    // Lifecycle deletions that fell due while the hold stood happen now, unless another hold remains.
    for (const rp of ctx.store.recoveryPoints.all(ctx.scope, coverage(h))) {
      if (activeHoldsOn(ctx.store, ctx.scope, rp).length === 0) requeueDueDeletion(ctx.store, ctx.scope, rp, now);
    }
  });
}

export function listLegalHolds(ctx: DomainContext, limit: number, after: Cursor | undefined): Page<LegalHoldRecord> {
  return ctx.store.transaction(() => {
    dropExpiredRecords(ctx.store, ctx.scope, ctx.clock.now());
    return holds(ctx.store).list(ctx.scope, {}, limit, after);
  });
}

/** A hold's selection as match criteria; `to` also stops at the hold's creation. */
function criteria(h: LegalHoldRecord): { vaults?: string[]; resources?: string[]; from?: number; to: number } {
  const sel = h.RecoveryPointSelection;
  return {
    ...(sel?.VaultNames?.length ? { vaults: sel.VaultNames } : {}),
    ...(sel?.ResourceIdentifiers?.length ? { resources: sel.ResourceIdentifiers } : {}),
    ...(sel?.DateRange ? { from: sel.DateRange.FromDate } : {}),
    to: Math.min(sel?.DateRange?.ToDate ?? h.CreationDate, h.CreationDate),
  };
}

/** The store filter for the recovery points a hold covers. */
function coverage(h: LegalHoldRecord): Where {
  const c = criteria(h);
  return {
    vault: c.vaults && { in: c.vaults },
    resource_arn: c.resources && { in: c.resources },
    created: { ...(c.from !== undefined ? { gte: c.from } : {}), lte: c.to },
  };
}

function covers(h: LegalHoldRecord, rp: RecoveryPointRecord): boolean {
  const c = criteria(h);
  return (
    (!c.vaults || c.vaults.includes(rp.BackupVaultName)) &&
    (!c.resources || c.resources.includes(rp.ResourceArn)) &&
    (c.from === undefined || rp.CreationDate >= c.from) &&
    rp.CreationDate <= c.to
  );
}

export function recoveryPointsOfHold(ctx: DomainContext, h: LegalHoldRecord, limit: number, after: Cursor | undefined): Page<RecoveryPointRecord> {
  return ctx.store.recoveryPoints.list(ctx.scope, coverage(h), limit, after);
}

/** Ids of the active legal holds that cover this recovery point. */
export function activeHoldsOn(store: Store, scope: Scope, rp: RecoveryPointRecord): string[] {
  return holds(store)
    .all(scope, { status: "ACTIVE" })
    .filter((h) => covers(h, rp))
    .map((h) => h.LegalHoldId);
}

export const legalHoldListMember = (h: LegalHoldRecord): Shapes["LegalHold"] =>
  pick(h, ["Title", "Status", "Description", "LegalHoldId", "LegalHoldArn", "CreationDate", "CancellationDate"]);

export const legalHoldOutput = (h: LegalHoldRecord): Shapes["GetLegalHoldOutput"] => ({ ...h });

export const recoveryPointMember = (rp: RecoveryPointRecord): Shapes["RecoveryPointMember"] =>
  pick(rp, ["RecoveryPointArn", "ResourceArn", "ResourceType", "BackupVaultName"]);
