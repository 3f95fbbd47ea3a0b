/**
 * Long fuzzing run (`npm run fuzz`): the generator and invariants of test/fuzz.test.ts, with
 * FUZZ_RUNS runs per (operation, mutation kind) and as many mixed runs again per pair count,
 * from FUZZ_SEED. It keeps going after a failure and prints each distinct failure once, with a
 * request that reproduces it; the exit code is 1 when there was any.
 *
 *   FUZZ_RUNS=20 FUZZ_SEED=7 npm run fuzz
 */
import { applicablePairs, runMixed, runPair, startFuzzEnv } from "../test/helpers/fuzz/engine.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

const runs = intFromEnv("FUZZ_RUNS", 10);
const seed = intFromEnv("FUZZ_SEED", Date.now() % 2 ** 31);
const mixed = intFromEnv("FUZZ_MIXED_RUNS", 0);

const started = Date.now();
const env = await startFuzzEnv();
try {
  const pairs = applicablePairs(env.pools);
  const ops = new Set(pairs.map((p) => p.op)).size;
  console.log(`fuzz: seed ${seed}, ${runs} run(s) for each of ${pairs.length} (operation, mutation) pairs over ${ops} operations`);
  let done = 0;
  for (const pair of pairs) {
    await runPair(env, pair, { seed, runs, onFailure: "collect" });
    if (++done % 200 === 0) console.log(`  ${done}/${pairs.length} pairs, ${env.stats.requests} requests, ${env.failures.size} distinct failure(s)`);
  }
  const mixedRuns = mixed || runs * pairs.length;
  console.log(`fuzz: ${mixedRuns} mixed runs`);
  await runMixed(env, pairs, { seed, runs: mixedRuns, onFailure: "collect" });

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\nfuzz: ${env.stats.requests} requests in ${seconds} s over ${env.stats.operations.size} operations (seed ${seed})`);
  console.log(`  by status: ${Object.entries(env.stats.byStatus).sort().map(([s, n]) => `${s}×${n}`).join(" ")}`);
  console.log(`  by kind (2xx/all): ${Object.entries(env.stats.byKind).map(([k, n]) => `${k} ${env.stats.successByKind[k] ?? 0}/${n}`).join(", ")}`);
  for (const f of env.failures.values()) {
    console.log(`\nFAILURE ${f.op} / ${f.kind} (seen ${f.count}×): ${f.detail}\n  ${f.problems.join("\n  ")}\n${f.request.replace(/^/gm, "    ")}`);
  }
  console.log(env.failures.size ? `\nfuzz: ${env.failures.size} distinct failure(s)` : "\nfuzz: no failures");
  process.exitCode = env.failures.size ? 1 : 0;
} finally {
  await env.stop();
}
