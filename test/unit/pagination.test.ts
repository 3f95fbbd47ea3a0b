import { describe, expect, it } from "vitest";
import { decodeToken, DEFAULT_PAGE_SIZE, encodeToken, pageArgs, pageOutput } from "../../src/domain/pagination.js";

describe("NextToken pagination", () => {
  it("round-trips a cursor through an opaque token", () => {
    const cursor = [1700000000.123, "job-1", null];
    const token = encodeToken("ListBackupJobs", cursor);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).not.toContain("job-1");
    expect(decodeToken("ListBackupJobs", token)).toEqual(cursor);
  });

  it("refuses a token made for another list with InvalidParameterValueException naming NextToken", () => {
    const token = encodeToken("ListBackupVaults", [1, "v"]);
    let err: Error | undefined;
    try {
      decodeToken("ListBackupPlans", token);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe("InvalidParameterValueException");
    expect(err?.message).toContain("NextToken");
  });

  it("refuses tokens that are not tokens", () => {
    const forged = Buffer.from(JSON.stringify({ l: "ListTags", c: [{ sql: "1=1" }] })).toString("base64url");
    for (const bad of ["garbage!", "bm90IGpzb24", Buffer.from("[]").toString("base64url"), forged]) {
      expect(() => decodeToken("ListTags", bad), bad).toThrow(/NextToken/);
    }
  });

  it("refuses a token whose cursor was edited, so a cursor the store cannot use never reaches it", () => {
    const token = encodeToken("ListBackupVaults", [1700000000, "vault-1"]);
    const doc = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { c: unknown[] };
    for (const c of [[1700000000], [1700000000, "vault-2"], [1700000000, "vault-1", "extra"]]) {
      const edited = Buffer.from(JSON.stringify({ ...doc, c })).toString("base64url");
      expect(() => decodeToken("ListBackupVaults", edited), JSON.stringify(c)).toThrow(/NextToken/);
    }
  });

  it("treats an absent or empty token as the first page", () => {
    expect(decodeToken("ListTags", undefined)).toBeUndefined();
    expect(decodeToken("ListTags", "")).toBeUndefined();
    expect(pageArgs("ListTags", {})).toEqual({ limit: DEFAULT_PAGE_SIZE, after: undefined });
    expect(pageArgs("ListTags", { MaxResults: 7 })).toEqual({ limit: 7, after: undefined });
  });

  it("returns a token only when another page follows", () => {
    const last = pageOutput("ListBackupVaults", "BackupVaultList", { items: [1, 2] }, (n) => n * 10);
    expect(last).toEqual({ BackupVaultList: [10, 20] });
    expect("NextToken" in last).toBe(false);
    const more = pageOutput("ListBackupVaults", "BackupVaultList", { items: [1], next: [5, "v"] }, (n) => n);
    expect(more.BackupVaultList).toEqual([1]);
    expect(decodeToken("ListBackupVaults", more.NextToken)).toEqual([5, "v"]);
  });
});
