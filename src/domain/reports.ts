/**
 * Report jobs: StartReportJob queues a job that moves CREATED → RUNNING → COMPLETED over the
 * configured job delay (half of it to start running) and, on completion, really builds the
 * report its plan describes from the emulator's state and writes it, as CSV and/or JSON, where
 * the service would put it in S3.
 *
 * Jobs reports list the jobs that finished in the 24 hours before the report plus every job
 * still active (developer guide, "Working with audit reports"); compliance reports evaluate the
 * controls of the plan's frameworks at the time of the report. Row fields follow the samples of
 * the developer guide ("Choosing your report template").
 */
import { periodDays } from "./lifecycle.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { InvalidParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { Config } from "../config.js";
import type { BackupJobRecord } from "../store/records.js";
import { reportJobsDef, type ReportJobRecord } from "../store/schema/audit.js";
import { copyJobsDef, type CopyJobRecord } from "../store/schema/copy.js";
import { restoreJobsDef, type RestoreJobRecord } from "../store/schema/restore.js";
import { scanJobsDef, type ScanJobRecord } from "../store/schema/tiering-scans.js";
import type { Scope, Table, Where } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { evaluateControls, parametersOf } from "./controls.js";
import { frameworkByArn, frameworkWork } from "./frameworks.js";
import { uuid } from "./ids.js";
import { reportPlanTable, reportPlanWork, requireReportPlan, UNFINISHED_REPORT_JOB_STATES } from "./report-plans.js";
import { shape } from "./util.js";
import type { WorkFactory } from "./work.js";

export const REPORT_JOB_WORK = "report-job";
type Transition = "RUNNING" | "COMPLETED";

/** The statuses ListReportJobs filters on (API reference, ListReportJobs ByStatus). */
export const REPORT_JOB_STATUSES = ["CREATED", "RUNNING", "COMPLETED", "FAILED", "COMPLETED_WITH_ISSUES"] as const;

const DAY = 86_400;

export const reportJobTable = (store: Store) => store.table(reportJobsDef);

export function requireReportJob(store: Store, scope: Scope, id: string): ReportJobRecord {
  const job = reportJobTable(store).get(scope, id);
  if (!job) throw new ResourceNotFoundException(`Report job ${id} does not exist in account ${scope.accountId} and region ${scope.region}.`, { Context: id });
  return job;
}

export function validateReportJobStatus(status: string | undefined): void {
  if (status !== undefined && !(REPORT_JOB_STATUSES as readonly string[]).includes(status)) {
    throw new InvalidParameterValueException(`ByStatus "${status}" is not a report job status; use one of ${REPORT_JOB_STATUSES.join(", ")}.`);
  }
}

/** Create a report job for a plan and queue its run. */
export function startReportJob(ctx: DomainContext, planName: string): ReportJobRecord {
  const { store, scope, config } = ctx;
  return store.transaction(() => {
    const plan = requireReportPlan(store, scope, planName);
    const now = ctx.clock.now();
    const job: ReportJobRecord = {
      ReportJobId: uuid(),
      ReportPlanArn: plan.ReportPlanArn,
      ReportPlanName: plan.ReportPlanName,
      ReportTemplate: plan.ReportSetting.ReportTemplate,
      CreationTime: now,
      Status: "CREATED",
      ReportSetting: plan.ReportSetting,
      ReportDeliveryChannel: plan.ReportDeliveryChannel,
    };
    reportJobTable(store).insert(scope, job);
    const delay = config.jobCompletionDelaySeconds;
    store.schedule(now + delay / 2, REPORT_JOB_WORK, scope, job.ReportJobId, { to: "RUNNING" }, { due: now + delay, data: { to: "COMPLETED" } });
    return job;
  });
}

// ---- report content ----

type Cell = string | number | boolean | null | Record<string, string>;
type Row<C extends string = string> = Record<C, Cell>;

export interface Report {
  columns: readonly string[];
  rows: Row[];
}

const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t * 1000).toISOString());

