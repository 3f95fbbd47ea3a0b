/**
 * Backup vault access policies: a resource-based IAM policy document, kept on the vault and
 * returned exactly as it was sent (the service does not reformat it), and evaluated for every
 * operation on the vault and its recovery points (docs/vault-policies.md).
 */
import { wildcardMatch } from "./util.js";
import { InvalidParameterValueException, MissingParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { VaultRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import type { Config } from "../config.js";
import { vaultFromArn } from "./arn.js";
import { accessDenied } from "./common-errors.js";
import type { DomainContext } from "./context.js";
import { organizationOf } from "./organizations.js";
import { crossAccountBackupEnabled } from "./settings.js";
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

/**
 * The policy in force decides whether it may be replaced: a Deny of
 * backup:PutBackupVaultAccessPolicy holds until DeleteBackupVaultAccessPolicy (if that is not
 * denied too) removes it.
 */
export function putPolicy(ctx: DomainContext, name: string, policy: string | undefined): void {
  ctx.store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:PutBackupVaultAccessPolicy", name);
    if (policy === undefined) throw new MissingParameterValueException("Policy is required: pass the access policy document as a JSON string.");
    validatePolicy(policy);
    ctx.store.vaults.put(ctx.scope, { ...v, AccessPolicy: policy });
  });
}

export function getPolicy(ctx: DomainContext, name: string): Shapes["GetBackupVaultAccessPolicyOutput"] {
  const v = requireVaultFor(ctx, "backup:GetBackupVaultAccessPolicy", name);
  if (v.AccessPolicy === undefined) {
    throw new ResourceNotFoundException(`Backup vault ${name} has no access policy.`, { Context: name });
  }
  return { BackupVaultName: v.BackupVaultName, BackupVaultArn: v.BackupVaultArn, Policy: v.AccessPolicy };
}

/** Deleting a policy that is not there succeeds (the operation is idempotent). */
export function deletePolicy(ctx: DomainContext, name: string): void {
  ctx.store.transaction(() => {
    const v = requireVaultFor(ctx, "backup:DeleteBackupVaultAccessPolicy", name);
    if (v.AccessPolicy === undefined) return;
    const { AccessPolicy: _policy, ...rest } = v;
    ctx.store.vaults.put(ctx.scope, rest);
  });
}


// ---- evaluation ----
//
// A vault access policy is a resource-based IAM policy, evaluated here the way IAM evaluates
// one for a request that carries no identity policy (docs/vault-policies.md says exactly what
// is and is not evaluated). The caller is always the root of its account: the emulator knows
// the account of the credentials and nothing finer.

/** Who sends a request, as far as a policy can tell. */
export interface Caller {
  accountId: string;
  /** The caller's organization (ORGANIZATION setting), for aws:PrincipalOrgID. */
  orgId?: string;
  /**
   * The IAM role acting, when it is known and is not the account's root: a backup plan's jobs
   * run as their selection's role. Without it the caller is the root and stands for every
   * principal of its account.
   */
  roleArn?: string;
}

export interface PolicyRequest {
  /** The IAM action, e.g. `backup:DeleteRecoveryPoint`. */
  action: string;
  /** The ARN acted on (the vault's or a recovery point's); undefined: Resource is not considered. */
  resource?: string;
  caller: Caller;
  /** Condition keys the operation adds to the caller's (e.g. backup:CopyTargets). */
  context?: Record<string, string[]>;
}

/** What one policy says about a request: an explicit Deny wins, then an Allow, else nothing. */
export type PolicyVerdict = "deny" | "allow" | "none";

type Statement = Record<string, unknown>;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const strings = (v: unknown): string[] => asList(v).filter((x): x is string => typeof x === "string");

export const rootArn = (accountId: string): string => `arn:aws:iam::${accountId}:root`;

/**
 * Whether a Principal (or NotPrincipal) element names the caller: everyone (`"*"`,
 * `{"AWS":"*"}`), the account id, or any IAM or STS principal ARN of the account, since the
 * caller stands for every principal of its account. Service and federated principals never do.
 */
