/** What travels on the wire: request ids, number timestamps, query values and the caller's scope. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, uniqueName, type TestEmulator } from "../helpers/emulator.js";

const authFor = (accessKey: string, region: string) =>
  `AWS4-HMAC-SHA256 Credential=${accessKey}/20261128/${region}/backup/aws4_request, SignedHeaders=host, Signature=abc`;
const AUTH = authFor("AKIDEXAMPLE", "us-east-1");
const ROLE = "arn:aws:iam::123456789012:role/backup";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

async function send(method: string, path: string, body?: unknown, authorization: string | null = AUTH): Promise<Reply> {
  const res = await fetch(t.endpoint + path, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function newVault(): Promise<string> {
  const name = uniqueName("vault");
  expect((await send("PUT", `/backup-vaults/${name}`, {})).status).toBe(200);
  return name;
}

describe("x-amzn-RequestId", () => {
  it("is on every response: success, modeled error, protocol error and the emulator's health route", async () => {
    const replies = [
      await send("GET", "/backup-vaults"),
      await send("GET", "/backup-vaults/missing-vault"),
      await send("GET", "/not/a/route"),
      await send("GET", "/_emulator/health"),
    ];
    const ids = replies.map((r) => r.headers.get("x-amzn-requestid"));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(replies.map((r) => r.status)).toEqual([200, 400, 404, 200]);
  });
});

describe("Timestamps in bodies", () => {
  it("are JSON numbers of epoch seconds", async () => {
    const vault = await newVault();
    const d = await send("GET", `/backup-vaults/${vault}`);
    expect(typeof d.json.CreationDate).toBe("number");
    expect(Math.abs((d.json.CreationDate as number) - Date.now() / 1000)).toBeLessThan(10);
    const job = await send("PUT", "/backup-jobs", { BackupVaultName: vault, ResourceArn: "arn:aws:dynamodb:us-east-1:123456789012:table/t", IamRoleArn: ROLE });
    expect(typeof job.json.CreationDate).toBe("number");
    const described = await send("GET", `/backup-jobs/${String(job.json.BackupJobId)}`);
    for (const member of ["CreationDate", "CompletionDate", "StartBy", "ExpectedCompletionDate"]) expect(typeof described.json[member], member).toBe("number");
  });
});

describe("Query values", () => {
  it("accepts timestamps in the JS form, botocore's six-digit form and without fractions", async () => {
    const vault = await newVault();
    const job = await send("PUT", "/backup-jobs", { BackupVaultName: vault, ResourceArn: "arn:aws:dynamodb:us-east-1:123456789012:table/t", IamRoleArn: ROLE });
    const created = (job.json.CreationDate as number) * 1000;
    const before = new Date(created - 60_000).toISOString(); // e.g. 2026-01-02T03:04:05.678Z
    const after = new Date(created + 60_000).toISOString();
    const six = (iso: string) => iso.replace(/\.(\d{3})Z$/, ".$1000Z");
    const whole = (iso: string) => iso.replace(/\.\d{3}Z$/, "Z");
    for (const form of [(s: string) => s, six, whole]) {
      const hit = await send("GET", `/backup-jobs/?backupVaultName=${vault}&createdAfter=${encodeURIComponent(form(before))}`);
      expect(hit.status, form(before)).toBe(200);
      expect((hit.json.BackupJobs as unknown[]).length, form(before)).toBe(1);
      const miss = await send("GET", `/backup-jobs/?backupVaultName=${vault}&createdAfter=${encodeURIComponent(form(after))}`);
      expect(miss.status, form(after)).toBe(200);
      expect(miss.json.BackupJobs, form(after)).toEqual([]);
    }
    expect(six("2024-01-02T03:04:05.678Z")).toBe("2024-01-02T03:04:05.678000Z");
  });

  it("refuses a timestamp that is not one with 400 InvalidParameterValueException naming the parameter", async () => {
    for (const junk of ["yesterday", "2024-13-45T03:04:05Z", "2024-01-02", "2024-01-02T25:00:00Z"]) {
      const r = await send("GET", `/backup-jobs?createdBefore=${encodeURIComponent(junk)}`);
      expect(r.status, junk).toBe(400);
      expect(r.headers.get("x-amzn-errortype"), junk).toBe("InvalidParameterValueException");
      expect(r.json.Message, junk).toContain("createdBefore");
    }
  });

  it("refuses maxResults that is not an integer from 1 to 1000 with InvalidParameterValueException", async () => {
    for (const bad of ["abc", "0", "1001", "-5", "2.5"]) {
      const r = await send("GET", `/backup-vaults?maxResults=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.headers.get("x-amzn-errortype"), bad).toBe("InvalidParameterValueException");
      expect(r.json.Message, bad).toMatch(/maxResults|MaxResults/);
    }
    expect((await send("GET", "/backup-vaults?maxResults=1000")).status).toBe(200);
    expect((await send("GET", "/backup-vaults?maxResults=1")).status).toBe(200);
  });

  it("reads query names case-sensitively, per operation", async () => {
    // ListBackupJobSummaries takes MaxResults; ListBackupVaults takes maxResults.
    expect((await send("GET", "/audit/backup-job-summaries?MaxResults=0")).status).toBe(400);
    expect((await send("GET", "/audit/backup-job-summaries?maxResults=0")).status).toBe(200);
    expect((await send("GET", "/backup-vaults?MaxResults=0")).status).toBe(200);
  });

  it("refuses an edited NextToken with 400 InvalidParameterValueException rather than failing inside", async () => {
    await newVault();
    await newVault();
    const first = await send("GET", "/backup-vaults?maxResults=1");
    const token = first.json.NextToken as string;
    expect(token).toBeTruthy();
    const doc = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { c: unknown[] };
    const edited = Buffer.from(JSON.stringify({ ...doc, c: doc.c.slice(0, 1) })).toString("base64url");
    const r = await send("GET", `/backup-vaults?maxResults=1&nextToken=${edited}`);
    expect(r.status).toBe(400);
    expect(r.headers.get("x-amzn-errortype")).toBe("InvalidParameterValueException");
    expect(r.json.Message).toContain("NextToken");
    expect((await send("GET", `/backup-vaults?maxResults=1&nextToken=${token}`)).status).toBe(200);
  });

  it("refuses a boolean that is not true or false", async () => {
    const r = await send("GET", "/backup/plans?includeDeleted=yes");
    expect(r.status).toBe(400);
    expect(r.headers.get("x-amzn-errortype")).toBe("InvalidParameterValueException");
    expect(r.json.Message).toContain("includeDeleted");
  });
});

describe("Account and region", () => {
  it("come from the Authorization header's credential scope, a 12-digit access key naming the account", async () => {
    const name = uniqueName("vault");
    const r = await send("PUT", `/backup-vaults/${name}`, {}, authFor("123456789012", "eu-west-3"));
    expect(r.json.BackupVaultArn).toBe(`arn:aws:backup:eu-west-3:123456789012:backup-vault:${name}`);
    // The same account and region see it; others do not.
    expect((await send("GET", `/backup-vaults/${name}`, undefined, authFor("123456789012", "eu-west-3"))).status).toBe(200);
    expect((await send("GET", `/backup-vaults/${name}`, undefined, authFor("123456789012", "us-east-1"))).status).toBe(400);
    expect((await send("GET", `/backup-vaults/${name}`, undefined, authFor("210987654321", "eu-west-3"))).status).toBe(400);
  });

  it("use the default account for an access key that is not 12 digits", async () => {
    const name = uniqueName("vault");
    const r = await send("PUT", `/backup-vaults/${name}`, {}, authFor("AKIAIOSFODNN7EXAMPLE", "ap-northeast-1"));
    expect(r.json.BackupVaultArn).toBe(`arn:aws:backup:ap-northeast-1:000000000000:backup-vault:${name}`);
  });

  it("default to 000000000000 and us-east-1 without an Authorization header", async () => {
    const name = uniqueName("vault");
    const r = await send("PUT", `/backup-vaults/${name}`, {}, null);
    expect(r.status).toBe(200);
    expect(r.json.BackupVaultArn).toBe(`arn:aws:backup:us-east-1:000000000000:backup-vault:${name}`);
    expect((await send("GET", `/backup-vaults/${name}`)).status).toBe(200);
  });
});
