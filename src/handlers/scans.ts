/** scans operations. */
import type { HandlerMap } from "../api/types.js";

export const scanHandlers = {} satisfies Partial<HandlerMap>;
