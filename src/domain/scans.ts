/** Malware scan jobs. */
import type { WorkFactory } from "./work.js";

/** Scheduled work kinds of this module, by kind. */
export const scanWork: Record<string, WorkFactory> = {};
