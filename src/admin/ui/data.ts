/**
 * What the dashboard polls: one bounded summary per account and Region. Each list holds at most
 * `limit` items in its table's order (vaults and plans by creation, the rest newest first) next
 * to its total, so a poll costs the same for a state of ten
 * recovery points as for one of a hundred thousand, where GET /_emulator/state would ship every
 * record on every refresh.
 */
import type { Database, Statement } from "better-sqlite3";
import type { Shapes } from "../../../generated/operations.js";
import type { Clock } from "../../domain/clock.js";
import { activeHoldsOn } from "../../domain/legal-holds.js";
import { scheduledRunsPreview } from "../../domain/plan-templates.js";
import { lockIsImmutable } from "../../domain/vault-lock.js";
import type { BackupJobRecord, PlanRecord, RecoveryPointRecord, Tags, VaultRecord } from "../../store/records.js";
import { copyJobsDef, type CopyJobRecord } from "../../store/schema/copy.js";
import { backupJobsDef, plansDef, recoveryPointsDef, vaultsDef } from "../../store/schema/core.js";
import { legalHoldsDef, type LegalHoldRecord } from "../../store/schema/governance.js";
import { restoreJobsDef, type RestoreJobRecord } from "../../store/schema/restore.js";
import { scanJobsDef, type ScanJobRecord } from "../../store/schema/tiering-scans.js";
import type { Store } from "../../store/store.js";
import type { Scope, TableDef } from "../../store/table.js";

/** How many runs ahead each plan shows (GetBackupPlan's MaxScheduledRunsPreview, in effect). */
export const NEXT_RUNS = 3;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export type JobKind = "backup" | "restore" | "copy" | "scan";
const JOB_KINDS: readonly JobKind[] = ["backup", "restore", "copy", "scan"];

/**
 * none: no lock. governance: Locked without a lock date, removable at any time. compliance-grace:
 * a compliance lock before its LockDate, still removable. compliance: immutable since LockDate.
 */
export type LockState = "none" | "governance" | "compliance-grace" | "compliance";

export interface VaultSummary {
  name: string;
  arn: string;
  type: string;
  state: string;
  lock: LockState;
  minRetentionDays?: number;
  maxRetentionDays?: number;
  lockDate?: number;
  recoveryPoints: number;
  created: number;
  tags: Tags;
}

export interface PlanRuleSummary {
  id?: string;
  name: string;
  vault: string;
  schedule?: string;
  timezone?: string;
  moveToColdStorageAfterDays?: number;
  deleteAfterDays?: number;
  continuous: boolean;
}

export interface PlanSummary {
  id: string;
  name: string;
  versionId: string;
  created: number;
  lastExecution?: number;
  rules: PlanRuleSummary[];
  nextRuns: { at: number; rule: string }[];
  /** Why next runs could not be computed (a schedule expression the preview cannot read). */
  scheduleProblem?: string;
  tags: Tags;
}

export interface JobSummary {
  kind: JobKind;
  id: string;
  state: string;
  statusMessage?: string;
  percentDone?: string;
  resourceArn?: string;
  resourceType?: string;
  /** The vault the job works in (a copy's source vault). */
  vault?: string;
  /** Where the job's result goes: a copy's destination vault, a restore's created resource, a scan's scanner. */
  target?: string;
  recoveryPointArn?: string;
  created: number;
  completed?: number;
}

export interface RecoveryPointSummary {
  arn: string;
  vault: string;
  resourceArn: string;
  resourceType: string;
  status: string;
  storageClass: string;
  created: number;
  moveToColdStorageAfterDays?: number;
  deleteAfterDays?: number;
  moveToColdStorageAt?: number;
  deleteAt?: number;
  /** Ids of the active legal holds covering the point. */
  heldBy: string[];
}

export interface LegalHoldSummary {
  id: string;
  title: string;
  status: string;
  description?: string;
  created: number;
  cancelled?: number;
  retainRecordUntil?: number;
  vaults?: string[];
  resources?: string[];
  from?: number;
  to?: number;
}

