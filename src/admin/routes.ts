/** The emulator's own routes under /_emulator (not part of the AWS API). */
import Router, { type RouterContext } from "@koa/router";
import getRawBody from "raw-body";
import type { AppDeps } from "../app.js";
import { NOTIFICATION } from "../domain/events.js";
import { exportState, importState, StateDocumentError } from "../store/snapshot.js";
import { saveClock } from "../domain/clock.js";

/** State documents can be large (100,000 recovery points is tens of megabytes). */
const STATE_BODY_LIMIT = "1gb";

export function adminRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: "/_emulator" });
  const bad = (kctx: RouterContext, message: string) => {
    kctx.status = 400;
    kctx.body = { error: "BadRequest", message };
  };

  router.get("/health", (kctx) => {
    kctx.body = {
      status: "running",
      version: deps.version,
      services: { backup: "running" },
      persistence: deps.store.persistent ? "disk" : "memory",
    };
  });

  router.post("/reset", (kctx) => {
    deps.store.reset();
    kctx.body = { reset: true };
  });

  router.get("/state", (kctx) => {
    kctx.type = "application/json";
    kctx.body = JSON.stringify(exportState(deps.store, deps.clock.offsetSeconds, deps.clock.now()));
  });

  router.post("/state", async (kctx) => {
    let value: unknown;
    try {
      value = JSON.parse(await getRawBody(kctx.req, { limit: STATE_BODY_LIMIT, encoding: "utf8" }));
    } catch (err) {
      return bad(kctx, `The state document is not valid JSON: ${(err as Error).message}`);
    }
    try {
      const doc = importState(deps.store, value);
      if (doc.clock) {
        deps.clock.setOffsetSeconds(doc.clock.offsetSeconds);
        saveClock(deps.store, deps.clock);
      }
    } catch (err) {
      if (err instanceof StateDocumentError) return bad(kctx, `The state document was not loaded (the state is unchanged): ${err.message}`);
      throw err;
    }
    deps.scheduler.runDue();
    kctx.body = { loaded: true };
  });

  // Vault notifications that were "sent" (PutBackupVaultNotifications), oldest first.
  router.get("/notifications", (kctx) => {
    const after = Number(kctx.query.after ?? 0) || 0;
    const events = deps.store.listEvents(NOTIFICATION, after, 10_000);
    kctx.body = { notifications: events.map((e) => ({ seq: e.seq, accountId: e.accountId, region: e.region, ...(e.doc as object) })) };
  });

  return router;
}
