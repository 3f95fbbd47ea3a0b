/** The typed contract between the edge and the handlers (DESIGN rules 2 and 3). */
import type { Logger } from "pino";
import type { Input, OperationId, Output } from "../../generated/operations.js";
import type { Config } from "../config.js";
import type { Clock } from "../domain/clock.js";
import type { Store } from "../store/store.js";
import type { Scope } from "../store/table.js";

/** What domain logic needs: where the caller is, the state, the time and the settings. */
export interface DomainContext {
  readonly scope: Scope;
  readonly store: Store;
  readonly clock: Clock;
  readonly config: Config;
}

export interface RequestContext extends DomainContext {
  readonly requestId: string;
  readonly log: Logger;
}

export type Handler<Op extends OperationId> = (input: Input<Op>, ctx: RequestContext) => Promise<Output<Op>> | Output<Op>;

export type HandlerMap = { [Op in OperationId]: Handler<Op> };