export interface ScopeSummary {
  accountId: string;
  region: string;
  totals: {
    vaults: number;
    plans: number;
    recoveryPoints: number;
    legalHolds: number;
    jobs: Record<JobKind, number>;
    activeJobs: Record<JobKind, number>;
  };
  vaults: VaultSummary[];
  plans: PlanSummary[];
  /** The newest jobs of every kind, newest first. */
  jobs: JobSummary[];
  recoveryPoints: RecoveryPointSummary[];
  legalHolds: LegalHoldSummary[];
}

export interface DashboardData {
  now: number;
  offsetSeconds: number;
  /** When the scheduler next has work (a job transition, a plan run, a lifecycle move); null when none. */
  nextWorkAt: number | null;
  limit: number;
  defaultScope: Scope;
  /** Every account and Region holding records (the page's choice of scope), whichever are summarized. */
  available: Scope[];
  scopes: ScopeSummary[];
}

/** One kind of job, seen through its table: totals, how many are still in progress, the newest. */
interface JobSource {
  total(store: Store, scope: Scope): number;
  active(store: Store, scope: Scope): number;
  newest(store: Store, scope: Scope, limit: number): JobSummary[];
}

function jobSource<T>(def: TableDef<T>, stateColumn: string, active: readonly string[], summarize: (doc: T) => JobSummary): JobSource {
  return {
    total: (store, scope) => store.table(def).count(scope),
    active: (store, scope) => store.table(def).count(scope, { [stateColumn]: { in: active } }),
    newest: (store, scope, limit) => store.table(def).list(scope, {}, limit).items.map(summarize),
  };
}

// Active states per kind, from each job's state enum in the model (BackupJobState, RestoreJobStatus,
// CopyJobState, ScanState): every state before a terminal one.
const JOB_SOURCES: Record<JobKind, JobSource> = {
  backup: jobSource(backupJobsDef, "state", ["CREATED", "PENDING", "RUNNING", "ABORTING"], (j: BackupJobRecord) => ({
    kind: "backup",
    id: j.BackupJobId,
    state: j.State,
    statusMessage: j.StatusMessage,
    percentDone: j.PercentDone,
    resourceArn: j.ResourceArn,
    resourceType: j.ResourceType,
    vault: j.BackupVaultName,
    recoveryPointArn: j.RecoveryPointArn,
    created: j.CreationDate,
    completed: j.CompletionDate,
  })),
  restore: jobSource(restoreJobsDef, "status", ["PENDING", "RUNNING"], (j: RestoreJobRecord) => ({
    kind: "restore",
    id: j.RestoreJobId,
    state: j.Status,
    statusMessage: j.StatusMessage,
    percentDone: j.PercentDone,
    resourceArn: j.SourceResourceArn,
    resourceType: j.ResourceType,
    vault: j.BackupVaultName,
    target: j.CreatedResourceArn,
    recoveryPointArn: j.RecoveryPointArn,
    created: j.CreationDate,
    completed: j.CompletionDate,
  })),
  copy: jobSource(copyJobsDef, "state", ["CREATED", "RUNNING"], (j: CopyJobRecord) => ({
    kind: "copy",
    id: j.CopyJobId,
    state: j.State,
    statusMessage: j.StatusMessage,
    resourceArn: j.ResourceArn,
    resourceType: j.ResourceType,
    vault: j.SourceBackupVaultName,
    target: j.DestinationBackupVaultArn,
    recoveryPointArn: j.SourceRecoveryPointArn,
    created: j.CreationDate,
    completed: j.CompletionDate,
  })),
  scan: jobSource(scanJobsDef, "state", ["CREATED", "RUNNING"], (j: ScanJobRecord) => ({
    kind: "scan",
    id: j.ScanJobId,
    state: j.State,
    statusMessage: j.ScanResult?.ScanResultStatus ? `result: ${j.ScanResult.ScanResultStatus}` : j.StatusMessage,
    resourceArn: j.ResourceArn,
    resourceType: j.ResourceType,
    vault: j.BackupVaultName,
    target: j.MalwareScanner,
    recoveryPointArn: j.RecoveryPointArn,
    created: j.CreationDate,
    completed: j.CompletionDate,
  })),
};

/** Tables whose rows make an account and Region worth showing. */
const SCOPED_TABLES: readonly TableDef<never>[] = [vaultsDef, plansDef, backupJobsDef, restoreJobsDef, copyJobsDef, scanJobsDef, recoveryPointsDef, legalHoldsDef];

