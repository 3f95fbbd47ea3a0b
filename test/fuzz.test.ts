/**
 * Property-based fuzzing of every operation (test/helpers/fuzz/): valid requests built from the
 * model, then spoiled one way at a time (missing and mistyped members, nulls, huge and odd
 * strings, deep nesting, numbers and timestamps out of range, bad enums, broken encodings and
 * bodies, unknown members and parameters, wrong content types, methods and credentials, both
 * trailing-slash forms). After each request: a 2xx, or a 4xx with X-Amzn-ErrorType and a message
 * naming the culprit, never a 5xx or internals; the server still answers; the store is consistent.
 *
 * Fixed seed and bounded runs here; FUZZ_SEED and FUZZ_RUNS (runs per operation and mutation)
 * change them, and `npm run fuzz` (scripts/fuzz.ts) runs long and collects every failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_DEPTH } from "../src/protocol/request.js";
import { applicablePairs, runMixed, runPair, startFuzzEnv, type FuzzEnv, type Pair } from "./helpers/fuzz/engine.js";
import { operationIds } from "./helpers/fuzz/model.js";
import { MUTATION_KINDS, deepJson } from "./helpers/fuzz/mutations.js";
import { ROLE_ARN } from "./helpers/fuzz/values.js";
import { authorization, send, toJsonText } from "./helpers/requests.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_128);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const MIXED_RUNS = Number(process.env.FUZZ_MIXED_RUNS ?? 300);

let env: FuzzEnv;
let pairs: Pair[];

beforeAll(async () => {
  env = await startFuzzEnv();
  pairs = applicablePairs(env.pools);
}, 60_000);

afterAll(async () => {
  if (!env) return;
  const s = env.stats;
  console.log(`fuzz: seed ${SEED}, ${pairs.length} (operation, mutation) pairs, ${s.requests} requests; by status ${JSON.stringify(s.byStatus)}`);
  await env.stop();
});

describe("the fuzzer's coverage", () => {
  it("generates a valid request for every operation of the model", () => {
    const valid = new Set(pairs.filter((p) => p.kind === "valid").map((p) => p.op));
    expect(operationIds.filter((op) => !valid.has(op))).toEqual([]);
    expect(operationIds).toHaveLength(109);
  });

  it("applies every mutation kind to some operation, and at least seven kinds to every operation (the seven that need no input members)", () => {
    const kinds = new Set(pairs.map((p) => p.kind));
    expect(MUTATION_KINDS.filter((k) => !kinds.has(k))).toEqual([]);
    const thin = operationIds.filter((op) => pairs.filter((p) => p.op === op).length < 7);
    expect(thin).toEqual([]);
  });
});

describe.each(operationIds)("%s under fuzzing", (op) => {
  it("answers every valid and mutated request with a 2xx or a 4xx naming the problem, and keeps the store consistent", async () => {
    for (const pair of pairs.filter((p) => p.op === op)) await runPair(env, pair, { seed: SEED, runs: RUNS, onFailure: "throw" });
  });
});

describe("a random sequence across all operations", () => {
  it("keeps the same invariants while valid and mutated requests meet each other's state", async () => {
    await runMixed(env, pairs, { seed: SEED, runs: MIXED_RUNS, onFailure: "throw" });
  }, 120_000);
});

describe("failures the fuzzer found, kept as regressions", () => {
  // State of its own: the fuzzing above may have deleted the continuous backup these need.
  let own: FuzzEnv;
  beforeAll(async () => {
    own = await startFuzzEnv();
  }, 60_000);
  afterAll(async () => {
    await own?.stop();
  });

  it("refuses a body nested 100000 levels deep with SerializationException instead of exhausting the stack", async () => {
    const body = toJsonText({ Tags: { k: deepJson(100_000, "object") } });
    const res = await send(own.t.endpoint, {
      method: "POST",
      target: "/tags/arn%3Aaws%3Abackup%3Aus-east-1%3A000000000000%3Abackup-vault%3Afuzz-vault-a",
      headers: { "content-type": "application/json", authorization: authorization() },
      body: Buffer.from(body),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("SerializationException");
    expect((JSON.parse(res.text) as { message: string }).message).toContain(`more than ${MAX_BODY_DEPTH} levels deep`);
  });

  it("refuses a vault lock whose MinRetentionDays lies beyond the longest retention, so no deadline leaves the range of dates", async () => {
    const res = await send(own.t.endpoint, {
      method: "PUT",
      target: "/backup-vaults/fuzz-vault-a/vault-lock",
      headers: { "content-type": "application/json", authorization: authorization() },
      body: Buffer.from(JSON.stringify({ MinRetentionDays: 1e15 })),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidParameterValueException");
    expect((JSON.parse(res.text) as { message: string }).message).toContain("MinRetentionDays must be at most 36500");
  });

  it("names a scan end time beyond the range of dates in its refusal instead of failing to format it", async () => {
    const point = own.pools.pointPairs.find(([, arn]) => arn.includes(":recovery-point:continuous:"));
    expect(point).toBeDefined();
    const [vault, arn] = point!;
    const results = await send(own.t.endpoint, {
      method: "GET",
      target: `/scan/pitr-malware-scan-results?BackupVaultName=${vault}&RecoveryPointArn=${encodeURIComponent(arn)}&MalwareScanner=GUARDDUTY&ScanEndTime=99999999999999999999`,
      headers: { authorization: authorization() },
      body: undefined,
    });
    expect(results.status).toBe(400);
    expect((JSON.parse(results.text) as { message: string }).message).toContain("100000000000000000000 (epoch seconds)");

    const scan = await send(own.t.endpoint, {
      method: "PUT",
      target: "/scan/job",
      headers: { "content-type": "application/json", authorization: authorization() },
      body: Buffer.from(
        JSON.stringify({ BackupVaultName: vault, RecoveryPointArn: arn, MalwareScanner: "GUARDDUTY", ScanMode: "FULL_SCAN", IamRoleArn: ROLE_ARN, ScannerRoleArn: ROLE_ARN, ContinuousScanEndTime: 1e20 }),
      ),
    });
    expect(scan.status).toBe(400);
    expect(scan.headers.get("x-amzn-errortype")).toBe("InvalidParameterValueException");
    expect((JSON.parse(scan.text) as { message: string }).message).toContain("ContinuousScanEndTime 100000000000000000000 (epoch seconds) is outside");
  });

  // Node's HTTP parser refuses a request line or headers over 16 KiB before the application sees
  // it; the server's "clientError" handler (src/emulator.ts) still answers in the AWS shape.
  it("answers a 10 MB path with a 4xx that names its error in X-Amzn-ErrorType", async () => {
    const res = await send(own.t.endpoint, { method: "GET", target: `/backup-vaults/${"a".repeat(10 * 1024 * 1024)}`, headers: { authorization: authorization() }, body: undefined });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("x-amzn-errortype")).toBe("RequestHeaderFieldsTooLargeException");
  });
});
