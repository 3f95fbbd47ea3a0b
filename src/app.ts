/**
 * createApp(deps): the Koa application, never listening itself (main.ts and the embedding API
 * do that). The AWS edge handles every path outside /_emulator; @koa/router serves the
 * emulator's own routes.
 */
import Koa from "koa";
import compose from "koa-compose";
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import { operations, type OperationId } from "../generated/operations.js";
import { InvalidParameterValueException } from "../generated/errors.js";
import type { Config } from "./config.js";
import type { OffsetClock } from "./domain/clock.js";
import type { Scheduler } from "./domain/scheduler.js";
import type { Store } from "./store/store.js";
import { sharedBackend, type EdgeRequest } from "./api/backend.js";
import type { HandlerMap, RequestContext } from "./api/types.js";
import { internalFailure, ProtocolError, toWireError, unknownOperation, unmodeledError, type UnmodeledError } from "./protocol/errors.js";
import { BodyTooLargeError, readBody } from "./protocol/body.js";
import { modelRouteTable } from "./protocol/router.js";
import { bindInput, parseBody, validatorsPending, validateInput } from "./protocol/request.js";
import { parseCredentialScope, scopeOf } from "./protocol/sigv4.js";
import type { Scope } from "./store/table.js";
import { invoke } from "./api/invoke.js";
import { outputBody } from "./protocol/response.js";
import { adminRouter, landingRouter, localstackRouter } from "./admin/routes.js";

export interface AppDeps {
  config: Config;
  store: Store;
  clock: OffsetClock;
  scheduler: Scheduler;
  log: Logger;
  handlers: HandlerMap;
  version: string;
  /** Called after every request (the data plane looks for transfers the request queued). */
  afterRequest?: () => void;
  /** Told of every modeled error an operation threw that the model does not list for it (the test harness fails on it). */
  onUnmodeledError?: (e: UnmodeledError) => void;
}

interface EdgeState {
  requestId: string;
  op?: OperationId;
  accountId?: string;
  region?: string;
  /** Decoded path labels by member name, and the raw body, for the operation's dispatch. */
  labels: Record<string, string>;
  rawBody: string;
  /** The caller's account and region. */
  scope: Scope;
}

