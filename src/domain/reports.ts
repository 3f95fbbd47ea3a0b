/** Audit report jobs. */
import type { WorkFactory } from "./work.js";

/** Scheduled work kinds of this module, by kind. */
export const reportWork: Record<string, WorkFactory> = {};
