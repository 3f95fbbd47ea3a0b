/**
 * Recovery point lifecycles. The service's rules (API reference, Lifecycle and BackupRuleInput):
 * a recovery point moved to cold storage must stay there at least 90 days, so DeleteAfterDays
 * must be at least MoveToColdStorageAfterDays + 90 when both are set; no period may exceed 100
 * years; -1 in either member means "none" (it removes an existing period, keeping the recovery
 * point indefinitely); only some resource types can move to cold storage, and for the others the
 * transition is ignored.
 */
import { InvalidParameterValueException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";

export type Lifecycle = Shapes["Lifecycle"];
export type CalculatedLifecycle = Shapes["CalculatedLifecycle"];

const DAY = 86_400;

/** Types whose recovery points can be tiered to cold storage ("Feature availability by resource"). */
const COLD_CAPABLE = new Set(["EFS", "DynamoDB", "EBS", "Timestream", "SAP HANA on Amazon EC2", "VirtualMachine", "CloudFormation"]);

/** The value that unsets a period (API reference, Lifecycle). */
export const NO_PERIOD = -1;
/** The longest period the service accepts: 100 years. */
export const MAX_DAYS = 36_500;

/** A period in days, or undefined when it is absent or unset with -1. */
export const periodDays = (days: number | undefined): number | undefined => (days === undefined || days === NO_PERIOD ? undefined : days);

/** Throws InvalidParameterValueException naming `where` when the lifecycle breaks a rule. */
export function validateLifecycle(lc: Lifecycle | undefined, where = "Lifecycle"): void {
  if (!lc) return;
  for (const member of ["MoveToColdStorageAfterDays", "DeleteAfterDays"] as const) {
    const days = lc[member];
    if (days === undefined || days === NO_PERIOD) continue;
    if (days < 1) throw new InvalidParameterValueException(`${where}.${member} must be at least 1 (or -1 for none), got ${days}.`);
    if (days > MAX_DAYS) throw new InvalidParameterValueException(`${where}.${member} must be at most ${MAX_DAYS} days (100 years), got ${days}.`);
  }
  const cold = periodDays(lc.MoveToColdStorageAfterDays);
  const del = periodDays(lc.DeleteAfterDays);
  if (cold !== undefined && del !== undefined && del < cold + 90) {
    throw new InvalidParameterValueException(
      `${where}: DeleteAfterDays (${del}) must be at least 90 days more than MoveToColdStorageAfterDays (${cold}), since recovery points stay in cold storage for at least 90 days.`,
    );
  }
}

/** When a recovery point created at `from` moves to cold storage and is deleted. */
export function calculateLifecycle(lc: Lifecycle | undefined, from: number, resourceType: string): CalculatedLifecycle | undefined {
  if (!lc) return undefined;
  const out: CalculatedLifecycle = {};
  const cold = periodDays(lc.MoveToColdStorageAfterDays);
  const del = periodDays(lc.DeleteAfterDays);
  if (cold !== undefined && COLD_CAPABLE.has(resourceType)) out.MoveToColdStorageAt = from + cold * DAY;
  if (del !== undefined) out.DeleteAt = from + del * DAY;
  return Object.keys(out).length ? out : undefined;
}
