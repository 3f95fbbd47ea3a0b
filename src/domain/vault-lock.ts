/** Vault Lock: retention bounds on the recovery points of a locked vault. */
import type { RecoveryPointRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";

/** Why the vault's lock forbids deleting this recovery point at `at`, or undefined. */
export function lockForbidsDeletion(_store: Store, _scope: Scope, _rp: RecoveryPointRecord, _at: number): string | undefined {
  return undefined;
}
