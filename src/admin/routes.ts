/** The emulator's own routes under /_emulator (not part of the AWS API). */
import Router from "@koa/router";
import type { AppDeps } from "../app.js";
import { NOTIFICATION } from "../domain/events.js";

export function adminRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: "/_emulator" });

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

  // Vault notifications that were "sent" (PutBackupVaultNotifications), oldest first.
  router.get("/notifications", (kctx) => {
    const after = Number(kctx.query.after ?? 0) || 0;
    const events = deps.store.listEvents(NOTIFICATION, after, 10_000);
    kctx.body = { notifications: events.map((e) => ({ seq: e.seq, accountId: e.accountId, region: e.region, ...(e.doc as object) })) };
  });

  return router;
}
