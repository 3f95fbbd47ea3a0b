/** The emulator's own routes and its request log. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import pino from "pino";
import { CreateBackupVaultCommand, DescribeBackupVaultCommand, ListBackupVaultsCommand } from "@aws-sdk/client-backup";
import { errorOf, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const l of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
    done();
  },
});

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ logger: pino({ level: "info" }, sink) });
});
afterAll(() => t.stop());

describe("GET /_emulator/health and /_localstack/health", () => {
  it("report the emulator running, with its version, in both shapes", async () => {
    const health = (await (await fetch(`${t.endpoint}/_emulator/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: "running", services: { backup: "running" }, persistence: "memory" });
    expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
    const ls = await fetch(`${t.endpoint}/_localstack/health`);
    expect(ls.status).toBe(200);
    expect(await ls.json()).toMatchObject({ services: { backup: "running" } });
  });
});

describe("GET / and GET /_emulator/", () => {
  it.each(["/", "/_emulator", "/_emulator/"])("send a browser asking for %s to the dashboard", async (path) => {
    const res = await fetch(`${t.endpoint}${path}`, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/_emulator/ui/");
  });

  it.each(["/", "/_emulator/"])("answer other clients of %s with the dashboard, health and OpenAPI routes", async (path) => {
    const res = await fetch(`${t.endpoint}${path}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ dashboard: "/_emulator/ui/", health: "/_emulator/health", openapi: "/_emulator/openapi.json" });
  });

  it("leave other methods on / to the AWS API, which has no operation there", async () => {
    const res = await fetch(`${t.endpoint}/`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-amzn-errortype")).toMatch(/UnknownOperationException/);
  });
});

describe("GET /_emulator/openapi.json", () => {
  it("serves the OpenAPI contract with all 109 operations", async () => {
    const doc = (await (await fetch(`${t.endpoint}/_emulator/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId))).toHaveLength(109);
  });
});

describe("POST /_emulator/reset", () => {
  it("deletes every account's and region's state", async () => {
    const name = uniqueName("vault");
    await t.client().send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    await t.client({ region: "eu-west-1", accountId: "123456789012" }).send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    expect((await fetch(`${t.endpoint}/_emulator/reset`, { method: "POST" })).status).toBe(200);
    expect((await errorOf(t.client().send(new DescribeBackupVaultCommand({ BackupVaultName: name })))).name).toBe("ResourceNotFoundException");
    expect((await t.client({ region: "eu-west-1", accountId: "123456789012" }).send(new ListBackupVaultsCommand({}))).BackupVaultList).toEqual([]);
  });
});

describe("an unknown /_emulator route", () => {
  it("answers 404 in the AWS error shape", async () => {
    const res = await fetch(`${t.endpoint}/_emulator/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
  });
});

describe("the request log", () => {
  it("has one line per request with operation, status, duration, account, region and request id", async () => {
    const c = t.client({ accountId: "111122223333", region: "ap-southeast-2" });
    const out = await c.send(new ListBackupVaultsCommand({}));
    await new Promise((r) => setTimeout(r, 50));
    const line = lines.find((l) => l.requestId === out.$metadata.requestId);
    expect(line).toMatchObject({ msg: "request", op: "ListBackupVaults", status: 200, account: "111122223333", region: "ap-southeast-2" });
    expect(typeof line!.ms).toBe("number");
  });
});
