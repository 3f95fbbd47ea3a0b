/** Building store filters from the API's list parameters. */
import type { Condition } from "../store/table.js";

/** A created/completed window: After and Before are both exclusive, as the API reference words them. */
export function timeRange(after: number | undefined, before: number | undefined): Condition | undefined {
  if (after === undefined && before === undefined) return undefined;
  return { ...(after !== undefined ? { gt: after } : {}), ...(before !== undefined ? { lt: before } : {}) };
}

/** A category filter where the service's wildcard values (ANY, AGGREGATE_ALL) mean "no filter". */
export function anyOf(value: string | undefined): string | undefined {
  return value === undefined || value === "ANY" || value === "AGGREGATE_ALL" ? undefined : value;
}