/**
 * Every (account, Region) holding a record, plus the default one so a fresh emulator shows where
 * things will appear. Every table leads its indexes with (account, region) (store/table.ts), so
 * this hops from one scope to the next by index seeks: its cost follows the number of scopes,
 * not of rows (SELECT DISTINCT reads every row: ~15 ms at 100,000 recovery points, per poll).
 */
export function listScopes(store: Store, defaultScope: Scope): Scope[] {
  const found = new Map<string, Scope>([[`${defaultScope.accountId}/${defaultScope.region}`, defaultScope]]);
  for (const def of SCOPED_TABLES) {
    const q = scopeQueries(store.db, def.name);
    let at = q.first.get() as { account: string; region: string } | undefined;
    while (at) {
      found.set(`${at.account}/${at.region}`, { accountId: at.account, region: at.region });
      at = (q.nextInAccount.get(at.account, at.region) ?? q.nextAccount.get(at.account)) as typeof at;
    }
  }
  return [...found.values()].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region));
}

interface ScopeQueries {
  first: Statement;
  nextInAccount: Statement;
  nextAccount: Statement;
}

/** Prepared once per database and table: the dashboard asks every second or two. */
const scopeStatements = new WeakMap<Database, Map<string, ScopeQueries>>();

function scopeQueries(db: Database, table: string): ScopeQueries {
  let byTable = scopeStatements.get(db);
  if (!byTable) scopeStatements.set(db, (byTable = new Map()));
  let q = byTable.get(table);
  if (!q) {
    const order = "ORDER BY account, region LIMIT 1";
    q = {
      first: db.prepare(`SELECT account, region FROM ${table} ${order}`),
      nextInAccount: db.prepare(`SELECT account, region FROM ${table} WHERE account = ? AND region > ? ${order}`),
      nextAccount: db.prepare(`SELECT account, region FROM ${table} WHERE account > ? ${order}`),
    };
    byTable.set(table, q);
  }
  return q;
}

export interface DashboardSource {
  store: Store;
  clock: Clock & { offsetSeconds: number };
  defaultScope: Scope;
}

/** The summary of `only` (one account and Region) or of every scope holding records. */
export function dashboardData(src: DashboardSource, limit: number, only?: Scope): DashboardData {
  const now = src.clock.now();
  const available = listScopes(src.store, src.defaultScope);
  return {
    now,
    offsetSeconds: src.clock.offsetSeconds,
    nextWorkAt: src.store.nextDue(),
    limit,
    defaultScope: src.defaultScope,
    available,
    scopes: (only ? [only] : available).map((scope) => summarizeScope(src.store, scope, now, limit)),
  };
}

function summarizeScope(store: Store, scope: Scope, now: number, limit: number): ScopeSummary {
  const holds = store.table(legalHoldsDef);
  const livePlans = { deleted: null };

  const jobTotals = {} as Record<JobKind, number>;
  const activeJobs = {} as Record<JobKind, number>;
  const jobs: JobSummary[] = [];
  for (const kind of JOB_KINDS) {
    const source = JOB_SOURCES[kind];
    jobTotals[kind] = source.total(store, scope);
    activeJobs[kind] = source.active(store, scope);
    jobs.push(...source.newest(store, scope, limit));
  }
  jobs.sort((a, b) => b.created - a.created || a.id.localeCompare(b.id));

  // Coverage is evaluated per point (legal-holds.ts); without an active hold there is nothing to evaluate.
  const anyActiveHold = holds.count(scope, { status: "ACTIVE" }) > 0;

  return {
    accountId: scope.accountId,
    region: scope.region,
    totals: {
      vaults: store.vaults.count(scope),
      plans: store.plans.count(scope, livePlans),
      recoveryPoints: store.recoveryPoints.count(scope),
      legalHolds: holds.count(scope),
      jobs: jobTotals,
      activeJobs,
    },
    vaults: store.vaults.list(scope, {}, limit).items.map((v) => summarizeVault(store, v, now)),
    plans: store.plans.list(scope, livePlans, limit).items.map((p) => summarizePlan(store, p, now)),
    jobs: jobs.slice(0, limit),
    recoveryPoints: store.recoveryPoints
      .list(scope, {}, limit)
      .items.map((rp) => summarizeRecoveryPoint(rp, anyActiveHold ? activeHoldsOn(store, scope, rp) : [])),
    legalHolds: holds.list(scope, {}, limit).items.map(summarizeHold),
  };
}