function principalMatches(principal: unknown, caller: Caller): boolean {
  const { accountId, roleArn } = caller;
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  if (roleArn) {
    // A known role is named by the account, the role's ARN, or its sessions' assumed-role ARNs.
    const roleName = roleArn.slice(roleArn.lastIndexOf("/") + 1);
    const session = `arn:aws:sts::${accountId}:assumed-role/${roleName}/`;
    return strings(principal.AWS).some((p) => p === "*" || p === accountId || p === rootArn(accountId) || p === roleArn || p.startsWith(session));
  }
  const own = new RegExp(`^arn:aws[a-z-]*:(iam|sts)::${accountId}:`);
  return strings(principal.AWS).some((p) => p === "*" || p === accountId || own.test(p));
}

// IAM action names compare case-insensitively; ARNs case-sensitively.
const actionMatches = (patterns: unknown, action: string) => strings(patterns).some((p) => wildcardMatch(p, action, true));
const resourceMatches = (patterns: unknown, arn: string) => strings(patterns).some((p) => wildcardMatch(p, arn));

/** The condition keys a request carries: the caller's, then the operation's. Keys are lower-case (IAM keys are case-insensitive). */
function requestContext(req: PolicyRequest): Map<string, string[]> {
  const { accountId, orgId, roleArn } = req.caller;
  // A role's aws:userid is its unique id, which the emulator cannot know: absent.
  const ctx = new Map<string, string[]>([
    ["aws:principalaccount", [accountId]],
    ["aws:principalarn", [roleArn ?? rootArn(accountId)]],
    ...(roleArn ? [] : [["aws:userid", [accountId]] as [string, string[]]]),
    ["aws:principaltype", [roleArn ? "AssumedRole" : "Account"]],
    ["aws:principalisawsservice", ["false"]],
  ]);
  if (orgId) ctx.set("aws:principalorgid", [orgId]);
  for (const [k, v] of Object.entries(req.context ?? {})) ctx.set(k.toLowerCase(), v);
  return ctx;
}

type Matcher = (actual: string, expected: string) => boolean;

/** The condition operators evaluated, by base name (without ForAnyValue:/ForAllValues: and IfExists). */
const OPERATORS: Record<string, { match: Matcher; negated: boolean }> = {
  stringequals: { match: (a, e) => a === e, negated: false },
  stringnotequals: { match: (a, e) => a === e, negated: true },
  stringequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { match: (a, e) => wildcardMatch(e, a), negated: false },
  stringnotlike: { match: (a, e) => wildcardMatch(e, a), negated: true },
  arnequals: { match: (a, e) => a === e, negated: false },
  arnlike: { match: (a, e) => wildcardMatch(e, a), negated: false },
  arnnotequals: { match: (a, e) => a === e, negated: true },
  arnnotlike: { match: (a, e) => wildcardMatch(e, a), negated: true },
  bool: { match: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
};

/**
 * One operator on one key, with IAM's rules for a key the request does not carry: positive
 * operators are false, negated ones (StringNotEquals, ArnNotLike…) true, `…IfExists` true,
 * ForAllValues true. Operators the emulator does not evaluate (numeric, date, IP address,
 * binary) see every key as absent, so they follow the same rules.
 */
function conditionHolds(operator: string, key: string, expected: string[], ctx: Map<string, string[]>): boolean {
  let op = operator.toLowerCase();
  const set = op.startsWith("forallvalues:") ? "all" : op.startsWith("foranyvalue:") ? "any" : undefined;
  if (set) op = op.slice(op.indexOf(":") + 1);
  const ifExists = op.endsWith("ifexists");
  if (ifExists) op = op.slice(0, -"ifexists".length);
  const actual = ctx.get(key.toLowerCase());
  if (op === "null") return expected.some((e) => (e.toLowerCase() === "true") === (actual === undefined));
  const spec = OPERATORS[op];
  if (!actual || !spec) {
    if (ifExists || set === "all") return true;
    return set === "any" ? false : spec ? spec.negated : /not/.test(op);
  }
  const hit = (a: string) => expected.some((e) => spec.match(a, e));
  if (set === "all") return actual.every((a) => hit(a) !== spec.negated);
  if (set === "any") return actual.some((a) => hit(a) !== spec.negated);
  return actual.some(hit) !== spec.negated;
}

function conditionsHold(condition: unknown, ctx: Map<string, string[]>): boolean {
  if (!isObject(condition)) return true;
  return Object.entries(condition).every(
    ([operator, block]) => isObject(block) && Object.entries(block).every(([key, values]) => conditionHolds(operator, key, strings(values), ctx)),
  );
}

function applies(s: Statement, req: PolicyRequest, ctx: Map<string, string[]>): boolean {
  if (s.Principal !== undefined ? !principalMatches(s.Principal, req.caller) : s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, req.caller)) return false;
  if (s.Action !== undefined ? !actionMatches(s.Action, req.action) : s.NotAction === undefined || actionMatches(s.NotAction, req.action)) return false;
  if (req.resource !== undefined) {
    if (s.Resource !== undefined ? !resourceMatches(s.Resource, req.resource) : s.NotResource !== undefined && resourceMatches(s.NotResource, req.resource)) return false;
  }
  return conditionsHold(s.Condition, ctx);
}

