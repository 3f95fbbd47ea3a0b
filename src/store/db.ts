/**
 * Opening the SQLite database and bringing its schema to the current version.
 * Without a data folder, a temporary database (see openTemporary); with one, a file in WAL mode
 * whose log Store.durable() syncs before a write is acknowledged, so an acknowledged write
 * survives a crash of the process or of the machine.
 *
 * Two mechanisms keep the schema current:
 *  - MIGRATIONS, numbered: the schema version is their count. A database written by a newer
 *    version is refused; an older one runs the missing migrations.
 *  - syncTables: every table listed in store/schema/index.ts is created if missing, and gets
 *    the columns and indexes its definition names (new columns are filled in from each row's
 *    document), so adding a filter column needs no hand-written migration. The same goes for
 *    the list views (TableDef.views): each table's views carry a stamp in `meta`, and a table
 *    whose stamp differs from this build's has its views recomputed from the documents.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Table, viewsOf, type TableDef } from "./table.js";
import { allTables } from "./schema/index.js";
import { VERSION } from "../version.js";

export const DB_FILE = "backup-emulator.sqlite";

/** Each entry takes the schema from version i to i + 1. Never edit one that has shipped. */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  // 1: the tables beside the resource tables.
  (db) => {
    db.exec(`CREATE TABLE tags (arn TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, tags TEXT NOT NULL) WITHOUT ROWID`);
    db.exec(`CREATE TABLE idempotency (account TEXT NOT NULL, region TEXT NOT NULL, operation TEXT NOT NULL, request TEXT NOT NULL,
      created REAL NOT NULL, output TEXT NOT NULL, PRIMARY KEY (account, region, operation, request)) WITHOUT ROWID`);
    db.exec(`CREATE TABLE work (seq INTEGER PRIMARY KEY AUTOINCREMENT, due REAL NOT NULL, kind TEXT NOT NULL,
      account TEXT NOT NULL, region TEXT NOT NULL, ref TEXT NOT NULL, data TEXT)`);
    db.exec(`CREATE INDEX work_due ON work (due, seq)`);
    db.exec(`CREATE INDEX work_ref ON work (kind, ref)`);
    db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`);
    db.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, account TEXT NOT NULL, region TEXT NOT NULL,
      kind TEXT NOT NULL, doc TEXT NOT NULL)`);
  },
  // 2: event log reads go by kind (notifications, state changes).
  (db) => {
    db.exec(`CREATE INDEX events_kind ON events (kind, seq)`);
  },
  // 3: resource tables become rowid tables with a unique key (see Table.ddl); rows are copied in
  // list order, so that rows listed together sit together. syncTables then recreates the indexes.
  (db) => {
    for (const def of allTables) {
      const sql = (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).get(def.name) as { sql: string } | undefined)?.sql;
      if (!sql || !/WITHOUT ROWID\s*$/i.test(sql)) continue;
      const cols = db.prepare(`SELECT name, type, "notnull" AS nn FROM pragma_table_info(?) ORDER BY cid`).all(def.name) as { name: string; type: string; nn: number }[];
      const old = `${def.name}__without_rowid`;
      db.exec(`ALTER TABLE ${def.name} RENAME TO ${old}`);
      const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(old) as { name: string }[];
      for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
      const keys = Object.keys(def.key);
      db.exec(
        `CREATE TABLE ${def.name} (${cols.map((c) => `${c.name} ${c.type}${c.nn ? " NOT NULL" : ""}`).join(", ")}, UNIQUE (account, region, ${keys.join(", ")}))`,
      );
      const names = cols.map((c) => c.name).join(", ");
      db.exec(`INSERT INTO ${def.name} (${names}) SELECT ${names} FROM ${old} ORDER BY account, region, ${def.order.column}, ${keys.join(", ")}`);
      db.exec(`DROP TABLE ${old}`);
    }
  },
  // 4: tables gain list-view columns (syncTables adds and fills them). Nothing to do here: the
  // version stops an older emulator, which would write rows and leave their views stale.
  () => {},
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaVersionError extends Error {}