/** Elapsed time as HH:MM:SS, as jobRunTime shows it. */
function duration(from: number, to: number): string {
  const s = Math.max(0, Math.round(to - from));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

interface Period {
  start: number;
  end: number;
}

/** A job's run time: until completion, or until the report for a job still running. */
const runTime = (created: number, completed: number | undefined, p: Period) => duration(created, completed ?? p.end);

const lifecycleCells = (lc: Shapes["Lifecycle"] | undefined) => ({
  deleteAfterDays: periodDays(lc?.DeleteAfterDays) ?? null,
  moveToColdAfterDays: periodDays(lc?.MoveToColdStorageAfterDays) ?? null,
  enableArchive: lc?.OptInToArchiveForSupportedResources ?? false,
});

const creatorCells = (c: Shapes["RecoveryPointCreator"] | undefined) => ({
  backupPlanName: c?.BackupPlanName ?? null,
  backupRuleName: c?.BackupRuleName ?? null,
  backupRuleSchedule: c?.BackupRuleCron ?? null,
  backupRuleTimezone: c?.BackupRuleTimezone ?? null,
});

const BACKUP_JOB_COLUMNS = [
  "reportTimePeriodStart",
  "reportTimePeriodEnd",
  "accountId",
  "region",
  "backupJobId",
  "jobStatus",
  "statusMessage",
  "resourceType",
  "resourceArn",
  "resourceName",
  "backupPlanArn",
  "backupRuleId",
  "initiationDate",
  "backupPlanName",
  "backupRuleName",
  "backupRuleSchedule",
  "backupRuleTimezone",
  "startWindowEnd",
  "backupOptions",
  "isParentJob",
  "parentJobId",
  "creationDate",
  "completionDate",
  "recoveryPointArn",
  "jobRunTime",
  "backupSizeInBytes",
  "backupVaultName",
  "backupVaultArn",
  "vaultType",
  "vaultLockStatus",
  "isEncrypted",
  "encryptionKeyArn",
  "deleteAfterDays",
  "moveToColdAfterDays",
  "enableArchive",
  "iamRoleArn",
] as const;

function backupJobRow(scope: Scope, j: BackupJobRecord, p: Period): Row<(typeof BACKUP_JOB_COLUMNS)[number]> {
  return {
    reportTimePeriodStart: iso(p.start),
    reportTimePeriodEnd: iso(p.end),
    accountId: scope.accountId,
    region: scope.region,
    backupJobId: j.BackupJobId,
    jobStatus: j.State,
    statusMessage: j.StatusMessage ?? null,
    resourceType: j.ResourceType,
    resourceArn: j.ResourceArn,
    resourceName: j.ResourceName ?? null,
    backupPlanArn: j.CreatedBy?.BackupPlanArn ?? null,
    backupRuleId: j.CreatedBy?.BackupRuleId ?? null,
    initiationDate: iso(j.InitiationDate ?? j.CreationDate),
    ...creatorCells(j.CreatedBy),
    startWindowEnd: iso(j.StartBy),
    backupOptions: j.BackupOptions ?? {},
    isParentJob: j.IsParent ?? false,
    parentJobId: j.ParentJobId ?? null,
    creationDate: iso(j.CreationDate),
    completionDate: iso(j.CompletionDate),
    recoveryPointArn: j.RecoveryPointArn ?? null,
    jobRunTime: runTime(j.CreationDate, j.CompletionDate, p),
    backupSizeInBytes: j.BackupSizeInBytes ?? 0,
    backupVaultName: j.BackupVaultName,
    backupVaultArn: j.BackupVaultArn,
    vaultType: j.VaultType ?? "BACKUP_VAULT",
    vaultLockStatus: j.VaultLockState ?? "UNLOCKED",
    isEncrypted: j.IsEncrypted ?? false,
    encryptionKeyArn: j.EncryptionKeyArn ?? null,
    ...lifecycleCells(j.RecoveryPointLifecycle),
    iamRoleArn: j.IamRoleArn,
  };
}

const COPY_JOB_COLUMNS = [
  "reportTimePeriodStart",
  "reportTimePeriodEnd",
  "accountId",
  "region",
  "copyJobId",
  "jobStatus",
  "statusMessage",
  "jobRunTime",
  "resourceType",
  "resourceArn",
  "resourceName",
  "initiationDate",
  "backupPlanName",
  "backupRuleName",
  "backupRuleSchedule",
  "backupRuleTimezone",
  "isParentJob",
  "parentJobId",
  "creationDate",
  "completionDate",
  "backupSizeInBytes",
  "sourceRecoveryPointArn",
  "sourceBackupVaultArn",
  "destinationRecoveryPointArn",
  "destinationBackupVaultArn",
  "vaultType",
  "vaultLockStatus",
  "isEncrypted",
  "encryptionKeyArn",
  "deleteAfterDays",
  "moveToColdAfterDays",
  "enableArchive",
  "iamRoleArn",
] as const;

function copyJobRow(scope: Scope, j: CopyJobRecord, p: Period): Row<(typeof COPY_JOB_COLUMNS)[number]> {
  return {
    reportTimePeriodStart: iso(p.start),
    reportTimePeriodEnd: iso(p.end),
    accountId: scope.accountId,
    region: scope.region,
    copyJobId: j.CopyJobId,
    jobStatus: j.State,
    statusMessage: j.StatusMessage ?? null,
    jobRunTime: runTime(j.CreationDate, j.CompletionDate, p),
    resourceType: j.ResourceType,
    resourceArn: j.ResourceArn,
    resourceName: j.ResourceName ?? null,
    initiationDate: iso(j.CreationDate),
    ...creatorCells(j.CreatedBy),
    isParentJob: j.IsParent ?? false,
    parentJobId: j.ParentJobId ?? null,
    creationDate: iso(j.CreationDate),
    completionDate: iso(j.CompletionDate),
    backupSizeInBytes: j.BackupSizeInBytes ?? 0,
    sourceRecoveryPointArn: j.SourceRecoveryPointArn,
    sourceBackupVaultArn: j.SourceBackupVaultArn,
    destinationRecoveryPointArn: j.DestinationRecoveryPointArn ?? null,
    destinationBackupVaultArn: j.DestinationBackupVaultArn,
    vaultType: j.DestinationVaultType ?? "BACKUP_VAULT",
    vaultLockStatus: j.DestinationVaultLockState ?? "UNLOCKED",
    // AWS Backup always encrypts the copies it makes.
    isEncrypted: true,
    encryptionKeyArn: j.DestinationEncryptionKeyArn ?? null,
    ...lifecycleCells(j.DestinationRecoveryPointLifecycle),
    iamRoleArn: j.IamRoleArn ?? null,
  };
}

const RESTORE_JOB_COLUMNS = [
  "reportTimePeriod",
  "accountId",
  "region",
  "restoreJobId",
  "jobStatus",
  "statusMessage",
  "recoveryPointArn",
  "resourceType",
  "sourceResourceArn",
  "createdResourceArn",
  "backupVaultArn",
  "isParentJob",
  "parentJobId",
  "creationDate",
  "completionDate",
  "jobRunTime",
  "backupSizeInBytes",
  "percentDone",
  "iamRoleArn",
] as const;

function restoreJobRow(scope: Scope, j: RestoreJobRecord, p: Period): Row<(typeof RESTORE_JOB_COLUMNS)[number]> {
  const percent = j.PercentDone ?? (j.Status === "COMPLETED" ? "100.00" : "0.00");
  return {
    reportTimePeriod: `${iso(p.start)} - ${iso(p.end)}`,
    accountId: scope.accountId,
    region: scope.region,
    restoreJobId: j.RestoreJobId,
    jobStatus: j.Status,
    statusMessage: j.StatusMessage ?? null,
    recoveryPointArn: j.RecoveryPointArn,
    resourceType: j.ResourceType,
    sourceResourceArn: j.SourceResourceArn ?? null,
    createdResourceArn: j.CreatedResourceArn ?? null,
    backupVaultArn: j.BackupVaultArn ?? null,
    isParentJob: j.IsParent ?? false,
    parentJobId: j.ParentJobId ?? null,
    creationDate: iso(j.CreationDate),
    completionDate: iso(j.CompletionDate),
    jobRunTime: runTime(j.CreationDate, j.CompletionDate, p),
    backupSizeInBytes: j.BackupSizeInBytes ?? 0,
    percentDone: percent.endsWith("%") ? percent : `${percent}%`,
    iamRoleArn: j.IamRoleArn ?? null,
  };
}

const SCAN_JOB_COLUMNS = [
  "reportTimePeriodStart",
  "reportTimePeriodEnd",
  "accountId",
  "region",
  "scanJobId",
  "scanId",
  "malwareScanner",
  "jobStatus",
  "scanResultStatus",
  "statusMessage",
  "resourceType",
  "resourceArn",
  "backupPlanArn",
  "creationDate",
  "completionDate",
  "recoveryPointArn",
  "backupVaultName",
  "backupVaultArn",
  "iamRoleArn",
  "scannerRoleArn",
] as const;

function scanJobRow(scope: Scope, j: ScanJobRecord, p: Period): Row<(typeof SCAN_JOB_COLUMNS)[number]> {
  return {
    reportTimePeriodStart: iso(p.start),
    reportTimePeriodEnd: iso(p.end),
    accountId: scope.accountId,
    region: scope.region,
    scanJobId: j.ScanJobId,
    scanId: j.ScanId ?? null,
    malwareScanner: j.MalwareScanner,
    jobStatus: j.State,
    scanResultStatus: j.ScanResult?.ScanResultStatus ?? "",
    statusMessage: j.StatusMessage ?? "",
    resourceType: j.ResourceType ?? null,
    resourceArn: j.ResourceArn,
    backupPlanArn: j.CreatedBy?.BackupPlanArn ?? null,
    creationDate: iso(j.CreationDate),
    completionDate: iso(j.CompletionDate),
    recoveryPointArn: j.RecoveryPointArn,
    backupVaultName: j.BackupVaultName,
    backupVaultArn: j.BackupVaultArn ?? null,
    iamRoleArn: j.IamRoleArn ?? null,
    scannerRoleArn: j.ScannerRoleArn ?? null,
  };
}

/** The Regions a report covers: its Regions setting ("*" for all), else the plan's own. */
function reportRegions(setting: Shapes["ReportSetting"], scope: Scope): string[] | "all" {
  const regions = setting.Regions ?? [];
  if (regions.includes("*")) return "all";
  return regions.length > 0 ? [...new Set(regions)] : [scope.region];
}

/**
 * Jobs of the account in the covered Regions that finished within the period or are still
 * active at its end, oldest first. Without AWS Organizations a report sees its own account only.
 */
function jobsInPeriod<T extends { CreationDate: number }>(table: Table<T>, accountId: string, regions: string[] | "all", p: Period): { scope: Scope; doc: T }[] {
  const windows: Where[] = [{ completed: { gt: p.start, lte: p.end } }, { completed: null, created: { lte: p.end } }];
  const found =
    regions === "all"
      ? windows.flatMap((w) => table.find(w)).filter((r) => r.scope.accountId === accountId)
      : regions.flatMap((region) => {
          const scope = { accountId, region };
          return windows.flatMap((w) => table.all(scope, w).map((doc) => ({ scope, doc })));
        });
  return found.sort((a, b) => a.doc.CreationDate - b.doc.CreationDate);
}

function jobsReport<T extends { CreationDate: number }, C extends string>(
  table: Table<T>,
  columns: readonly C[],
  row: (scope: Scope, doc: T, p: Period) => Row<C>,
  job: ReportJobRecord,
  scope: Scope,
  at: number,
): Report {
  const p = { start: at - DAY, end: at };
  return { columns, rows: jobsInPeriod(table, scope.accountId, reportRegions(job.ReportSetting, scope), p).map((r) => row(r.scope, r.doc, p)) };
}

const CONTROL_COLUMNS = [
  "accountId",
  "region",
  "frameworkName",
  "frameworkDescription",
  "controlName",
  "controlComplianceStatus",
  "lastEvaluationTime",
  "numResourcesCompliant",
  "numResourcesNonCompliant",
  "controlScope",
  "controlParameters",
] as const;

const RESOURCE_COLUMNS = [
  "accountId",
  "region",
  "frameworkName",
  "frameworkDescription",
  "controlName",
  "resourceName",
  "resourceId",
  "resourceType",
  "resourceComplianceStatus",
  "lastEvaluationTime",
] as const;

/** A compliance report, or why it cannot be built. */
function complianceReport(store: Store, job: ReportJobRecord, at: number): Report | string {
  const perControl = job.ReportTemplate === "CONTROL_COMPLIANCE_REPORT";
  const rows: Row[] = [];
  for (const arn of job.ReportSetting.FrameworkArns ?? []) {
    const found = frameworkByArn(store, arn);
    if (!found) return `Framework ${arn} no longer exists; update the report plan's FrameworkArns.`;
    const { scope, framework } = found;
    const base = {
      accountId: scope.accountId,
      region: scope.region,
      frameworkName: framework.FrameworkName,
      frameworkDescription: framework.FrameworkDescription ?? "",
    };
    const evaluations = evaluateControls(store, scope, framework.FrameworkControls, at);
    framework.FrameworkControls.forEach((control, i) => {
      const result = evaluations[i]!;
      if (perControl) {
        const row: Row<(typeof CONTROL_COLUMNS)[number]> = {
          ...base,
          controlName: control.ControlName,
          controlComplianceStatus: result.status,
          lastEvaluationTime: iso(at),
          numResourcesCompliant: result.resources.filter((r) => r.status === "COMPLIANT").length,
          numResourcesNonCompliant: result.resources.filter((r) => r.status === "NON_COMPLIANT").length,
          controlScope: JSON.stringify(control.ControlScope ?? {}),
          controlParameters: JSON.stringify(parametersOf(control)),
        };
        rows.push(row);
        return;
      }
      for (const r of result.resources) {
        const row: Row<(typeof RESOURCE_COLUMNS)[number]> = {
          ...base,
          controlName: control.ControlName,
          resourceName: r.resourceName ?? "",
          resourceId: r.resourceId,
          resourceType: r.resourceType,
          resourceComplianceStatus: r.status,
          lastEvaluationTime: iso(at),
        };
        rows.push(row);
      }
    });
  }
  return { columns: perControl ? CONTROL_COLUMNS : RESOURCE_COLUMNS, rows };
}

function buildReport(store: Store, scope: Scope, job: ReportJobRecord, at: number): Report | string {
  switch (job.ReportTemplate) {
    case "BACKUP_JOB_REPORT":
      return jobsReport(store.backupJobs, BACKUP_JOB_COLUMNS, backupJobRow, job, scope, at);
    case "COPY_JOB_REPORT":
      return jobsReport(store.table(copyJobsDef), COPY_JOB_COLUMNS, copyJobRow, job, scope, at);
    case "RESTORE_JOB_REPORT":
      return jobsReport(store.table(restoreJobsDef), RESTORE_JOB_COLUMNS, restoreJobRow, job, scope, at);
    case "SCAN_JOB_REPORT":
      return jobsReport(store.table(scanJobsDef), SCAN_JOB_COLUMNS, scanJobRow, job, scope, at);
    case "CONTROL_COMPLIANCE_REPORT":
    case "RESOURCE_COMPLIANCE_REPORT":
      return complianceReport(store, job, at);
    default:
      return `Report template ${job.ReportTemplate} is not supported.`;
  }
}

// ---- files ----

const cellText = (c: Cell): string => (c === null ? "" : typeof c === "object" ? JSON.stringify(c) : String(c));

/** One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(report: Report): string {
  const line = (cells: string[]) => cells.map(csvField).join(",");
  return [line([...report.columns]), ...report.rows.map((r) => line(report.columns.map((c) => cellText(r[c] ?? null))))].join("\r\n") + "\r\n";
}

export function toJson(report: Report): string {
  return `${JSON.stringify({ reportItems: report.rows }, null, 2)}\n`;
}

/**
 * Where report files go: REPORTS_DIR when set; beside the database when state is kept on disk
 * (DATA_DIR/reports); otherwise a folder in the system's temporary directory, as an in-memory
 * emulator has no folder of its own.
 */
export function reportsRoot(config: Config): string {
  return config.reportsDir ?? (config.dataDir !== undefined ? join(config.dataDir, "reports") : join(tmpdir(), "aws-backup-emulator", "reports"));
}

/** The local file standing for an S3 object: `<root>/<bucket>/<key>`, with "." and ".." key segments escaped so a key cannot leave the bucket's folder. */
export function localPathOf(root: string, bucket: string, key: string): string {
  const segments = key
    .split("/")
    .filter((s) => s !== "")
    .map((s) => (s === "." || s === ".." ? s.replace(/\./g, "%2E") : s));
  return join(root, bucket, ...segments);
}

/**
 * The S3 key of a report: `<prefix>/Backup/<region>/<year>/<month>/<day>/<report>` (API
 * reference, ReportDeliveryChannel.S3KeyPrefix), the date being the report's (UTC).
 */
export function reportKey(channel: Shapes["ReportDeliveryChannel"], scope: Scope, job: ReportJobRecord, at: number, format: string): string {
  const d = new Date(at * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const prefix = (channel.S3KeyPrefix ?? "").replace(/^\/+|\/+$/g, "");
  const folder = [prefix, "Backup", scope.region, String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())].filter((s) => s !== "").join("/");
  return `${folder}/${job.ReportTemplate}_${job.ReportPlanName}_${job.ReportJobId}.${format.toLowerCase()}`;
}

/** Where each of the job's report formats goes: its S3 key and the local file standing for it. */
function destinations(config: Config, scope: Scope, job: ReportJobRecord, at: number): { format: string; key: string; file: string }[] {
  const channel = job.ReportDeliveryChannel;
  const root = reportsRoot(config);
  return (channel.Formats ?? ["CSV"]).map((format) => {
    const key = reportKey(channel, scope, job, at, format);
    return { format, key, file: localPathOf(root, channel.S3BucketName, key) };
  });
}

/** The folders the report files go in, created now so that a folder that cannot be made fails the job in its own run. */
function prepareFolders(targets: readonly { file: string }[]): void {
  for (const { file } of targets) mkdirSync(dirname(file), { recursive: true });
}

function writeReport(report: Report, targets: readonly { format: string; file: string }[]): void {
  for (const { format, file } of targets) writeFileSync(file, format === "JSON" ? toJson(report) : toCsv(report));
}

// ---- the job's transitions ----

/** Record a run on the job's plan, unless the plan has been replaced since. */
function touchPlan(store: Store, scope: Scope, job: ReportJobRecord, times: Partial<Shapes["ReportPlan"]>): void {
  const table = reportPlanTable(store);
  const plan = table.get(scope, job.ReportPlanName);
  if (plan && plan.ReportPlanArn === job.ReportPlanArn) table.put(scope, { ...plan, ...times });
}

function reportJobWork(store: Store, config: Config) {
  return (item: WorkItem, at: number): void => {
    const table = reportJobTable(store);
    const scope = item.scope;
    const job = table.get(scope, item.ref);
    if (!job || !(UNFINISHED_REPORT_JOB_STATES as readonly string[]).includes(job.Status)) return;
    const to = (item.data as { to: Transition }).to;
    if (to === "RUNNING") {
      if (job.Status !== "CREATED") return;
      table.put(scope, { ...job, Status: "RUNNING" });
      touchPlan(store, scope, job, { LastAttemptedExecutionTime: at });
      return;
    }
    const fail = (message: string) => {
      table.put(scope, { ...job, Status: "FAILED", StatusMessage: message, CompletionTime: at });
      touchPlan(store, scope, job, { LastAttemptedExecutionTime: at });
    };
    const report = buildReport(store, scope, job, at);
    if (typeof report === "string") return fail(report);
    const targets = destinations(config, scope, job, at);
    const couldNotWrite = (err: unknown) => `The report could not be written under ${reportsRoot(config)}: ${(err as Error).message}`;
    try {
      prepareFolders(targets);
    } catch (err) {
      // The service would fail the job when it cannot write to the bucket; here the folder stands for it.
      return fail(couldNotWrite(err));
    }
    table.put(scope, {
      ...job,
      Status: "COMPLETED",
      CompletionTime: at,
      ReportDestination: { S3BucketName: job.ReportDeliveryChannel.S3BucketName, S3Keys: targets.map((t) => t.key) },
      Files: targets.map((t) => t.file),
    });
    const previousSuccess = reportPlanTable(store).get(scope, job.ReportPlanName)?.LastSuccessfulExecutionTime;
    touchPlan(store, scope, job, { LastAttemptedExecutionTime: at, LastSuccessfulExecutionTime: at });
    // The files are written once the job's completion commits, so a rolled-back run leaves none.
    store.afterCommit(() => {
      try {
        writeReport(report, targets);
      } catch (err) {
        store.transaction(() => {
          const current = table.get(scope, job.ReportJobId);
          if (current?.Status !== "COMPLETED" || current.CompletionTime !== at) return;
          const { ReportDestination: _destination, Files: _files, ...rest } = current;
          table.put(scope, { ...rest, Status: "FAILED", StatusMessage: couldNotWrite(err) });
          const plan = reportPlanTable(store).get(scope, job.ReportPlanName);
          if (plan?.ReportPlanArn === job.ReportPlanArn && plan.LastSuccessfulExecutionTime === at) {
            const { LastSuccessfulExecutionTime: _success, ...unchanged } = plan;
            reportPlanTable(store).put(scope, previousSuccess === undefined ? unchanged : { ...unchanged, LastSuccessfulExecutionTime: previousSuccess });
          }
        });
      }
    });
  };
}

/** Scheduled work kinds of audit manager, by kind: deployments of frameworks and report plans, and report jobs. */
export const reportWork: Record<string, WorkFactory> = {
  ...frameworkWork,
  ...reportPlanWork,
  [REPORT_JOB_WORK]: ({ store, config }) => reportJobWork(store, config),
};

export const reportJobOutput = (j: ReportJobRecord): Shapes["ReportJob"] => shape("ReportJob", j);
