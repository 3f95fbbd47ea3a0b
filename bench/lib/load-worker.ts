/**
 * The load generator: a process of its own (forked by load.ts) so that its event loop is shared
 * with neither the orchestrator nor the server under test. It runs one job at a time and answers
 * with its numbers.
 */
import { request } from "node:http";
import autocannon, { type RawRequest, type Request } from "autocannon";
import type { LoadJob, LoadResult, RequestSpec, WorkerReply, WorkerRequest } from "./load-types.js";

/** Latency histogram: 10 µs buckets up to 5 s (autocannon's own one rounds to whole milliseconds). */
const BUCKET_MS = 0.01;
const BUCKETS = 500_000;

class Histogram {
  readonly counts = new Uint32Array(BUCKETS);
  total = 0;
  max = 0;
  record(ms: number): void {
    const i = Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS));
    this.counts[i]! += 1;
    this.total += 1;
    if (ms > this.max) this.max = ms;
  }
  /** Upper edge of the bucket holding the q-quantile. */
  quantile(q: number): number {
    if (this.total === 0) return NaN;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return (i + 1) * BUCKET_MS;
    }
    return this.max;
  }
}

/** What one measurement counts, whichever driver produced it. */
class Tally {
  readonly hist = new Histogram();
  responses = 0;
  bytes = 0;
  non2xx = 0;
  errors = 0;
  timeouts = 0;
  readonly statusCodes: Record<string, number> = {};
  constructor(private readonly started = process.hrtime.bigint()) {}
  response(status: number, resBytes: number, ms: number): void {
    this.responses += 1;
    this.bytes += resBytes;
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
    if (status >= 200 && status < 300) this.hist.record(ms);
    else this.non2xx += 1;
  }
  result(): LoadResult {
    const elapsedSeconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    return {
      requests: this.responses,
      elapsedSeconds,
      rps: this.responses / elapsedSeconds,
      p50: this.hist.quantile(0.5),
      p90: this.hist.quantile(0.9),
      p99: this.hist.quantile(0.99),
      max: this.hist.max,
      non2xx: this.non2xx,
      errors: this.errors,
      timeouts: this.timeouts,
      statusCodes: this.statusCodes,
      bytesPerSecond: this.bytes / elapsedSeconds,
    };
  }
}

/** Unique across the whole benchmark run: names of earlier rounds must not collide either. */
let cycle = 0;
const prefix = `b${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const nextName = () => `${prefix}-${(cycle++).toString(36)}`;

const isTemplated = (specs: RequestSpec[]) => specs.some((s) => s.path.includes("{{n}}") || (s.body ?? "").includes("{{n}}"));

/** autocannon: keep-alive connections, one request in flight on each. */
function withAutocannon(job: LoadJob, seconds: number): Promise<LoadResult> {
  const templated = isTemplated(job.requests);
  const requests: Request[] = job.requests.map((s, i) => {
    const req: Request = { method: s.method, path: s.path, headers: s.headers, ...(s.body !== undefined ? { body: s.body } : {}) };
    if (!templated) return req;
    // Split once so a request costs a join, not a regex, in the generator's hot loop.
    const pathParts = s.path.split("{{n}}");
    const bodyParts = s.body?.split("{{n}}");
    req.setupRequest = (raw: RawRequest, context: Record<string, unknown>) => {
      if (i === 0) context.n = nextName();
      const n = context.n as string;
      raw.path = pathParts.join(n);
      if (bodyParts) raw.body = bodyParts.join(n);
      return raw;
    };
    return req;
  });
  return new Promise((resolve, reject) => {
    const tally = new Tally();
    const instance = autocannon({ url: job.url, connections: job.connections, duration: seconds, pipelining: 1, timeout: 10, requests }, (err, result) => {
      if (err) return reject(err);
      tally.errors = result.errors;
      tally.timeouts = result.timeouts;
      resolve(tally.result());
    });
    instance.on("response", (_client, status, resBytes, ms) => tally.response(status, resBytes, ms));
  });
}

/** A new connection per request (for servers that close each one), `connections` loops in parallel. */
async function withConnectionPerRequest(job: LoadJob, seconds: number): Promise<LoadResult> {
  const url = new URL(job.url);
  const tally = new Tally();
  const deadline = performance.now() + seconds * 1000;
  const one = (spec: RequestSpec, n: string) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const body = spec.body?.replaceAll("{{n}}", n);
      const req = request(
        { host: url.hostname, port: url.port, method: spec.method, path: spec.path.replaceAll("{{n}}", n), headers: spec.headers, agent: false, timeout: 10_000 },
        (res) => {
          let bytes = 0;
          res.on("data", (c: Buffer) => (bytes += c.length));
          res.on("end", () => {
            tally.response(res.statusCode ?? 0, bytes, performance.now() - t0);
            resolve();
          });
        },
      );
      req.on("timeout", () => {
        tally.timeouts += 1;
        req.destroy();
      });
      req.on("error", () => {
        tally.errors += 1;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < deadline) {
        const n = nextName();
        for (const spec of job.requests) await one(spec, n);
      }
    }),
  );
  return tally.result();
}

const drive = (job: LoadJob, seconds: number) => (job.connectionPerRequest ? withConnectionPerRequest(job, seconds) : withAutocannon(job, seconds));

process.on("message", (msg: WorkerRequest) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      if (msg.job.warmupSeconds > 0) await drive(msg.job, msg.job.warmupSeconds);
      reply = { id: msg.id, result: await drive(msg.job, msg.job.durationSeconds) };
    } catch (err) {
      reply = { id: msg.id, error: (err as Error).stack ?? String(err) };
    }
    process.send!(reply);
  })();
});

// The orchestrator going away (finished or crashed) ends the generator too.
process.on("disconnect", () => process.exit(0));
