/**
 * The fuzzing run shared by test/fuzz.test.ts (fixed seed, bounded) and scripts/fuzz.ts (long
 * runs): an emulator in-process with seeded state, then, for every operation and every mutation
 * kind that applies to it, property runs that send the mutated request and check the answer,
 * liveness and the store after each one; then a mixed sequence across all pairs, so mutations
 * also meet the state earlier ones left behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import pino from "pino";
import type { OperationId } from "../../../generated/operations.js";
import { startTestEmulator, type TestEmulator } from "../emulator.js";
import { send, type RawRequest } from "../requests.js";
import { checkResponse, checkStore } from "./checks.js";
import { operationIds } from "./model.js";
import { MUTATION_KINDS, caseArb, type FuzzCase, type MutationKind } from "./mutations.js";
import { planTemplateIds, refreshPools, seed } from "./seed.js";
import { emptyPools, type Pools } from "./values.js";

export interface FuzzStats {
  requests: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  /** 2xx answers by mutation kind: how far cases get past validation into the handlers. */
  successByKind: Record<string, number>;
  operations: Set<OperationId>;
}

export interface FuzzFailure {
  op: OperationId;
  kind: MutationKind;
  detail: string;
  request: string;
  problems: string[];
}

export interface FuzzEnv {
  t: TestEmulator;
  pools: Pools;
  stats: FuzzStats;
  /** Distinct failures (by operation, kind and first problem), when collecting instead of throwing. */
  failures: Map<string, FuzzFailure & { count: number }>;
  /** Error lines the server logged since the last call. */
  loggedErrors(): string[];
  /** Upkeep between cases: refresh the pools, re-seed what the fuzzer destroyed. */
  afterCase(): Promise<void>;
  stop(): Promise<void>;
}

/** Cases between two refreshes of the pools from the store, and between two re-seedings. */
const REFRESH_EVERY = 20;
const RESEED_EVERY = 150;

export async function startFuzzEnv(): Promise<FuzzEnv> {
  const reportsDir = mkdtempSync(join(tmpdir(), "fuzz-reports-"));
  const errors: string[] = [];
  // Errors the server only logs (a request's unexpected error, scheduled work that failed and was dropped) are failures too.
  const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
  const t = await startTestEmulator({ reportsDir, logger });
  const c = t.client();
  await seed(c, t.emu.store, true, (seconds) => t.emu.clock.advance(seconds));
  const pools = emptyPools();
  refreshPools(pools, t.emu.store);
  pools.planTemplates.push(...(await planTemplateIds(c)));
  const seeded = checkStore(t.emu.store);
  if (seeded.length) throw new Error(`the seeded state already breaks invariants:\n${seeded.join("\n")}`);
  let cases = 0;
  return {
    t,
    pools,
    stats: { requests: 0, byKind: {}, byStatus: {}, successByKind: {}, operations: new Set() },
    failures: new Map(),
    loggedErrors: () => errors.splice(0),
    async afterCase() {
      cases++;
      // Mutations delete and lock what they find: bring the seed back now and then, and aim at what exists.
      if (cases % RESEED_EVERY === 0) await seed(c, t.emu.store, false);
      if (cases % REFRESH_EVERY === 0) refreshPools(pools, t.emu.store);
    },
    async stop() {
      await t.stop();
      rmSync(reportsDir, { recursive: true, force: true });
    },
  };
}

/** A request as text for a report: method, target, headers and the start of the body. */
export function describeRequest(r: RawRequest): string {
  const target = r.target.length > 400 ? `${r.target.slice(0, 400)}… (${r.target.length} chars)` : r.target;
  const body = r.body === undefined ? "(no body)" : r.body.length > 600 ? `${Buffer.from(r.body.subarray(0, 600)).toString("utf8")}… (${r.body.length} bytes)` : Buffer.from(r.body).toString("utf8");
  return `${r.method} ${target}\n${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${body}`;
}

function describeCase(c: FuzzCase): string {
  return `${c.op} / ${c.kind}: ${c.detail}\n${describeRequest(c.request)}`;
}

