/** Every operation of the model, mapped to its handler (DESIGN rule 2). */
import type { OperationId } from "../../generated/operations.js";
import type { Handler, HandlerMap } from "../api/types.js";
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

/**
 * Operations of the model that are not built yet. Each answers 501 NotImplemented naming
 * itself. When a model update brings new operations, list them here (the build fails until
 * every operation has a handler or is listed), and remove them as they are built.
 */
const PENDING = [] as const satisfies readonly OperationId[];
export const pendingOperations: readonly OperationId[] = PENDING;

type Pending = (typeof PENDING)[number];

function notImplementedFor<Ops extends readonly OperationId[]>(ops: Ops): { [Op in Ops[number]]: Handler<Op> } {
  return Object.fromEntries(
    ops.map((op) => [
      op,
      () => {
        throw notImplemented(op);
      },
    ]),
  ) as unknown as { [Op in Ops[number]]: Handler<Op> };
}

export const handlers = { ...built, ...notImplementedFor<readonly Pending[]>(PENDING) } satisfies HandlerMap;
