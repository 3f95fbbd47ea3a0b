/** docs/architecture.md is what code comments cite by section: every cited section must exist, and the document must stand alone. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const doc = readFileSync(join(ROOT, "docs", "architecture.md"), "utf8");
const headings = new Set([...doc.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.trim()));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(ROOT, dir, f));
}

describe("docs/architecture.md", () => {
  it("has the sections code comments cite", () => {
    for (const section of ["The flow of one request", "One typed handler per operation", "Errors", "The store", "Time"]) expect(headings).toContain(section);
    const cited = new Set<string>();
    for (const file of [...sources("src"), ...sources("test")]) {
      for (const m of readFileSync(file, "utf8").matchAll(/architecture\.md, "([^"]+)"/g)) cited.add(m[1]!);
    }
    expect(cited.size).toBeGreaterThan(0);
    expect([...cited].filter((s) => !headings.has(s))).toEqual([]);
  });

  it("refers to no document outside the repository", () => {
    expect(doc).not.toMatch(/\/work\/|DESIGN\.md|shared\/|\.\.\/\.\.\//);
  });
});
