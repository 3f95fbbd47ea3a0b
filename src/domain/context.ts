/** What domain logic needs from its caller: where the caller is, the state, the time and the settings. */
import type { Config } from "../config.js";
import type { Clock } from "./clock.js";
import type { Store } from "../store/store.js";
import type { Scope } from "../store/table.js";

export interface DomainContext {
  readonly scope: Scope;
  readonly store: Store;
  readonly clock: Clock;
  readonly config: Config;
}
