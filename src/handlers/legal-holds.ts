/** legal-holds operations. */
import type { HandlerMap } from "../api/types.js";

export const legalHoldHandlers = {} satisfies Partial<HandlerMap>;
