import { describe, expect, it } from "vitest";
import { uuid } from "../../src/domain/ids.js";

describe("uuid", () => {
  it("gives lowercase RFC 9562 version 7 UUIDs, each different", () => {
    const ids = Array.from({ length: 1000 }, () => uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("begins with the time in milliseconds, so ids made later sort after earlier ones", async () => {
    const before = Date.now();
    const first = uuid();
    const after = Date.now();
    const ms = parseInt(first.slice(0, 8) + first.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    await new Promise((r) => setTimeout(r, 5));
    expect(uuid() > first).toBe(true);
  });
});
