/**
 * The one store (docs/architecture.md, "The store"): every record of every account and region, in SQLite.
 * Tables hold the resources; beside them sit tags by ARN, idempotent request replies,
 * the queue of time-driven work, and a little metadata (the clock's offset).
 */
import type { Database, Statement } from "better-sqlite3";
import { closeSync, fdatasync, openSync } from "node:fs";
import { openDatabase } from "./db.js";
import { Table, type Scope, type TableDef } from "./table.js";
import { backupJobsDef, planVersionsDef, plansDef, recoveryPointsDef, selectionsDef, vaultsDef } from "./schema/core.js";
import type { BackupJobRecord, PlanRecord, PlanVersionRecord, RecoveryPointRecord, SelectionRecord, Tags, VaultRecord } from "./records.js";

export interface WorkItem {
  seq: number;
  due: number;
  kind: string;
  scope: Scope;
  ref: string;
  data: unknown;
  /** The step queued to follow this one (see Store.schedule). */
  then?: FollowUp;
}

/** A work item's next step: the same kind and reference, due later, with its own data. */
export interface FollowUp {
  due: number;
  data: Record<string, unknown>;
}

/** Where a follow-up travels inside a queued item's data (so state documents carry it unchanged). */
const THEN = "@then";

/** Run every hook, even when one throws; then throw the first failure. */
function runHooks(hooks: readonly (() => void)[]): void {
  let failure: { error: unknown } | undefined;
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

export class Store {
  readonly vaults: Table<VaultRecord>;
  readonly plans: Table<PlanRecord>;
  readonly planVersions: Table<PlanVersionRecord>;
  readonly selections: Table<SelectionRecord>;
  readonly backupJobs: Table<BackupJobRecord>;
  readonly recoveryPoints: Table<RecoveryPointRecord>;

  /**
   * Whether job state changes go to the event log. Only a forwarder to EventBridge reads them,
   * so without one they are not kept (every job would add three rows that nothing reads).
   * Vault notifications are always kept: GET /_emulator/notifications shows them.
   */
  logStateChanges = false;

  /** Earliest due time in the work queue; undefined = unknown, null = queue empty. */
  private nextDueCache: number | null | undefined;
  private readonly tables = new Map<string, Table<unknown>>();

  private constructor(
    readonly db: Database,
    readonly persistent: boolean,
  ) {
    this.vaults = this.table(vaultsDef);
    this.plans = this.table(plansDef);
    this.planVersions = this.table(planVersionsDef);
    this.selections = this.table(selectionsDef);
    this.backupJobs = this.table(backupJobsDef);
    this.recoveryPoints = this.table(recoveryPointsDef);
  }

  /** The table for a definition listed in store/schema/index.ts. */
  table<T>(def: TableDef<T>): Table<T> {
    let t = this.tables.get(def.name) as Table<T> | undefined;
    if (!t) {
      t = new Table(this.db, def);
      this.tables.set(def.name, t as Table<unknown>);
    }
    return t;
  }

  /** Drop every table's cached documents (see TableDef.cached). */
  forgetCached(): void {
    for (const t of this.tables.values()) t.forgetAll();
  }

  /** In memory without a folder; in `dataDir`/backup-emulator.sqlite with one. */
  static open(dataDir?: string): Store {
    return new Store(openDatabase(dataDir), dataDir !== undefined);
  }

  private readonly statements = new Map<string, Statement>();
  private savepoints = 0;
  /** Effects waiting for the outermost commit, one frame per open transaction or savepoint. */
  private readonly afterCommitHooks: (() => void)[][] = [];

  /** A prepared statement, compiled once per SQL text. */
  stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * Run `fn` in one transaction: all of its writes land, or none do. A nested call runs in a
   * savepoint, so its failure undoes only its own writes (the scheduler relies on this to drop
   * one failing work item without losing the others).
   */
  transaction<T>(fn: () => T): T {
    const nested = this.db.inTransaction;
    const name = `sp${++this.savepoints}`;
    this.stmt(nested ? `SAVEPOINT ${name}` : "BEGIN IMMEDIATE").run();
    this.afterCommitHooks.push([]);
    let committed: (() => void)[] = [];
    try {
      const out = fn();
      this.stmt(nested ? `RELEASE ${name}` : "COMMIT").run();
      const hooks = this.afterCommitHooks.pop() ?? [];
      // A released savepoint's effects wait for the outermost commit, like its writes.
      if (nested) this.afterCommitHooks.at(-1)?.push(...hooks);
      else committed = hooks;
      return out;
    } catch (err) {
      this.afterCommitHooks.pop();
      // Cached documents may come from the writes being undone.
      this.forgetCached();
      if (this.db.inTransaction) {
        if (nested) {
          this.stmt(`ROLLBACK TO ${name}`).run();
          this.stmt(`RELEASE ${name}`).run();
        } else this.stmt("ROLLBACK").run();
      }
      this.nextDueCache = undefined;
      throw err;
    } finally {
      this.savepoints--;
      if (committed.length > 0) runHooks(committed);
    }
  }

  /**
   * Run `effect` once the outermost transaction commits (at once outside a transaction), and
   * never if the writes it goes with are rolled back: for effects outside the database, such
   * as files, which must not outlive the state that describes them. Hooks run in the order they
   * were added; each must handle its own failures (in a transaction of its own if it records
   * them), since the writes before it are already committed.
   */
  afterCommit(effect: () => void): void {
    const frame = this.afterCommitHooks.at(-1);
    if (frame) frame.push(effect);
    else runHooks([effect]);
  }

  // ---- group commit (docs/decisions.md) ----

  private walFd: number | undefined;
  private syncing: Promise<void> | undefined;
  private nextSync: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | undefined;

  /**
   * Resolves once every transaction committed so far is on disk. On a DATA_DIR, commits write
   * the write-ahead log without syncing it (synchronous=NORMAL); this syncs the log, one
   * fdatasync for all the commits made while the previous one ran, off the main thread. A
   * request that wrote answers only after this: each acknowledged write is durable, and
   * concurrent writers share a sync instead of queueing one each. Without DATA_DIR: at once.
   */
  durable(): Promise<void> {
    if (!this.persistent || !this.db.open) return Promise.resolve();
    // A sync under way may have started before this commit: wait for the one after it.
    if (this.syncing) {
      if (!this.nextSync) {
        let resolve!: () => void;
        let reject!: (err: unknown) => void;
        const promise = new Promise<void>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        this.nextSync = { promise, resolve, reject };
      }
      return this.nextSync.promise;
    }
    this.syncing = this.syncWal();
    return this.syncing;
  }

  private syncWal(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.walFd ??= openSync(`${this.db.name}-wal`, "r+");
      } catch (err) {
        this.syncing = undefined;
        return reject(err);
      }
      fdatasync(this.walFd, (err) => {
        this.syncing = undefined;
        const next = this.nextSync;
        this.nextSync = undefined;
        if (next) {
          this.syncing = this.syncWal();
          this.syncing.then(next.resolve, next.reject);
        }
        if (err) reject(err);
        else resolve();
      });
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
    if (this.walFd !== undefined) {
      closeSync(this.walFd);
      this.walFd = undefined;
    }
  }

  // ---- tags ----

  getTags(arn: string): Tags {
    const r = this.stmt(`SELECT tags FROM tags WHERE arn = ?`).get(arn) as { tags: string } | undefined;
    return r ? (JSON.parse(r.tags) as Tags) : {};
  }

  setTags(scope: Scope, arn: string, tags: Tags): void {
    if (Object.keys(tags).length === 0) this.deleteTags(arn);
    else this.stmt(`INSERT OR REPLACE INTO tags (arn, account, region, tags) VALUES (?, ?, ?, ?)`).run(arn, scope.accountId, scope.region, JSON.stringify(tags));
  }

  deleteTags(arn: string): void {
    this.stmt(`DELETE FROM tags WHERE arn = ?`).run(arn);
  }

  // ---- idempotent replies ----

  getReply(scope: Scope, operation: string, request: string): unknown {
    const r = this.stmt(`SELECT output FROM idempotency WHERE account = ? AND region = ? AND operation = ? AND request = ?`)
      .get(scope.accountId, scope.region, operation, request) as { output: string } | undefined;
    return r ? (JSON.parse(r.output) as unknown) : undefined;
  }

  putReply(scope: Scope, operation: string, request: string, created: number, output: unknown): void {
    this.stmt(`INSERT OR REPLACE INTO idempotency (account, region, operation, request, created, output) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(scope.accountId, scope.region, operation, request, created, JSON.stringify(output ?? null));
  }

  // ---- the work queue (docs/architecture.md, "Time") ----

  /**
   * Queue work of `kind` for `ref`, due at `due`. With `then`, the same row is queued again for
   * that step once this one has run (Scheduler.runDue): a job's CREATED → RUNNING → COMPLETED
   * costs one queued row instead of one per step.
   */
  schedule(due: number, kind: string, scope: Scope, ref: string, data?: unknown, then?: FollowUp): void {
    const stored = then ? { ...(data as Record<string, unknown>), [THEN]: then } : data;
    this.stmt(`INSERT INTO work (due, kind, account, region, ref, data) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(due, kind, scope.accountId, scope.region, ref, stored === undefined ? null : JSON.stringify(stored));
    this.noteDue(due);
  }

  /** Queue the row of `item` again, for its follow-up step. */
  requeue(item: WorkItem & { then: FollowUp }): void {
    this.stmt(`UPDATE work SET due = ?, data = ? WHERE seq = ?`).run(item.then.due, JSON.stringify(item.then.data), item.seq);
    this.nextDueCache = undefined;
  }

  private noteDue(due: number): void {
    if (this.nextDueCache === null || (this.nextDueCache !== undefined && due < this.nextDueCache)) this.nextDueCache = due;
  }

  /** Earliest due time of queued work, or null when the queue is empty. */
  nextDue(): number | null {
    if (this.nextDueCache === undefined) {
      const r = this.stmt(`SELECT due FROM work ORDER BY due, seq LIMIT 1`).get() as { due: number } | undefined;
      this.nextDueCache = r ? r.due : null;
    }
    return this.nextDueCache;
  }

  /** The first item due at or before `until`, in (due, insertion) order. */
  peekDue(until: number): WorkItem | undefined {
    const r = this.stmt(`SELECT * FROM work WHERE due <= ? ORDER BY due, seq LIMIT 1`).get(until) as
      | { seq: number; due: number; kind: string; account: string; region: string; ref: string; data: string | null }
      | undefined;
    if (!r) return undefined;
    const item: WorkItem = { seq: r.seq, due: r.due, kind: r.kind, scope: { accountId: r.account, region: r.region }, ref: r.ref, data: undefined };
    if (r.data !== null) {
      const data = JSON.parse(r.data) as unknown;
      if (data !== null && typeof data === "object" && THEN in data) {
        const { [THEN]: then, ...rest } = data as Record<string, unknown>;
        item.data = rest;
        item.then = then as FollowUp;
      } else item.data = data;
    }
    return item;
  }

  /** The scopes that have work of `kind` due at or before `until`. */
  dueScopes(kind: string, until: number): Scope[] {
    return (this.stmt(`SELECT DISTINCT account, region FROM work WHERE kind = ? AND due <= ?`).all(kind, until) as { account: string; region: string }[]).map(
      (r) => ({ accountId: r.account, region: r.region }),
    );
  }

  finishWork(seq: number): void {
    this.stmt(`DELETE FROM work WHERE seq = ?`).run(seq);
    this.nextDueCache = undefined;
  }

  cancelWork(kind: string, ref: string): void {
    this.stmt(`DELETE FROM work WHERE kind = ? AND ref = ?`).run(kind, ref);
    this.nextDueCache = undefined;
  }

  // ---- the event log (job state changes, vault notifications) ----

  appendEvent(scope: Scope, kind: string, at: number, doc: unknown): void {
    this.stmt(`INSERT INTO events (at, account, region, kind, doc) VALUES (?, ?, ?, ?, ?)`).run(at, scope.accountId, scope.region, kind, JSON.stringify(doc));
  }

  /** Events of a kind, oldest first, after sequence number `after`. */
  listEvents(kind: string, after = 0, limit = 1000): { seq: number; at: number; accountId: string; region: string; doc: unknown }[] {
    return (this.stmt(`SELECT seq, at, account, region, doc FROM events WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?`).all(kind, after, limit) as {
      seq: number;
      at: number;
      account: string;
      region: string;
      doc: string;
    }[]).map((r) => ({ seq: r.seq, at: r.at, accountId: r.account, region: r.region, doc: JSON.parse(r.doc) as unknown }));
  }

  // ---- metadata ----

  getMeta(key: string): string | undefined {
    return (this.stmt(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`).run(key, value);
  }

  /** Bytes the database occupies (its pages). */
  sizeBytes(): number {
    return (this.db.pragma("page_count", { simple: true }) as number) * (this.db.pragma("page_size", { simple: true }) as number);
  }

  /** True when no record, tag or queued work exists (a new database). */
  isEmpty(): boolean {
    const tables = this.stmt(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'sqlite_sequence', 'meta')`).all() as {
      name: string;
    }[];
    return tables.every(({ name }) => this.stmt(`SELECT 1 FROM ${name} LIMIT 1`).get() === undefined);
  }

  /** Remove every record of every account and region (the schema and the clock's offset stay). */
  reset(): void {
    this.transaction(() => {
      const tables = this.stmt(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'sqlite_sequence', 'meta')`).all() as {
        name: string;
      }[];
      for (const { name } of tables) this.db.exec(`DELETE FROM ${name}`);
      this.forgetCached();
    });
    this.nextDueCache = undefined;
  }
}
