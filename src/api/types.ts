/** The typed contract between the edge and the handlers (docs/architecture.md: one typed handler per operation, handlers know nothing of HTTP). */
import type { Logger } from "pino";
import type { Input, OperationId, Output } from "../../generated/operations.js";
import type { DomainContext } from "../domain/context.js";

export type { DomainContext };

export interface RequestContext extends DomainContext {
  readonly requestId: string;
  readonly log: Logger;
}

export type Handler<Op extends OperationId> = (input: Input<Op>, ctx: RequestContext) => Promise<Output<Op>> | Output<Op>;

export type HandlerMap = { [Op in OperationId]: Handler<Op> };
