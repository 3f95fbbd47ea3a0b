/** restore-jobs operations. */
import type { HandlerMap } from "../api/types.js";

export const restoreJobHandlers = {} satisfies Partial<HandlerMap>;
