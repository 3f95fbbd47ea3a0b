import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { csvField, localPathOf, reportKey, toCsv } from "../src/domain/reports.js";
import type { ReportJobRecord } from "../src/store/schema/audit.js";

describe("csvField", () => {
  it("leaves plain text as it is", () => {
    expect(csvField("arn:aws:backup:us-east-1:000000000000:backup-vault:v")).toBe("arn:aws:backup:us-east-1:000000000000:backup-vault:v");
  });

  it("quotes text holding a comma, a quote or a line break and doubles its quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
  });
});

describe("toCsv", () => {
  it("writes a header and one CRLF-terminated line per row, objects as JSON and nulls as empty fields", () => {
    const csv = toCsv({
      columns: ["id", "options", "note", "ok"],
      rows: [
        { id: "1", options: { WindowsVSS: "enabled" }, note: null, ok: true },
        { id: "2", options: {}, note: "a, b", ok: false },
      ],
    });
    expect(csv).toBe('id,options,note,ok\r\n1,"{""WindowsVSS"":""enabled""}",,true\r\n2,{},"a, b",false\r\n');
  });

  it("writes only the header for a report without rows", () => {
    expect(toCsv({ columns: ["a", "b"], rows: [] })).toBe("a,b\r\n");
  });
});

describe("reportKey", () => {
  const job = { ReportJobId: "job-1", ReportPlanName: "daily", ReportTemplate: "BACKUP_JOB_REPORT" } as ReportJobRecord;
  const scope = { accountId: "000000000000", region: "eu-west-1" };
  const at = Date.UTC(2024, 1, 3, 4, 5, 6) / 1000;

  it("follows prefix/Backup/region/year/month/day/report", () => {
    expect(reportKey({ S3BucketName: "b", S3KeyPrefix: "/audit/" }, scope, job, at, "CSV")).toBe("audit/Backup/eu-west-1/2024/02/03/BACKUP_JOB_REPORT_daily_job-1.csv");
  });

  it("has no prefix part when the plan has no prefix", () => {
    expect(reportKey({ S3BucketName: "b" }, scope, job, at, "JSON")).toBe("Backup/eu-west-1/2024/02/03/BACKUP_JOB_REPORT_daily_job-1.json");
  });
});

describe("localPathOf", () => {
  it("maps a key under the bucket's folder", () => {
    expect(localPathOf("/r", "bucket", "a/b/c.csv")).toBe(join("/r", "bucket", "a", "b", "c.csv"));
  });

  it("keeps keys with . and .. segments inside the bucket's folder", () => {
    const path = localPathOf("/r", "bucket", "../../etc/./x.csv");
    expect(path.startsWith(join("/r", "bucket"))).toBe(true);
    expect(path).toBe(join("/r", "bucket", "%2E%2E", "%2E%2E", "etc", "%2E", "x.csv"));
  });
});
