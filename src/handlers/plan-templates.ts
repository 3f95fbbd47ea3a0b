/** plan-templates operations. */
import type { HandlerMap } from "../api/types.js";

export const planTemplateHandlers = {} satisfies Partial<HandlerMap>;
