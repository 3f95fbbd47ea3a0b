/**
 * src/api/backend.ts replaces three methods of openapi-backend's router (getOperation,
 * matchOperation, parseRequest) and relies on handleRequest and register calling them. These
 * tests pin that contract, so an upgrade that renames or rewires those internals fails here,
 * naming what changed, instead of misrouting requests (docs/decisions.md, entry 2).
 */
import { describe, expect, it, vi } from "vitest";
import { OpenAPIBackend, type Request } from "openapi-backend";
import { sharedBackend, type EdgeRequest } from "../../src/api/backend.js";
import type { OperationId } from "../../generated/operations.js";

const OVERRIDDEN = "src/api/backend.ts overrides it";

function smallApi(): OpenAPIBackend {
  return new OpenAPIBackend({
    definition: {
      openapi: "3.0.3",
      info: { title: "t", version: "1" },
      paths: { "/things/{id}": { get: { operationId: "GetThing", responses: {} } } },
    },
    quick: true,
    validate: false,
  });
}

describe("openapi-backend's router", () => {
  it("still has getOperation(operationId), matchOperation(req, strict) and parseRequest(req, operation)", async () => {
    const api = smallApi();
    await api.init();
    const router = api.router as unknown as Record<string, unknown>;
    for (const [method, arity] of [
      ["getOperation", 1],
      ["matchOperation", 2],
      ["parseRequest", 2],
    ] as const) {
      expect(typeof router[method], `openapi-backend's router no longer has ${method}; ${OVERRIDDEN}`).toBe("function");
      expect((router[method] as (...args: unknown[]) => unknown).length, `openapi-backend's router.${method} changed its parameters; ${OVERRIDDEN}`).toBe(arity);
    }
  });

  it("is asked by handleRequest to match the request strictly and to parse it before and after matching", async () => {
    const api = smallApi();
    await api.init();
    const match = vi.spyOn(api.router, "matchOperation");
    const parse = vi.spyOn(api.router, "parseRequest");
    const handler = vi.fn(() => "handled");
    api.register({ GetThing: handler });
    const req: Request = { method: "get", path: "/things/42", headers: {} };
    expect(await api.handleRequest(req)).toBe("handled");
    expect(match, `handleRequest no longer routes through router.matchOperation; ${OVERRIDDEN}`).toHaveBeenCalledWith(req, true);
    expect(parse, `handleRequest no longer parses through router.parseRequest; ${OVERRIDDEN}`).toHaveBeenCalledWith(req);
    const operation = match.mock.results[0]?.value as { operationId: string };
    expect(operation.operationId).toBe("GetThing");
    expect(parse).toHaveBeenCalledWith(req, operation);
    expect(handler).toHaveBeenCalledOnce();
  });

  it("is asked by register to look up each handler's operationId with getOperation", async () => {
    const api = smallApi();
    await api.init();
    const get = vi.spyOn(api.router, "getOperation");
    api.register({ GetThing: () => undefined });
    expect(get, `register no longer checks operationIds through router.getOperation; ${OVERRIDDEN}`).toHaveBeenCalledWith("GetThing");
  });

  it("sends a request whose matching throws a 404 error to the notFound handler", async () => {
    const api = smallApi();
    await api.init();
    api.router.matchOperation = (() => {
      throw new Error("404-notFound: no route matches request");
    }) as typeof api.router.matchOperation;
    api.register({ notFound: () => "not found", GetThing: () => "found" });
    expect(await api.handleRequest({ method: "get", path: "/things/1", headers: {} })).toBe("not found");
  });
});

describe("sharedBackend", () => {
  const edgeRequest = (op: string, labels: Record<string, string> = {}): EdgeRequest => ({
    method: "GET",
    path: "/whatever",
    headers: {},
    match: { kind: "match", op: op as OperationId, labels },
  });

  it("dispatches a matched request to the handler of its operation, through the request's own dispatch", async () => {
    const seen: [OperationId, string][] = [];
    const backend = await sharedBackend();
    await backend(edgeRequest("DescribeBackupVault", { backupVaultName: "v" }), async (op) => void seen.push([op, "ctx-1"]));
    await backend(edgeRequest("ListBackupVaults"), async (op) => void seen.push([op, "ctx-2"]));
    expect(seen).toEqual([
      ["DescribeBackupVault", "ctx-1"],
      ["ListBackupVaults", "ctx-2"],
    ]);
  });

  it("answers UnknownOperationException for a match naming an operation the document lacks", async () => {
    const backend = await sharedBackend();
    await expect(backend(edgeRequest("NoSuchOperation"), async () => undefined)).rejects.toMatchObject({ name: "UnknownOperationException" });
  });
});
