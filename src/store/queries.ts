/**
 * Queries the generic Table API cannot express: recovery points grouped by the resource they
 * protect. Each page walks the (…, resource_arn, created, arn) index in resource order and
 * reads only the newest point of each resource on the page, so its cost follows the page.
 */
import type { RecoveryPointRecord } from "./records.js";
import { recoveryPointsDef } from "./schema/core.js";
import type { Store } from "./store.js";
import type { Cursor, Page, Scope } from "./table.js";

export interface LatestPerResourceQuery {
  /** Only points stored in this vault (and their newest one within it). */
  vault?: string;
  limit: number;
  /** Cursor from the previous page: the last resource ARN served. */
  after?: Cursor;
}

/**
 * The newest recovery point (by creation date, then ARN) of every resource with at least one
 * point in `scope`, in resource ARN order.
 */
export function latestRecoveryPointPerResource(store: Store, scope: Scope, q: LatestPerResourceQuery): Page<RecoveryPointRecord> {
  const after = q.after?.[0];
  if (q.after && (q.after.length !== 1 || typeof after !== "string")) throw new RangeError("cursor does not fit this list");
  const table = recoveryPointsDef.name;
  const vault = q.vault !== undefined ? " AND vault = @vault" : "";
  const sql = `
    SELECT g.resource_arn AS resource_arn,
      (SELECT r.doc FROM ${table} r
        WHERE r.account = @account AND r.region = @region AND r.resource_arn = g.resource_arn${vault.replace("vault", "r.vault")}
        ORDER BY r.created DESC, r.arn DESC LIMIT 1) AS doc
    FROM (SELECT DISTINCT resource_arn FROM ${table}
          WHERE account = @account AND region = @region${vault}${after !== undefined ? " AND resource_arn > @after" : ""}
          ORDER BY resource_arn LIMIT @limit) g
    ORDER BY g.resource_arn`;
  const rows = store.stmt(sql).all({
    account: scope.accountId,
    region: scope.region,
    limit: q.limit + 1,
    ...(q.vault !== undefined ? { vault: q.vault } : {}),
    ...(after !== undefined ? { after } : {}),
  }) as { resource_arn: string; doc: string }[];
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const items = page.map((r) => JSON.parse(r.doc) as RecoveryPointRecord);
  const last = page[page.length - 1];
  return more && last ? { items, next: [last.resource_arn] } : { items };
}
