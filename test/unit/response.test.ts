import { describe, expect, it } from "vitest";
import { decodeToken, HAS_JSON_ITEMS, jsonPageOutput, JsonItems } from "../../src/domain/pagination.js";
import { outputBody } from "../../src/protocol/response.js";

describe("outputBody", () => {
  it("writes stored list items into the answer as they are, beside the other members", () => {
    const items = ['{"BackupJobId":"a","State":"COMPLETED"}', '{"BackupJobId":"b","PercentDone":"50.0"}'];
    const out = jsonPageOutput("ListBackupJobs", "BackupJobs", { json: items.join(","), next: [5, "b"] });
    const body = outputBody(out);
    expect(body.startsWith(`{"BackupJobs":[${items.join(",")}]`)).toBe(true);
    const parsed = JSON.parse(body) as { BackupJobs: unknown[]; NextToken: string };
    expect(parsed.BackupJobs).toEqual(items.map((t) => JSON.parse(t)));
    expect(decodeToken("ListBackupJobs", parsed.NextToken)).toEqual([5, "b"]);
  });

  it("gives the same JSON as serialising the parsed items, with or without a next page, and with none at all", () => {
    for (const items of [[], ['{"x":1}'], ['{"x":1}', '{"y":[1,2]}']]) {
      for (const next of [undefined, [1, "k"]]) {
        const out = jsonPageOutput("ListCopyJobs", "CopyJobs", next ? { json: items.join(","), next } : { json: items.join(",") });
        expect(JSON.parse(outputBody(out))).toEqual(JSON.parse(JSON.stringify(out)));
      }
    }
  });

  it("leaves out members that are undefined, as JSON.stringify does", () => {
    expect(JSON.parse(outputBody({ A: new JsonItems('"s",2'), B: undefined, C: 0, [HAS_JSON_ITEMS]: true }))).toEqual({ A: ["s", 2], C: 0 });
  });

  it("serialises outputs without stored items with JSON.stringify, and no output as {}", () => {
    const plain = { BackupVaultName: "v", NumberOfRecoveryPoints: 2, Tags: { a: "b" } };
    expect(outputBody(plain)).toBe(JSON.stringify(plain));
    expect(outputBody(undefined)).toBe("{}");
  });
});
