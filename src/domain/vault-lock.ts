/** Vault Lock: retention bounds on the recovery points of a locked vault. */
import type { Shapes } from "../../generated/operations.js";
import type { RecoveryPointRecord, VaultRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";

/** Why the vault's lock forbids deleting this recovery point at `at`, or undefined. */
export function lockForbidsDeletion(_store: Store, _scope: Scope, _rp: RecoveryPointRecord, _at: number): string | undefined {
  return undefined;
}

/**
 * Why a lifecycle breaks the retention bounds of the vault's lock (a recovery point stored in
 * `vault` with this lifecycle), or undefined when it complies or the vault is not locked.
 */
export function lockRetentionViolation(_vault: VaultRecord, _lifecycle: Shapes["Lifecycle"] | undefined): string | undefined {
  return undefined;
}
