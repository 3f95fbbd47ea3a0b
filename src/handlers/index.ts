/** Every operation of the model, mapped to its handler (DESIGN rule 2): a missing one fails to compile. */
import type { HandlerMap } from "../api/types.js";
import { backupJobHandlers } from "./backup-jobs.js";
import { pendingHandlers } from "./pending.js";
import { planHandlers } from "./plans.js";
import { recoveryPointHandlers } from "./recovery-points.js";
import { selectionHandlers } from "./selections.js";
import { serviceHandlers } from "./service.js";
import { tagHandlers } from "./tags.js";
import { vaultHandlers } from "./vaults.js";

export const handlers = {
  ...vaultHandlers,
  ...planHandlers,
  ...selectionHandlers,
  ...backupJobHandlers,
  ...recoveryPointHandlers,
  ...tagHandlers,
  ...serviceHandlers,
  ...pendingHandlers,
} satisfies HandlerMap;
