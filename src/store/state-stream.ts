/**
 * Loading a state document (snapshot.ts) from a stream, without holding it in memory: the
 * document is parsed as it arrives, each row goes to a staging table in SQLite's temporary
 * database, and once the document has ended and its envelope checks out, the rows are loaded
 * from there one at a time, in the one transaction importState would use. Parsing a document of
 * 100,000 recovery points in one piece grew the process by about 270 MB; staged, the rows wait
 * on disk.
 */
import { JSONParser } from "@streamparser/json";
import type { Readable } from "node:stream";
import type { Store } from "./store.js";
import { checkStateDocument, fail, loadRows, type StateDocument } from "./snapshot.js";

/** The document is not JSON (or not the JSON the format allows at that place). */
export class StateSyntaxError extends Error {}

export class StateTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The state document is larger than ${limit} bytes.`);
  }
}

const LISTS = ["tags", "work", "events", "replies"] as const;
type ListName = (typeof LISTS)[number];

/** Rows staged per transaction while the document streams in. */
const BATCH = 2_000;

let loads = 0;

/**
 * Replace the state with the document `body` streams. Throws StateDocumentError (the state is
 * unchanged) for a document that does not fit the format, StateSyntaxError for one that is not
 * JSON, StateTooLargeError past `limit` bytes.
 */
export async function importStateStream(store: Store, body: Readable, limit: number): Promise<StateDocument> {
  const staging = `temp.state_import_${++loads}`;
  store.db.exec(`CREATE TABLE ${staging} (seq INTEGER PRIMARY KEY, part TEXT NOT NULL, row TEXT NOT NULL)`);
  try {
    const insert = store.db.prepare(`INSERT INTO ${staging} (part, row) VALUES (?, ?)`);
    const flush = store.db.transaction((rows: [string, string][]) => {
      for (const [part, row] of rows) insert.run(part, row);
    });
    const envelope: Record<string, unknown> = {};
    const tables: Record<string, unknown> = {};
    const lists: Partial<Record<ListName, unknown>> = {};
    let pending: [string, string][] = [];

    const parser = new JSONParser({
      paths: ["$.format", "$.version", "$.exportedAt", "$.clock", "$.tables", "$.tables.*", "$.tables.*.*", ...LISTS.flatMap((l) => [`$.${l}`, `$.${l}.*`])],
    });
    // An error of the callback (staging) is not a syntax error: kept apart from what the parser throws.
    let failure: unknown;
    const onValue = ({ value, key, parent, stack }: Parameters<NonNullable<typeof parser.onValue>>[0]) => {
      const depth = stack.length;
      if (depth === 3 && stack[1]?.key === "tables") {
        pending.push([`tables.${String(stack[2]?.key)}`, JSON.stringify(value)]);
        // Staged: drop the parser's reference, so that the document is never whole in memory.
        (parent as unknown[])[key as number] = undefined;
      } else if (depth === 2 && stack[1]?.key === "tables") {
        // The table itself, after its rows: what matters is that it is an array.
        tables[String(key)] = Array.isArray(value) ? [] : value;
      } else if (depth === 2 && (LISTS as readonly unknown[]).includes(stack[1]?.key)) {
        pending.push([String(stack[1]?.key), JSON.stringify(value)]);
        (parent as unknown[])[key as number] = undefined;
      } else if (depth === 1 && (LISTS as readonly unknown[]).includes(key)) {
        lists[key as ListName] = Array.isArray(value) ? [] : value;
      } else if (depth === 1 && key !== "tables") {
        envelope[String(key)] = value;
      } else if (depth === 1) {
        envelope.tables = Array.isArray(value) || typeof value !== "object" || value === null ? value : tables;
      }
      if (pending.length >= BATCH) {
        flush(pending);
        pending = [];
      }
    };
    parser.onValue = (info) => {
      if (failure !== undefined) return;
      try {
        onValue(info);
      } catch (err) {
        failure = err;
      }
    };
    const parse = (feed: () => void) => {
      try {
        feed();
      } catch (err) {
        throw new StateSyntaxError((err as Error).message);
      }
      if (failure !== undefined) throw failure;
    };

    let received = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > limit) throw new StateTooLargeError(limit);
      parse(() => parser.write(chunk));
    }
    if (received === 0) throw new StateSyntaxError("the body is empty");
    parse(() => {
      if (!parser.isEnded) parser.end();
    });
    flush(pending);

    // The envelope as checkStateDocument expects it; the rows stay staged.
    const doc = checkStateDocument(envelope);
    for (const name of LISTS) if (lists[name] !== undefined && !Array.isArray(lists[name])) fail(name, "must be an array");
    const staged = function* (part: string): Generator<unknown> {
      // Read in pages by sequence number: a statement iterating while the load writes is not allowed.
      const page = store.db.prepare(`SELECT seq, row FROM ${staging} WHERE part = ? AND seq > ? ORDER BY seq LIMIT 1000`);
      let after = 0;
      for (;;) {
        const batch = page.all(part, after) as { seq: number; row: string }[];
        if (batch.length === 0) return;
        for (const r of batch) yield JSON.parse(r.row) as unknown;
        after = batch[batch.length - 1]!.seq;
      }
    };
    loadRows(store, {
      table: (name) => {
        const t = tables[name];
        if (t === undefined) return undefined;
        if (!Array.isArray(t)) fail(`tables.${name}`, "must be an array");
        return staged(`tables.${name}`);
      },
      list: (name) => staged(name),
    });
    return doc;
  } finally {
    store.db.exec(`DROP TABLE IF EXISTS ${staging}`);
  }
}