export async function createApp(deps: AppDeps): Promise<Koa> {
  const { config, store, clock, scheduler, log, handlers, onUnmodeledError } = deps;
  const routes = modelRouteTable();
  // SigV4 verification (and the signing code it needs) is loaded only for strict mode.
  const auth = config.authMode === "strict" ? await import("./protocol/auth.js") : undefined;
  const credentials = auth?.loadCredentials(config.credentials, config.credentialsFile);
  if (credentials && credentials.size === 0) throw new Error("AUTH_MODE=strict needs credentials: set CREDENTIALS (AKID:SECRET:ACCOUNT,…) or CREDENTIALS_FILE");
  const app = new Koa<EdgeState>();
  app.proxy = false;
  app.silent = true;

  /** An operation answers only with the errors the model lists for it (docs/architecture.md, "Errors"). */
  const answerable = (op: OperationId, requestId: string, error: unknown): unknown => {
    const unmodeled = unmodeledError(op, operations[op].errors, error);
    if (!unmodeled) return error;
    log.error({ requestId, op, error: unmodeled.error, message: unmodeled.message }, "operation threw an error its model does not list");
    onUnmodeledError?.(unmodeled);
    return internalFailure();
  };

  const run = async (op: OperationId, kctx: Koa.ParameterizedContext<EdgeState>) => {
    const spec = operations[op];
    const query = new URLSearchParams(kctx.querystring);
    const body = spec.body.length > 0 ? parseBody(kctx.state.rawBody) : {};
    const input = bindInput(spec, kctx.state.labels, query, body);
    const loading = validatorsPending();
    if (loading) await loading;
    validateInput(op, input);

    const scope = kctx.state.scope;
    const ctx: RequestContext = { scope, store, clock, config, requestId: kctx.state.requestId, log };
    // Reads and writes see the state of "now": first finish whatever fell due. Due work and the
    // operation's writes share one transaction (one commit, one fsync on disk); a failing
    // operation undoes only its own writes, in a savepoint, and the due work still lands.
    const now = clock.now();
    const due = store.nextDue();
    const modeledOnly = (error: unknown) => answerable(op, ctx.requestId, error);
    let output: unknown;
    if (spec.method === "GET" && (due === null || due > now)) {
      try {
        output = invoke(op, handlers, input, ctx);
      } catch (error) {
        throw modeledOnly(error);
      }
    } else {
      const result = store.transaction(() => {
        scheduler.runDue(now);
        try {
          return { value: store.transaction(() => invoke(op, handlers, input, ctx)) };
        } catch (error) {
          return { error };
        }
      });
      // Acknowledged only once on disk: the commit's sync is shared with the requests committed meanwhile.
      if (store.persistent) await store.durable();
      if ("error" in result) throw modeledOnly(result.error);
      output = result.value;
    }
    scheduler.arm();

    kctx.status = spec.status;
    if (spec.status === 204) {
      kctx.body = null;
      kctx.status = 204;
    } else {
      kctx.type = "application/json";
      kctx.body = outputBody(output);
    }
  };

  // Outermost: request id, error envelope, one log line per request.
  app.use(async (kctx, next) => {
    const started = process.hrtime.bigint();
    kctx.state.requestId = randomUUID();
    kctx.set("x-amzn-RequestId", kctx.state.requestId);
    try {
      await next();
      deps.afterRequest?.();
    } catch (err) {
      const wire = toWireError(err);
      if (wire.unexpected) {
        log.error({ requestId: kctx.state.requestId, err: (err as Error).message }, "unexpected error");
        log.debug({ requestId: kctx.state.requestId, err }, "unexpected error (stack)");
      }
      kctx.status = wire.status;
      kctx.set(wire.headers);
      kctx.type = "application/json";
      kctx.body = JSON.stringify(wire.body);
    }
    // The dashboard polls its data every 2 s: those lines go to debug, not to the request log.
    const level = kctx.path.startsWith("/_emulator/ui") ? "debug" : "info";
    if (log.isLevelEnabled(level)) {
      log[level](
        {
          requestId: kctx.state.requestId,
          op: kctx.state.op ?? `${kctx.method} ${kctx.path}`,
          status: kctx.status,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          account: kctx.state.accountId,
          region: kctx.state.region,
        },
        "request",
      );
    }
  });

  // With ADMIN_TOKEN set, the emulator's own routes (but its health checks) need the token.
  if (config.adminToken) {
    const expected = Buffer.from(`Bearer ${config.adminToken}`);
    app.use(async (kctx, next) => {
      const open = kctx.path === "/_emulator/health" || kctx.path === "/_localstack/health";
      if (kctx.path.startsWith("/_emulator") && !open && !sameSecret(Buffer.from(kctx.get("authorization")), expected)) {
        throw new ProtocolError("UnauthorizedException", 401, "This emulator's /_emulator routes require the header `Authorization: Bearer <ADMIN_TOKEN>`.");
      }
      await next();
    });
  }

  const admin = adminRouter(deps);
  // The emulator's own routes; AWS requests (every other path) skip their matching.
  const own = compose([landingRouter().routes(), localstackRouter(deps).routes(), admin.routes(), admin.allowedMethods()]) as unknown as Koa.Middleware<EdgeState>;
  app.use((kctx, next) => (kctx.path === "/" || kctx.path.startsWith("/_emulator") || kctx.path.startsWith("/_localstack") ? own(kctx, next) : next()));

  // The AWS edge.
  app.use(async (kctx) => {
    if (kctx.path.startsWith("/_emulator") || kctx.path.startsWith("/_localstack")) throw unknownOperation(kctx.method, kctx.path);
    const match = routes.match(kctx.method, kctx.path, kctx.querystring);
    if (match.kind === "none") throw unknownOperation(kctx.method, kctx.path);
    if (match.kind === "bad-encoding") throw new InvalidParameterValueException(`The path segment "${match.segment}" is not valid percent-encoding.`);
    kctx.state.op = match.op;
    let raw = "";
    // Most reads carry no body at all: skip the stream machinery for them.
    const length = kctx.req.headers["content-length"];
    const hasBody = (length !== undefined && length !== "0") || kctx.req.headers["transfer-encoding"] !== undefined;
    try {
      if (hasBody) raw = await readBody(kctx.req, config.bodyLimitBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new ProtocolError("RequestEntityTooLargeException", 413, `The request body is larger than ${config.bodyLimitBytes} bytes.`);
      throw new ProtocolError("SerializationException", 400, `The request body could not be read: ${(err as Error).message}`);
    }
    const query = new URLSearchParams(kctx.querystring);
    let scope = scopeOf(parseCredentialScope(kctx.get("authorization"), query), { accountId: config.defaultAccountId, region: config.defaultRegion });
    if (auth && credentials) {
      // Strict mode: nothing runs, and no state is touched, for a request that is not properly signed.
      const verified = await auth.verifySignature({ method: kctx.method, path: kctx.path, query: kctx.querystring, headers: kctx.req.headersDistinct, body: raw }, credentials);
      scope = { accountId: verified.credential.accountId, region: verified.region };
    }
    kctx.state.scope = scope;
    kctx.state.accountId = scope.accountId;
    kctx.state.region = scope.region;
    kctx.state.rawBody = raw;
    kctx.state.labels = match.labels;
    const req: EdgeRequest = { method: kctx.method, path: kctx.path, headers: {}, body: raw, match };
    const backend = await sharedBackend();
    await backend(req, (op) => run(op, kctx));
  });

  return app;
}

/** Compares a presented secret with the expected one in time that does not depend on where they differ. */
function sameSecret(presented: Buffer, expected: Buffer): boolean {
  // timingSafeEqual needs equal lengths; a different length is a mismatch, and only the length leaks.
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
