/**
 * Whether a recovery point may be deleted now, by DeleteRecoveryPoint or by its lifecycle.
 * Legal holds and vault locks each can forbid it; every deletion path asks here.
 */
import type { RecoveryPointRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { activeHoldsOn } from "./legal-holds.js";
import { lockForbidsDeletion } from "./vault-lock.js";

/** Why the recovery point cannot be deleted at `at`, or undefined when it can. */
export function deletionBlocker(store: Store, scope: Scope, rp: RecoveryPointRecord, at: number): string | undefined {
  const holds = activeHoldsOn(store, scope, rp);
  if (holds.length) return `Recovery point ${rp.RecoveryPointArn} is under legal hold (${holds.join(", ")}) and cannot be deleted until every hold on it is cancelled.`;
  return lockForbidsDeletion(store, scope, rp, at);
}