/** What `policy` (a stored, validated document) says about `req`. */
export function evaluatePolicy(policy: string | undefined, req: PolicyRequest): PolicyVerdict {
  if (!policy) return "none";
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    return "none";
  }
  if (!isObject(doc)) return "none";
  const statements = asList(doc.Statement).filter(isObject);
  const ctx = requestContext(req);
  const matching = statements.filter((s) => applies(s, req, ctx));
  if (matching.some((s) => s.Effect === "Deny")) return "deny";
  return matching.some((s) => s.Effect === "Allow") ? "allow" : "none";
}

/**
 * The caller of a request, or with `roleArn` the role a backup plan's job runs as. A role of
 * another account (which the service would not accept) leaves the caller the account's root.
 */
export function callerOf(ctx: Pick<DomainContext, "scope" | "config">, roleArn?: string): Caller {
  const org = organizationOf(ctx.config, ctx.scope.accountId);
  const ownRole = roleArn?.startsWith(`arn:aws:iam::${ctx.scope.accountId}:role/`) ? roleArn : undefined;
  return { accountId: ctx.scope.accountId, ...(org ? { orgId: org.id } : {}), ...(ownRole ? { roleArn: ownRole } : {}) };
}

/**
 * Why the vault's access policy refuses `req`, or undefined when it lets it through: an
 * explicit Deny refuses anyone, the vault's own account needs no Allow (identity policies are
 * not modelled, so the owner holds every permission), another account needs an explicit Allow.
 */
export function vaultRefusal(vault: VaultRecord, req: PolicyRequest): string | undefined {
  const resource = req.resource ?? vault.BackupVaultArn;
  const verdict = evaluatePolicy(vault.AccessPolicy, { ...req, resource });
  if (verdict === "allow") return undefined;
  // Asked on nearly every request: the message is made only for a refusal.
  const owner = vaultFromArn(vault.BackupVaultArn)?.scope.accountId;
  if (verdict !== "deny" && owner === req.caller.accountId) return undefined;
  const who = `User: ${req.caller.roleArn ?? rootArn(req.caller.accountId)} is not authorized to perform: ${req.action} on resource: ${resource}`;
  if (verdict === "deny") return `${who} with an explicit deny in a resource-based policy (the access policy of backup vault ${vault.BackupVaultName}).`;
  return `${who} because no resource-based policy allows the ${req.action} action (backup vault ${vault.BackupVaultName} belongs to account ${owner ?? "unknown"}).`;
}

/**
 * Throws AccessDeniedException (403) unless the caller may perform `action` on `resource`
 * (default: the vault itself) under the vault's access policy. Call it once the vault is
 * found and before anything else about the request is checked or changed.
 */
