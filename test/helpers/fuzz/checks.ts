/**
 * The invariants every answer and the state must keep, whatever was sent:
 *  - an answer is a 2xx, or a 4xx naming its error in X-Amzn-ErrorType with a JSON body whose
 *    message says what was wrong; never a 5xx, never a stack trace or a file of the server;
 *  - the store stays consistent: vault counts match their recovery points, no recovery point
 *    outlives its vault, no job is in a state its own fields contradict.
 */
import { copyJobsDef } from "../../../src/store/schema/copy.js";
import { restoreJobsDef } from "../../../src/store/schema/restore.js";
import { scanJobsDef } from "../../../src/store/schema/tiering-scans.js";
import type { Store } from "../../../src/store/store.js";
import type { RawResponse } from "../requests.js";
import { mapValueSchema, resolve, schemas, specOf, type JsonSchema } from "./model.js";
import type { FuzzCase } from "./mutations.js";

const CWD = process.cwd();
/** Signs that internals reached the wire: a stack frame, a source file, the server's folders. */
const LEAKS: readonly RegExp[] = [/\n\s+at\s/, /\bat [\w.<>]+ \(/, /\.(ts|js|mjs|cjs):\d+/, /node_modules/, /file:\/\//, new RegExp(CWD.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))];

export function checkResponse(c: FuzzCase, res: RawResponse): string[] {
  const problems: string[] = [];
  const type = res.headers.get("x-amzn-errortype");
  if (res.status >= 500) problems.push(`answered ${res.status} ${type ?? ""}: ${res.text.slice(0, 300)}`);
  else if (res.status < 200 || (res.status >= 300 && res.status < 400)) problems.push(`answered with status ${res.status}`);
  for (const leak of LEAKS) if (leak.test(res.text)) problems.push(`the body shows internals (${leak}): ${res.text.slice(0, 300)}`);

  if (res.status >= 400 && res.status < 500) {
    if (!type) problems.push(`a ${res.status} without X-Amzn-ErrorType`);
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      problems.push(`a ${res.status} whose body is not JSON: ${JSON.stringify(res.text.slice(0, 200))}`);
    }
    const message = body !== null && typeof body === "object" ? (body as Record<string, unknown>).message : undefined;
    if (typeof message !== "string" || message.trim() === "") problems.push(`a ${res.status} without a message: ${res.text.slice(0, 200)}`);
    else if (c.expect.names && c.expect.reject && !c.expect.names.some((n) => message.toLowerCase().includes(n.toLowerCase()))) {
      problems.push(`the message does not name ${c.expect.names.join(" or ")}: ${type}: ${message}`);
    }
    if (c.expect.routes && type === "UnknownOperationException") problems.push(`the request reached no operation: ${message}`);
  }
  if (c.expect.reject && res.status < 400) problems.push(`accepted (${res.status}) a request the model forbids`);
  if (c.expect.status !== undefined && res.status !== c.expect.status) problems.push(`answered ${res.status}, expected ${c.expect.status} (${type}: ${res.text.slice(0, 200)})`);
  if (res.status >= 200 && res.status < 300) {
    if (res.status === 204 && res.text !== "") problems.push("a 204 with a body");
    if (res.status !== 204 && res.text !== "") {
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        problems.push(`a ${res.status} whose body is not JSON: ${JSON.stringify(res.text.slice(0, 200))}`);
      }
      const output = specOf(c.op).output;
      const schema = output === null ? undefined : schemas[output];
      if (body !== undefined && schema) problems.push(...typeProblems(schema, body, output!).slice(0, 5));
    }
  }
  return problems;
}

/**
 * Members of an answer whose JSON type differs from the model's output shape: a timestamp sent
 * as a string, a NaN that became null, an object where a list belongs. (Unknown members and enum
 * values are tolerated by clients, so they are not checked.)
 */
function typeProblems(schemaIn: JsonSchema, value: unknown, path: string): string[] {
  const s = resolve(schemaIn);
  const got = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  const want = s.type === "integer" ? "number" : s.type;
  if (want === undefined) return [];
  if (got !== want) return [`the answer's ${path} is ${got === "string" ? JSON.stringify(value).slice(0, 60) : got}, the model says ${s.type}`];
  if (s.type === "integer" && !Number.isInteger(value)) return [`the answer's ${path} is ${String(value)}, the model says integer`];
  if (Array.isArray(value)) return value.flatMap((v, i) => typeProblems(s.items ?? {}, v, `${path}[${i}]`));
  if (s.type === "object" && value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const mapValue = mapValueSchema(s);
    return Object.entries(obj).flatMap(([k, v]) => {
      const member = mapValue ?? s.properties?.[k];
      return member ? typeProblems(member, v, `${path}.${k}`) : [];
    });
  }
  return [];
}

