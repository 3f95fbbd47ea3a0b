/** Request bodies the SDKs never send, and the shape of every error on the wire. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, uniqueName, type TestEmulator } from "../helpers/emulator.js";

const AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=abc";
const ROLE = "arn:aws:iam::123456789012:role/backup";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function send(method: string, path: string, body?: string, endpoint = t.endpoint): Promise<Reply> {
  const res = await fetch(endpoint + path, {
    method,
    headers: { authorization: AUTH, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // left empty: the assertions say what was expected
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The error envelope every failure must have. */
function expectAwsError(r: Reply, name: string, status = 400): void {
  expect(r.status).toBe(status);
  expect(r.headers.get("x-amzn-errortype")).toBe(name);
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  expect(typeof r.json.Message).toBe("string");
  expect(r.json.message).toBe(r.json.Message);
  expect(typeof r.json.Code).toBe("string");
  expect(r.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
}

describe("Request bodies", () => {
  it("refuses a body that is not JSON with 400 SerializationException", async () => {
    const r = await send("PUT", `/backup-vaults/${uniqueName("vault")}`, "{not json");
    expectAwsError(r, "SerializationException");
    expect(r.json.Message).toMatch(/JSON/);
  });

  it("refuses a JSON array body with 400 SerializationException", async () => {
    const r = await send("PUT", "/backup/plans", "[1, 2]");
    expectAwsError(r, "SerializationException");
    expect(r.json.Message).toMatch(/object/);
  });

  it("refuses a JSON scalar body with 400 SerializationException", async () => {
    expectAwsError(await send("PUT", "/backup/plans", '"text"'), "SerializationException");
  });

  it("accepts an empty body where every body member is optional", async () => {
    const name = uniqueName("vault");
    const r = await send("PUT", `/backup-vaults/${name}`, "");
    expect(r.status).toBe(200);
    expect(r.json.BackupVaultName).toBe(name);
  });

  it("names the missing required member with MissingParameterValueException", async () => {
    const r = await send("PUT", "/backup-jobs", JSON.stringify({ BackupVaultName: "v1", ResourceArn: "arn:aws:dynamodb:us-east-1:123456789012:table/t" }));
    expectAwsError(r, "MissingParameterValueException");
    expect(r.json.Message).toContain("IamRoleArn");
    const nested = await send("PUT", "/backup/plans", JSON.stringify({ BackupPlan: { BackupPlanName: "p", Rules: [{ RuleName: "r" }] } }));
    expectAwsError(nested, "MissingParameterValueException");
    expect(nested.json.Message).toContain("BackupPlan.Rules[0].TargetBackupVaultName");
  });

  it("names a member of the wrong type with InvalidParameterValueException", async () => {
    const r = await send("PUT", "/backup/plans", JSON.stringify({ BackupPlan: { BackupPlanName: "p", Rules: "daily" } }));
    expectAwsError(r, "InvalidParameterValueException");
    expect(r.json.Message).toContain("BackupPlan.Rules");
  });

  it("ignores body members the model does not define, at the top and inside structures", async () => {
    const vault = uniqueName("vault");
    expect((await send("PUT", `/backup-vaults/${vault}`, JSON.stringify({ Colour: "blue" }))).status).toBe(200);
    const plan = await send(
      "PUT",
      "/backup/plans",
      JSON.stringify({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: vault, Speed: 11 }], Extra: true }, Unknown: 1 }),
    );
    expect(plan.status).toBe(200);
    const got = await send("GET", `/backup/plans/${String(plan.json.BackupPlanId)}`);
    const rule = (got.json.BackupPlan as { Rules: Record<string, unknown>[] }).Rules[0]!;
    expect(rule.Speed).toBeUndefined();
    expect((got.json.BackupPlan as Record<string, unknown>).Extra).toBeUndefined();
  });

  it("treats JSON null members as absent", async () => {
    const name = uniqueName("vault");
    const r = await send("PUT", `/backup-vaults/${name}`, JSON.stringify({ EncryptionKeyArn: null, BackupVaultTags: null }));
    expect(r.status).toBe(200);
  });

  it("answers 413 with an AWS error body when the body is larger than the configured limit", async () => {
    const small = await startTestEmulator({ bodyLimitBytes: 1024 });
    try {
      const big = JSON.stringify({ BackupVaultTags: { filler: "x".repeat(4096) } });
      const r = await send("PUT", `/backup-vaults/${uniqueName("vault")}`, big, small.endpoint);
      expectAwsError(r, "RequestEntityTooLargeException", 413);
      expect(r.json.Message).toContain("1024");
      // A body under the limit still goes through.
      expect((await send("PUT", `/backup-vaults/${uniqueName("vault")}`, "{}", small.endpoint)).status).toBe(200);
    } finally {
      await small.stop();
    }
  });
});

describe("Error envelope", () => {
  it("sends X-Amzn-ErrorType equal to the error name and a JSON body with Message, message and Code for every kind of error", async () => {
    const vault = uniqueName("vault");
    await send("PUT", `/backup-vaults/${vault}`, "{}");
    const cases: [Promise<Reply>, string, number][] = [
      [send("GET", "/backup-vaults/not-there"), "ResourceNotFoundException", 400],
      [send("PUT", `/backup-vaults/${vault}`, "{}"), "AlreadyExistsException", 400],
      [send("PUT", "/backup-vaults/bad%20name", "{}"), "InvalidParameterValueException", 400],
      [send("PUT", "/backup-jobs", "{}"), "MissingParameterValueException", 400],
      [send("PUT", "/backup/plans", "nope"), "SerializationException", 400],
      [send("GET", "/nowhere"), "UnknownOperationException", 404],
    ];
    for (const [p, name, status] of cases) expectAwsError(await p, name, status);
  });

  it("keeps a service code such as ERROR_9101 in Code while the header names the error", async () => {
    const vault = uniqueName("vault");
    await send("PUT", `/backup-vaults/${vault}`, "{}");
    const job = await send("PUT", "/backup-jobs", JSON.stringify({ BackupVaultName: vault, ResourceArn: "arn:aws:dynamodb:us-east-1:123456789012:table/t", IamRoleArn: ROLE }));
    expect(job.status).toBe(200);
    const r = await send("DELETE", `/backup-vaults/${vault}`);
    expectAwsError(r, "InvalidRequestException");
    expect(r.json.Code).toBe("ERROR_9101");
  });

  it("carries the Arn and CreatorRequestId on AlreadyExistsException", async () => {
    const vault = uniqueName("vault");
    await send("PUT", `/backup-vaults/${vault}`, JSON.stringify({ CreatorRequestId: "first-request" }));
    const r = await send("PUT", `/backup-vaults/${vault}`, JSON.stringify({ CreatorRequestId: "second-request" }));
    expectAwsError(r, "AlreadyExistsException");
    expect(r.json.Arn).toBe(`arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`);
    expect(r.json.CreatorRequestId).toBe("first-request");
  });
});
