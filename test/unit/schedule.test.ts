import { describe, expect, it } from "vitest";
import { isValidTimezone, nextRuns, parseAwsCron, validateScheduleExpression, validateTimezone } from "../../src/domain/schedule.js";

const at = (iso: string) => Date.parse(iso) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().replace(".000Z", "Z");
/** Wednesday 1 January 2025, 00:00 UTC. */
const NEW_YEAR_2025 = at("2025-01-01T00:00:00Z");
const runs = (expr: string, n = 4, from = NEW_YEAR_2025, tz?: string) => nextRuns(expr, tz, from, n).map(iso);
const weekday = (s: string) => new Date(s).getUTCDay();

describe("parseAwsCron", () => {
  it("reads the six AWS fields, seconds added for croner", () => {
    expect(parseAwsCron("cron(0 5 ? * * *)").pattern).toBe("0 0 5 * * *");
    expect(parseAwsCron("  cron(15 * ? * * *) ").pattern).toBe("0 15 * * * *");
  });

  it("refuses anything but cron(...) with six fields", () => {
    expect(() => parseAwsCron("rate(1 day)")).toThrow(/cron\(/);
    expect(() => parseAwsCron("0 5 ? * * *")).toThrow(/cron\(/);
    expect(() => parseAwsCron("cron(0 5 ? * *)")).toThrow(/5 fields/);
    expect(() => parseAwsCron("cron(0 0 5 ? * * *)")).toThrow(/7 fields/);
  });

  it("requires exactly one of day-of-month and day-of-week to be ?", () => {
    expect(() => parseAwsCron("cron(0 5 * * * *)")).toThrow(/\?/);
    expect(() => parseAwsCron("cron(0 5 1 * 2 *)")).toThrow(/\?/);
    expect(() => parseAwsCron("cron(0 5 ? * ? *)")).toThrow(/\?/);
    expect(() => parseAwsCron("cron(0 5 1 * ? *)")).not.toThrow();
    expect(() => parseAwsCron("cron(0 5 ? * MON *)")).not.toThrow();
  });

  it("refuses day-of-week numbers outside AWS's 1-7", () => {
    expect(() => parseAwsCron("cron(0 5 ? * 0 *)")).toThrow(/1-7/);
    expect(() => parseAwsCron("cron(0 5 ? * 8 *)")).toThrow(/1-7/);
    expect(() => parseAwsCron("cron(0 5 ? * 1-8 *)")).toThrow(/1-7/);
  });

  it("refuses malformed fields and years", () => {
    for (const bad of ["cron(61 5 ? * * *)", "cron(0 25 ? * * *)", "cron(0 5 32 * ? *)", "cron(0 5 ? 13 * *)", "cron(0 5 ? * FOO *)", "cron(0 5 1 * ? 99)", "cron(0 5 1 * ? 2300)", "cron(0 5 1 * ? 2030-2020)"]) {
      expect(() => parseAwsCron(bad), bad).toThrow();
    }
  });
});

describe("nextRuns", () => {
  it("gives the next runs strictly after the start, every day at 05:00 UTC for the default schedule", () => {
    expect(runs("cron(0 5 ? * * *)", 3)).toEqual(["2025-01-01T05:00:00Z", "2025-01-02T05:00:00Z", "2025-01-03T05:00:00Z"]);
    expect(runs("cron(0 5 ? * * *)", 1, at("2025-01-01T05:00:00Z"))).toEqual(["2025-01-02T05:00:00Z"]);
  });

  it("numbers the days of the week as AWS does, 1 = Sunday to 7 = Saturday", () => {
    for (const [n, name, day] of [["1", "SUN", 0], ["2", "MON", 1], ["4", "WED", 3], ["7", "SAT", 6]] as const) {
      const byNumber = runs(`cron(0 12 ? * ${n} *)`, 3);
      expect(byNumber.map(weekday), n).toEqual([day, day, day]);
      expect(runs(`cron(0 12 ? * ${name} *)`, 3), name).toEqual(byNumber);
    }
    expect(runs("cron(0 12 ? * 2-6 *)", 5).map(weekday)).toEqual([3, 4, 5, 1, 2]);
  });

  it("steps through days of the week from an AWS day number, without renumbering the step", () => {
    // 1/2: Sunday, Tuesday, Thursday, Saturday.
    expect(runs("cron(0 12 ? * 1/2 *)", 4).map(weekday)).toEqual([4, 6, 0, 2]);
    // */3: days 1, 4, 7 = Sunday, Wednesday, Saturday.
    expect(runs("cron(0 12 ? * */3 *)", 3).map(weekday)).toEqual([3, 6, 0]);
  });

  it("accepts minute steps written from a start value, as in AWS's examples (0/15)", () => {
    expect(runs("cron(0/15 * * * ? *)", 3)).toEqual(["2025-01-01T00:15:00Z", "2025-01-01T00:30:00Z", "2025-01-01T00:45:00Z"]);
  });

  it("reads L as the last day of the month, and as the last given weekday of the month", () => {
    expect(runs("cron(0 12 L * ? *)", 3)).toEqual(["2025-01-31T12:00:00Z", "2025-02-28T12:00:00Z", "2025-03-31T12:00:00Z"]);
    // 6L: the last Friday.
    expect(runs("cron(0 12 ? * 6L *)", 3)).toEqual(["2025-01-31T12:00:00Z", "2025-02-28T12:00:00Z", "2025-03-28T12:00:00Z"]);
  });

  it("reads a bare L as day of week as the last day of the week, Saturday", () => {
    expect(runs("cron(0 12 ? * L *)", 2)).toEqual(["2025-01-04T12:00:00Z", "2025-01-11T12:00:00Z"]);
  });

  it("reads W as the weekday nearest to the given day", () => {
    // 15 February 2025 is a Saturday: the nearest weekday is Friday the 14th.
    expect(runs("cron(0 12 15W * ? *)", 2, at("2025-02-01T00:00:00Z"))).toEqual(["2025-02-14T12:00:00Z", "2025-03-14T12:00:00Z"]);
  });

  it("reads # as the nth given weekday of the month, with AWS's day numbers", () => {
    // 3#2: the second Tuesday.
    expect(runs("cron(0 12 ? * 3#2 *)", 3)).toEqual(["2025-01-14T12:00:00Z", "2025-02-11T12:00:00Z", "2025-03-11T12:00:00Z"]);
  });

  it("keeps to the years the Year field allows, whatever its form", () => {
    expect(runs("cron(0 12 1 1 ? 2027)", 3)).toEqual(["2027-01-01T12:00:00Z"]);
    expect(runs("cron(0 12 1 1 ? 2026-2030/2)", 5)).toEqual(["2026-01-01T12:00:00Z", "2028-01-01T12:00:00Z", "2030-01-01T12:00:00Z"]);
    expect(runs("cron(0 12 1 1 ? 2026,2029)", 5)).toEqual(["2026-01-01T12:00:00Z", "2029-01-01T12:00:00Z"]);
    expect(runs("cron(0 12 1 * ? 2024)", 3)).toEqual([]);
  });

  it("finds the first run of a later year when the schedule runs every day", () => {
    expect(runs("cron(0 12 * * ? 2027)", 2)).toEqual(["2027-01-01T12:00:00Z", "2027-01-02T12:00:00Z"]);
    expect(runs("cron(0 * * * ? 2026)", 2)).toEqual(["2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"]);
  });

  it("reads the Year field in the schedule's time zone", () => {
    // 23:00 on 31 December in Los Angeles is already 1 January in UTC.
    expect(runs("cron(0 23 31 12 ? 2026)", 2, NEW_YEAR_2025, "America/Los_Angeles")).toEqual(["2027-01-01T07:00:00Z"]);
    // 01:00 on 1 January in Tokyo is still 31 December in UTC.
    expect(runs("cron(0 1 1 1 ? 2026)", 2, NEW_YEAR_2025, "Asia/Tokyo")).toEqual(["2025-12-31T16:00:00Z"]);
  });

  it("keeps the local time of day across a daylight saving change", () => {
    // New York moves to daylight time on 9 March 2025: 09:00 local is 14:00 UTC before, 13:00 after.
    expect(runs("cron(0 9 * * ? *)", 4, at("2025-03-07T00:00:00Z"), "America/New_York")).toEqual([
      "2025-03-07T14:00:00Z",
      "2025-03-08T14:00:00Z",
      "2025-03-09T13:00:00Z",
      "2025-03-10T13:00:00Z",
    ]);
    // Paris moves back to standard time on 26 October 2025.
    expect(runs("cron(0 12 ? * * *)", 2, at("2025-10-25T00:00:00Z"), "Europe/Paris")).toEqual(["2025-10-25T10:00:00Z", "2025-10-26T11:00:00Z"]);
  });

  it("runs once on the day a local time occurs twice, and just after the gap on the day it does not occur", () => {
    // 02:30 in Paris happens twice on 26 October 2025 and not at all on 30 March 2025.
    expect(runs("cron(30 2 * * ? *)", 3, at("2025-10-25T12:00:00Z"), "Europe/Paris")).toEqual([
      "2025-10-26T00:30:00Z",
      "2025-10-27T01:30:00Z",
      "2025-10-28T01:30:00Z",
    ]);
    expect(runs("cron(30 2 * * ? *)", 3, at("2025-03-29T12:00:00Z"), "Europe/Paris")).toEqual([
      "2025-03-30T01:00:00Z",
      "2025-03-31T00:30:00Z",
      "2025-04-01T00:30:00Z",
    ]);
  });

  it("treats no time zone as UTC", () => {
    expect(nextRuns("cron(0 9 * * ? *)", undefined, NEW_YEAR_2025, 1)).toEqual(nextRuns("cron(0 9 * * ? *)", "Etc/UTC", NEW_YEAR_2025, 1));
  });
});

describe("validateScheduleExpression and validateTimezone", () => {
  it("pass what is valid or absent", () => {
    expect(() => validateScheduleExpression(undefined, "ScheduleExpression")).not.toThrow();
    expect(() => validateScheduleExpression("cron(0 5 ? * * *)", "ScheduleExpression")).not.toThrow();
    expect(() => validateTimezone(undefined, "ScheduleExpressionTimezone")).not.toThrow();
    expect(isValidTimezone("Europe/Paris")).toBe(true);
    expect(isValidTimezone("Etc/UTC")).toBe(true);
  });

  it("refuse what is not, with InvalidParameterValueException naming where and why", () => {
    let err: Error | undefined;
    try {
      validateScheduleExpression("cron(0 5 * * * *)", "BackupPlan.Rules[0].ScheduleExpression");
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe("InvalidParameterValueException");
    expect(err?.message).toContain("BackupPlan.Rules[0].ScheduleExpression");
    expect(err?.message).toContain("cron(0 5 * * * *)");
    expect(() => validateTimezone("Not/A_Zone", "ScheduleExpressionTimezone")).toThrow(/ScheduleExpressionTimezone "Not\/A_Zone"/);
    expect(isValidTimezone("Not/A_Zone")).toBe(false);
  });
});
