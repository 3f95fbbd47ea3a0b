/** The typed contract between the edge and the handlers (docs/architecture.md: one typed handler per operation, handlers know nothing of HTTP). */
import type { Logger } from "pino";
import type { Input, OperationId, Output } from "../../generated/operations.js";
import type { DomainContext } from "../domain/context.js";

export type { DomainContext };

export interface RequestContext extends DomainContext {
  readonly requestId: string;
  readonly log: Logger;
}

/**
 * Synchronous: the edge runs a handler inside the request's transaction and commits when it
 * returns, so work a handler left for later would escape it. Anything that takes time is queued
 * as work (docs/architecture.md, "Time"); files and other effects outside the database wait for
 * the commit (`store.afterCommit`).
 */
export type Handler<Op extends OperationId> = (input: Input<Op>, ctx: RequestContext) => Output<Op>;

export type HandlerMap = { [Op in OperationId]: Handler<Op> };
