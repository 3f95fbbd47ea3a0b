/**
 * One kind of record in SQLite: a JSON document plus the columns lists filter and sort on.
 * Every row belongs to a scope (account, region). Lists are keyset-paginated on an index,
 * so a page costs the same whether the table holds a thousand rows or a hundred thousand.
 */
import type { Database, Statement } from "better-sqlite3";

export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

export type SqlValue = string | number | null;
type ColumnType = "TEXT" | "REAL" | "INTEGER";

export interface TableDef<T> {
  name: string;
  /** Key columns (after account and region), as read from the document. */
  key: Record<string, (doc: T) => string>;
  /** Filter and sort columns, as read from the document. */
  columns: Record<string, { type: ColumnType; from: (doc: T) => SqlValue | undefined }>;
  /** The list order; ties are broken by the key columns in the same direction. */
  order: { column: string; desc: boolean };
  /** Extra indexes, each a list of columns that follows (account, region). */
  indexes: string[][];
  /**
   * Keep parsed documents read by key in memory (write-through: every write through this table
   * drops its key). For the few records read on almost every request, such as vaults; the
   * documents handed out are frozen, since they are shared.
   */
  cached?: boolean;
  /**
   * List members kept beside the document: each view's JSON sits in a column `view_<name>`,
   * written with every write of the row, so a list page is read as ready JSON (listJson) instead
   * of parsed documents re-shaped one by one (a view whose JSON is the document's own is stored
   * as NULL and read from the document). Each must be a pure function of the document.
   * A table with views cannot be changed by addToMember (SQL that edits the document alone).
   */
  views?: Record<string, (doc: T) => unknown>;
}

/** A filter condition on one column. */
export type Condition =
  | SqlValue
  | { in: readonly SqlValue[] }
  | { gt?: number; gte?: number; lt?: number; lte?: number }
  | { like: string }
  | { not: SqlValue };
export type Where = Record<string, Condition | undefined>;

/** Position after the last item of a page: the order value, then the key values. */
export type Cursor = SqlValue[];

export interface Page<T> {
  items: T[];
  next?: Cursor;
}

/** The column holding a view of each row (TableDef.views). */
export const viewColumn = (view: string): string => `view_${view}`;

/**
 * The stored value of each view of `doc` (whose JSON is `json`), in definition order: its JSON,
 * or null where that is the document's own JSON (a job's list member usually is the whole
 * record), which the reads take from the document instead of keeping it twice.
 */
export function viewsOf<T>(def: TableDef<T>, doc: T, json: string): (string | null)[] {
  return Object.values(def.views ?? {}).map((view) => {
    const member = view(doc);
    if (member === doc) return null;
    const text = JSON.stringify(member);
    return text === json ? null : text;
  });
}

