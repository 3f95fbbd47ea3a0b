/** restore-testing operations. */
import type { HandlerMap } from "../api/types.js";

export const restoreTestingHandlers = {} satisfies Partial<HandlerMap>;
