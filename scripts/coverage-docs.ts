/**
 * `npm run docs:coverage`: writes the README's coverage table (between `<!-- coverage:start -->`
 * and `<!-- coverage:end -->`) from the handler families in src/handlers/index.ts; operations
 * still pending are marked 501. test/docs.test.ts checks the README matches.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { operationIds } from "../generated/operations.js";
import { handlerFamilies, pendingOperations } from "../src/handlers/index.js";
import { ROOT } from "./model-files.js";

export function coverageTable(): string {
  const pending = new Set<string>(pendingOperations);
  const rows = handlerFamilies.map((f) => {
    const ops = Object.keys(f.handlers)
      .sort()
      .map((op) => (pending.has(op) ? `${op} (501)` : op));
    return `| ${f.name} | ${ops.length} | ${f.simulates} | ${ops.join(", ")} |`;
  });
  const built = operationIds.length - pending.size;
  return [
    `**${built} of ${operationIds.length} operations** of the model answer with full behaviour${pending.size ? `; ${pending.size} answer 501 NotImplemented` : ""}.`,
    "",
    "| Group | Count | What is simulated | Operations |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}

export function withCoverageTable(readme: string): string {
  const start = "<!-- coverage:start -->";
  const end = "<!-- coverage:end -->";
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error("README.md lacks the <!-- coverage:start --> / <!-- coverage:end --> markers");
  return `${readme.slice(0, a + start.length)}\n${coverageTable()}\n${readme.slice(b)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const file = join(ROOT, "README.md");
  writeFileSync(file, withCoverageTable(readFileSync(file, "utf8")));
  console.log("README.md coverage table updated");
}