/** Every problem with one case's answer, the liveness of the server and the store afterwards. */
async function problemsOf(env: FuzzEnv, c: FuzzCase): Promise<string[]> {
  const problems: string[] = [];
  let status = "network error";
  try {
    const res = await send(env.t.endpoint, c.request);
    status = String(res.status);
    problems.push(...checkResponse(c, res));
  } catch (err) {
    problems.push(`the request failed: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? "")}`);
  }
  env.stats.requests++;
  env.stats.byKind[c.kind] = (env.stats.byKind[c.kind] ?? 0) + 1;
  env.stats.byStatus[status] = (env.stats.byStatus[status] ?? 0) + 1;
  if (status.startsWith("2")) env.stats.successByKind[c.kind] = (env.stats.successByKind[c.kind] ?? 0) + 1;
  env.stats.operations.add(c.op);
  try {
    const health = await fetch(`${env.t.endpoint}/_emulator/health`);
    await health.arrayBuffer();
    if (health.status !== 200) problems.push(`the emulator's health check answered ${health.status}`);
  } catch (err) {
    problems.push(`the emulator no longer answers: ${(err as Error).message}`);
  }
  problems.push(...checkStore(env.t.emu.store));
  for (const e of env.t.unmodeledErrors()) problems.push(`${e.operation} threw ${e.error}, which its model does not list: ${e.message.slice(0, 300)}`);
  for (const line of env.loggedErrors()) problems.push(`the server logged an error: ${line.slice(0, 600)}`);
  return problems;
}

export type OnFailure = "throw" | "collect";

export async function runCase(env: FuzzEnv, c: FuzzCase, onFailure: OnFailure): Promise<void> {
  const problems = await problemsOf(env, c);
  await env.afterCase();
  if (problems.length === 0) return;
  if (onFailure === "throw") throw new Error(`${problems.join("\n")}\n--- case ---\n${describeCase(c)}`);
  const signature = `${c.op}|${c.kind}|${problems[0]!.replace(/"[^"]*"|\d+/g, "…").slice(0, 120)}`;
  const known = env.failures.get(signature);
  if (known) known.count++;
  else env.failures.set(signature, { op: c.op, kind: c.kind, detail: c.detail, request: describeRequest(c.request), problems, count: 1 });
}

/** Cases print as their operation, mutation and request (a 10 MB body would swamp the report). */
function printable(arb: fc.Arbitrary<FuzzCase>): fc.Arbitrary<FuzzCase> {
  return arb.map((c) => Object.assign(c, { [fc.toStringMethod]: () => describeCase(c) }));
}

export interface Pair {
  op: OperationId;
  kind: MutationKind;
  arb: fc.Arbitrary<FuzzCase>;
}

/** Every (operation, mutation kind) that applies, with its case generator. */
export function applicablePairs(pools: Pools): Pair[] {
  const out: Pair[] = [];
  for (const op of operationIds) {
    for (const kind of MUTATION_KINDS) {
      const arb = caseArb(op, kind, pools);
      if (arb) out.push({ op, kind, arb: printable(arb) });
    }
  }
  return out;
}

/** A seed per pair, so each pair reproduces on its own whatever runs before it. */
export function pairSeed(seed: number, op: string, kind: string): number {
  let h = seed >>> 0;
  for (const ch of `${op}/${kind}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h | 0;
}

export async function runPair(env: FuzzEnv, pair: Pair, opts: { seed: number; runs: number; onFailure: OnFailure }): Promise<void> {
  await fc.assert(
    fc.asyncProperty(pair.arb, (c) => runCase(env, c, opts.onFailure)),
    // Shrinking would replay against state the failing case already changed; the case itself is the report.
    { seed: pairSeed(opts.seed, pair.op, pair.kind), numRuns: opts.runs, endOnFailure: true },
  );
}

/**
 * Cases drawn from every pair in one random sequence, half of them valid requests: those build
 * and change state (a lock here, a deletion there) that later cases, valid or not, then meet.
 */
export async function runMixed(env: FuzzEnv, pairs: readonly Pair[], opts: { seed: number; runs: number; onFailure: OnFailure }): Promise<void> {
  const valid = pairs.filter((p) => p.kind === "valid");
  const pick = (from: readonly Pair[]) => fc.integer({ min: 0, max: from.length - 1 }).chain((i) => from[i]!.arb);
  const arb = fc.oneof(pick(valid), pick(pairs));
  await fc.assert(fc.asyncProperty(arb, (c) => runCase(env, c, opts.onFailure)), { seed: opts.seed, numRuns: opts.runs, endOnFailure: true });
}
