/** The emulator's own routes under /_emulator (not part of the AWS API). */
import Router, { type RouterContext } from "@koa/router";
import { readBody } from "../protocol/body.js";
import type { AppDeps } from "../app.js";
import { NOTIFICATION } from "../domain/events.js";
import { SWEEP_WANTED } from "../domain/transfers.js";
import { exportState, StateDocumentError } from "../store/snapshot.js";
import { importStateStream, StateSyntaxError, StateTooLargeError } from "../store/state-stream.js";
import { saveClock } from "../domain/clock.js";
import { parseArn } from "../domain/arn.js";
import { deleteInventoryResource, listInventory, putInventoryResource } from "../domain/resource-inventory.js";
import { ServiceError } from "../../generated/errors.js";
import type { Scope } from "../store/table.js";
import { uiRoutes } from "./ui/routes.js";
import { loadOpenApiDocument } from "../api/backend.js";

let openApiCache: string | undefined;
const openApiText = () => (openApiCache ??= JSON.stringify(loadOpenApiDocument()));

/** State documents can be large (100,000 recovery points is tens of megabytes). */
const STATE_BODY_LIMIT = 2 ** 30;

export function adminRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: "/_emulator" });
  /** The account and region a route acts on: given ones, else the defaults. */
  const scopeFrom = (account: unknown, region: unknown): Scope => ({
    accountId: typeof account === "string" && /^\d{12}$/.test(account) ? account : deps.config.defaultAccountId,
    region: typeof region === "string" && region !== "" ? region : deps.config.defaultRegion,
  });
  const bad = (kctx: RouterContext, message: string) => {
    kctx.status = 400;
    json(kctx, { error: "BadRequest", message });
  };

  router.get("/health", (kctx) => {
    json(kctx, {
      status: "running",
      version: deps.version,
      services: { backup: "running" },
      persistence: deps.store.persistent ? "disk" : "memory",
      databaseBytes: deps.store.sizeBytes(),
    });
  });

  // The contract the AWS routes follow.
  router.get("/openapi.json", (kctx) => {
    kctx.type = "application/json";
    kctx.body = openApiText();
  });

  router.post("/reset", async (kctx) => {
    deps.store.reset();
    // The content of the recovery points just removed is freed by the data plane's next sweep.
    deps.store.setMeta(SWEEP_WANTED, "1");
    await deps.store.durable();
    json(kctx, { reset: true });
  });

  router.get("/state", (kctx) => {
    kctx.type = "application/json";
    kctx.body = JSON.stringify(exportState(deps.store, deps.clock.offsetSeconds, deps.clock.now()));
  });

  router.post("/state", async (kctx) => {
    try {
      // Streamed: a document of 100,000 records is never held in memory whole (state-stream.ts).
      const doc = await importStateStream(deps.store, kctx.req, STATE_BODY_LIMIT);
      if (doc.clock) {
        deps.clock.setOffsetSeconds(doc.clock.offsetSeconds);
        saveClock(deps.store, deps.clock);
      }
    } catch (err) {
      if (err instanceof StateSyntaxError) return bad(kctx, `The state document is not valid JSON: ${err.message}`);
      if (err instanceof StateTooLargeError) return bad(kctx, err.message);
      if (err instanceof StateDocumentError) return bad(kctx, `The state document was not loaded (the state is unchanged): ${err.message}`);
      throw err;
    }
    // The replaced state's content, unless the new state refers to it, goes at the next sweep.
    deps.store.setMeta(SWEEP_WANTED, "1");
    deps.scheduler.runDue();
    await deps.store.durable();
    json(kctx, { loaded: true });
  });

  router.get("/clock", (kctx) => {
    json(kctx, { now: deps.clock.now(), offsetSeconds: deps.clock.offsetSeconds });
  });

  // Move the clock forward and perform, in time order, all the work that fell due meanwhile.
  router.post("/clock", async (kctx) => {
    let body: { advanceSeconds?: unknown; to?: unknown };
    try {
      const raw = await readBody(kctx.req, 64 * 1024);
      body = (raw.trim() ? JSON.parse(raw) : {}) as typeof body;
    } catch (err) {
      return bad(kctx, `The body must be JSON such as {"advanceSeconds": 86400} or {"to": "2030-01-01T00:00:00Z"}: ${(err as Error).message}`);
    }
    const now = deps.clock.now();
    let target: number;
    if (typeof body.advanceSeconds === "number" && body.to === undefined) {
      target = now + body.advanceSeconds;
    } else if (body.to !== undefined && body.advanceSeconds === undefined) {
      const t = typeof body.to === "number" ? body.to : typeof body.to === "string" ? (/^\d+(\.\d+)?$/.test(body.to) ? Number(body.to) : Date.parse(body.to) / 1000) : NaN;
      if (!Number.isFinite(t)) return bad(kctx, `"to" must be an ISO-8601 time or epoch seconds, got ${JSON.stringify(body.to)}`);
      target = t;
    } else {
      return bad(kctx, `Give exactly one of "advanceSeconds" (a number of seconds) and "to" (an ISO-8601 time or epoch seconds).`);
    }
    if (!Number.isFinite(target) || target < now) {
      return bad(kctx, `The clock only moves forward: it is ${new Date(now * 1000).toISOString()}, and ${Number.isFinite(target) ? new Date(target * 1000).toISOString() : "that"} is in its past.`);
    }
    deps.clock.advance(target - deps.clock.now() > 0 ? target - deps.clock.now() : 0);
    saveClock(deps.store, deps.clock);
    const ran = await deps.scheduler.runDueAfterPrepare(deps.clock.now());
    json(kctx, { now: deps.clock.now(), offsetSeconds: deps.clock.offsetSeconds, workPerformed: ran });
  });

  // The resource inventory backup plan selections choose from (with tags).
  router.get("/resources", (kctx) => {
    const scope = scopeFrom(kctx.query.accountId, kctx.query.region);
    json(kctx, { resources: listInventory(deps.store, scope).map((r) => ({ ResourceArn: r.ResourceArn, ResourceType: r.ResourceType, Tags: r.Tags })) });
  });

  router.put("/resources", async (kctx) => {
    let body: { ResourceArn?: unknown; Tags?: unknown; AccountId?: unknown; Region?: unknown };
    try {
      body = JSON.parse(await readBody(kctx.req, 1024 * 1024)) as typeof body;
    } catch (err) {
      return bad(kctx, `The body must be JSON such as {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/orders", "Tags": {"backup": "daily"}}: ${(err as Error).message}`);
    }
    if (typeof body.ResourceArn !== "string") return bad(kctx, `"ResourceArn" (a string) is required.`);
    const tags = body.Tags ?? {};
    if (typeof tags !== "object" || tags === null || Array.isArray(tags) || Object.values(tags).some((v) => typeof v !== "string")) {
      return bad(kctx, `"Tags" must be an object of string values.`);
    }
    const arn = parseArn(body.ResourceArn);
    const scope = scopeFrom(body.AccountId ?? (arn?.account || undefined), body.Region ?? (arn?.region || undefined));
    try {
      const r = putInventoryResource(deps.store, scope, body.ResourceArn, tags as Record<string, string>, deps.clock.now());
      json(kctx, { ResourceArn: r.ResourceArn, ResourceType: r.ResourceType, Tags: r.Tags, AccountId: scope.accountId, Region: scope.region });
    } catch (err) {
      if (err instanceof ServiceError) return bad(kctx, err.message);
      throw err;
    }
  });

  router.delete("/resources", (kctx) => {
    const arn = typeof kctx.query.arn === "string" ? kctx.query.arn : undefined;
    if (!arn) return bad(kctx, `Name the resource with ?arn=<ResourceArn>.`);
    const parsed = parseArn(arn);
    const scope = scopeFrom(kctx.query.accountId ?? (parsed?.account || undefined), kctx.query.region ?? (parsed?.region || undefined));
    json(kctx, { deleted: deleteInventoryResource(deps.store, scope, arn) });
  });

  // Vault notifications that were "sent" (PutBackupVaultNotifications), oldest first.
  router.get("/notifications", (kctx) => {
    const after = Number(kctx.query.after ?? 0) || 0;
    const events = deps.store.listEvents(NOTIFICATION, after, 10_000);
    json(kctx, { notifications: events.map((e) => ({ seq: e.seq, accountId: e.accountId, region: e.region, ...(e.doc as object) })) });
  });

  uiRoutes(router, deps);
  return router;
}

