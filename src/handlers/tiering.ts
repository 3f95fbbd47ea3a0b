/** tiering operations. */
import type { HandlerMap } from "../api/types.js";

export const tieringHandlers = {} satisfies Partial<HandlerMap>;
