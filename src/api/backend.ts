/**
 * openapi-backend, loaded with model/backup.openapi.json, dispatches every AWS route to the
 * handler registered under its operationId (= the AWS operation name).
 *
 * Two parts of it are replaced for speed, keeping its rules (docs/decisions.md): route matching
 * uses the precompiled RouteTable (the edge has already matched, on the raw path), and request
 * parsing passes through what the edge parsed. Validation runs in the edge from validators that
 * `npm run generate` compiled from the same document, so start-up compiles nothing.
 */
import { readFileSync } from "node:fs";
import type { Context, Request } from "openapi-backend";
import type { OperationId } from "../../generated/operations.js";
import { unknownOperation } from "../protocol/errors.js";
import type { RouteMatch } from "../protocol/router.js";

export const OPENAPI_PATH = new URL("../../../model/backup.openapi.json", import.meta.url);
const OPENAPI_PATH_SRC = new URL("../../model/backup.openapi.json", import.meta.url);

/** The contract, read from model/ (works from src/ under tsx and from dist/src/ when built). */
export function loadOpenApiDocument(): Record<string, unknown> {
  for (const url of [OPENAPI_PATH_SRC, OPENAPI_PATH]) {
    try {
      return JSON.parse(readFileSync(url, "utf8")) as Record<string, unknown>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
  throw new Error("model/backup.openapi.json not found: run `npm run generate`");
}

/** The request as the edge hands it over, with the route it matched. */
export interface EdgeRequest extends Request {
  match: Extract<RouteMatch, { kind: "match" }>;
}

/** Runs the operation openapi-backend dispatched to, for the request it was handed with. */
export type Dispatch = (op: OperationId) => Promise<void>;

export type Backend = (req: EdgeRequest, dispatch: Dispatch) => Promise<void>;

let shared: Promise<Backend> | undefined;

/**
 * The backend, built once per process on first use and shared by every emulator in it: what it
 * holds (the document's routes and operations) never changes, and each request brings its own
 * dispatch. Loading openapi-backend (with AJV, lodash and its JSON-schema tooling) waits for the
 * first AWS request, so that start-up and the emulator's own routes do not pay for it.
 */
export function sharedBackend(): Promise<Backend> {
  shared ??= createBackend().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

async function createBackend(): Promise<Backend> {
  const mod = await import("openapi-backend");
  // A CommonJS package: its exports arrive as the default export under some loaders.
  // Undefined when bundled: the package is CommonJS, and its exports object is then the default export.
  const OpenAPIBackend = mod.OpenAPIBackend ?? (mod.default as unknown as typeof mod).OpenAPIBackend;
  const doc = loadOpenApiDocument() as { openapi: string; info: unknown; paths: Record<string, Record<string, { operationId: string }>> };
  // Dispatch needs each path's methods and operationIds only; the schemas stay out, which keeps
  // init to a few milliseconds (the edge validates with the precompiled validators instead).
  const paths: Record<string, Record<string, { operationId: string; responses: object }>> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    paths[path] = Object.fromEntries(Object.entries(item).map(([m, o]) => [m, { operationId: o.operationId, responses: {} }]));
  }
  const api = new OpenAPIBackend({
    definition: { openapi: doc.openapi, info: doc.info, paths } as never,
    quick: true,
    strict: true,
    validate: false,
  });
  await api.init();
  const byId = new Map(api.router.getOperations().map((o) => [(o as { operationId: string }).operationId, o]));
  // Registering checks each operationId with getOperation, which rebuilds the whole operation
  // list every time (quadratic in the number of operations): answer from the map instead.
  api.router.getOperation = ((id: string) => byId.get(id)) as typeof api.router.getOperation;
  api.router.matchOperation = ((req: EdgeRequest) => {
    const op = byId.get(req.match.op);
    if (!op) throw new Error("404-notFound: no route matches request");
    return op;
  }) as typeof api.router.matchOperation;
  api.router.parseRequest = ((req: EdgeRequest) => ({
    method: req.method,
    path: req.path,
    headers: req.headers,
    body: req.body,
    params: req.match.labels,
    query: {},
    cookies: {},
    requestBody: req.body,
  })) as never;

  const handlers: Record<string, (c: Context, dispatch: Dispatch) => Promise<void>> = {};
  for (const id of byId.keys()) {
    const op = id as OperationId;
    handlers[op] = (_c, dispatch) => dispatch(op);
  }
  api.register({
    ...handlers,
    notFound: (c: Context) => {
      throw unknownOperation(c.request.method.toUpperCase(), c.request.path);
    },
  });
  return (req, dispatch) => api.handleRequest(req, dispatch) as Promise<void>;
}
