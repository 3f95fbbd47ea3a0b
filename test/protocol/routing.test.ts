/**
 * Paths as clients send them on the wire: both trailing-slash forms, ARN labels percent-encoded
 * per segment, bad encodings and routes that do not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, uniqueName, type TestEmulator } from "../helpers/emulator.js";

const AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=abc";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const res = await fetch(t.endpoint + path, {
    method,
    headers: { authorization: AUTH, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function vaultWithEbsPoint(): Promise<{ vault: string; arn: string }> {
  const vault = uniqueName("vault");
  expect((await send("PUT", `/backup-vaults/${vault}`, {})).status).toBe(200);
  const job = await send("PUT", "/backup-jobs", {
    BackupVaultName: vault,
    ResourceArn: "arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0",
    IamRoleArn: "arn:aws:iam::123456789012:role/backup",
  });
  expect(job.status).toBe(200);
  return { vault, arn: job.json.RecoveryPointArn as string };
}

describe("Trailing slashes", () => {
  it("lists vaults at GET /backup-vaults and GET /backup-vaults/", async () => {
    const vault = uniqueName("vault");
    await send("PUT", `/backup-vaults/${vault}`, {});
    for (const path of ["/backup-vaults", "/backup-vaults/"]) {
      const res = await send("GET", path);
      expect(res.status, path).toBe(200);
      expect((res.json.BackupVaultList as { BackupVaultName: string }[]).map((v) => v.BackupVaultName), path).toContain(vault);
    }
  });

  it("creates plans at PUT /backup/plans and PUT /backup/plans/, and reads them at GET /backup/plans/{id} and /backup/plans/{id}/", async () => {
    const vault = uniqueName("vault");
    await send("PUT", `/backup-vaults/${vault}`, {});
    for (const path of ["/backup/plans", "/backup/plans/"]) {
      const created = await send("PUT", path, { BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: vault }] } });
      expect(created.status, path).toBe(200);
      const id = created.json.BackupPlanId as string;
      for (const get of [`/backup/plans/${id}`, `/backup/plans/${id}/`]) {
        const got = await send("GET", get);
        expect(got.status, get).toBe(200);
        expect(got.json.BackupPlanId, get).toBe(id);
      }
    }
  });
});

describe("Percent-encoded labels", () => {
  it("reads an EBS recovery point whose ARN is encoded with %3A and %2F inside one path segment", async () => {
    const { vault, arn } = await vaultWithEbsPoint();
    expect(arn).toMatch(/^arn:aws:ec2:us-east-1::snapshot\/snap-/);
    const encoded = arn.replace(/:/g, "%3A").replace(/\//g, "%2F");
    const described = await send("GET", `/backup-vaults/${vault}/recovery-points/${encoded}`);
    expect(described.status).toBe(200);
    expect(described.json.RecoveryPointArn).toBe(arn);
    // Lower-case hex digits, as some encoders write them, mean the same.
    const lower = await send("GET", `/backup-vaults/${vault}/recovery-points/${arn.replace(/:/g, "%3a").replace(/\//g, "%2f")}`);
    expect(lower.status).toBe(200);
    const tags = await send("GET", `/tags/${encoded}`);
    expect(tags.status).toBe(200);
    const deleted = await send("DELETE", `/backup-vaults/${vault}/recovery-points/${encoded}`);
    expect(deleted.status).toBe(200);
    expect((await send("GET", `/backup-vaults/${vault}/recovery-points/${encoded}`)).status).toBe(400);
  });

  it("refuses a label that is not valid percent-encoding with 400 InvalidParameterValueException", async () => {
    const res = await send("GET", "/backup-vaults/some-vault/recovery-points/%ZZ");
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidParameterValueException");
    expect(res.json.Message).toContain("%ZZ");
  });
});

describe("Unknown routes", () => {
  it("answers 404 UnknownOperationException naming the method and the path", async () => {
    for (const [method, path] of [
      ["GET", "/no/such/route"],
      ["PATCH", "/backup-vaults/v1"],
      ["GET", "/backup-vaults/v1/recovery-points/a/b/c/d"],
      ["GET", "/_emulator/nothing"],
    ] as const) {
      const res = await send(method, path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("x-amzn-errortype"), path).toBe("UnknownOperationException");
      expect(res.json.Message, path).toContain(method);
      expect(res.json.Message, path).toContain(path);
    }
  });

  it("does not take a POST without the ?delete key of DisassociateBackupVaultMpaApprovalTeam's URI for that operation", async () => {
    // The URI is POST /backup-vaults/{name}/mpaApprovalTeam?delete: without the key no operation matches.
    const res = await send("POST", "/backup-vaults/v1/mpaApprovalTeam", {});
    expect(res.status).toBe(404);
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
  });

  it("routes POST .../mpaApprovalTeam?delete and ?delete= to DisassociateBackupVaultMpaApprovalTeam", async () => {
    for (const q of ["?delete", "?delete="]) {
      const res = await send("POST", `/backup-vaults/no-such-vault-${q.length}/mpaApprovalTeam${q}`, {});
      expect(res.status, q).not.toBe(404);
      expect(res.status, q).toBeLessThan(500);
    }
  });
});
