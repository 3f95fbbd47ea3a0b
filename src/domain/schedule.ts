/**
 * AWS cron expressions: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, as in the
 * Backup developer guide ("Schedule expressions"). croner does the calendar work (L, W, #, IANA
 * time zones and DST) in its Quartz mode, whose day-of-week numbering is AWS's 1-7 = SUN-SAT and
 * which accepts AWS's `0/15` steps; handled here are the rule that one of day-of-month and
 * day-of-week must be `?`, a bare `L` as day of week (the last day of the week, Saturday), the
 * range of day numbers (croner would take 8 as Sunday), and the Year field, which croner's
 * 6-field patterns have not.
 */
import { Cron } from "croner";
import { InvalidParameterValueException } from "../../generated/errors.js";

export interface ParsedCron {
  /** croner pattern with seconds, Quartz day numbers: `0 min hour dom month dow`. */
  pattern: string;
  /** Whether a run in this year is allowed by the Year field. */
  year: (y: number) => boolean;
}

/** croner with the options AWS expressions need (see the module comment). */
function cronOf(pattern: string, timezone?: string): Cron {
  return new Cron(pattern, { paused: true, alternativeWeekdays: true, sloppyRanges: true, ...(timezone ? { timezone } : {}) });
}

/** Check the day numbers of a day-of-week field (1-7) and spell a bare `L` as Saturday. */
function dayOfWeek(field: string): string {
  if (field === "L") return "7";
  for (const m of field.matchAll(/\d+/g)) {
    // A number after '/' is a step and one after '#' a week of the month, not a day.
    const before = field[m.index - 1];
    if (before === "/" || before === "#") continue;
    const d = Number(m[0]);
    if (d < 1 || d > 7) throw new Error(`day-of-week ${d} is out of range 1-7 (1 = SUN)`);
  }
  return field;
}

function yearMatcher(field: string): (y: number) => boolean {
  if (field === "*" || field === "?") return () => true;
  const parts = field.split(",").map((part) => {
    const m = /^(\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`year "${part}" is not a year, a range of years or a list of them`);
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[3] ? 2199 : from;
    const step = m[3] ? Number(m[3]) : 1;
    if (from < 1970 || to > 2199 || to < from || step < 1) throw new Error(`year "${part}" is outside 1970-2199`);
    return (y: number) => y >= from && y <= to && (y - from) % step === 0;
  });
  return (y) => parts.some((p) => p(y));
}

export function parseAwsCron(expression: string): ParsedCron {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) throw new Error("it must have the form cron(Minutes Hours Day-of-month Month Day-of-week Year)");
  const fields = m[1]!.trim().split(/\s+/);
  if (fields.length !== 6) throw new Error(`it has ${fields.length} fields; AWS cron expressions have 6`);
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === "?") === (dow === "?")) throw new Error("exactly one of Day-of-month and Day-of-week must be ?");
  const pattern = `0 ${min} ${hour} ${dom === "?" ? "*" : dom} ${month} ${dow === "?" ? "*" : dayOfWeek(dow)}`;
  const parsed = { pattern, year: yearMatcher(year) };
  cronOf(pattern); // throws on a malformed field
  return parsed;
}

export function validateScheduleExpression(expression: string | undefined, where: string): void {
  if (expression === undefined) return;
  try {
    parseAwsCron(expression);
  } catch (err) {
    throw new InvalidParameterValueException(`${where} "${expression}" is not a valid schedule: ${(err as Error).message}.`);
  }
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function validateTimezone(tz: string | undefined, where: string): void {
  if (tz !== undefined && !isValidTimezone(tz)) throw new InvalidParameterValueException(`${where} "${tz}" is not an IANA time zone name (such as Europe/Paris).`);
}

/** The calendar year of an instant in a time zone: the Year field is read in the schedule's zone. */
function yearIn(timezone: string): (d: Date) => number {
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone: timezone, year: "numeric" });
  return (d) => Number(fmt.format(d));
}

/** The next `n` run times (epoch seconds) strictly after `after`. */
export function nextRuns(expression: string, timezone: string | undefined, after: number, n: number): number[] {
  const { pattern, year } = parseAwsCron(expression);
  const zone = timezone ?? "Etc/UTC";
  const cron = cronOf(pattern, zone);
  const localYear = yearIn(zone);
  const out: number[] = [];
  let from = new Date(after * 1000);
  while (out.length < n) {
    const next = cron.nextRun(from);
    if (!next) break;
    const y = localYear(next);
    if (y > 2199) break;
    if (year(y)) {
      out.push(next.getTime() / 1000);
      from = next;
      continue;
    }
    // Jump to the next year the Year field allows: a day before its UTC start, so that no time
    // zone's New Year is missed, but never back before the run just refused (or it loops).
    let ny = y + 1;
    while (ny <= 2199 && !year(ny)) ny++;
    if (ny > 2199) break;
    from = new Date(Math.max(next.getTime(), Date.UTC(ny, 0, 1) - 86_400_000));
  }
  return out;
}
