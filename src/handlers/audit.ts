/** audit operations. */
import type { HandlerMap } from "../api/types.js";

export const auditHandlers = {} satisfies Partial<HandlerMap>;
