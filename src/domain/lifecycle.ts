/**
 * Recovery point lifecycles. The service's rules (API reference, Lifecycle): a recovery point
 * moved to cold storage must stay there at least 90 days, so DeleteAfterDays must be at least
 * MoveToColdStorageAfterDays + 90 when both are set; only some resource types can move to cold
 * storage, and for the others the transition is ignored.
 */
import { InvalidParameterValueException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";

export type Lifecycle = Shapes["Lifecycle"];
export type CalculatedLifecycle = Shapes["CalculatedLifecycle"];

const DAY = 86_400;

/** Types whose recovery points can be tiered to cold storage ("Feature availability by resource"). */
const COLD_CAPABLE = new Set(["EFS", "DynamoDB", "EBS", "Timestream", "SAP HANA on Amazon EC2", "VirtualMachine", "CloudFormation"]);

/** Throws InvalidParameterValueException naming `where` when the lifecycle breaks a rule. */
export function validateLifecycle(lc: Lifecycle | undefined, where = "Lifecycle"): void {
  if (!lc) return;
  const { MoveToColdStorageAfterDays: cold, DeleteAfterDays: del } = lc;
  if (cold !== undefined && cold < 1) throw new InvalidParameterValueException(`${where}.MoveToColdStorageAfterDays must be at least 1, got ${cold}.`);
  if (del !== undefined && del < 1) throw new InvalidParameterValueException(`${where}.DeleteAfterDays must be at least 1, got ${del}.`);
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
  if (lc.MoveToColdStorageAfterDays !== undefined && COLD_CAPABLE.has(resourceType)) out.MoveToColdStorageAt = from + lc.MoveToColdStorageAfterDays * DAY;
  if (lc.DeleteAfterDays !== undefined) out.DeleteAt = from + lc.DeleteAfterDays * DAY;
  return Object.keys(out).length ? out : undefined;
}
