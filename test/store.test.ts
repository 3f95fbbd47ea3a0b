/**
 * The store on its own, in both modes: temporary (the default) and on disk (DATA_DIR).
 * Every behaviour the API relies on is checked against both.
 */
import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Store } from "../src/store/store.js";
import { DB_FILE, SCHEMA_VERSION, SchemaVersionError } from "../src/store/db.js";
import type { BackupJobRecord, VaultRecord } from "../src/store/records.js";

const A = { accountId: "000000000000", region: "us-east-1" };
const B = { accountId: "111122223333", region: "eu-west-1" };

function vault(name: string, created = 1): VaultRecord {
  return {
    BackupVaultName: name,
    BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${name}`,
    VaultType: "BACKUP_VAULT",
    VaultState: "AVAILABLE",
    CreationDate: created,
    EncryptionKeyArn: "arn:aws:kms:us-east-1:000000000000:key/k",
    Locked: false,
    NumberOfRecoveryPoints: 0,
  };
}

function job(id: string, created: number, state: BackupJobRecord["State"] = "CREATED", vaultName = "v"): BackupJobRecord {
  return {
    AccountId: "000000000000",
    BackupJobId: id,
    BackupVaultName: vaultName,
    BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vaultName}`,
    ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/t${id}`,
    ResourceType: "DynamoDB",
    CreationDate: created,
    State: state,
    IamRoleArn: "arn:aws:iam::000000000000:role/r",
  };
}

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "store-test-"));
  dirs.push(d);
  return d;
}

const modes = [
  { mode: "in memory", open: () => Store.open() },
  { mode: "on disk", open: () => Store.open(tempDir()) },
];

describe.each(modes)("Store $mode", ({ open }) => {
  const make = () => {
    const s = open();
    stores.push(s);
    return s;
  };

  it("inserts, reads, replaces and deletes a record by key within its scope", () => {
    const s = make();
    expect(s.vaults.insert(A, vault("a"))).toBe(true);
    expect(s.vaults.insert(A, vault("a"))).toBe(false);
    expect(s.vaults.get(A, "a")?.BackupVaultName).toBe("a");
    expect(s.vaults.get(B, "a")).toBeUndefined();
    s.vaults.put(A, { ...vault("a"), NumberOfRecoveryPoints: 3 });
    expect(s.vaults.get(A, "a")?.NumberOfRecoveryPoints).toBe(3);
    expect(s.vaults.delete(A, "a")).toBe(true);
    expect(s.vaults.has(A, "a")).toBe(false);
    expect(s.vaults.delete(A, "a")).toBe(false);
  });

  it("pages through a list in order with a keyset cursor, each item once", () => {
    const s = make();
    for (let i = 0; i < 25; i++) s.backupJobs.insert(A, job(`j${String(i).padStart(2, "0")}`, 100 + (i % 5)));
    const seen: string[] = [];
    let after;
    let pages = 0;
    do {
      const page = s.backupJobs.list(A, {}, 10, after);
      seen.push(...page.items.map((j) => j.BackupJobId));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const created = seen.map((id) => s.backupJobs.get(A, id)!.CreationDate);
    expect(created).toEqual([...created].sort((x, y) => y - x));
  });

  it("filters by value, null, set, range, pattern and negation", () => {
    const s = make();
    s.backupJobs.insert(A, job("1", 10, "COMPLETED", "v1"));
    s.backupJobs.insert(A, job("2", 20, "RUNNING", "v1"));
    s.backupJobs.insert(A, { ...job("3", 30, "FAILED", "v2"), ParentJobId: "p" });
    const ids = (where: Parameters<typeof s.backupJobs.all>[1]) => s.backupJobs.all(A, where).map((j) => j.BackupJobId).sort();
    expect(ids({ state: "RUNNING" })).toEqual(["2"]);
    expect(ids({ vault: "v1", state: undefined })).toEqual(["1", "2"]);
    expect(ids({ parent_id: null })).toEqual(["1", "2"]);
    expect(ids({ state: { in: ["COMPLETED", "FAILED"] } })).toEqual(["1", "3"]);
    expect(ids({ created: { gt: 10, lte: 30 } })).toEqual(["2", "3"]);
    expect(ids({ vault: { like: "v%" } })).toEqual(["1", "2", "3"]);
    expect(ids({ state: { not: "RUNNING" } })).toEqual(["1", "3"]);
    expect(s.backupJobs.count(A, { vault: "v1" })).toBe(2);
    expect(s.backupJobs.deleteWhere(A, { vault: "v1" })).toBe(2);
    expect(ids({})).toEqual(["3"]);
  });

  it("rolls back every write of a transaction that throws", () => {
    const s = make();
    expect(() =>
      s.transaction(() => {
        s.vaults.insert(A, vault("x"));
        s.setTags(A, "arn:x", { k: "v" });
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(s.vaults.has(A, "x")).toBe(false);
    expect(s.getTags("arn:x")).toEqual({});
  });

  it("hands out queued work in due order, then insertion order", () => {
    const s = make();
    s.schedule(30, "k", A, "c");
    s.schedule(10, "k", A, "a");
    s.schedule(10, "k", B, "b");
    expect(s.nextDue()).toBe(10);
    const order: string[] = [];
    for (let item = s.peekDue(100); item; item = s.peekDue(100)) {
      order.push(item.ref);
      s.finishWork(item.seq);
    }
    expect(order).toEqual(["a", "b", "c"]);
    expect(s.nextDue()).toBeNull();
    s.schedule(5, "k", A, "gone");
    s.cancelWork("k", "gone");
    expect(s.peekDue(100)).toBeUndefined();
  });

  it("updates a record from the version it read: the changed columns follow, and a key change is refused", () => {
    const s = make();
    const before = job("u", 10, "CREATED", "v1");
    s.backupJobs.insert(A, before);
    const after = s.backupJobs.update(A, before, { ...before, State: "COMPLETED", CompletionDate: 20, MessageCategory: "SUCCESS" });
    expect(s.backupJobs.get(A, "u")).toEqual(after);
    expect(s.backupJobs.all(A, { state: "CREATED" })).toEqual([]);
    expect(s.backupJobs.all(A, { state: "COMPLETED", completed: { gte: 20 }, message_category: "SUCCESS", vault: "v1" }).map((j) => j.BackupJobId)).toEqual(["u"]);
    expect(() => s.backupJobs.update(A, after, { ...after, BackupJobId: "other" })).toThrow(/key/);
    expect(s.backupJobs.has(A, "other")).toBe(false);
  });

  it("hands out cached vaults frozen, and never one a rolled-back or reset write left behind", () => {
    const s = make();
    s.vaults.insert(A, vault("c"));
    const first = s.vaults.get(A, "c")!;
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => {
      (first as { NumberOfRecoveryPoints: number }).NumberOfRecoveryPoints = 9;
    }).toThrow(TypeError);
    s.vaults.addToMember(A, ["c"], "NumberOfRecoveryPoints", 2);
    expect(s.vaults.get(A, "c")!.NumberOfRecoveryPoints).toBe(2);
    expect(() =>
      s.transaction(() => {
        s.vaults.put(A, { ...vault("c"), NumberOfRecoveryPoints: 7 });
        expect(s.vaults.get(A, "c")!.NumberOfRecoveryPoints).toBe(7);
        throw new Error("undo");
      }),
    ).toThrow("undo");
    expect(s.vaults.get(A, "c")!.NumberOfRecoveryPoints).toBe(2);
    s.reset();
    expect(s.vaults.get(A, "c")).toBeUndefined();
  });

  it("queues a follow-up step on the same row: handed out with its step's data, then again when due", () => {
    const s = make();
    s.schedule(10, "job", A, "j1", { to: "RUNNING" }, { due: 20, data: { to: "COMPLETED" } });
    const first = s.peekDue(100)!;
    expect(first).toMatchObject({ due: 10, ref: "j1", data: { to: "RUNNING" }, then: { due: 20, data: { to: "COMPLETED" } } });
    s.requeue({ ...first, then: first.then! });
    expect(s.nextDue()).toBe(20);
    expect(s.peekDue(15)).toBeUndefined();
    const second = s.peekDue(100)!;
    expect(second.seq).toBe(first.seq);
    expect(second.data).toEqual({ to: "COMPLETED" });
    expect(second.then).toBeUndefined();
    s.finishWork(second.seq);
    expect(s.nextDue()).toBeNull();
  });

  it("keeps tags, idempotent replies, events and metadata, and resets to empty", () => {
    const s = make();
    expect(s.isEmpty()).toBe(true);
    s.setTags(A, "arn:1", { a: "1" });
    s.putReply(A, "Op", "req", 1, { x: 1 });
    s.appendEvent(A, "notification", 5, { e: 1 });
    s.setMeta("k", "v");
    expect(s.getTags("arn:1")).toEqual({ a: "1" });
    expect(s.getReply(A, "Op", "req")).toEqual({ x: 1 });
    expect(s.getReply(B, "Op", "req")).toBeUndefined();
    expect(s.listEvents("notification").map((e) => e.doc)).toEqual([{ e: 1 }]);
    s.setTags(A, "arn:1", {});
    expect(s.getTags("arn:1")).toEqual({});
    s.vaults.insert(A, vault("r"));
    expect(s.isEmpty()).toBe(false);
    s.reset();
    expect(s.isEmpty()).toBe(true);
    expect(s.getMeta("k")).toBe("v");
  });
});

describe("Store.afterCommit", () => {
  const make = () => {
    const s = Store.open();
    stores.push(s);
    return s;
  };

  it("runs an effect once the outermost transaction commits, in the order added, and not before", () => {
    const s = make();
    const ran: string[] = [];
    s.transaction(() => {
      s.afterCommit(() => ran.push("first"));
      s.transaction(() => s.afterCommit(() => ran.push("nested")));
      s.afterCommit(() => ran.push("last"));
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(["first", "nested", "last"]);
  });

  it("drops the effects of a transaction that rolls back", () => {
    const s = make();
    const ran: string[] = [];
    expect(() =>
      s.transaction(() => {
        s.vaults.insert(A, vault("gone"));
        s.afterCommit(() => ran.push("effect"));
        throw new Error("roll back");
      }),
    ).toThrow("roll back");
    expect(ran).toEqual([]);
    expect(s.vaults.get(A, "gone")).toBeUndefined();
  });

  it("drops only the effects of a savepoint that rolls back, keeping the outer transaction's", () => {
    const s = make();
    const ran: string[] = [];
    s.transaction(() => {
      s.afterCommit(() => ran.push("outer"));
      try {
        s.transaction(() => {
          s.afterCommit(() => ran.push("undone"));
          throw new Error("roll back the savepoint");
        });
      } catch {
        // The savepoint's failure is the outer transaction's to absorb, as the scheduler does.
      }
    });
    expect(ran).toEqual(["outer"]);
  });

  it("drops a committed savepoint's effects when the outer transaction then rolls back", () => {
    const s = make();
    const ran: string[] = [];
    expect(() =>
      s.transaction(() => {
        s.transaction(() => s.afterCommit(() => ran.push("released")));
        throw new Error("roll back");
      }),
    ).toThrow("roll back");
    expect(ran).toEqual([]);
  });

  it("runs an effect at once outside a transaction", () => {
    const s = make();
    const ran: string[] = [];
    s.afterCommit(() => ran.push("now"));
    expect(ran).toEqual(["now"]);
  });

  it("runs every effect when one fails, then reports the failure with the writes committed", () => {
    const s = make();
    const ran: string[] = [];
    expect(() =>
      s.transaction(() => {
        s.vaults.insert(A, vault("kept"));
        s.afterCommit(() => {
          throw new Error("effect failed");
        });
        s.afterCommit(() => ran.push("second"));
      }),
    ).toThrow("effect failed");
    expect(ran).toEqual(["second"]);
    expect(s.vaults.get(A, "kept")).toBeDefined();
  });
});

describe("Store on disk", () => {
  it("keeps committed records across close and reopen, in WAL mode with the log synced by durable()", async () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    s1.vaults.insert(A, vault("kept"));
    expect(s1.db.pragma("journal_mode", { simple: true })).toBe("wal");
    // NORMAL: commits leave the syncing to durable() (group commit); checkpoints still sync.
    expect(s1.db.pragma("synchronous", { simple: true })).toBe(1);
    await s1.durable();
    s1.close();
    const s2 = Store.open(dir);
    stores.push(s2);
    expect(s2.vaults.get(A, "kept")?.BackupVaultName).toBe("kept");
    expect(s2.db.pragma("integrity_check", { simple: true })).toBe("ok");
  });

  it("resolves durable() for commits made while a sync runs, with the sync after it", async () => {
    const s = Store.open(tempDir());
    stores.push(s);
    const order: string[] = [];
    s.vaults.insert(A, vault("a"));
    const first = s.durable().then(() => order.push("first"));
    // Committed after the first sync began: it waits for the next one, which the two share.
    s.vaults.insert(A, vault("b"));
    const second = s.durable().then(() => order.push("second"));
    s.vaults.insert(A, vault("c"));
    const third = s.durable().then(() => order.push("third"));
    await Promise.all([first, second, third]);
    expect(order).toEqual(["first", "second", "third"]);
    expect(s.vaults.count(A)).toBe(3);
    // Nothing queued: the next call starts a sync of its own.
    await s.durable();
  });

  it("gives a new database, from the schema script it records, the schema the migrations give", () => {
    const schema = (s: Store) => s.db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'stray' ORDER BY name").all();
    // A table already there makes the database not new: it runs every migration from version 0.
    const dir = tempDir();
    const raw = new Database(join(dir, DB_FILE));
    raw.exec("CREATE TABLE stray (x)");
    raw.close();
    const migrated = Store.open(dir);
    const scripted = Store.open(tempDir());
    stores.push(migrated, scripted);
    expect(schema(scripted)).toEqual(schema(migrated));
    expect(scripted.db.prepare("SELECT version FROM schema_version").all()).toEqual([{ version: SCHEMA_VERSION }]);
    scripted.backupJobs.insert(A, job("j", 1));
    expect(scripted.backupJobs.insert(A, job("j", 2))).toBe(false);
  });

  it("refuses a database written by a newer schema version with a message naming both versions", () => {
    const dir = tempDir();
    Store.open(dir).close();
    const raw = new Database(join(dir, DB_FILE));
    raw.prepare("UPDATE schema_version SET version = ?").run(SCHEMA_VERSION + 1);
    raw.close();
    expect(() => Store.open(dir)).toThrow(SchemaVersionError);
    expect(() => Store.open(dir)).toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this emulator's ${SCHEMA_VERSION}`));
  });

  it("migrates a database of an older version and fills a column its tables lacked", () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    s1.backupJobs.insert(A, { ...job("old", 1, "COMPLETED"), MessageCategory: "SUCCESS" });
    s1.close();
    // Make it look like version 1: no events index, and a backup_jobs table without message_category.
    const raw = new Database(join(dir, DB_FILE));
    raw.exec("DROP INDEX events_kind");
    raw.exec("DROP INDEX backup_jobs_order");
    for (const idx of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'backup_jobs' AND sql IS NOT NULL").all() as { name: string }[]) {
      raw.exec(`DROP INDEX ${idx.name}`);
    }
    raw.exec("ALTER TABLE backup_jobs DROP COLUMN message_category");
    raw.prepare("UPDATE schema_version SET version = 1").run();
    raw.close();

    const s2 = Store.open(dir);
    stores.push(s2);
    const version = (s2.db.prepare("SELECT version FROM schema_version").get() as { version: number }).version;
    expect(version).toBe(SCHEMA_VERSION);
    expect(s2.db.prepare("SELECT name FROM sqlite_master WHERE name = 'events_kind'").get()).toBeDefined();
    expect(s2.backupJobs.all(A, { message_category: "SUCCESS" }).map((j) => j.BackupJobId)).toEqual(["old"]);
  });

  it("rebuilds a version 2 table kept WITHOUT ROWID as a rowid table with its rows, indexes and unique key", () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    s1.backupJobs.insert(A, job("first", 1, "COMPLETED"));
    s1.backupJobs.insert(A, job("second", 2, "RUNNING"));
    s1.close();
    // Version 2 kept each resource table WITHOUT ROWID, keyed by its primary key.
    const raw = new Database(join(dir, DB_FILE));
    const cols = (raw.prepare("SELECT name, type FROM pragma_table_info('backup_jobs')").all() as { name: string; type: string }[]).map((c) => `${c.name} ${c.type}`);
    raw.exec("ALTER TABLE backup_jobs RENAME TO jobs_v3");
    raw.exec(`CREATE TABLE backup_jobs (${cols.join(", ")}, PRIMARY KEY (account, region, id)) WITHOUT ROWID`);
    raw.exec("INSERT INTO backup_jobs SELECT * FROM jobs_v3");
    raw.exec("DROP TABLE jobs_v3");
    raw.prepare("UPDATE schema_version SET version = 2").run();
    raw.close();

    const s2 = Store.open(dir);
    stores.push(s2);
    const sql = (s2.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'backup_jobs'").get() as { sql: string }).sql;
    expect(sql).not.toMatch(/WITHOUT ROWID/i);
    expect(s2.backupJobs.list(A, {}, 10).items.map((j) => j.BackupJobId)).toEqual(["second", "first"]);
    expect(s2.backupJobs.all(A, { state: "RUNNING" }).map((j) => j.BackupJobId)).toEqual(["second"]);
    expect(s2.db.prepare("SELECT name FROM sqlite_master WHERE name = 'backup_jobs_state'").get()).toBeDefined();
    expect(s2.backupJobs.insert(A, job("first", 3, "FAILED"))).toBe(false);
    s2.backupJobs.put(A, job("first", 1, "FAILED"));
    expect(s2.backupJobs.get(A, "first")?.State).toBe("FAILED");
    expect(s2.backupJobs.count(A)).toBe(2);
  });
});
