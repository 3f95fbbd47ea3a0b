/**
 * The background service that runs transfers (docs/backups-with-data.md). Transfers are network
 * I/O, so they never run inside a request or a store transaction: the service picks queued
 * transfer rows (kicked after requests, and on a short poll), runs a few at a time through the
 * resource type's data plane module, and reports progress and results in short transactions
 * of its own. A finished transfer queues its job's completion, which the scheduler performs
 * once the job's delay has passed too. stop() aborts what is in flight and leaves it queued, so
 * the next start runs it again; a transfer cut short too often fails its job.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { ContentStore } from "../dataplane/content-store.js";
import { dataPlaneFor } from "../dataplane/index.js";
import { TransferError, type Manifest, type Sibling } from "../dataplane/types.js";
import type { TransferRecord } from "../store/schema/dataplane.js";
import type { Store } from "../store/store.js";
import type { Scope } from "../store/table.js";
import { parseArn } from "./arn.js";
import { BACKUP_JOB_WORK, backupJobProgress } from "./backup-jobs.js";
import type { Clock } from "./clock.js";
import { RESTORE_JOB_WORK, RESTORED_RESOURCE_DELETION_WORK, restoreJobProgress } from "./restore-jobs.js";
import type { Scheduler } from "./scheduler.js";
import { contents, SWEEP_WANTED, transfers } from "./transfers.js";

const POLL_MS = 250;
const PARALLEL_TRANSFERS = 2;
/** Progress is written at most this often. */
const PROGRESS_MS = 200;
/** Runs a transfer may start (the first, and restarts after a stop or a crash). */
const MAX_ATTEMPTS = 3;
/** PercentDone stays below 100 until the job completes. */
const MAX_RUNNING_PERCENT = 99;

const WORK_OF: Record<TransferRecord["Kind"], string> = {
  BACKUP: BACKUP_JOB_WORK,
  RESTORE: RESTORE_JOB_WORK,
  DELETE: RESTORED_RESOURCE_DELETION_WORK,
};

interface Running {
  controller: AbortController;
  done: Promise<void>;
  /** Why it was aborted, when it was. */
  reason?: "stopping" | "unwanted";
}

