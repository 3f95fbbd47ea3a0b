/**
 * Every kind of time-driven work, registered with the scheduler in one place. Each family's
 * domain module exports its kinds as factories that receive the store and settings.
 */
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Store } from "../store/store.js";
import { backupWork } from "./backup-jobs.js";
import { copyWork } from "./copy-jobs.js";
import { recoveryPointIndexWork } from "./recovery-point-index.js";
import type { ResourceDiscovery } from "./discovery.js";
import { expiryWork } from "./expiry.js";
import { planRunWork } from "./plan-runs.js";
import { restoreTestingWork } from "./restore-testing.js";
import { reportWork } from "./reports.js";
import { restoreWork } from "./restore-jobs.js";
import { scanWork } from "./scans.js";
import type { Scheduler, WorkHandler } from "./scheduler.js";

export interface WorkDeps {
  store: Store;
  config: Config;
  log: Logger;
  /** Set when RESOURCE_ENDPOINT is. */
  discovery?: ResourceDiscovery;
}

export type WorkFactory = (deps: WorkDeps) => WorkHandler;

export function registerAllWork(scheduler: Scheduler, deps: WorkDeps): void {
  const all: Record<string, WorkFactory> = { ...backupWork, ...restoreWork, ...copyWork, ...scanWork, ...reportWork, ...recoveryPointIndexWork, ...planRunWork, ...expiryWork, ...restoreTestingWork };
  for (const [kind, factory] of Object.entries(all)) scheduler.register(kind, factory(deps));
}
