/**
 * The list views a table keeps beside each document (TableDef.views): written with every write,
 * served by listJson exactly as the view function shapes the document, and recomputed when a
 * database was written without them or by other view functions.
 */
import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Store } from "../src/store/store.js";
import { DB_FILE } from "../src/store/db.js";
import type { BackupJobRecord, RecoveryPointRecord } from "../src/store/records.js";
import { backupJobListMember, recoveryPointByResource, recoveryPointByVault } from "../src/domain/list-members.js";

const A = { accountId: "000000000000", region: "us-east-1" };
const B = { accountId: "111122223333", region: "eu-west-1" };

function job(id: string, created: number, state: BackupJobRecord["State"] = "CREATED"): BackupJobRecord {
  return {
    AccountId: A.accountId,
    BackupJobId: id,
    BackupVaultName: "v",
    BackupVaultArn: "arn:aws:backup:us-east-1:000000000000:backup-vault:v",
    ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/t${id}`,
    ResourceType: "DynamoDB",
    CreationDate: created,
    State: state,
    IamRoleArn: "arn:aws:iam::000000000000:role/r",
  };
}

function point(n: number, extra: Partial<RecoveryPointRecord> = {}): RecoveryPointRecord {
  return {
    RecoveryPointArn: `arn:aws:backup:us-east-1:000000000000:recovery-point:rp-${n}`,
    BackupVaultName: "v",
    BackupVaultArn: "arn:aws:backup:us-east-1:000000000000:backup-vault:v",
    ResourceArn: "arn:aws:dynamodb:us-east-1:000000000000:table/t",
    ResourceType: "DynamoDB",
    IamRoleArn: "arn:aws:iam::000000000000:role/r",
    Status: "COMPLETED",
    CreationDate: n,
    StorageClass: "WARM",
    IsEncrypted: true,
    ...extra,
  } as RecoveryPointRecord;
}

const parsed = (page: { json: string }) => JSON.parse(`[${page.json}]`) as unknown[];

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function open(dir?: string): Store {
  const s = Store.open(dir);
  stores.push(s);
  return s;
}
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "views-test-"));
  dirs.push(d);
  return d;
}

describe.each([
  { mode: "in memory", dir: () => undefined },
  { mode: "on disk", dir: tempDir },
])("List views $mode", ({ dir }) => {
  it("follow every write of a row: insert, upsert, update and delete", () => {
    const s = open(dir());
    const j = job("j1", 10);
    s.backupJobs.insert(A, j);
    expect(parsed(s.backupJobs.listJson("list", A, {}, 10))).toEqual([backupJobListMember(j)]);
    // A list member that is the whole record is not stored twice: the page reads the document.
    expect(JSON.stringify(backupJobListMember(j))).toBe(JSON.stringify(j));
    expect(s.db.prepare("SELECT view_list FROM backup_jobs").get()).toEqual({ view_list: null });
    const withInternal = { ...j, BackupJobId: "j0", CreationDate: 5, Internal: "not in the list shape" } as BackupJobRecord;
    s.backupJobs.insert(A, withInternal);
    expect(parsed(s.backupJobs.listJson("list", A, {}, 10))).toEqual([backupJobListMember(j), backupJobListMember(withInternal)]);
    expect(JSON.stringify(parsed(s.backupJobs.listJson("list", A, {}, 10))[1])).not.toContain("Internal");
    s.backupJobs.delete(A, "j0");

    const running = { ...j, State: "RUNNING" as const, PercentDone: "50.0" };
    s.backupJobs.update(A, j, running);
    expect(parsed(s.backupJobs.listJson("list", A, {}, 10))).toEqual([backupJobListMember(running)]);

    const done = { ...running, State: "COMPLETED" as const, CompletionDate: 20, RecoveryPointArn: "arn:rp" };
    s.backupJobs.put(A, done);
    expect(parsed(s.backupJobs.listJson("list", A, {}, 10))).toEqual([backupJobListMember(done)]);
    expect(parsed(s.backupJobs.listJson("list", A, { state: "RUNNING" }, 10))).toEqual([]);

    s.backupJobs.delete(A, "j1");
    expect(parsed(s.backupJobs.listJson("list", A, {}, 10))).toEqual([]);
  });

  it("page in list order with the same cursors as the documents, within the caller's scope", () => {
    const s = open(dir());
    for (let i = 0; i < 7; i++) s.recoveryPoints.insert(A, point(i, { ScanResults: i % 2 ? [{ ScanJobState: "FAILED", Findings: ["MALWARE"], LastScanTimestamp: i }] : undefined } as Partial<RecoveryPointRecord>));
    s.recoveryPoints.insert(B, point(99));
    // Page sizes that end mid-page, on the last item exactly, and beyond it.
    for (const size of [1, 3, 7, 10]) {
      let after;
      const byVault: unknown[] = [];
      let pages = 0;
      do {
        const docs = s.recoveryPoints.list(A, { vault: "v" }, size, after);
        const views = s.recoveryPoints.listJson("by_vault", A, { vault: "v" }, size, after);
        expect(views.next).toEqual(docs.next);
        expect(parsed(views)).toEqual(docs.items.map(recoveryPointByVault));
        expect(parsed(s.recoveryPoints.listJson("by_resource", A, { vault: "v" }, size, after))).toEqual(docs.items.map(recoveryPointByResource));
        byVault.push(...parsed(views));
        after = views.next;
        pages++;
      } while (after);
      expect(pages).toBe(Math.ceil(7 / size));
      expect(byVault).toHaveLength(7);
      expect(byVault.filter((v) => (v as { AggregatedScanResult?: { FailedScan: boolean } }).AggregatedScanResult?.FailedScan)).toHaveLength(3);
    }
  });

  it("are undone with the writes of a transaction that fails", () => {
    const s = open(dir());
    const j = job("j1", 10);
    s.backupJobs.insert(A, j);
    expect(() =>
      s.transaction(() => {
        s.backupJobs.update(A, j, { ...j, State: "FAILED" });
        throw new Error("undo");
      }),
    ).toThrow("undo");
    expect(parsed(s.backupJobs.listJson("list", A, {}, 10))).toEqual([backupJobListMember(j)]);
  });

  it("refuse what would leave them stale, and views a table does not have", () => {
    const s = open(dir());
    s.recoveryPoints.insert(A, point(1));
    expect(() => s.recoveryPoints.addToMember(A, [point(1).RecoveryPointArn], "BackupSizeInBytes", 1)).toThrow(/stale/);
    expect(() => s.recoveryPoints.listJson("nope", A, {}, 10)).toThrow(/no view nope/);
  });
});

describe("List views on disk, reopened", () => {
  it("are added and filled in for a database written before tables had them", () => {
    const dir = tempDir();
    const s1 = open(dir);
    s1.backupJobs.insert(A, job("j1", 1, "COMPLETED"));
    s1.recoveryPoints.insert(A, point(1));
    s1.close();
    const raw = new Database(join(dir, DB_FILE));
    raw.exec("ALTER TABLE backup_jobs DROP COLUMN view_list");
    raw.exec("ALTER TABLE recovery_points DROP COLUMN view_by_vault");
    raw.exec("DELETE FROM meta WHERE key LIKE 'views:%'");
    raw.prepare("UPDATE schema_version SET version = 3").run();
    raw.close();

    const s2 = open(dir);
    expect(parsed(s2.backupJobs.listJson("list", A, {}, 10))).toEqual([backupJobListMember(job("j1", 1, "COMPLETED"))]);
    expect(parsed(s2.recoveryPoints.listJson("by_vault", A, {}, 10))).toEqual([recoveryPointByVault(point(1))]);
    expect(parsed(s2.recoveryPoints.listJson("by_resource", A, {}, 10))).toEqual([recoveryPointByResource(point(1))]);
  });

  it("are recomputed when they were made by other view functions, and kept when they were not", () => {
    const dir = tempDir();
    const s1 = open(dir);
    // More rows than one backfill batch, so the batches are followed to the end.
    for (let i = 0; i < 1203; i++) s1.backupJobs.insert(A, job(`j${i}`, i));
    s1.close();
    const raw = new Database(join(dir, DB_FILE));
    raw.exec(`UPDATE backup_jobs SET view_list = '{"stale":true}'`);
    raw.close();
    // Same stamp: what is stored is trusted (a reopen does not redo every view).
    const s2 = open(dir);
    expect(parsed(s2.backupJobs.listJson("list", A, {}, 1))).toEqual([{ stale: true }]);
    s2.close();
    const raw2 = new Database(join(dir, DB_FILE));
    raw2.exec(`UPDATE meta SET value = 'another build' WHERE key = 'views:backup_jobs'`);
    raw2.close();

    const s3 = open(dir);
    const all = parsed(s3.backupJobs.listJson("list", A, {}, 2000));
    expect(all).toHaveLength(1203);
    expect(all).toEqual(s3.backupJobs.all(A).map(backupJobListMember));
  });
});
