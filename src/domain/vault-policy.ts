/**
 * Backup vault access policies: a resource-based IAM policy document, kept on the vault and
 * returned exactly as it was sent (the service does not reformat it).
 */
import { wildcardMatch } from "./util.js";
import { InvalidParameterValueException, MissingParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import { requireVault } from "./vaults.js";

/** The policy language versions IAM knows (IAM User Guide, "IAM JSON policy elements: Version"). */
const POLICY_VERSIONS = new Set(["2012-10-17", "2008-10-17"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Throws InvalidParameterValueException unless `text` is an IAM policy document in JSON. */
export function validatePolicy(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InvalidParameterValueException(`Policy is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw new InvalidParameterValueException("Policy must be a JSON object (an IAM policy document).");
  if (doc.Version !== undefined && !POLICY_VERSIONS.has(String(doc.Version))) {
    throw new InvalidParameterValueException(`Policy.Version must be one of ${[...POLICY_VERSIONS].join(", ")}, got ${JSON.stringify(doc.Version)}.`);
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  if (statements.length === 0) throw new InvalidParameterValueException("Policy must contain at least one Statement.");
  statements.forEach((st: unknown, i) => {
    const where = `Policy.Statement[${i}]`;
    if (!isObject(st)) throw new InvalidParameterValueException(`${where} must be an object.`);
    if (st.Effect !== "Allow" && st.Effect !== "Deny") throw new InvalidParameterValueException(`${where}.Effect must be "Allow" or "Deny", got ${JSON.stringify(st.Effect)}.`);
    if (st.Action === undefined && st.NotAction === undefined) throw new InvalidParameterValueException(`${where} must have an Action or a NotAction.`);
  });
}

export function putPolicy(ctx: DomainContext, name: string, policy: string | undefined): void {
  if (policy === undefined) throw new MissingParameterValueException("Policy is required: pass the access policy document as a JSON string.");
  validatePolicy(policy);
  ctx.store.transaction(() => {
    const v = requireVault(ctx.store, ctx.scope, name);
    ctx.store.vaults.put(ctx.scope, { ...v, AccessPolicy: policy });
  });
}

export function getPolicy(ctx: DomainContext, name: string): Shapes["GetBackupVaultAccessPolicyOutput"] {
  const v = requireVault(ctx.store, ctx.scope, name);
  if (v.AccessPolicy === undefined) {
    throw new ResourceNotFoundException(`Backup vault ${name} has no access policy.`, { Context: name });
  }
  return { BackupVaultName: v.BackupVaultName, BackupVaultArn: v.BackupVaultArn, Policy: v.AccessPolicy };
}

/** Deleting a policy that is not there succeeds (the operation is idempotent). */
export function deletePolicy(ctx: DomainContext, name: string): void {
  ctx.store.transaction(() => {
    const v = requireVault(ctx.store, ctx.scope, name);
    if (v.AccessPolicy === undefined) return;
    const { AccessPolicy: _policy, ...rest } = v;
    ctx.store.vaults.put(ctx.scope, rest);
  });
}

type Statement = { Effect?: unknown; Action?: unknown; NotAction?: unknown; Principal?: unknown };

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function actionMatches(patterns: unknown, action: string): boolean {
  // IAM action names compare case-insensitively.
  return asList(patterns).some((p) => typeof p === "string" && wildcardMatch(p, action, true));
}

function principalMatches(principal: unknown, accountId: string): boolean {
  if (principal === "*") return true;
  if (!principal || typeof principal !== "object") return false;
  return asList((principal as { AWS?: unknown }).AWS).some(
    (p) => p === "*" || p === accountId || p === `arn:aws:iam::${accountId}:root` || (typeof p === "string" && p.startsWith(`arn:aws:iam::${accountId}:`)),
  );
}

/**
 * Whether a vault access policy lets `accountId` perform `action` on the vault: an Allow
 * statement naming the action and the account (its root, a principal of it, or "*") and no
 * Deny statement that matches (IAM's explicit-deny rule). Conditions are not evaluated.
 */
export function policyAllows(policy: string | undefined, action: string, accountId: string): boolean {
  if (!policy) return false;
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = asList(doc.Statement) as Statement[];
  const applies = (s: Statement) =>
    principalMatches(s.Principal, accountId) && (s.Action !== undefined ? actionMatches(s.Action, action) : s.NotAction !== undefined && !actionMatches(s.NotAction, action));
  if (statements.some((s) => s.Effect === "Deny" && applies(s))) return false;
  return statements.some((s) => s.Effect === "Allow" && applies(s));
}
