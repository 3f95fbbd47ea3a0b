/**
 * Every operation answers only with the errors the model lists for it, or a common error
 * (docs/architecture.md, "Errors"). The walk drives all 109 operations through the fuzzer's valid
 * and spoiled requests against seeded state, the same requests aimed at resources that do not
 * exist, and a random sequence in which requests meet the states earlier ones left (locked,
 * deleted, busy). The emulator reports each modeled error an operation threw outside its list;
 * the wire answers are checked too.
 */
import fc from "fast-check";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupClient, GetSupportedResourceTypesCommand, ListBackupVaultsCommand } from "@aws-sdk/client-backup";
import { ResourceNotFoundException } from "../generated/errors.js";
import { operations, type OperationId } from "../generated/operations.js";
import { accessDenied } from "../src/domain/common-errors.js";
import { handlers } from "../src/handlers/index.js";
import { errorOf, startTestEmulator } from "./helpers/emulator.js";
import { applicablePairs, startFuzzEnv, type FuzzEnv, type Pair } from "./helpers/fuzz/engine.js";
import { operationIds } from "./helpers/fuzz/model.js";
import { emptyPools } from "./helpers/fuzz/values.js";
import { send, type RawRequest } from "./helpers/requests.js";

const SEED = 20_261_204;
/** Cases per (operation, mutation) pair and in the mixed sequence; MODELED_ERRORS_RUNS and MODELED_ERRORS_MIXED_RUNS walk further. */
const RUNS = Number(process.env.MODELED_ERRORS_RUNS ?? 2);
const MIXED_RUNS = Number(process.env.MODELED_ERRORS_MIXED_RUNS ?? 400);

/**
 * Errors any operation may answer: AWS's common errors and the protocol failures of the edge,
 * and the two validation errors the edge answers when a request breaks the model's constraints
 * before any operation runs (docs/architecture.md, "Errors").
 */
const ANY_OPERATION = new Set([
  "AccessDeniedException",
  "InternalFailure",
  "SerializationException",
  "UnknownOperationException",
  "RequestEntityTooLargeException",
  "UnauthorizedException",
  "MissingAuthenticationTokenException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "InvalidParameterValueException",
  "MissingParameterValueException",
]);

let env: FuzzEnv;
let pairs: Pair[];
let missingPairs: Pair[];
/** Error names seen on the wire, by operation, outside what the operation may answer. */
const strays = new Map<string, Set<string>>();
const seen = new Map<OperationId, Set<string>>();

/** Mutations that may route a request to another operation, whose errors the wire check would then misattribute. */
const REROUTING = new Set(["wrongMethod", "dotSegments"]);

async function drive(c: { op: OperationId; kind: string; request: RawRequest }): Promise<void> {
  let name: string | undefined;
  try {
    name = (await send(env.t.endpoint, c.request)).headers.get("x-amzn-errortype")?.split(":")[0];
  } catch {
    // A body the server refuses mid-stream can reset the connection: no answer to classify (test/fuzz.test.ts checks liveness).
  }
  if (name && !REROUTING.has(c.kind)) {
    if (!seen.has(c.op)) seen.set(c.op, new Set());
    seen.get(c.op)!.add(name);
    if (!ANY_OPERATION.has(name) && !(operations[c.op].errors as readonly string[]).includes(name)) {
      const key = `${c.op} answered ${name}`;
      if (!strays.has(key)) strays.set(key, new Set());
      strays.get(key)!.add(`${c.request.method} ${c.request.target.slice(0, 200)}`);
    }
  }
  await env.afterCase();
}

async function drivePair(pair: Pair, salt: number): Promise<void> {
  for (const c of fc.sample(pair.arb, { numRuns: RUNS, seed: SEED + salt })) await drive(c);
}

/** The unmodeled errors the emulator reported, as lines naming operation, error and message. */
const reported = () => env.t.unmodeledErrors().map((e) => `${e.operation} threw ${e.error}: ${e.message}`);

