/** settings operations. */
import type { HandlerMap } from "../api/types.js";

export const settingsHandlers = {} satisfies Partial<HandlerMap>;
