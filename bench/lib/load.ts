/** The orchestrator's handle on the load-generator process (load-worker.ts). */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { LoadJob, LoadResult, WorkerReply } from "./load-types.js";

const WORKER = fileURLToPath(new URL("./load-worker.ts", import.meta.url));

/** IPC carries JSON, where NaN (no 2xx answer to take a percentile of) arrives as null. */
function fromWire(r: LoadResult): LoadResult {
  const num = (v: number | null) => (v === null ? NaN : v);
  return { ...r, p50: num(r.p50), p90: num(r.p90), p99: num(r.p99), max: num(r.max) };
}

export class LoadGenerator {
  private readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();

  constructor() {
    // One long-lived process for the whole run: forking per measurement would add tsx's
    // start-up to every one of them for nothing.
    this.proc = fork(WORKER, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.proc.on("message", (msg: WorkerReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if ("error" in msg) p.reject(new Error(`load generator: ${msg.error}`));
      else p.resolve(fromWire(msg.result));
    });
    this.proc.on("exit", (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`load generator exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  run(job: LoadJob): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send({ id, job });
    });
  }

  close(): void {
    if (this.proc.connected) this.proc.disconnect();
  }
}
