/** The emulator's own routes under /_emulator (not part of the AWS API). */
import Router from "@koa/router";
import type { AppDeps } from "../app.js";

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

  return router;
}
