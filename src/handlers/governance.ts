/** governance operations. */
import type { HandlerMap } from "../api/types.js";

export const governanceHandlers = {} satisfies Partial<HandlerMap>;
