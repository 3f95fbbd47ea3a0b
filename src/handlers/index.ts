/** Every operation of the model, mapped to its handler (docs/architecture.md, "One typed handler per operation"). */
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

/**
 * The handler families, with what each simulates: the README's coverage table is generated
 * from this list (`npm run docs:coverage`), so it cannot drift from the code.
 */
export const handlerFamilies = [
  { name: "Backup vaults", simulates: "Vaults per account and region with their type, state, key and live recovery point count; deletion refused while points remain.", handlers: vaultHandlers },
  { name: "Backup plans", simulates: "Plans with versions, rule defaults and RuleIds, deleted versions still readable; rules run on their cron schedule in their time zone.", handlers: planHandlers },
  { name: "Plan templates and documents", simulates: "Built-in templates with stable ids, plans exported to JSON and parsed back with validation, previews of the next scheduled runs.", handlers: planTemplateHandlers },
  { name: "Backup selections", simulates: "Resource assignments by ARN, wildcard, tags and conditions, resolved against known and discovered resources at each scheduled run.", handlers: selectionHandlers },
  { name: "Backup jobs", simulates: "On-demand and scheduled jobs moving CREATED → RUNNING → COMPLETED over the configured delay, stoppable, leaving recovery points; summaries.", handlers: backupJobHandlers },
  { name: "Recovery points", simulates: "Points with the service's ARN forms per type, lifecycles carried out over time (cold storage, deletion), deletion guarded by holds and locks.", handlers: recoveryPointHandlers },
  { name: "Protected resources and recovery point management", simulates: "Resources derived from their recovery points, lifecycle updates, disassociation, indexes moving PENDING → ACTIVE.", handlers: protectedResourceHandlers },
  { name: "Restore jobs", simulates: "Restores moving PENDING → RUNNING → COMPLETED with a created resource ARN of the right kind, restore metadata, validation results, summaries.", handlers: restoreJobHandlers },
  { name: "Copy jobs", simulates: "Copies into vaults of any region or account of the emulator, with the copy's lifecycle; missing destinations end FAILED; summaries.", handlers: copyJobHandlers },
  { name: "Vault governance", simulates: "Access policies enforced on every operation on the vault and its recovery points, notifications (recorded and optionally published to SNS), Vault Lock in governance and compliance modes, logically air-gapped and restore-access vaults, MPA teams.", handlers: governanceHandlers },
  { name: "Legal holds", simulates: "Holds over vaults, resources and date ranges that stop deletion by API or lifecycle until cancelled.", handlers: legalHoldHandlers },
  { name: "Audit Manager", simulates: "Frameworks with controls evaluated against the state, report plans, and report jobs that write CSV/JSON reports to disk.", handlers: auditHandlers },
  { name: "Restore testing", simulates: "Restore testing plans and selections, inferred restore metadata, and scheduled runs that start restore jobs.", handlers: restoreTestingHandlers },
  { name: "Tiering and scans", simulates: "Tiering configurations for S3 backups; malware scan jobs that complete with NO_THREATS_FOUND and mark the recovery point.", handlers: { ...tieringHandlers, ...scanHandlers } },
  { name: "Settings", simulates: "Region opt-in and management preferences with the service's defaults; global settings of the configured organization, set by its management account.", handlers: settingsHandlers },
  { name: "Tags and service", simulates: "Tags on every taggable ARN (existence checked, quotas enforced) and the supported resource types.", handlers: { ...tagHandlers, ...serviceHandlers } },
] as const;

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

/**
 * A handler of an operation without output may still not be async: a function returning a
 * Promise is assignable to one returning void, so `satisfies` alone would let it through.
 */
type AsyncHandlers = { [K in keyof typeof built]: ReturnType<(typeof built)[K]> extends PromiseLike<unknown> ? K : never }[keyof typeof built];
const handlersAreSynchronous: [AsyncHandlers] extends [never] ? true : { asyncHandlers: AsyncHandlers } = true;
void handlersAreSynchronous;