/** Freeze a document and everything in it (documents are plain JSON data). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class Table<T> {
  private readonly statements = new Map<string, Statement>();
  /** Parsed documents by scope and key, when the definition asks for it (see TableDef.cached). */
  private readonly cache: Map<string, T> | undefined;
  private readonly keyCols: string[];
  private readonly colNames: string[];
  private readonly viewNames: string[];

  constructor(
    private readonly db: Database,
    readonly def: TableDef<T>,
  ) {
    this.keyCols = Object.keys(def.key);
    this.colNames = Object.keys(def.columns);
    this.viewNames = Object.keys(def.views ?? {});
    this.cache = def.cached ? new Map() : undefined;
    const written = [...this.colNames, ...this.viewNames.map(viewColumn), "doc"];
    this.allCols = ["account", "region", ...this.keyCols, ...written].join(", ");
    this.keyCondition = ["account = ?", "region = ?", ...this.keyCols.map((k) => `${k} = ?`)].join(" AND ");
    this.insertValues = Array(2 + this.keyCols.length + written.length).fill("?").join(", ");
    this.upsertSql =
      `INSERT INTO ${def.name} (${this.allCols}) VALUES (${this.insertValues}) ON CONFLICT (account, region, ${this.keyCols.join(", ")}) ` +
      `DO UPDATE SET ${written.map((c) => `${c} = excluded.${c}`).join(", ")}`;
  }

  private readonly upsertSql: string;
  private readonly insertValues: string;

  /** The view columns of a definition (TableDef.views). */
  static viewColumns<T>(def: TableDef<T>): string[] {
    return Object.keys(def.views ?? {}).map(viewColumn);
  }

  /** The names of the indexes ddl() creates. */
  static indexNames<T>(def: TableDef<T>): string[] {
    return [`${def.name}_order`, ...def.indexes.map((idx) => `${def.name}_${idx.join("_")}`)];
  }

  /** DDL for this table and its indexes. */
  static ddl<T>(def: TableDef<T>): string[] {
    const keyCols = Object.keys(def.key);
    const cols = [
      "account TEXT NOT NULL",
      "region TEXT NOT NULL",
      ...keyCols.map((k) => `${k} TEXT NOT NULL`),
      ...Object.entries(def.columns).map(([c, s]) => `${c} ${s.type}`),
      ...Table.viewColumns(def).map((c) => `${c} TEXT`),
      "doc TEXT NOT NULL",
      `UNIQUE (account, region, ${keyCols.join(", ")})`,
    ];
    const dir = def.order.desc ? " DESC" : "";
    // A rowid table, not WITHOUT ROWID: documents are kilobytes, so a B-tree keyed by a random id
    // holds two or three per page and splits on most inserts; rows appended by rowid do not, and
    // the key lives in a small unique index (docs/decisions.md).
    const out = [`CREATE TABLE IF NOT EXISTS ${def.name} (${cols.join(", ")})`];
    out.push(
      `CREATE INDEX IF NOT EXISTS ${def.name}_order ON ${def.name} (account, region, ${def.order.column}${dir}, ${keyCols.map((k) => k + dir).join(", ")})`,
    );
    for (const idx of def.indexes) {
      out.push(
        `CREATE INDEX IF NOT EXISTS ${def.name}_${idx.join("_")} ON ${def.name} (account, region, ${idx.join(", ")}, ${def.order.column}${dir}, ${keyCols.map((k) => k + dir).join(", ")})`,
      );
    }
    return out;
  }

  private stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private row(scope: Scope, doc: T): SqlValue[] {
    const json = JSON.stringify(doc);
    return [
      scope.accountId,
      scope.region,
      ...this.keyCols.map((k) => this.def.key[k]!(doc)),
      ...this.colNames.map((c) => this.def.columns[c]!.from(doc) ?? null),
      ...viewsOf(this.def, doc, json),
      json,
    ];
  }

  private readonly allCols: string;
  private readonly keyCondition: string;

  private keyWhere(): string {
    return this.keyCondition;
  }

  get(scope: Scope, ...key: string[]): T | undefined {
    const cacheKey = this.cache && this.cacheKey(scope, key);
    if (cacheKey !== undefined) {
      const hit = this.cache!.get(cacheKey);
      if (hit !== undefined) return hit;
    }
    const r = this.stmt(`SELECT doc FROM ${this.def.name} WHERE ${this.keyWhere()}`).get(scope.accountId, scope.region, ...key) as
      | { doc: string }
      | undefined;
    if (!r) return undefined;
    const doc = JSON.parse(r.doc) as T;
    if (cacheKey !== undefined) this.cache!.set(cacheKey, deepFreeze(doc));
    return doc;
  }

  private cacheKey(scope: Scope, key: readonly string[]): string {
    return `${scope.accountId}\u0000${scope.region}\u0000${key.join("\u0000")}`;
  }

  private forgetKey(scope: Scope, key: readonly string[]): void {
    if (this.cache) this.cache.delete(this.cacheKey(scope, key));
  }

  private forgetDoc(scope: Scope, doc: T): void {
    if (this.cache) this.forgetKey(scope, this.keyCols.map((k) => this.def.key[k]!(doc)));
  }

  /**
   * Drop every cached document: after writes that bypassed this table (a rollback, a reset, an
   * import), the cache may hold what is no longer stored.
   */
  forgetAll(): void {
    this.cache?.clear();
  }

  has(scope: Scope, ...key: string[]): boolean {
    return this.stmt(`SELECT 1 FROM ${this.def.name} WHERE ${this.keyWhere()}`).get(scope.accountId, scope.region, ...key) !== undefined;
  }

  /** Insert or update in place (the row keeps its rowid, so its place in the file). */
  put(scope: Scope, doc: T): T {
    this.forgetDoc(scope, doc);
    this.stmt(this.upsertSql).run(...this.row(scope, doc));
    return doc;
  }

  /**
   * Replace `before`, the stored version read in this transaction, with `after` (same key):
   * only the columns whose values differ are written, so the indexes on the others are left
   * alone. A job's state change thus touches the state index, not the five others an upsert
   * rewrites.
   */
  update(scope: Scope, before: T, after: T): T {
    const key = this.keyCols.map((k) => this.def.key[k]!(after));
    if (this.keyCols.some((k, i) => this.def.key[k]!(before) !== key[i])) throw new Error(`${this.def.name}: update() cannot change a record's key`);
    const changed: string[] = [];
    const values: SqlValue[] = [];
    for (const c of this.colNames) {
      const from = this.def.columns[c]!.from;
      const value = from(after) ?? null;
      if (value !== (from(before) ?? null)) {
        changed.push(c);
        values.push(value);
      }
    }
    // Views are not indexed: writing them unchanged costs nothing beyond the row rewrite.
    const json = JSON.stringify(after);
    changed.push(...this.viewNames.map(viewColumn), "doc");
    values.push(...viewsOf(this.def, after, json), json);
    this.forgetKey(scope, key);
    this.stmt(`UPDATE ${this.def.name} SET ${changed.map((c) => `${c} = ?`).join(", ")} WHERE ${this.keyWhere()}`).run(...values, scope.accountId, scope.region, ...key);
    return after;
  }

  /** Insert; false (and nothing written) when the key is taken. */
  insert(scope: Scope, doc: T): boolean {
    this.forgetDoc(scope, doc);
    const r = this.stmt(`INSERT OR IGNORE INTO ${this.def.name} (${this.allCols}) VALUES (${this.insertValues})`).run(
      ...this.row(scope, doc),
    );
    return r.changes === 1;
  }

  /**
   * Add `delta` to a numeric member of a record's document in place (never below 0), without
   * reading it into JavaScript: counters change on every write of their children.
   */
  addToMember(scope: Scope, key: string[], member: string, delta: number): void {
    if (this.viewNames.length > 0) throw new Error(`${this.def.name}: addToMember() would leave its views stale`);
    const path = `$.${member}`;
    this.forgetKey(scope, key);
    this.stmt(`UPDATE ${this.def.name} SET doc = json_set(doc, '${path}', max(0, coalesce(json_extract(doc, '${path}'), 0) + ?)) WHERE ${this.keyWhere()}`).run(
      delta,
      scope.accountId,
      scope.region,
      ...key,
    );
  }

  delete(scope: Scope, ...key: string[]): boolean {
    this.forgetKey(scope, key);
    return this.stmt(`DELETE FROM ${this.def.name} WHERE ${this.keyWhere()}`).run(scope.accountId, scope.region, ...key).changes > 0;
  }

  deleteWhere(scope: Scope, where: Where): number {
    this.forgetAll();
    const { sql, params } = this.conditions(where);
    return this.stmt(`DELETE FROM ${this.def.name} WHERE account = ? AND region = ?${sql}`).run(scope.accountId, scope.region, ...params).changes;
  }

  private conditions(where: Where): { sql: string; params: SqlValue[] } {
    let sql = "";
    const params: SqlValue[] = [];
    for (const [col, cond] of Object.entries(where)) {
      if (cond === undefined) continue;
      if (!this.def.columns[col] && !this.def.key[col]) throw new Error(`${this.def.name}: no column ${col}`);
      if (cond === null) sql += ` AND ${col} IS NULL`;
      else if (typeof cond !== "object") {
        sql += ` AND ${col} = ?`;
        params.push(cond);
      } else if ("in" in cond) {
        sql += ` AND ${col} IN (${cond.in.map(() => "?").join(", ") || "NULL"})`;
        params.push(...cond.in);
      } else if ("like" in cond) {
        sql += ` AND ${col} LIKE ? ESCAPE '\\'`;
        params.push(cond.like);
      } else if ("not" in cond) {
        sql += cond.not === null ? ` AND ${col} IS NOT NULL` : ` AND (${col} IS NULL OR ${col} != ?)`;
        if (cond.not !== null) params.push(cond.not);
      } else {
        for (const [op, sym] of [["gt", ">"], ["gte", ">="], ["lt", "<"], ["lte", "<="]] as const) {
          if (cond[op] !== undefined) {
            sql += ` AND ${col} ${sym} ?`;
            params.push(cond[op]!);
          }
        }
      }
    }
    return { sql, params };
  }

  /** One page in list order, starting after `after`. */
  list(scope: Scope, where: Where, limit: number, after?: Cursor): Page<T> {
    const { from, params, orderBy, orderCols } = this.range(scope, where, after);
    const rows = this.stmt(`SELECT ${orderCols.join(", ")}, doc ${from} ORDER BY ${orderBy} LIMIT ?`).all(...params, limit + 1) as Record<string, SqlValue>[];
    const more = rows.length > limit;
    const pageRows = more ? rows.slice(0, limit) : rows;
    const items = pageRows.map((r) => JSON.parse(r.doc as string) as T);
    const last = pageRows[pageRows.length - 1];
    return more && last ? { items, next: orderCols.map((c) => last[c] ?? null) } : { items };
  }

  /**
   * One page of a view (TableDef.views), as the items' stored JSON texts joined by commas (""
   * for none), with the same cursors as list(). SQLite joins the texts: a hundred strings of a
   * kilobyte cost more to hand to JavaScript one by one than the query itself. The position of
   * the page's last item, and whether another follows, come from the covering index.
   */
  listJson(view: string, scope: Scope, where: Where, limit: number, after?: Cursor): { json: string; next?: Cursor } {
    if (!this.def.views?.[view]) throw new Error(`${this.def.name}: no view ${view}`);
    if (!(limit >= 1)) throw new RangeError("a page holds at least one item");
    const { from, params, orderBy, orderCols } = this.range(scope, where, after);
    // The aggregate reads the ordered, limited subquery in its order (a subquery with LIMIT is
    // never flattened into an aggregate); the store's tests compare it with list().
    const json = (this.stmt(`SELECT group_concat(item, ',') AS json FROM (SELECT coalesce(${viewColumn(view)}, doc) AS item ${from} ORDER BY ${orderBy} LIMIT ?)`).get(...params, limit) as {
      json: string | null;
    }).json;
    const edge = this.stmt(`SELECT ${orderCols.join(", ")} ${from} ORDER BY ${orderBy} LIMIT 2 OFFSET ?`).all(...params, limit - 1) as Record<string, SqlValue>[];
    const last = edge[0];
    return edge.length === 2 && last ? { json: json ?? "", next: orderCols.map((c) => last[c] ?? null) } : { json: json ?? "" };
  }

  /** The rows of `scope` that match `where`, after `after`, in list order. */
  private range(scope: Scope, where: Where, after?: Cursor): { from: string; params: SqlValue[]; orderBy: string; orderCols: string[] } {
    const { sql, params } = this.conditions(where);
    const { desc } = this.def.order;
    const orderCols = [this.def.order.column, ...this.keyCols];
    let keyset = "";
    if (after) {
      if (after.length !== orderCols.length) throw new RangeError("cursor does not fit this list");
      keyset = ` AND (${orderCols.join(", ")}) ${desc ? "<" : ">"} (${orderCols.map(() => "?").join(", ")})`;
      params.push(...after);
    }
    const dir = desc ? "DESC" : "ASC";
    return {
      from: `FROM ${this.def.name} WHERE account = ? AND region = ?${sql}${keyset}`,
      params: [scope.accountId, scope.region, ...params],
      orderBy: orderCols.map((c) => `${c} ${dir}`).join(", "),
      orderCols,
    };
  }

  /** Every matching row in list order (for work bounded by something other than a page). */
  all(scope: Scope, where: Where = {}): T[] {
    const { sql, params } = this.conditions(where);
    const { column, desc } = this.def.order;
    const dir = desc ? "DESC" : "ASC";
    const rows = this.stmt(
      `SELECT doc FROM ${this.def.name} WHERE account = ? AND region = ?${sql} ORDER BY ${[column, ...this.keyCols].map((c) => `${c} ${dir}`).join(", ")}`,
    ).all(scope.accountId, scope.region, ...params) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as T);
  }

  count(scope: Scope, where: Where = {}): number {
    const { sql, params } = this.conditions(where);
    return (this.stmt(`SELECT count(*) AS n FROM ${this.def.name} WHERE account = ? AND region = ?${sql}`).get(scope.accountId, scope.region, ...params) as { n: number }).n;
  }

  /** Every row of every scope, for export and cross-scope work. */
  dump(): { accountId: string; region: string; doc: T }[] {
    return (this.stmt(`SELECT account, region, doc FROM ${this.def.name} ORDER BY account, region, ${this.keyCols.join(", ")}`).all() as {
      account: string;
      region: string;
      doc: string;
    }[]).map((r) => ({ accountId: r.account, region: r.region, doc: JSON.parse(r.doc) as T }));
  }

  /** Every scope holding at least one row matching `where` (cross-scope queries). */
  find(where: Where): { scope: Scope; doc: T }[] {
    const { sql, params } = this.conditions(where);
    return (this.stmt(`SELECT account, region, doc FROM ${this.def.name} WHERE 1 = 1${sql}`).all(...params) as {
      account: string;
      region: string;
      doc: string;
    }[]).map((r) => ({ scope: { accountId: r.account, region: r.region }, doc: JSON.parse(r.doc) as T }));
  }

  clear(): void {
    this.forgetAll();
    this.stmt(`DELETE FROM ${this.def.name}`).run();
  }
}
