/**
 * Job summaries (ListBackupJobSummaries, ListCopyJobSummaries, ListRestoreJobSummaries,
 * ListScanJobSummaries): job counts grouped by state, resource type and the like, over an
 * aggregation period (API reference, AggregationPeriod): ONE_DAY gives a count per day for the
 * prior 14 days; SEVEN_DAYS and FOURTEEN_DAYS one count over the prior 7 or 14 days.
 * A dimension filtered with ANY is grouped by value; AGGREGATE_ALL sums over all values.
 */
import { InvalidParameterValueException } from "../../generated/errors.js";
import type { Scope, Table, Where } from "../store/table.js";
import type { DomainContext } from "./context.js";
import { anyOf } from "./filters.js";
import { decodeToken, encodeToken, DEFAULT_PAGE_SIZE } from "./pagination.js";

const DAY = 86_400;

/**
 * The API reference gives MaxResults of ListBackupJobSummaries, ListCopyJobSummaries and
 * ListRestoreJobSummaries a range of 1 to 500, narrower than the model's 1 to 1000.
 */
const MAX_SUMMARIES_PER_PAGE: Readonly<Record<string, number>> = {
  ListBackupJobSummaries: 500,
  ListCopyJobSummaries: 500,
  ListRestoreJobSummaries: 500,
};

export type AggregationPeriod = "ONE_DAY" | "SEVEN_DAYS" | "FOURTEEN_DAYS";

export interface Dimension<T> {
  /** Output member name, e.g. State. */
  name: string;
  value: (item: T) => string | undefined;
  /** The request's filter: a value, ANY, AGGREGATE_ALL, or undefined (= ANY). */
  filter: string | undefined;
}

export interface SummaryRequest<T> {
  scope: Scope;
  now: number;
  period: AggregationPeriod | undefined;
  /** When each job counts (its creation time). */
  time: (item: T) => number;
  dimensions: Dimension<T>[];
}

export type Summary = Record<string, string | number>;

export function summarize<T>(items: Iterable<T>, req: SummaryRequest<T>): { period: AggregationPeriod; summaries: Summary[] } {
  const period = req.period ?? "ONE_DAY";
  const todayStart = Math.floor(req.now / DAY) * DAY;
  const windows: [number, number][] =
    period === "ONE_DAY"
      ? Array.from({ length: 14 }, (_, i) => [todayStart - (13 - i) * DAY, todayStart - (12 - i) * DAY] as [number, number])
      : [[req.now - (period === "SEVEN_DAYS" ? 7 : 14) * DAY, req.now]];
  const earliest = windows[0]![0];
  const groups = new Map<string, Summary>();
  for (const item of items) {
    const t = req.time(item);
    if (t < earliest || t > req.now) continue;
    const w = windows.find(([s, e]) => t >= s && t < e) ?? windows[windows.length - 1]!;
    const values: Record<string, string> = {};
    let skip = false;
    for (const d of req.dimensions) {
      const v = d.value(item) ?? "";
      if (d.filter === "AGGREGATE_ALL") values[d.name] = "AGGREGATE_ALL";
      else if (d.filter === undefined || d.filter === "ANY") values[d.name] = v;
      else if (d.filter === v) values[d.name] = v;
      else skip = true;
    }
    if (skip) continue;
    const key = `${w[0]}|${req.dimensions.map((d) => values[d.name]).join("|")}`;
    const g = groups.get(key);
    if (g) g.Count = (g.Count as number) + 1;
    else {
      const summary: Summary = { Region: req.scope.region, AccountId: req.scope.accountId };
      for (const [k, v] of Object.entries(values)) if (v !== "") summary[k] = v;
      summary.Count = 1;
      summary.StartTime = w[0];
      summary.EndTime = Math.min(w[1], req.now);
      groups.set(key, summary);
    }
  }
  const summaries = [...groups.values()].sort(
    (a, b) => (a.StartTime as number) - (b.StartTime as number) || JSON.stringify(a).localeCompare(JSON.stringify(b)),
  );
  return { period, summaries };
}

/** Page through a computed list of summaries with an opaque token. */
export function pageSummaries(list: string, summaries: Summary[], input: { MaxResults?: number; NextToken?: string }): { items: Summary[]; NextToken?: string } {
  const max = MAX_SUMMARIES_PER_PAGE[list];
  if (max !== undefined && input.MaxResults !== undefined && input.MaxResults > max) {
    throw new InvalidParameterValueException(`MaxResults must be between 1 and ${max} for ${list}, got ${input.MaxResults}.`);
  }
  const start = Number(decodeToken(list, input.NextToken)?.[0] ?? 0);
  const limit = input.MaxResults ?? DEFAULT_PAGE_SIZE;
  const items = summaries.slice(start, start + limit);
  return start + limit < summaries.length ? { items, NextToken: encodeToken(list, [start + limit]) } : { items };
}

/**
 * A List*JobSummaries answer: the caller's jobs of the last 14 days (outside AWS Organizations
 * the service counts the caller's own jobs whatever AccountId says, and the emulator has no
 * organizations), summarized along `dimensions` and paged. `where` narrows the query.
 */
export function listJobSummaries<T extends { CreationDate: number }>(
  ctx: DomainContext,
  table: Table<T>,
  list: string,
  input: { AggregationPeriod?: AggregationPeriod; ResourceType?: string; MaxResults?: number; NextToken?: string },
  dimensions: Dimension<T>[],
  where: Where = {},
): { items: Summary[]; period: AggregationPeriod; NextToken?: string } {
  const now = ctx.clock.now();
  const jobs = table.all(ctx.scope, { created: { gte: now - 14 * DAY }, resource_type: anyOf(input.ResourceType), ...where });
  const { period, summaries } = summarize(jobs, { scope: ctx.scope, now, period: input.AggregationPeriod, time: (j) => j.CreationDate, dimensions });
  return { period, ...pageSummaries(list, summaries, input) };
}
