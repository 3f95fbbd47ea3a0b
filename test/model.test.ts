/**
 * The two pins agree: model/backup-2018-11-15.json (botocore form, the emulator's source of truth)
 * and the pinned @aws-sdk/client-backup (the client every test talks through). The client's
 * operation schemas are read from its CommonJS bundle, which exports each one as `<Op>$`:
 * `[9, namespace, name, { http: [method, uri, status] }, input, output]`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

interface BotocoreOperation {
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
}
interface BotocoreModel {
  operations: Record<string, BotocoreOperation>;
  shapes: Record<string, { members?: Record<string, { location?: string; locationName?: string }> }>;
}

const model = JSON.parse(readFileSync(new URL("../model/backup-2018-11-15.json", import.meta.url), "utf8")) as BotocoreModel;
const client = createRequire(import.meta.url)("@aws-sdk/client-backup") as Record<string, unknown>;

type OperationSchema = [9, string, string, { http: [string, string, number] }, ...unknown[]];
const isOperationSchema = (v: unknown): v is OperationSchema => Array.isArray(v) && v[0] === 9 && typeof v[2] === "string";

/** The client's operations by name, from the `<Op>$` exports. */
const clientOps = new Map(
  Object.entries(client)
    .filter(([k, v]) => k.endsWith("$") && isOperationSchema(v))
    .map(([, v]) => [(v as OperationSchema)[2], (v as OperationSchema)[3].http] as const),
);

/** Remove one trailing "/" from the path part, keeping a static query such as `?delete`. */
function withoutTrailingSlash(uri: string): string {
  const q = uri.indexOf("?");
  const path = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? "" : uri.slice(q);
  return (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path) + query;
}

/** The botocore URI with each label written as its member name (botocore uses wire names). */
function modelUri(op: BotocoreOperation): string {
  const members = op.input ? (model.shapes[op.input.shape]?.members ?? {}) : {};
  const byWire = new Map(Object.entries(members).filter(([, m]) => m.location === "uri").map(([name, m]) => [m.locationName ?? name, name]));
  return withoutTrailingSlash(
    op.http.requestUri.replace(/\{([^}+]+)\+?\}/g, (_, wire: string) => {
      const member = byWire.get(wire);
      if (!member) throw new Error(`label {${wire}} of ${op.http.requestUri} is no uri member of ${op.input?.shape}`);
      return `{${member}}`;
    }),
  );
}

describe("The model and the pinned client", () => {
  it("have the same 109 operations", () => {
    const modelNames = Object.keys(model.operations).sort();
    expect(modelNames).toHaveLength(109);
    expect([...clientOps.keys()].sort()).toEqual(modelNames);
    const commands = Object.keys(client)
      .filter((k) => /^[A-Z]\w*Command$/.test(k))
      .map((k) => k.slice(0, -"Command".length))
      .sort();
    expect(commands).toEqual(modelNames);
  });

  it("give every operation the same HTTP method, URI and success status", () => {
    const mismatches: string[] = [];
    for (const [name, op] of Object.entries(model.operations)) {
      const http = clientOps.get(name);
      if (!http) continue; // reported by the test above
      const [method, uri, status] = http;
      const mine = { method: op.http.method, uri: modelUri(op), status: op.http.responseCode ?? 200 };
      const theirs = { method, uri: withoutTrailingSlash(uri), status };
      if (JSON.stringify(mine) !== JSON.stringify(theirs)) mismatches.push(`${name}: model ${JSON.stringify(mine)} client ${JSON.stringify(theirs)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("keep the static query of DisassociateBackupVaultMpaApprovalTeam's URI in both", () => {
    expect(modelUri(model.operations.DisassociateBackupVaultMpaApprovalTeam!)).toBe("/backup-vaults/{BackupVaultName}/mpaApprovalTeam?delete");
    expect(clientOps.get("DisassociateBackupVaultMpaApprovalTeam")).toEqual(["POST", "/backup-vaults/{BackupVaultName}/mpaApprovalTeam?delete", 204]);
  });

  it("compare labels by member name even where botocore's wire name differs", () => {
    // botocore writes {backupVaultName} and ends ListBackupVaults' URI with a slash.
    expect(model.operations.CreateBackupVault!.http.requestUri).toBe("/backup-vaults/{backupVaultName}");
    expect(modelUri(model.operations.CreateBackupVault!)).toBe("/backup-vaults/{BackupVaultName}");
    expect(modelUri(model.operations.ListBackupVaults!)).toBe("/backup-vaults");
  });
});
