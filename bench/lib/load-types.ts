/** Messages between the orchestrator and the load-generator process (plain JSON over IPC). */

/**
 * One request of a scenario's cycle. `{{n}}` in the path or body is replaced by a value unique
 * to the cycle (the same in every request of one cycle, so a create and its delete name the
 * same vault).
 */
export interface RequestSpec {
  method: "GET" | "PUT" | "POST" | "DELETE";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadJob {
  /** e.g. http://127.0.0.1:4566 */
  url: string;
  connections: number;
  /** Seconds of load that is thrown away first (JIT, caches, catch-up work after a pause). */
  warmupSeconds: number;
  durationSeconds: number;
  requests: RequestSpec[];
  /**
   * The server closes the connection after each answer (moto's Werkzeug server does), so every
   * request opens a new one, as an SDK talking to it does. autocannon keeps writing to the closed
   * socket and miscounts such servers, so these are driven by a plain node:http loop instead.
   */
  connectionPerRequest?: boolean;
}

export interface LoadResult {
  requests: number;
  elapsedSeconds: number;
  rps: number;
  /** Latency percentiles of 2xx responses in milliseconds (10 µs resolution). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytesPerSecond: number;
}

export type WorkerRequest = { id: number; job: LoadJob };
export type WorkerReply = { id: number; result: LoadResult } | { id: number; error: string };
