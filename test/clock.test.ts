import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBackupVaultCommand, DescribeBackupJobCommand, StartBackupJobCommand } from "@aws-sdk/client-backup";
import { resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { advance } from "./helpers/clock.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ clockStart: "2030-01-01T00:00:00Z", jobCompletionDelaySeconds: 60 });
});
afterAll(() => t.stop());

const post = (body: unknown) => fetch(`${t.endpoint}/_emulator/clock`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

describe("GET /_emulator/clock", () => {
  it("reports the emulated time and its offset from real time, starting at CLOCK_START", async () => {
    const c = (await (await fetch(`${t.endpoint}/_emulator/clock`)).json()) as { now: number; offsetSeconds: number };
    expect(c.now).toBeGreaterThanOrEqual(Date.parse("2030-01-01T00:00:00Z") / 1000);
    expect(c.now).toBeLessThan(Date.parse("2030-01-01T00:10:00Z") / 1000);
    expect(Math.abs(c.now - (Date.now() / 1000 + c.offsetSeconds))).toBeLessThan(2);
  });
});

describe("POST /_emulator/clock", () => {
  it("moves forward by advanceSeconds and to an ISO time, and the API's timestamps follow", async () => {
    const before = (await (await fetch(`${t.endpoint}/_emulator/clock`)).json()) as { now: number };
    const after = await advance(t.endpoint, 3600);
    expect(after.now - before.now).toBeGreaterThanOrEqual(3600);
    expect(after.now - before.now).toBeLessThan(3605);
    const target = "2030-02-01T00:00:00Z";
    const res = await post({ to: target });
    expect(res.status).toBe(200);
    const vault = uniqueName("vault");
    const created = await t.client().send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    expect(created.CreationDate!.getTime()).toBeGreaterThanOrEqual(Date.parse(target));
    expect(created.CreationDate!.getTime()).toBeLessThan(Date.parse(target) + 60_000);
  });

  it("returns only after the work that fell due has run", async () => {
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.efs(), IamRoleArn: ROLE_ARN }));
    expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("CREATED");
    const moved = await advance(t.endpoint, 61);
    expect(moved.workPerformed).toBeGreaterThanOrEqual(2);
    const done = await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }));
    expect(done.State).toBe("COMPLETED");
    // It completed at its due time (creation + 60 s), not at the moment of the jump.
    expect(done.CompletionDate!.getTime() - done.CreationDate!.getTime()).toBe(60_000);
  });

  it.each([
    ["backwards with advanceSeconds", { advanceSeconds: -5 }, /only moves forward/],
    ["backwards with to", { to: "2020-01-01T00:00:00Z" }, /only moves forward/],
    ["with both fields", { advanceSeconds: 1, to: "2031-01-01T00:00:00Z" }, /exactly one/],
    ["with neither field", {}, /exactly one/],
    ["with a time that is not one", { to: "next tuesday" }, /ISO-8601/],
    ["with a body that is not JSON", "{", /JSON/],
  ])("refuses to move %s, with 400 and a message saying why", async (_what, body, message) => {
    const before = (await (await fetch(`${t.endpoint}/_emulator/clock`)).json()) as { offsetSeconds: number };
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    const after = (await (await fetch(`${t.endpoint}/_emulator/clock`)).json()) as { offsetSeconds: number };
    expect(after.offsetSeconds).toBe(before.offsetSeconds);
  });
});