export function openDatabase(dataDir?: string): Database.Database {
  let db: Database.Database;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, DB_FILE));
    db.pragma("journal_mode = WAL");
    // NORMAL: a commit does not sync the WAL; Store.durable() does, once for all the commits
    // made meanwhile, before any of them is acknowledged (group commit). Checkpoints still sync.
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
  } else {
    db = openTemporary();
  }
  try {
    migrate(db, dataDir ? join(dataDir, DB_FILE) : ":memory:");
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** The schema version a database records (0 for a new one). */
/**
 * The store when state is not kept: SQLite's temporary database (a file in the system's
 * temporary folder, unlinked as soon as it is opened, never synced, its journal in memory),
 * read through a bounded page cache. Not ":memory:": there every page stays in the process,
 * and with a large database each commit that splits a B-tree page pays a scan of the whole
 * page cache (SQLite moves pages through the PENDING_BYTE page number while balancing, and the
 * end of the transaction truncates the cache back below it): 100,000 recovery points made
 * CreateBackupVault twice as slow and added 230 MB of resident memory. Where no temporary
 * folder is writable, ":memory:" it is.
 */
function openTemporary(): Database.Database {
  const db = new Database("");
  try {
    db.pragma("journal_mode = MEMORY");
    // Each commit on a temporary database walks the whole page cache (better-sqlite3 builds
    // SQLite with a 16 MB one): with a full cache that was most of a small write's cost, e.g.
    // 35 µs against 12 µs for an insert, a queue insert and a delete at 512 pages. Pages that
    // fall out are read back from the operating system's file cache.
    db.pragma("cache_size = 2000");
    // The temporary file is created on the first write: make it now, so a failure shows here.
    db.exec("CREATE TABLE probe (x); DROP TABLE probe");
    return db;
  } catch {
    db.close();
    return new Database(":memory:");
  }
}

export function schemaVersionOf(db: Database.Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`);
  return (db.prepare(`SELECT version FROM schema_version`).get() as { version: number } | undefined)?.version ?? 0;
}

/**
 * The schema a new database gets, as SQL, taken from the first database this process migrated
 * from nothing: every later new database (each emulator started in a test suite, say) runs it
 * as one script instead of the migrations and the table checks.
 */
let freshSchema: string | undefined;

function migrate(db: Database.Database, where: string): void {
  const current = schemaVersionOf(db);
  const bare = current === 0 && isBare(db);
  if (bare && freshSchema !== undefined) {
    db.exec(`BEGIN IMMEDIATE; ${freshSchema} COMMIT;`);
    stampViews(db, allTables);
    return;
  }
  if (current > SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `${where} holds schema version ${current}, newer than this emulator's ${SCHEMA_VERSION}: upgrade aws-backup-emulator or use another DATA_DIR`,
    );
  }
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) MIGRATIONS[v]!(db);
    // A new database has no table to check: its tables and indexes are created in one go.
    if (bare) {
      db.exec(allTables.flatMap((def) => Table.ddl(def)).join(";\n"));
      stampViews(db, allTables);
    } else syncTables(db, allTables);
    if (current !== SCHEMA_VERSION) {
      db.exec(`DELETE FROM schema_version`);
      db.prepare(`INSERT INTO schema_version (version) VALUES (?)`).run(SCHEMA_VERSION);
    }
  }).immediate();
  if (bare && freshSchema === undefined) {
    const objects = db.prepare(`SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite%' AND name != 'schema_version' ORDER BY rowid`).all() as {
      sql: string;
    }[];
    freshSchema = `${objects.map((o) => `${o.sql};`).join("\n")}\nINSERT INTO schema_version (version) VALUES (${SCHEMA_VERSION});`;
  }
}

