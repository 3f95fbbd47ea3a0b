/** protected-resources operations. */
import type { HandlerMap } from "../api/types.js";

export const protectedResourceHandlers = {} satisfies Partial<HandlerMap>;
