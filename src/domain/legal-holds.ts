/** Legal holds: which recovery points they cover. */
import type { RecoveryPointRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";

/** Ids of the active legal holds that cover this recovery point. */
export function activeHoldsOn(_store: Store, _scope: Scope, _rp: RecoveryPointRecord): string[] {
  return [];
}
