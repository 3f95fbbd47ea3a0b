/** copy-jobs operations. */
import type { HandlerMap } from "../api/types.js";

export const copyJobHandlers = {} satisfies Partial<HandlerMap>;
