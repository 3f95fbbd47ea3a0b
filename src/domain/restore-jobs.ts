/** Restore jobs. */
import type { WorkFactory } from "./work.js";

/** Scheduled work kinds of this module, by kind. */
export const restoreWork: Record<string, WorkFactory> = {};
