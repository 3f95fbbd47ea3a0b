/**
 * The dashboard under /_emulator/ui: three static files (HTML, CSS and a plain ES module the
 * browser runs as written, so there is no build step) and GET /_emulator/ui/data, the bounded
 * summary the page polls (data.ts).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type Router from "@koa/router";
import type { RouterContext } from "@koa/router";
import type { AppDeps } from "../../app.js";
import type { Scope } from "../../store/table.js";
import { dashboardData, DEFAULT_LIMIT, MAX_LIMIT } from "./data.js";

/**
 * Under tsx the files sit beside this module. tsc does not copy .html and .css to dist/src/, so a
 * built copy reads them from the package's src/admin/ui (which must therefore ship with it).
 */
const CANDIDATE_DIRS = [
  new URL("./", import.meta.url), // src/admin/ui (tsx)
  new URL("../../../../src/admin/ui/", import.meta.url), // dist/src/admin/ui (tsc's output)
  new URL("../../src/admin/ui/", import.meta.url), // dist/bundle (the production bundle)
];
export const UI_DIR: URL = CANDIDATE_DIRS.find((dir) => existsSync(new URL("index.html", dir))) ?? CANDIDATE_DIRS[0]!;

/** The only files served: a fixed list, so no request path ever reaches the file system. */
const FILES: ReadonlyMap<string, string> = new Map([
  ["index.html", "text/html; charset=utf-8"],
  ["dashboard.css", "text/css; charset=utf-8"],
  ["dashboard.js", "text/javascript; charset=utf-8"],
]);

/**
 * The page renders names, tags and titles anyone can set through the API. It never parses them as
 * HTML, and this policy is the second line: no inline script, nothing loaded from elsewhere.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export function uiRoutes(router: Router, deps: AppDeps): void {
  router.get("/ui", (kctx) => sendFile(kctx, "index.html"));
  router.get("/ui/", (kctx) => sendFile(kctx, "index.html"));

  router.get("/ui/data", (kctx) => {
    const limit = boundedInt(kctx.query.limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    const { accountId, region } = kctx.query;
    // Both or neither: one account and Region, or every scope holding records.
    const only: Scope | undefined = typeof accountId === "string" && typeof region === "string" && accountId !== "" && region !== "" ? { accountId, region } : undefined;
    const data = dashboardData(
      { store: deps.store, clock: deps.clock, defaultScope: { accountId: deps.config.defaultAccountId, region: deps.config.defaultRegion } },
      limit,
      only,
    );
    kctx.set("Cache-Control", "no-store");
    kctx.type = "application/json";
    kctx.body = JSON.stringify(data);
  });

  router.get("/ui/:file", async (kctx, next) => {
    const file = kctx.params.file ?? "";
    // Any other name goes on down the chain, to the edge's 404 for unknown /_emulator paths.
    if (!FILES.has(file)) return next();
    await sendFile(kctx, file);
  });
}

async function sendFile(kctx: RouterContext, file: string): Promise<void> {
  kctx.type = FILES.get(file) ?? "application/octet-stream";
  // Read on each request: the files are small, and an edited file shows on reload.
  kctx.body = await readFile(new URL(file, UI_DIR));
  kctx.set("Cache-Control", "no-cache");
  kctx.set("X-Content-Type-Options", "nosniff");
  if (file === "index.html") kctx.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
}

function boundedInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : fallback;
  return Math.min(max, Math.max(min, n));
}
