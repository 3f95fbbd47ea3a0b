/**
 * Opening the SQLite database and bringing its schema to the current version.
 * In memory by default; with a data folder, a file in WAL mode with synchronous=FULL, so a
 * transaction that has committed survives a crash of the process or of the machine.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Table } from "./table.js";
import { allTables } from "./schema/index.js";

export const DB_FILE = "backup-emulator.sqlite";

/** Each entry takes the schema from version i to i + 1. Never edit one that has shipped. */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  (db) => {
    for (const def of allTables) for (const sql of Table.ddl(def)) db.exec(sql);
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaVersionError extends Error {}

export function openDatabase(dataDir?: string): Database.Database {
  let db: Database.Database;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, DB_FILE));
    db.pragma("journal_mode = WAL");
    // FULL: the WAL is synced at every commit, so an acknowledged write is on disk.
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
  } else {
    db = new Database(":memory:");
  }
  migrate(db, dataDir ? join(dataDir, DB_FILE) : ":memory:");
  return db;
}

function migrate(db: Database.Database, where: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`);
  const row = db.prepare(`SELECT version FROM schema_version`).get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > SCHEMA_VERSION) {
    db.close();
    throw new SchemaVersionError(
      `${where} holds schema version ${current}, newer than this emulator's ${SCHEMA_VERSION}: upgrade aws-backup-emulator or use another DATA_DIR`,
    );
  }
  if (current === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) MIGRATIONS[v]!(db);
    db.exec(`DELETE FROM schema_version`);
    db.prepare(`INSERT INTO schema_version (version) VALUES (?)`).run(SCHEMA_VERSION);
  }).immediate();
}