beforeAll(async () => {
  env = await startFuzzEnv();
  pairs = applicablePairs(env.pools);
  // Pools left empty make every name, id and ARN one that does not exist.
  missingPairs = applicablePairs(emptyPools()).filter((p) => p.kind === "valid" || p.kind === "trailingSlash");
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

describe("Modeled errors of every operation", () => {
  it("walks all 109 operations", () => {
    expect(new Set(pairs.map((p) => p.op)).size).toBe(109);
    expect(new Set(missingPairs.map((p) => p.op)).size).toBe(109);
  });

  it.each(operationIds)("%s refuses valid and spoiled requests only with errors its model lists", async (op) => {
    let salt = 0;
    for (const pair of pairs.filter((p) => p.op === op)) await drivePair(pair, salt++);
    for (const pair of missingPairs.filter((p) => p.op === op)) await drivePair(pair, salt++);
    expect(reported()).toEqual([]);
    expect([...strays.keys()].filter((k) => k.startsWith(`${op} `))).toEqual([]);
  });

  it("refuses only with modeled errors when requests meet the states others left", async () => {
    const valid = pairs.filter((p) => p.kind === "valid");
    const pick = (from: readonly Pair[]) => fc.integer({ min: 0, max: from.length - 1 }).chain((i) => from[i]!.arb);
    for (const c of fc.sample(fc.oneof(pick(valid), pick(valid), pick(pairs), pick(missingPairs)), { numRuns: MIXED_RUNS, seed: SEED })) await drive(c);
    expect(reported()).toEqual([]);
    expect([...strays.entries()].map(([k, targets]) => `${k} (${[...targets][0]})`)).toEqual([]);
  }, 120_000);

  it("reaches the handlers' refusals, not only the edge's", () => {
    const handlerErrors = [...seen.values()].flatMap((names) => [...names]).filter((n) => !ANY_OPERATION.has(n));
    for (const name of ["ResourceNotFoundException", "InvalidRequestException", "InvalidResourceStateException", "AlreadyExistsException"]) {
      expect(handlerErrors, `no operation answered ${name}`).toContain(name);
    }
  });
});

describe("An operation that throws an error its model does not list", () => {
  // GetSupportedResourceTypes lists only ServiceUnavailableException; the handler is swapped for the test's length.
  const original = handlers.GetSupportedResourceTypes;
  afterAll(() => {
    handlers.GetSupportedResourceTypes = original;
  });

  it("answers 500 InternalFailure, logs the operation and the error at error level, and fails the test suite", async () => {
    const lines: string[] = [];
    const t = await startTestEmulator({ logger: pino({ level: "error" }, { write: (line: string) => void lines.push(line) }) });
    handlers.GetSupportedResourceTypes = () => {
      throw new ResourceNotFoundException("Vault v-1 does not exist.");
    };
    try {
      const err = await errorOf(t.client().send(new GetSupportedResourceTypesCommand({})));
      expect(err.name).toBe("InternalFailure");
      expect(err.$metadata?.httpStatusCode).toBe(500);
      expect(err.message).not.toContain("v-1");
      const logged = lines.map((l) => JSON.parse(l) as { level: number; op?: string; error?: string });
      expect(logged).toContainEqual(expect.objectContaining({ level: 50, op: "GetSupportedResourceTypes", error: "ResourceNotFoundException" }));
    } finally {
      handlers.GetSupportedResourceTypes = original;
    }
    await expect(t.stop()).rejects.toThrow("GetSupportedResourceTypes threw ResourceNotFoundException: Vault v-1 does not exist.");
  });

  it("lets a common error through from any operation", async () => {
    const t = await startTestEmulator();
    handlers.GetSupportedResourceTypes = () => {
      throw accessDenied("The caller may not list resource types.");
    };
    try {
      const err = await errorOf(t.client().send(new GetSupportedResourceTypesCommand({})));
      expect(err.name).toBe("AccessDeniedException");
      expect(err.$metadata?.httpStatusCode).toBe(403);
      expect(err.message).toContain("resource types");
    } finally {
      handlers.GetSupportedResourceTypes = original;
    }
    expect(t.unmodeledErrors()).toEqual([]);
    await t.stop();
  });

  it("lets a listed modeled error through unchanged", async () => {
    const t = await startTestEmulator();
    const client: BackupClient = t.client();
    const err = await errorOf(client.send(new ListBackupVaultsCommand({ MaxResults: 5, NextToken: "not-a-token" })));
    expect(operations.ListBackupVaults.errors as readonly string[]).toContain(err.name);
    expect(err.message).toContain("NextToken");
    expect(t.unmodeledErrors()).toEqual([]);
    await t.stop();
  });
});
