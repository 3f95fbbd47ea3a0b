import { describe, expect, it } from "vitest";
import { operations, type OperationId } from "../../generated/operations.js";
import { RouteTable, type RouteSpec } from "../../src/protocol/router.js";

const table = new RouteTable();

/** The path of an operation with every label filled in. */
function pathOf(op: OperationId, value = "dummy-1"): string {
  return operations[op].path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
}

describe("RouteTable", () => {
  it("routes every operation of the model to itself, with and without one trailing slash", () => {
    for (const op of Object.keys(operations) as OperationId[]) {
      const spec = operations[op];
      const query = spec.staticQuery.map((k) => `${k}=`).join("&");
      for (const path of [pathOf(op), `${pathOf(op)}/`]) {
        const m = table.match(spec.method, path, query);
        expect(m.kind === "match" && m.op, `${spec.method} ${path}`).toBe(op);
      }
    }
  });

  it("binds each label to its member name, decoded", () => {
    const m = table.match("GET", "/backup-vaults/my-vault/recovery-points/arn%3Aaws%3Abackup%3Aus-east-1%3A123456789012%3Arecovery-point%3Aabc");
    expect(m).toEqual({
      kind: "match",
      op: "DescribeRecoveryPoint",
      labels: { BackupVaultName: "my-vault", RecoveryPointArn: "arn:aws:backup:us-east-1:123456789012:recovery-point:abc" },
    });
  });

  it("keeps an encoded slash (%2F) inside its label instead of splitting the path on it", () => {
    const arn = "arn:aws:ec2:eu-west-3::snapshot/snap-0123";
    for (const encoded of [encodeURIComponent(arn), "arn%3Aaws%3Aec2%3Aeu-west-3%3A%3Asnapshot%2fsnap-0123"]) {
      const m = table.match("DELETE", `/backup-vaults/v1/recovery-points/${encoded}`);
      expect(m).toEqual({ kind: "match", op: "DeleteRecoveryPoint", labels: { BackupVaultName: "v1", RecoveryPointArn: arn } });
    }
    const tags = table.match("GET", `/tags/${encodeURIComponent(arn)}/`);
    expect(tags).toEqual({ kind: "match", op: "ListTags", labels: { ResourceArn: arn } });
  });

  it("does not match a raw slash inside what should be one label", () => {
    expect(table.match("GET", "/tags/arn:aws:ec2:eu-west-3::snapshot/snap-0123").kind).toBe("none");
  });

  it("reports a label that is not valid percent-encoding", () => {
    expect(table.match("GET", "/backup-vaults/v1/recovery-points/%ZZ")).toEqual({ kind: "bad-encoding", segment: "%ZZ" });
    expect(table.match("GET", "/backup-vaults/%E0%A4%A")).toEqual({ kind: "bad-encoding", segment: "%E0%A4%A" });
  });

  it("tolerates one trailing slash but not two, and no empty label", () => {
    expect(table.match("GET", "/backup-vaults/").kind).toBe("match");
    expect(table.match("GET", "/backup-vaults//").kind).toBe("none");
    expect(table.match("GET", "/backup-vaults//recovery-points").kind).toBe("none");
  });

  it("tells operations on the same path apart by method", () => {
    const get = table.match("GET", "/backup-jobs/job-1");
    const post = table.match("POST", "/backup-jobs/job-1");
    expect(get.kind === "match" && get.op).toBe("DescribeBackupJob");
    expect(post.kind === "match" && post.op).toBe("StopBackupJob");
    expect(table.match("PATCH", "/backup-jobs/job-1").kind).toBe("none");
  });

  it("lets a label hold a word that is a literal segment of another route", () => {
    const m = table.match("GET", "/backup/plans/versions");
    expect(m).toEqual({ kind: "match", op: "GetBackupPlan", labels: { BackupPlanId: "versions" } });
    const t = table.match("GET", "/backup/template/plans");
    expect(t.kind === "match" && t.op).toBe("ListBackupPlanTemplates");
  });

  it("prefers the route with more literal segments when a path matches two", () => {
    const specs: Record<string, RouteSpec> = {
      ByLabel: { method: "GET", path: "/things/{id}/parts", labels: [["id", "Id"]], staticQuery: [] },
      ByLiteral: { method: "GET", path: "/things/special/parts", labels: [], staticQuery: [] },
      Deeper: { method: "GET", path: "/things/{id}/{part}", labels: [["id", "Id"], ["part", "Part"]], staticQuery: [] },
    };
    const t = new RouteTable(specs);
    expect(t.match("GET", "/things/special/parts")).toEqual({ kind: "match", op: "ByLiteral", labels: {} });
    expect(t.match("GET", "/things/other/parts")).toEqual({ kind: "match", op: "ByLabel", labels: { Id: "other" } });
    expect(t.match("GET", "/things/other/wheel")).toEqual({ kind: "match", op: "Deeper", labels: { Id: "other", Part: "wheel" } });
  });

  it("requires a URI's static query key when the query is given, in both the ?delete and ?delete= forms", () => {
    const path = "/backup-vaults/v1/mpaApprovalTeam";
    for (const q of ["delete", "delete=", "delete=&x=1"]) {
      const m = table.match("POST", path, q);
      expect(m.kind === "match" && m.op, q).toBe("DisassociateBackupVaultMpaApprovalTeam");
    }
    expect(table.match("POST", path, "").kind).toBe("none");
    expect(table.match("POST", path, "deleted=1").kind).toBe("none");
    const put = table.match("PUT", path, "");
    expect(put.kind === "match" && put.op).toBe("AssociateBackupVaultMpaApprovalTeam");
  });

  it("answers none for a path no operation has", () => {
    expect(table.match("GET", "/no/such/route")).toEqual({ kind: "none" });
    expect(table.match("GET", "/")).toEqual({ kind: "none" });
  });
});