export class DataPlaneService {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Map<string, Running>();
  private stopped = true;
  private kicked = false;
  private readonly ownsContentRoot: boolean;
  readonly content: ContentStore;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly config: Pick<Config, "resourceEndpoint" | "dataDir">,
    private readonly log: Logger,
  ) {
    // Content lives beside the database, or in a temporary folder removed at stop.
    this.ownsContentRoot = !config.dataDir;
    this.content = new ContentStore(config.dataDir ? join(config.dataDir, "content") : mkdtempSync(join(tmpdir(), "aws-backup-emulator-content-")));
  }

  start(): void {
    this.recover();
    this.store.setMeta(SWEEP_WANTED, "1");
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Look for work soon (after a request or a run of scheduled work). */
  kick(): void {
    if (this.stopped || this.kicked) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      this.tick();
    });
  }

  /** Abort transfers in flight, leaving them to run again at the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const r of this.running.values()) {
      r.reason = "stopping";
      r.controller.abort(new Error("The emulator is stopping."));
    }
    await Promise.all([...this.running.values()].map((r) => r.done));
    if (this.ownsContentRoot) rmSync(this.content.root, { recursive: true, force: true });
  }

  /** Transfers that were running when the process ended run again, a bounded number of times. */
  private recover(): void {
    this.store.transaction(() => {
      for (const { scope, doc } of transfers(this.store).find({ state: "RUNNING" })) {
        if (doc.Attempts >= MAX_ATTEMPTS) {
          this.finish(scope, doc, {
            State: "FAILED",
            Message: `The transfer of ${doc.ResourceArn} was interrupted ${doc.Attempts} times (the emulator stopped while it ran) and was given up.`,
          });
        } else {
          transfers(this.store).put(scope, { ...doc, State: "QUEUED", BytesTransferred: 0, ItemsTransferred: 0 });
        }
      }
    });
  }

  private tick(): void {
    if (this.stopped || !this.store.db.open) return;
    try {
      if (this.running.size < PARALLEL_TRANSFERS) {
        for (const { scope, doc } of transfers(this.store).find({ state: "QUEUED" })) {
          if (this.running.size >= PARALLEL_TRANSFERS) break;
          if (!this.running.has(key(scope, doc.TransferId))) this.launch(scope, doc);
        }
      }
      if (this.running.size === 0 && this.store.getMeta(SWEEP_WANTED) === "1") this.sweep();
    } catch (err) {
      this.log.error({ err }, "data plane tick failed");
    }
  }

  /**
   * Remove blobs no recovery point or transfer refers to. Runs only while no transfer is in
   * flight (their blobs are not referenced yet), and synchronously, so none starts meanwhile.
   */
  sweep(): { removed: number; bytes: number } {
    this.store.setMeta(SWEEP_WANTED, "0");
    const keep = new Set<string>();
    const hold = (manifest: string | undefined) => {
      if (!manifest || keep.has(manifest)) return;
      keep.add(manifest);
      if (!this.content.has(manifest)) return;
      for (const p of (JSON.parse(readFileSync(this.content.path(manifest), "utf8")) as Manifest).parts) keep.add(p.hash);
    };
    for (const { doc } of contents(this.store).find({})) hold(doc.Manifest);
    for (const { doc } of transfers(this.store).find({})) hold(doc.Manifest);
    const out = this.content.sweep(keep);
    if (out.removed) this.log.info({ blobs: out.removed, bytes: out.bytes }, "unreferenced content removed");
    return out;
  }

  private launch(scope: Scope, row: TransferRecord): void {
    const controller = new AbortController();
    const entry: Running = { controller, done: Promise.resolve() };
    this.running.set(key(scope, row.TransferId), entry);
    entry.done = this.run(scope, row, entry)
      .catch((err: unknown) => this.log.error({ err, transfer: row.TransferId }, "transfer bookkeeping failed"))
      .finally(() => {
        this.running.delete(key(scope, row.TransferId));
        this.kick();
      });
  }

  private async run(scope: Scope, queued: TransferRecord, entry: Running): Promise<void> {
    const table = transfers(this.store);
    const row: TransferRecord = { ...queued, State: "RUNNING", Attempts: queued.Attempts + 1, BytesTransferred: 0, ItemsTransferred: 0 };
    table.put(scope, row);
    const sibling: Sibling = {
      endpoint: this.config.resourceEndpoint!,
      accountId: scope.accountId,
      // S3 ARNs name no region: the job's.
      region: parseArn(row.ResourceArn)?.region || scope.region,
      signal: entry.controller.signal,
    };
    let bytes = 0;
    let items = 0;
    let total = row.TotalBytes ?? 0;
    let written = 0;
    const report = (force: boolean) => {
      const now = Date.now();
      if (!force && now - written < PROGRESS_MS) return;
      written = now;
      if (!this.store.db.open || entry.controller.signal.aborted) return;
      const percent = total > 0 ? Math.min(MAX_RUNNING_PERCENT, (bytes / total) * 100) : 0;
      const wanted = this.store.transaction(() => {
        const current = table.get(scope, row.TransferId);
        if (!current || current.State !== "RUNNING") return false;
        table.put(scope, { ...current, BytesTransferred: bytes, ItemsTransferred: items, TotalBytes: total });
        const at = this.clock.now();
        if (row.Kind === "BACKUP") return backupJobProgress(this.store, scope, row.JobId, bytes, percent, at);
        if (row.Kind === "RESTORE") return restoreJobProgress(this.store, scope, row.JobId, percent, at);
        return true;
      });
      if (!wanted) {
        entry.reason = "unwanted";
        entry.controller.abort(new Error("The job no longer wants this transfer."));
      }
    };
    const progress = {
      add: (b: number, i = 0) => {
        bytes += b;
        items += i;
        report(false);
      },
      total: (b: number) => {
        total = b;
        report(true);
      },
    };
    try {
      const plane = await dataPlaneFor(row.ResourceType);
      if (!plane) throw new TransferError(`${row.ResourceType} resources have no data plane in this emulator.`);
      report(true);
      if (row.Kind === "BACKUP") {
        const manifest = await plane.backup(sibling, row.ResourceArn, this.content, progress);
        const blob = await this.content.putBuffer(JSON.stringify(manifest));
        // A backup that holds only a description stores just its manifest.
        this.done(scope, row, entry, { State: "DONE", Manifest: blob.hash, SizeBytes: manifest.sizeBytes || blob.size, RestoreMetadata: manifest.restoreMetadata, BytesTransferred: bytes, ItemsTransferred: items });
      } else if (row.Kind === "RESTORE") {
        const manifest = await this.manifest(row);
        const arn = await plane.restore(sibling, manifest, { targetArn: row.ResourceArn, metadata: row.RestoreMetadata ?? {} }, this.content, progress);
        this.done(scope, row, entry, { State: "DONE", CreatedResourceArn: arn, BytesTransferred: bytes, ItemsTransferred: items });
      } else {
        await plane.remove(sibling, row.ResourceArn);
        this.done(scope, row, entry, { State: "DONE" });
      }
    } catch (err) {
      if (entry.reason === "stopping") return; // stays RUNNING: the next start runs it again
      const message =
        entry.reason === "unwanted"
          ? "The job was stopped."
          : err instanceof TransferError
            ? err.message
            : `Transfer of ${row.ResourceArn} failed unexpectedly: ${(err as Error).message ?? String(err)}`;
      if (!(err instanceof TransferError) && entry.reason !== "unwanted") this.log.warn({ err, transfer: row.TransferId }, "transfer failed unexpectedly");
      this.done(scope, row, entry, { State: "FAILED", Message: message });
    }
  }

  /** The manifest a restore reads, with a clear failure when its content is not here. */
  private async manifest(row: TransferRecord): Promise<Manifest> {
    const missing = () =>
      new TransferError(
        `The content of this recovery point (manifest ${row.Manifest}) is not in the emulator's content store; state documents carry no content, so a restore of a recovery point loaded from one cannot bring data back.`,
      );
    if (!row.Manifest || !this.content.has(row.Manifest)) throw missing();
    const manifest = JSON.parse((await this.content.readBuffer(row.Manifest)).toString("utf8")) as Manifest;
    if (manifest.parts.some((p) => !this.content.has(p.hash))) throw missing();
    return manifest;
  }

  private done(scope: Scope, row: TransferRecord, entry: Running, patch: Partial<TransferRecord>): void {
    if (entry.reason === "stopping" || !this.store.db.open) return;
    this.store.transaction(() => this.finish(scope, row, patch));
    this.scheduler.arm();
  }

  /** Record the transfer's end and queue its job's completion, no earlier than the job's delay allows. */
  private finish(scope: Scope, row: TransferRecord, patch: Partial<TransferRecord>): void {
    const current = transfers(this.store).get(scope, row.TransferId);
    // A job that dropped its transfer (stopped, or ended) has no use for the result.
    if (!current) return;
    transfers(this.store).put(scope, { ...current, ...patch });
    if (patch.State === "FAILED") this.store.setMeta(SWEEP_WANTED, "1");
    this.store.schedule(Math.max(this.clock.now(), current.CompleteAt), WORK_OF[row.Kind], scope, row.JobId, { to: "COMPLETED" });
  }
}

const key = (scope: Scope, id: string): string => `${scope.accountId}/${scope.region}/${id}`;