/** Nothing in it but the schema_version table that schemaVersionOf creates. */
function isBare(db: Database.Database): boolean {
  return (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name != 'schema_version'`).get() as { n: number }).n === 0;
}

/** Create missing tables, add missing columns (filled from each row's document) and indexes. */
export function syncTables(db: Database.Database, defs: readonly TableDef<never>[]): void {
  for (const def of defs) {
    const existing = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(def.name) as { name: string }[];
    if (existing.length > 0) {
      const have = new Set(existing.map((c) => c.name));
      const missing = Object.entries(def.columns).filter(([name]) => !have.has(name));
      for (const [name, col] of missing) db.exec(`ALTER TABLE ${def.name} ADD COLUMN ${name} ${col.type}`);
      const newViews = Table.viewColumns(def).filter((name) => !have.has(name));
      for (const name of newViews) db.exec(`ALTER TABLE ${def.name} ADD COLUMN ${name} TEXT`);
      const stale = newViews.length > 0 || (def.views !== undefined && storedStamp(db, def) !== viewStamp(def));
      if (missing.length || stale) backfill(db, def, missing.map(([name]) => name), stale);
    }
    for (const sql of Table.ddl(def)) db.exec(sql);
    // Indexes a definition no longer names cost every write: drop them.
    const wanted = new Set(Table.indexNames(def));
    const present = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).all(def.name) as { name: string }[];
    for (const { name } of present) if (name.startsWith(`${def.name}_`) && !wanted.has(name)) db.exec(`DROP INDEX ${name}`);
  }
  stampViews(db, defs);
}

/**
 * What a table's stored views were computed by: this build's version and the views' source, so
 * that a release or a change of a view function recomputes them (syncTables).
 */
function viewStamp(def: TableDef<never>): string {
  const views = Object.entries(def.views ?? {}).map(([name, fn]) => `${name}=${fn.toString()}`);
  return createHash("sha256").update(`${VERSION}\n${views.join("\n")}`).digest("base64url");
}

const stampKey = (def: TableDef<never>) => `views:${def.name}`;

function storedStamp(db: Database.Database, def: TableDef<never>): string | undefined {
  return (db.prepare(`SELECT value FROM meta WHERE key = ?`).get(stampKey(def)) as { value: string } | undefined)?.value;
}

function stampViews(db: Database.Database, defs: readonly TableDef<never>[]): void {
  const put = db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`);
  for (const def of defs) if (def.views) put.run(stampKey(def), viewStamp(def));
}

/** Fill `columns` (and, with `views`, every view column) of every row from its document. */
function backfill(db: Database.Database, def: TableDef<never>, columns: string[], views: boolean): void {
  const keys = Object.keys(def.key);
  const set = [...columns, ...(views ? Table.viewColumns(def) : [])];
  const update = db.prepare(
    `UPDATE ${def.name} SET ${set.map((c) => `${c} = ?`).join(", ")} WHERE account = ? AND region = ? AND ${keys.map((k) => `${k} = ?`).join(" AND ")}`,
  );
  // In batches by rowid: a table of a hundred thousand documents is never held in memory at once
  // (better-sqlite3 cannot update while a query is being iterated).
  const batch = db.prepare(`SELECT rowid AS rid, account, region, ${keys.join(", ")}, doc FROM ${def.name} WHERE rowid > ? ORDER BY rowid LIMIT 500`);
  for (let last = -Infinity; ; ) {
    const rows = batch.all(last) as Record<string, string | number>[];
    if (rows.length === 0) break;
    for (const r of rows) {
      const doc = JSON.parse(r.doc as string) as never;
      update.run(
        ...columns.map((c) => def.columns[c]!.from(doc) ?? null),
        ...(views ? viewsOf(def, doc, r.doc as string) : []),
        r.account,
        r.region,
        ...keys.map((k) => r[k]),
      );
    }
    last = rows[rows.length - 1]!.rid as number;
  }
}
