/** Every operation of the model, mapped to its handler (DESIGN rule 2). */
import { operationIds } from "../../generated/operations.js";
import type { HandlerMap } from "../api/types.js";
import { notImplemented } from "../protocol/errors.js";
import { auditHandlers } from "./audit.js";
import { backupJobHandlers } from "./backup-jobs.js";
import { copyJobHandlers } from "./copy-jobs.js";
import { governanceHandlers } from "./governance.js";
import { legalHoldHandlers } from "./legal-holds.js";
import { planTemplateHandlers } from "./plan-templates.js";
import { planHandlers } from "./plans.js";
import { protectedResourceHandlers } from "./protected-resources.js";
import { recoveryPointHandlers } from "./recovery-points.js";
import { restoreJobHandlers } from "./restore-jobs.js";
import { restoreTestingHandlers } from "./restore-testing.js";
import { scanHandlers } from "./scans.js";
import { selectionHandlers } from "./selections.js";
import { serviceHandlers } from "./service.js";
import { settingsHandlers } from "./settings.js";
import { tagHandlers } from "./tags.js";
import { tieringHandlers } from "./tiering.js";
import { vaultHandlers } from "./vaults.js";

const built = {
  ...vaultHandlers,
  ...planHandlers,
  ...selectionHandlers,
  ...backupJobHandlers,
  ...recoveryPointHandlers,
  ...tagHandlers,
  ...serviceHandlers,
  ...restoreJobHandlers,
  ...copyJobHandlers,
  ...protectedResourceHandlers,
  ...governanceHandlers,
  ...legalHoldHandlers,
  ...auditHandlers,
  ...restoreTestingHandlers,
  ...settingsHandlers,
  ...planTemplateHandlers,
  ...tieringHandlers,
  ...scanHandlers,
} satisfies Partial<HandlerMap>;

/** Operations of the model not built yet answer 501 NotImplemented naming themselves. */
export const pendingOperations = operationIds.filter((op) => !(op in built));

const pending = Object.fromEntries(
  pendingOperations.map((op) => [
    op,
    () => {
      throw notImplemented(op);
    },
  ]),
);

export const handlers = { ...pending, ...built } as unknown as HandlerMap;