const FINAL_BACKUP = new Set(["COMPLETED", "ABORTED", "FAILED", "EXPIRED", "PARTIAL"]);
const OPEN_BACKUP = new Set(["CREATED", "PENDING", "RUNNING", "ABORTING"]);

const key = (s: { accountId: string; region: string }, name: string) => `${s.accountId}/${s.region}/${name}`;

/** Every violated state invariant, read straight from the store. */
export function checkStore(store: Store): string[] {
  const problems: string[] = [];
  const vaults = new Map(store.vaults.find({}).map((r) => [key(r.scope, r.doc.BackupVaultName), r.doc]));
  const points = store.recoveryPoints.find({});
  const pointArns = new Set(points.map((p) => p.doc.RecoveryPointArn));
  const counts = new Map<string, number>();
  for (const { scope, doc } of points) {
    const k = key(scope, doc.BackupVaultName);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    const vault = vaults.get(k);
    if (!vault) problems.push(`recovery point ${doc.RecoveryPointArn} is in vault ${k}, which does not exist`);
    else if (vault.BackupVaultArn !== doc.BackupVaultArn) problems.push(`recovery point ${doc.RecoveryPointArn} names vault ARN ${doc.BackupVaultArn}, its vault is ${vault.BackupVaultArn}`);
  }
  for (const [k, v] of vaults) {
    const n = counts.get(k) ?? 0;
    if (v.NumberOfRecoveryPoints !== n) problems.push(`vault ${k} says NumberOfRecoveryPoints=${v.NumberOfRecoveryPoints} but holds ${n}`);
  }

  for (const { scope, doc: j } of store.backupJobs.find({})) {
    const id = `backup job ${key(scope, j.BackupJobId)} (${j.State})`;
    if (FINAL_BACKUP.has(j.State) && typeof j.CompletionDate !== "number") problems.push(`${id} has no CompletionDate`);
    if (OPEN_BACKUP.has(j.State) && j.CompletionDate !== undefined) problems.push(`${id} has a CompletionDate`);
    if (typeof j.CompletionDate === "number" && j.CompletionDate < j.CreationDate) problems.push(`${id} completed before it was created`);
    if ((j.State === "ABORTED" || j.State === "FAILED") && !j.Continuous && j.RecoveryPointArn && pointArns.has(j.RecoveryPointArn)) {
      problems.push(`${id} left a recovery point ${j.RecoveryPointArn}`);
    }
  }
  for (const { scope, doc: j } of store.table(copyJobsDef).find({})) {
    const id = `copy job ${key(scope, j.CopyJobId)} (${j.State})`;
    if ((j.State === "COMPLETED" || j.State === "FAILED" || j.State === "PARTIAL") && typeof j.CompletionDate !== "number") problems.push(`${id} has no CompletionDate`);
    if ((j.State === "CREATED" || j.State === "RUNNING") && j.CompletionDate !== undefined) problems.push(`${id} has a CompletionDate`);
    if (j.State === "FAILED" && j.DestinationRecoveryPointArn && pointArns.has(j.DestinationRecoveryPointArn)) problems.push(`${id} left a recovery point ${j.DestinationRecoveryPointArn}`);
  }
  for (const { scope, doc: j } of store.table(restoreJobsDef).find({})) {
    const id = `restore job ${key(scope, j.RestoreJobId)} (${j.Status})`;
    if ((j.Status === "COMPLETED" || j.Status === "FAILED" || j.Status === "ABORTED") && typeof j.CompletionDate !== "number") problems.push(`${id} has no CompletionDate`);
    if ((j.Status === "PENDING" || j.Status === "RUNNING") && j.CompletionDate !== undefined) problems.push(`${id} has a CompletionDate`);
  }
  for (const { scope, doc: j } of store.table(scanJobsDef).find({})) {
    const id = `scan job ${key(scope, j.ScanJobId)} (${j.State})`;
    if ((j.State === "COMPLETED" || j.State === "FAILED" || j.State === "COMPLETED_WITH_ISSUES" || j.State === "CANCELED") && typeof j.CompletionDate !== "number") {
      problems.push(`${id} has no CompletionDate`);
    }
    if ((j.State === "CREATED" || j.State === "RUNNING") && j.CompletionDate !== undefined) problems.push(`${id} has a CompletionDate`);
  }
  return problems;
}