export function authorizeOnVault(ctx: Pick<DomainContext, "scope" | "config">, vault: VaultRecord, action: string, resource?: string, context?: Record<string, string[]>): void {
  const refusal = vaultRefusal(vault, { action, caller: callerOf(ctx), ...(resource !== undefined ? { resource } : {}), ...(context ? { context } : {}) });
  if (refusal) throw accessDenied(refusal);
}

/** The vault `name` in `scope` (default: the caller's), once the caller may perform `action` on it or on `resource` in it. */
export function requireVaultFor(ctx: DomainContext, action: string, name: string, resource?: string, scope: Scope = ctx.scope): VaultRecord {
  const vault = requireVault(ctx.store, scope, name);
  authorizeOnVault(ctx, vault, action, resource);
  return vault;
}

/**
 * Whether the vault's policy grants `caller` any of `actions` on some resource (Resource is not
 * considered): how another account's vault becomes visible to it (decision 10).
 */
export function grantsAny(vault: VaultRecord, actions: readonly string[], caller: Caller): boolean {
  return actions.some((action) => evaluatePolicy(vault.AccessPolicy, { action, caller }) === "allow");
}

/**
 * For operations that name a recovery point without its vault (StartRestoreJob): the policy
 * of the vault holding it decides. A point that does not exist is left for the operation to
 * report.
 */
export function authorizeOnRecoveryPoint(ctx: DomainContext, action: string, arn: string): void {
  const rp = ctx.store.recoveryPoints.get(ctx.scope, arn);
  const vault = rp && ctx.store.vaults.get(ctx.scope, rp.BackupVaultName);
  if (vault) authorizeOnVault(ctx, vault, action, arn);
}

/**
 * Why a copy made by `sourceAccountId` may not go into `vault`, checked when the copy runs
 * (AWS fails the copy job, it does not refuse StartCopyJob):
 * - an explicit Deny of backup:CopyIntoBackupVault refuses any account, the vault's own included;
 * - with an organization configured, a copy into another account's vault needs both accounts in
 *   it, the organization's isCrossAccountBackupEnabled global setting, and an Allow in the
 *   vault's policy (developer guide, "Creating backup copies across AWS accounts");
 * - without one, only AUTH_MODE=strict asks for the Allow, as the emulator always did.
 */
export function copyIntoRefusal(store: Store, config: Pick<Config, "organization" | "authMode">, sourceAccountId: string, vault: VaultRecord): string | undefined {
  const owner = vaultFromArn(vault.BackupVaultArn)?.scope.accountId;
  const org = organizationOf(config, sourceAccountId);
  const caller: Caller = { accountId: sourceAccountId, ...(org ? { orgId: org.id } : {}) };
  const req: PolicyRequest = { action: "backup:CopyIntoBackupVault", resource: vault.BackupVaultArn, caller };
  if (owner === sourceAccountId) return vaultRefusal(vault, req);
  if (config.organization) {
    if (!org || !owner || !org.accountIds.includes(owner)) {
      return `Cross-account copy from account ${sourceAccountId} to account ${owner} needs both accounts in the same organization; organization ${config.organization.id} has ${config.organization.accountIds.join(", ")}.`;
    }
    if (!crossAccountBackupEnabled(store, org)) {
      return `Cross-account backup is not enabled for organization ${org.id}: its management account ${org.managementAccountId} must set isCrossAccountBackupEnabled to "true" with UpdateGlobalSettings.`;
    }
    return vaultRefusal(vault, req);
  }
  if (config.authMode === "strict") return vaultRefusal(vault, req);
  return evaluatePolicy(vault.AccessPolicy, req) === "deny" ? vaultRefusal(vault, req) : undefined;
}

/** For operations on any ARN (tagging): the policy of the caller's vault the ARN names or holds, if any. */
export function authorizeOnArn(ctx: DomainContext, action: string, arn: string): void {
  const named = vaultFromArn(arn);
  const vault = named && named.scope.accountId === ctx.scope.accountId && named.scope.region === ctx.scope.region ? ctx.store.vaults.get(ctx.scope, named.name) : undefined;
  if (vault) authorizeOnVault(ctx, vault, action);
  else authorizeOnRecoveryPoint(ctx, action, arn);
}
