/**
 * Assembling a running emulator: store, clock, scheduler, the Koa app and its listener.
 * Used by the command line (main.ts) and by test suites that embed the emulator (index.ts).
 */
import type { AddressInfo } from "node:net";
import { createServer, STATUS_CODES, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import { createLogger } from "./log.js";
import { createApp } from "./app.js";
import { configFromOptions, type Config } from "./config.js";
import type { Emulator, EmulatorOptions } from "./embedding.js";
import { restoreClock, saveClock, type OffsetClock } from "./domain/clock.js";
import { readFileSync } from "node:fs";
import { importState } from "./store/snapshot.js";
import { Scheduler } from "./domain/scheduler.js";
import { registerAllWork } from "./domain/work.js";
import { ResourceDiscovery } from "./domain/discovery.js";
import { EventForwarder } from "./domain/forwarding.js";
import { DataPlaneService } from "./domain/data-plane.js";
import { PLAN_RULE_WORK } from "./domain/plan-schedule.js";
import { handlers } from "./handlers/index.js";
import { Store } from "./store/store.js";
import { VERSION } from "./version.js";

export type { EmulatorOptions };

/** The embedding handle with the internals this project's own tests reach into. */
export interface RunningEmulator extends Emulator {
  config: Config;
  store: Store;
  clock: OffsetClock;
  scheduler: Scheduler;
  server: Server;
  /** Set when a resource endpoint is: the service that runs backup and restore transfers. */
  dataPlane?: DataPlaneService;
}

/** How long stop() waits for requests in flight before closing their connections. */
const STOP_GRACE_MS = 10_000;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { logger, onUnmodeledError, ...overrides } = options;
  const config = configFromOptions(overrides);
  const log = logger ?? (await createLogger(config.logLevel));
  const store = Store.open(config.dataDir);

  // The clock continues where a persistent store left it; CLOCK_START only sets a fresh one.
  const clock = restoreClock(store, config.clockStart);
  saveClock(store, clock);

  // A seed loads into a new database only, so restarting on a DATA_DIR keeps its changes.
  if (config.seed && store.isEmpty()) {
    const doc = importState(store, JSON.parse(readFileSync(config.seed, "utf8")) as unknown);
    if (doc.clock && !config.clockStart) {
      clock.setOffsetSeconds(doc.clock.offsetSeconds);
      saveClock(store, clock);
    }
  }

  const scheduler = new Scheduler(store, clock, log);
  const discovery = config.resourceEndpoint ? new ResourceDiscovery(config.resourceEndpoint, log) : undefined;
  registerAllWork(scheduler, { store, config, log, ...(discovery ? { discovery } : {}) });
  // Plan runs pick resources from the discovery endpoint: read it before due runs are performed.
  if (discovery) scheduler.prepare = (until) => discovery.refresh(store.dueScopes(PLAN_RULE_WORK, until));
  const forwarder = new EventForwarder(store, config, log);
  store.logStateChanges = Boolean(config.eventBridgeEndpoint);
  // Backups and restores move data only when there is a resource endpoint to move it from and to.
  const dataPlane = config.resourceEndpoint ? new DataPlaneService(store, clock, scheduler, config, log) : undefined;

  const app = await createApp({
    config,
    store,
    clock,
    scheduler,
    log,
    handlers,
    version: VERSION,
    ...(dataPlane ? { afterRequest: () => dataPlane.kick() } : {}),
    ...(onUnmodeledError ? { onUnmodeledError } : {}),
  });
  const server = createServer(app.callback());
  // A slow or stalled client cannot hold a connection for ever.
  server.requestTimeout = config.requestTimeoutSeconds * 1000;
  server.headersTimeout = Math.max(1000, Math.min(server.requestTimeout, Math.ceil(server.requestTimeout / 3)));
  server.keepAliveTimeout = 5000;
  // What Node's HTTP parser refuses before Koa sees it (a request line or headers over 16 KiB,
  // malformed HTTP, a request too slow to arrive) still gets an AWS-shaped error.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const [status, name, message] =
      err.code === "HPE_HEADER_OVERFLOW"
        ? [431, "RequestHeaderFieldsTooLargeException", "The request line and headers are larger than 16 KiB."]
        : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "RequestTimeoutException", `The request did not arrive within ${config.requestTimeoutSeconds} seconds.`]
          : [400, "BadRequestException", "The request is not valid HTTP."];
    const body = JSON.stringify({ message, Message: message, Code: name, Type: "User" });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nX-Amzn-ErrorType: ${name}\r\nx-amzn-RequestId: ${randomUUID()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  await scheduler.runDueAfterPrepare();
  scheduler.start();
  forwarder.start();
  dataPlane?.start();
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  let stopping: Promise<void> | undefined;

  return {
    endpoint: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    config,
    store,
    clock,
    scheduler,
    server,
    ...(dataPlane ? { dataPlane } : {}),
    stop() {
      stopping ??= (async () => {
        scheduler.stop();
        await forwarder.stop();
        await dataPlane?.stop();
        // Stop accepting; let requests in flight finish, for a bounded time.
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        });
        store.close();
      })();
      return stopping;
    },
  };
}
