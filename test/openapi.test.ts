/** model/backup.openapi.json, the contract the edge routes and validates with, is sound. */
import ajvFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OpenAPIBackend } from "openapi-backend";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const read = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), "utf8")) as Record<string, Json>;
const openapi = read("../model/backup.openapi.json");
const model = read("../model/backup-2018-11-15.json") as { operations: Record<string, Json> };

/** Every `pattern` value anywhere in the document, with where it is. */
function patterns(node: Json, where = "#"): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((n, i) => patterns(n, `${where}/${i}`));
  if (node && typeof node === "object") {
    return Object.entries(node).flatMap(([k, v]) => [
      ...(k === "pattern" && typeof v === "string" ? [[where, v] as [string, string]] : []),
      ...patterns(v, `${where}/${k}`),
    ]);
  }
  return [];
}

describe("model/backup.openapi.json", () => {
  it("passes openapi-backend's full validation in strict mode", async () => {
    // With the formats the document uses known to its AJV (as the edge knows them), so that
    // validation compiles every schema without "unknown format" warnings.
    const api = new OpenAPIBackend({ definition: openapi as never, strict: true, quick: false, validate: true, customizeAjv: (ajv) => ajvFormats.default(ajv as never) as never });
    await expect(api.init()).resolves.toBeDefined();
  }, 60_000);

  it("declares one operationId per operation of the model, 109 in all", () => {
    const ids: string[] = [];
    for (const item of Object.values(openapi.paths as Record<string, Record<string, { operationId?: string }>>)) {
      for (const op of Object.values(item)) if (op && typeof op === "object" && op.operationId) ids.push(op.operationId);
    }
    expect(ids).toHaveLength(109);
    expect(new Set(ids).size).toBe(109);
    expect(ids.sort()).toEqual(Object.keys(model.operations).sort());
  });

  it("has only patterns that compile with the unicode flag", () => {
    const found = patterns(openapi);
    expect(found.length).toBeGreaterThan(0);
    const broken: string[] = [];
    for (const [where, p] of found) {
      try {
        new RegExp(p, "u");
      } catch (err) {
        broken.push(`${where}: ${p} (${(err as Error).message})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
