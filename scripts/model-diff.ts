/**
 * `npm run model:diff -- --version X` (or `-- --against DIR`): what changed between the
 * committed model and another version of it — operations, members, enums, constraints and
 * HTTP bindings added, removed or changed — so a maintainer sees at once which handlers need
 * work. Exits 1 when anything changed (the scheduled model-update workflow relies on it).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MODEL_DIR, MODEL_FILE, ROOT, readJson, type BotocoreModel, type Shape } from "./model-files.js";

export interface ModelDiff {
  addedOperations: string[];
  removedOperations: string[];
  changes: string[];
}

const describeHttp = (m: BotocoreModel, op: string) => {
  const h = m.operations[op]!.http;
  return `${h.method} ${h.requestUri}${h.responseCode ? ` (${h.responseCode})` : ""}`;
};

function constraints(s: Shape): string {
  return JSON.stringify({ type: s.type, pattern: s.pattern, min: s.min, max: s.max });
}

export function diffModels(before: BotocoreModel, after: BotocoreModel): ModelDiff {
  const ops = (m: BotocoreModel) => new Set(Object.keys(m.operations));
  const a = ops(before);
  const b = ops(after);
  const addedOperations = [...b].filter((o) => !a.has(o)).sort();
  const removedOperations = [...a].filter((o) => !b.has(o)).sort();
  const changes: string[] = [];
  for (const op of [...a].filter((o) => b.has(o)).sort()) {
    if (describeHttp(before, op) !== describeHttp(after, op)) changes.push(`operation ${op}: ${describeHttp(before, op)} → ${describeHttp(after, op)}`);
    const errA = new Set((before.operations[op]!.errors ?? []).map((e) => e.shape));
    const errB = new Set((after.operations[op]!.errors ?? []).map((e) => e.shape));
    for (const e of errB) if (!errA.has(e)) changes.push(`operation ${op}: may now return ${e}`);
    for (const e of errA) if (!errB.has(e)) changes.push(`operation ${op}: no longer returns ${e}`);
  }
  for (const name of Object.keys(after.shapes).sort()) {
    const s2 = after.shapes[name]!;
    const s1 = before.shapes[name];
    if (!s1) {
      changes.push(`shape ${name}: added (${s2.type})`);
      continue;
    }
    if (constraints(s1) !== constraints(s2)) changes.push(`shape ${name}: ${constraints(s1)} → ${constraints(s2)}`);
    const e1 = new Set(s1.enum ?? []);
    const e2 = new Set(s2.enum ?? []);
    for (const v of e2) if (!e1.has(v)) changes.push(`enum ${name}: added ${v}`);
    for (const v of e1) if (!e2.has(v)) changes.push(`enum ${name}: removed ${v}`);
    const m1 = s1.members ?? {};
    const m2 = s2.members ?? {};
    const r1 = new Set(s1.required ?? []);
    const r2 = new Set(s2.required ?? []);
    for (const m of Object.keys(m2)) {
      if (!(m in m1)) changes.push(`member ${name}.${m}: added (${m2[m]!.shape}${r2.has(m) ? ", required" : ""})`);
      else if (m1[m]!.shape !== m2[m]!.shape || m1[m]!.location !== m2[m]!.location || m1[m]!.locationName !== m2[m]!.locationName) {
        changes.push(`member ${name}.${m}: ${JSON.stringify(m1[m])} → ${JSON.stringify(m2[m])}`);
      } else if (r1.has(m) !== r2.has(m)) changes.push(`member ${name}.${m}: ${r2.has(m) ? "now required" : "no longer required"}`);
    }
    for (const m of Object.keys(m1)) if (!(m in m2)) changes.push(`member ${name}.${m}: removed`);
  }
  for (const name of Object.keys(before.shapes)) if (!after.shapes[name]) changes.push(`shape ${name}: removed`);
  return { addedOperations, removedOperations, changes };
}

export function formatDiff(d: ModelDiff): string {
  const lines: string[] = [];
  if (d.addedOperations.length) lines.push(`New operations (they answer 501 until built; list them in src/handlers/index.ts PENDING):`, ...d.addedOperations.map((o) => `  + ${o}`));
  if (d.removedOperations.length) lines.push(`Removed operations:`, ...d.removedOperations.map((o) => `  - ${o}`));
  if (d.changes.length) lines.push(`Changes:`, ...d.changes.map((c) => `  * ${c}`));
  return lines.length ? lines.join("\n") : "The models are the same.";
}

function main(): void {
  const { values } = parseArgs({ options: { version: { type: "string" }, against: { type: "string" } } });
  let dir = values.against;
  let temp: string | undefined;
  if (!dir) {
    if (!values.version) {
      console.error("usage: npm run model:diff -- --version X | --against DIR");
      process.exit(2);
    }
    temp = mkdtempSync(join(tmpdir(), "backup-model-diff-"));
    execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/sync-model.ts"), "--version", values.version, "--out", temp], { stdio: "inherit" });
    dir = temp;
  }
  try {
    const d = diffModels(readJson<BotocoreModel>(join(MODEL_DIR, MODEL_FILE)), readJson<BotocoreModel>(join(dir, MODEL_FILE)));
    console.log(formatDiff(d));
    process.exitCode = d.addedOperations.length || d.removedOperations.length || d.changes.length ? 1 : 0;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) main();
