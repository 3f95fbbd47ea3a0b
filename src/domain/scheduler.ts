/**
 * The one driver of time-based work (docs/architecture.md, "Time"). Work is a row in the store's queue with a
 * due time; `runDue(t)` performs every item due up to t in due order, each in its own
 * transaction, handing it the time it was due so its effects carry that time. Because the
 * queue is stored, work that fell due while the process was down, or that a clock jump skipped
 * over, runs the same way. A single timer wakes the scheduler for the next item; requests also
 * call `runDue` first, so reads always see the state of "now".
 */
import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import type { Store, WorkItem } from "../store/store.js";

/** Performs one item of work at time `at` (its due time). May schedule further work. */
export type WorkHandler = (item: WorkItem, at: number) => void;

/** Longest the timer sleeps, so clock changes made elsewhere are noticed. */
const MAX_SLEEP_MS = 60_000;

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private readonly handlers = new Map<string, WorkHandler>();
  /** Async preparation before due work runs on a timer or a clock move (e.g. resource discovery). */
  prepare: ((until: number) => Promise<void>) | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  register(kind: string, handler: WorkHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Perform all work due at or before `until`, in order. Returns how many items ran. */
  runDue(until: number = this.clock.now()): number {
    const next = this.store.nextDue();
    if (next === null || next > until || this.running) return 0;
    this.running = true;
    let n = 0;
    try {
      // All due items commit together; each runs in a savepoint, so one that fails is undone
      // alone and dropped (logged) without blocking the queue.
      this.store.transaction(() => {
        for (;;) {
          const item = this.store.peekDue(until);
          if (!item) break;
          const handler = this.handlers.get(item.kind);
          // Done with this step: the row is queued again for the next one, if it names one.
          const done = () => (item.then && handler ? this.store.requeue({ ...item, then: item.then }) : this.store.finishWork(item.seq));
          try {
            this.store.transaction(() => {
              handler?.(item, item.due);
              done();
            });
            if (!handler) this.log.warn({ kind: item.kind }, "dropped work of an unknown kind");
          } catch (err) {
            this.log.error({ err, kind: item.kind, ref: item.ref }, "scheduled work failed");
            done();
          }
          n++;
        }
      });
    } finally {
      this.running = false;
    }
    if (!this.stopped) this.arm();
    return n;
  }

  /** `prepare`, then runDue: the path for timers and clock moves, where waiting is fine. */
  async runDueAfterPrepare(until: number = this.clock.now()): Promise<number> {
    try {
      await this.prepare?.(until);
    } catch (err) {
      this.log.warn({ err }, "preparing scheduled work failed");
    }
    return this.runDue(until);
  }

  /** Start waking up for due work. */
  start(): void {
    this.stopped = false;
    this.runDue();
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Re-arm the timer for the earliest queued item (call after scheduling work). */
  arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.store.nextDue();
    if (next === null) return;
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, (next - this.clock.now()) * 1000));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runDueAfterPrepare().finally(() => this.arm());
    }, Math.ceil(delay));
    this.timer.unref();
  }
}
