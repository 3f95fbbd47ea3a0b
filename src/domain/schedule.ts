/**
 * AWS cron expressions: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, as in the
 * Backup developer guide ("Schedule expressions"). They are translated for croner, which does
 * the calendar work (L, W, #, IANA time zones and DST); the differences handled here are
 * AWS's 1-7 = SUN-SAT day-of-week numbering (croner: 0-6 = SUN-SAT), the rule that one of
 * day-of-month and day-of-week must be `?`, and the Year field, which croner has not.
 */
import { Cron } from "croner";
import { InvalidParameterValueException } from "../../generated/errors.js";

export interface ParsedCron {
  /** croner pattern with seconds: `0 min hour dom month dow`. */
  pattern: string;
  /** Whether a run in this year is allowed by the Year field. */
  year: (y: number) => boolean;
}

/** AWS day-of-week numbers 1-7 (SUN-SAT) → croner 0-6; names and symbols pass through. */
function translateDow(field: string): string {
  return field.replace(/\d+/g, (n, offset: number, whole: string) => {
    // The number after '#' is the week of the month, not a day.
    if (offset > 0 && whole[offset - 1] === "#") return n;
    const d = Number(n);
    if (d < 1 || d > 7) throw new Error(`day-of-week ${d} is out of range 1-7`);
    return String(d - 1);
  });
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
  const pattern = `0 ${min} ${hour} ${dom === "?" ? "*" : dom} ${month} ${dow === "?" ? "*" : translateDow(dow)}`;
  const parsed = { pattern, year: yearMatcher(year) };
  new Cron(pattern, { paused: true }); // throws on a malformed field
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

/** The next `n` run times (epoch seconds) strictly after `after`. */
export function nextRuns(expression: string, timezone: string | undefined, after: number, n: number): number[] {
  const { pattern, year } = parseAwsCron(expression);
  const cron = new Cron(pattern, { paused: true, timezone: timezone ?? "Etc/UTC" });
  const out: number[] = [];
  let from = new Date(after * 1000);
  while (out.length < n) {
    const next = cron.nextRun(from);
    if (!next) break;
    const y = next.getUTCFullYear();
    if (y > 2199) break;
    if (year(y)) {
      out.push(next.getTime() / 1000);
      from = next;
      continue;
    }
    // Skip to the next year the Year field allows (a day early, for time zones ahead of UTC).
    let ny = y + 1;
    while (ny <= 2199 && !year(ny)) ny++;
    if (ny > 2199) break;
    from = new Date(Date.UTC(ny, 0, 1) - 86_400_000);
  }
  return out;
}