/**
 * `GET /` and `GET /_emulator`, which no AWS operation uses: a browser is sent to the dashboard,
 * any other client gets the emulator's own routes to follow.
 */
export function landingRouter(): Router {
  const router = new Router();
  router.get(["/", "/_emulator"], (kctx) => {
    if (kctx.accepts("json", "html") === "html") return kctx.redirect("/_emulator/ui/");
    kctx.body = {
      service: "aws-backup-emulator",
      message: "This is a local emulator of the AWS Backup API: point AWS clients at this endpoint. Its own routes are below.",
      dashboard: "/_emulator/ui/",
      health: "/_emulator/health",
      openapi: "/_emulator/openapi.json",
    };
  });
  return router;
}

/**
 * LocalStack's health route, so tools that wait for LocalStack (Testcontainers' LocalStack
 * module and the like) see this emulator as a LocalStack serving backup.
 */
/**
 * Answer JSON as a string. An object body makes Koa test it against fetch's Response class, and
 * the first look at that global loads Node's fetch implementation (about 20 ms): the health
 * routes, which start-up probes wait on, would pay for it.
 */
function json(kctx: { type: string; body: unknown }, value: unknown): void {
  kctx.type = "application/json";
  kctx.body = JSON.stringify(value);
}

export function localstackRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: "/_localstack" });
  router.get("/health", (kctx) => {
    json(kctx, { services: { backup: "running" }, edition: "community", version: deps.version });
  });
  return router;
}
