/** Every operation of the model has a route, and none of them answers 404 or 500 to a bare request. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations, type OperationId } from "../../generated/operations.js";
import { pendingOperations } from "../../src/handlers/index.js";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

const AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/backup/aws4_request, SignedHeaders=host, Signature=abc";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

describe("Routing of every operation", () => {
  it("answers each of the model's 109 operations, filled with dummy labels and an empty body, with neither 404 nor 500", async () => {
    const ops = Object.keys(operations) as OperationId[];
    expect(ops).toHaveLength(109);
    const failures: string[] = [];
    for (const op of ops) {
      const spec = operations[op];
      const path = spec.path.replace(/\{[^}]+\}/g, "dummy-label-1");
      const query = spec.staticQuery.length ? `?${spec.staticQuery.join("&")}` : "";
      const res = await fetch(`${t.endpoint}${path}${query}`, {
        method: spec.method,
        headers: { authorization: AUTH, ...(spec.body.length ? { "content-type": "application/json" } : {}) },
        ...(spec.body.length ? { body: "{}" } : {}),
      });
      const text = await res.text();
      const type = res.headers.get("x-amzn-errortype");
      if (res.status === 404 || (res.status >= 500 && res.status !== 501)) failures.push(`${op}: ${res.status} ${type} ${text.slice(0, 200)}`);
      if (res.status === 501) {
        if (type !== "NotImplemented" || !text.includes(op) || !pendingOperations.includes(op)) failures.push(`${op}: 501 without naming itself as pending: ${text}`);
      } else if (pendingOperations.includes(op)) {
        failures.push(`${op} is listed as pending but answered ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
