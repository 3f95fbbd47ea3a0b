import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

const table = "arn:aws:dynamodb:us-east-1:000000000000:table/orders";
const list = async (query = "") => ((await (await fetch(`${t.endpoint}/_emulator/resources${query}`)).json()) as { resources: { ResourceArn: string; ResourceType: string; Tags: Record<string, string> }[] }).resources;

describe("PUT /_emulator/resources", () => {
  it("adds a resource with its tags to the inventory of its account and region, and replaces it on a second PUT", async () => {
    const res = await fetch(`${t.endpoint}/_emulator/resources`, { method: "PUT", body: JSON.stringify({ ResourceArn: table, Tags: { backup: "daily" } }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ResourceArn: table, ResourceType: "DynamoDB", AccountId: "000000000000", Region: "us-east-1" });
    await fetch(`${t.endpoint}/_emulator/resources`, { method: "PUT", body: JSON.stringify({ ResourceArn: table, Tags: { backup: "weekly" } }) });
    expect(await list()).toEqual([{ ResourceArn: table, ResourceType: "DynamoDB", Tags: { backup: "weekly" } }]);
    expect(await list("?accountId=111122223333")).toEqual([]);
  });

  it("places a bucket (whose ARN names no account or region) where the body says", async () => {
    const bucket = "arn:aws:s3:::reports";
    await fetch(`${t.endpoint}/_emulator/resources`, { method: "PUT", body: JSON.stringify({ ResourceArn: bucket, AccountId: "111122223333", Region: "eu-west-1" }) });
    expect((await list("?accountId=111122223333&region=eu-west-1")).map((r) => r.ResourceArn)).toEqual([bucket]);
  });

  it.each([
    ["without a ResourceArn", { Tags: {} }, /ResourceArn/],
    ["with an unsupported resource type", { ResourceArn: "arn:aws:lambda:us-east-1:000000000000:function:f" }, /not the ARN of a resource type/],
    ["with tags that are not strings", { ResourceArn: table, Tags: { a: 1 } }, /Tags/],
    ["with a reserved tag key", { ResourceArn: table, Tags: { "aws:x": "y" } }, /aws:/],
  ])("refuses a resource %s with 400 and a message", async (_what, body, message) => {
    const res = await fetch(`${t.endpoint}/_emulator/resources`, { method: "PUT", body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });
});

describe("DELETE /_emulator/resources", () => {
  it("removes a resource from the inventory", async () => {
    const arn = "arn:aws:elasticfilesystem:us-east-1:000000000000:file-system/fs-9";
    await fetch(`${t.endpoint}/_emulator/resources`, { method: "PUT", body: JSON.stringify({ ResourceArn: arn }) });
    const res = await fetch(`${t.endpoint}/_emulator/resources?arn=${encodeURIComponent(arn)}`, { method: "DELETE" });
    expect(await res.json()).toEqual({ deleted: true });
    expect((await list()).map((r) => r.ResourceArn)).not.toContain(arn);
    expect((await fetch(`${t.endpoint}/_emulator/resources`, { method: "DELETE" })).status).toBe(400);
  });
});
