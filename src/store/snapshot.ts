/**
 * The whole state as one JSON document (docs/state-format.md): every record of every account
 * and region, tags, queued work, the event log, idempotent replies and the clock's offset.
 * GET /_emulator/state exports it; POST /_emulator/state and --seed load it. A load replaces
 * the state in one transaction after checking the document, so a bad document changes nothing.
 */
import type { Store } from "./store.js";
import { allTables } from "./schema/index.js";
import { SCHEMA_VERSION } from "./db.js";
import type { TableDef } from "./table.js";

import { STATE_FORMAT, type ScopedRow, type StateDocument } from "../state-format.js";

export { STATE_FORMAT, type ScopedRow, type StateDocument };

export class StateDocumentError extends Error {}

export function exportState(store: Store, clockOffsetSeconds: number, now: number): StateDocument {
  const tables: Record<string, ScopedRow[]> = {};
  for (const def of allTables) tables[def.name] = store.table(def as TableDef<Record<string, unknown>>).dump();
  const db = store.db;
  return {
    format: STATE_FORMAT,
    version: SCHEMA_VERSION,
    exportedAt: now,
    clock: { offsetSeconds: clockOffsetSeconds },
    tables,
    tags: (db.prepare(`SELECT arn, account, region, tags FROM tags ORDER BY arn`).all() as Record<string, string>[]).map((r) => ({
      arn: r.arn!,
      accountId: r.account!,
      region: r.region!,
      tags: JSON.parse(r.tags!) as Record<string, string>,
    })),
    work: (db.prepare(`SELECT due, kind, account, region, ref, data FROM work ORDER BY due, seq`).all() as Record<string, string | number | null>[]).map((r) => ({
      due: r.due as number,
      kind: r.kind as string,
      accountId: r.account as string,
      region: r.region as string,
      ref: r.ref as string,
      ...(r.data !== null ? { data: JSON.parse(r.data as string) as unknown } : {}),
    })),
    events: (db.prepare(`SELECT at, account, region, kind, doc FROM events ORDER BY seq`).all() as Record<string, string | number>[]).map((r) => ({
      at: r.at as number,
      accountId: r.account as string,
      region: r.region as string,
      kind: r.kind as string,
      doc: JSON.parse(r.doc as string) as unknown,
    })),
    replies: (db.prepare(`SELECT account, region, operation, request, created, output FROM idempotency ORDER BY created`).all() as Record<string, string | number>[]).map(
      (r) => ({
        accountId: r.account as string,
        region: r.region as string,
        operation: r.operation as string,
        request: r.request as string,
        created: r.created as number,
        output: JSON.parse(r.output as string) as unknown,
      }),
    ),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function fail(where: string, what: string): never {
  throw new StateDocumentError(`${where}: ${what}`);
}

function scopeOf(row: Record<string, unknown>, where: string): { accountId: string; region: string } {
  if (typeof row.accountId !== "string" || !/^\d{12}$/.test(row.accountId)) fail(where, "accountId must be a 12-digit string");
  if (typeof row.region !== "string" || row.region === "") fail(where, "region must be a non-empty string");
  return { accountId: row.accountId, region: row.region };
}

function list(doc: Record<string, unknown>, name: string): unknown[] {
  const v = doc[name];
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(name, "must be an array");
  return v as unknown[];
}

/** Check the document's envelope; returns it typed. The rows are checked while loading. */
export function checkStateDocument(value: unknown): StateDocument {
  if (!isObject(value)) fail("document", "must be a JSON object");
  if (value.format !== STATE_FORMAT) fail("format", `must be "${STATE_FORMAT}"`);
  if (typeof value.version !== "number" || !Number.isInteger(value.version) || value.version < 1) fail("version", "must be a positive integer");
  if (value.version > SCHEMA_VERSION) {
    fail("version", `${value.version} is newer than this emulator's state version ${SCHEMA_VERSION}; upgrade aws-backup-emulator to load it`);
  }
  if (!isObject(value.tables)) fail("tables", "must be an object of table name → rows");
  const known = new Set(allTables.map((d) => d.name));
  for (const name of Object.keys(value.tables)) if (!known.has(name)) fail(`tables.${name}`, `is not a table of this emulator (known: ${[...known].join(", ")})`);
  if (value.clock !== undefined && (!isObject(value.clock) || typeof value.clock.offsetSeconds !== "number")) fail("clock", "must be { offsetSeconds: number }");
  return value as unknown as StateDocument;
}

/** Where the rows of a document come from: the parsed document, or a staging table (state-stream.ts). */
export interface StateRows {
  /** A table's rows, or undefined when the document has none for it. */
  table(name: string): Iterable<unknown> | undefined;
  /** The rows of `tags`, `work`, `events` or `replies`. */
  list(name: "tags" | "work" | "events" | "replies"): Iterable<unknown>;
}

/**
 * Replace the whole state with the document's. Throws StateDocumentError naming the first
 * problem; the transaction is then rolled back and the state is as before.
 */
export function importState(store: Store, value: unknown): StateDocument {
  const doc = checkStateDocument(value);
  const raw = value as Record<string, unknown>;
  loadRows(store, {
    table: (name) => {
      const rows = (doc.tables as Record<string, unknown>)[name];
      if (rows !== undefined && !Array.isArray(rows)) fail(`tables.${name}`, "must be an array");
      return rows as unknown[] | undefined;
    },
    list: (name) => list(raw, name),
  });
  return doc;
}

function* indexed(rows: Iterable<unknown>, where: (i: number) => string): Generator<[Record<string, unknown>, string]> {
  let i = 0;
  for (const row of rows) {
    const at = where(i++);
    yield [isObject(row) ? row : fail(at, "must be an object"), at];
  }
}

/** Replace the state with the rows of a checked document, in one transaction. */
export function loadRows(store: Store, source: StateRows): void {
  store.transaction(() => {
    store.reset();
    for (const def of allTables) {
      const rows = source.table(def.name);
      if (rows === undefined) continue;
      const table = store.table(def as TableDef<Record<string, unknown>>);
      for (const [row, where] of indexed(rows, (i) => `tables.${def.name}[${i}]`)) {
        const scope = scopeOf(row, where);
        if (!isObject(row.doc)) fail(`${where}.doc`, "must be an object");
        let keys: unknown[];
        try {
          keys = Object.values(def.key).map((k) => k(row.doc as never));
        } catch (err) {
          fail(`${where}.doc`, `is not a ${def.name} record (${(err as Error).message})`);
        }
        if (!keys.every((k) => typeof k === "string" && k !== "")) fail(`${where}.doc`, `lacks the key members of a ${def.name} record`);
        if (!table.insert(scope, row.doc)) fail(where, `duplicates the key of an earlier ${def.name} row`);
      }
    }
    for (const [t, where] of indexed(source.list("tags"), (i) => `tags[${i}]`)) {
      const scope = scopeOf(t, where);
      if (typeof t.arn !== "string" || !isObject(t.tags)) fail(where, "must be { arn, accountId, region, tags: {…} }");
      store.setTags(scope, t.arn, t.tags as Record<string, string>);
    }
    for (const [w, where] of indexed(source.list("work"), (i) => `work[${i}]`)) {
      const scope = scopeOf(w, where);
      if (typeof w.due !== "number" || typeof w.kind !== "string" || typeof w.ref !== "string") fail(where, "must be { due, kind, ref, accountId, region, data? }");
      store.schedule(w.due, w.kind, scope, w.ref, w.data);
    }
    for (const [e, where] of indexed(source.list("events"), (i) => `events[${i}]`)) {
      const scope = scopeOf(e, where);
      if (typeof e.at !== "number" || typeof e.kind !== "string") fail(where, "must be { at, kind, accountId, region, doc }");
      store.appendEvent(scope, e.kind, e.at, e.doc);
    }
    for (const [r, where] of indexed(source.list("replies"), (i) => `replies[${i}]`)) {
      const scope = scopeOf(r, where);
      if (typeof r.operation !== "string" || typeof r.request !== "string" || typeof r.created !== "number") fail(where, "must be { operation, request, created, output, accountId, region }");
      store.putReply(scope, r.operation, r.request, r.created, r.output);
    }
  });
}