function lockState(v: VaultRecord, now: number): LockState {
  if (!v.Locked) return "none";
  if (v.LockDate === undefined) return "governance";
  return lockIsImmutable(v, now) ? "compliance" : "compliance-grace";
}

function summarizeVault(store: Store, v: VaultRecord, now: number): VaultSummary {
  return {
    name: v.BackupVaultName,
    arn: v.BackupVaultArn,
    type: v.VaultType,
    state: v.VaultState,
    lock: lockState(v, now),
    minRetentionDays: v.MinRetentionDays,
    maxRetentionDays: v.MaxRetentionDays,
    lockDate: v.LockDate,
    recoveryPoints: v.NumberOfRecoveryPoints,
    created: v.CreationDate,
    tags: store.getTags(v.BackupVaultArn),
  };
}

function summarizePlan(store: Store, p: PlanRecord, now: number): PlanSummary {
  const rules = p.BackupPlan.Rules;
  const ruleName = new Map(rules.map((r) => [r.RuleId, r.RuleName]));
  let nextRuns: PlanSummary["nextRuns"] = [];
  let scheduleProblem: string | undefined;
  try {
    nextRuns = scheduledRunsPreview(p.BackupPlan, now, NEXT_RUNS).map((run) => ({
      at: run.ExecutionTime ?? 0,
      rule: ruleName.get(run.RuleId) ?? run.RuleId ?? "",
    }));
  } catch (err) {
    // One unreadable schedule must not take the whole dashboard down; the plan says what is wrong.
    scheduleProblem = (err as Error).message;
  }
  return {
    id: p.BackupPlanId,
    name: p.BackupPlanName,
    versionId: p.VersionId,
    created: p.CreationDate,
    lastExecution: p.LastExecutionDate,
    rules: rules.map(summarizeRule),
    nextRuns,
    scheduleProblem,
    tags: store.getTags(p.BackupPlanArn),
  };
}

function summarizeRule(r: Shapes["BackupRule"]): PlanRuleSummary {
  return {
    id: r.RuleId,
    name: r.RuleName,
    vault: r.TargetBackupVaultName,
    schedule: r.ScheduleExpression,
    timezone: r.ScheduleExpressionTimezone,
    moveToColdStorageAfterDays: r.Lifecycle?.MoveToColdStorageAfterDays,
    deleteAfterDays: r.Lifecycle?.DeleteAfterDays,
    continuous: r.EnableContinuousBackup === true,
  };
}

function summarizeRecoveryPoint(rp: RecoveryPointRecord, heldBy: string[]): RecoveryPointSummary {
  return {
    arn: rp.RecoveryPointArn,
    vault: rp.BackupVaultName,
    resourceArn: rp.ResourceArn,
    resourceType: rp.ResourceType,
    status: rp.Status,
    storageClass: rp.StorageClass,
    created: rp.CreationDate,
    moveToColdStorageAfterDays: rp.Lifecycle?.MoveToColdStorageAfterDays,
    deleteAfterDays: rp.Lifecycle?.DeleteAfterDays,
    moveToColdStorageAt: rp.CalculatedLifecycle?.MoveToColdStorageAt,
    deleteAt: rp.CalculatedLifecycle?.DeleteAt,
    heldBy,
  };
}

function summarizeHold(h: LegalHoldRecord): LegalHoldSummary {
  const sel = h.RecoveryPointSelection;
  return {
    id: h.LegalHoldId,
    title: h.Title,
    status: h.Status,
    description: h.Description,
    created: h.CreationDate,
    cancelled: h.CancellationDate,
    retainRecordUntil: h.RetainRecordUntil,
    vaults: sel?.VaultNames,
    resources: sel?.ResourceIdentifiers,
    from: sel?.DateRange?.FromDate,
    to: sel?.DateRange?.ToDate,
  };
}
