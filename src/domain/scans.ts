/**
 * Malware scan jobs: AWS Backup hands a recovery point to Amazon GuardDuty Malware Protection
 * and records the outcome. A job moves CREATED → RUNNING → COMPLETED over the configured delay
 * (half of it to start running), driven by the scheduler's queue; the emulated scanner finds no
 * threats. On completion the result joins the recovery point's ScanResults (DescribeRecoveryPoint)
 * and so its AggregatedScanResult (ListRecoveryPointsByBackupVault).
 *
 * Which recovery points can be scanned follows GuardDuty's Malware Protection for Backup
 * ("How it works" and "Monitoring scan statuses"): EBS, EC2 and S3 recovery points that are
 * COMPLETED or AVAILABLE, not composite and not in cold storage. An incremental scan compares a
 * target with an older base recovery point of the same resource, and GuardDuty skips it when the
 * base was never scanned; here such a job ends FAILED with that reason. Continuous (PITR)
 * recovery points are scanned in full from their start up to ContinuousScanEndTime.
 */
import { InvalidParameterValueException, InvalidRequestException, MissingParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { RecoveryPointRecord } from "../store/records.js";
import { scanJobsDef, type ScanJobRecord } from "../store/schema/tiering-scans.js";
import type { Scope } from "../store/table.js";
import type { Store, WorkItem } from "../store/store.js";
import { jobStateChanged } from "./events.js";
import { hex, uuid } from "./ids.js";
import { inColdStorage, isContinuous } from "./recovery-point-management.js";
import { requireRecoveryPoint } from "./recovery-points.js";
import { resourceNameOf } from "./resources.js";
import { validateRoleArn } from "./selections.js";
import { shape, timeText } from "./util.js";
import { requireVault } from "./vaults.js";
import type { WorkFactory } from "./work.js";

export const SCAN_JOB_WORK = "scan-job";
type Transition = "RUNNING" | "COMPLETED";

type ScanResourceType = Shapes["ScanResourceType"];
const SCANNABLE_TYPES: readonly ScanResourceType[] = ["EBS", "EC2", "S3"];
const isScannable = (type: string): type is ScanResourceType => (SCANNABLE_TYPES as readonly string[]).includes(type);
/** Recovery point states GuardDuty scans ("resource not in the expected state" otherwise). */
const SCANNABLE_STATUSES = new Set(["COMPLETED", "AVAILABLE"]);
/** Job states whose scan finished and produced a result. */
const SCANNED_STATES: Shapes["ScanState"][] = ["COMPLETED", "COMPLETED_WITH_ISSUES"];
/** DescribeRecoveryPointOutput.ScanResults holds at most 5 entries (model length constraint). */
export const MAX_SCAN_RESULTS = 5;

export const scanJobs = (store: Store) => store.table(scanJobsDef);

export function requireScanJob(store: Store, scope: Scope, id: string): ScanJobRecord {
  const job = scanJobs(store).get(scope, id);
  if (!job) throw new ResourceNotFoundException(`Scan job ${id} does not exist.`, { Context: id });
  return job;
}

/** Checks a recovery point can be handed to the scanner; `role` says which input named it. */
function requireScannable(rp: RecoveryPointRecord, role: string, now: number): void {
  if (!SCANNABLE_STATUSES.has(rp.Status)) {
    throw new InvalidRequestException(`${role} ${rp.RecoveryPointArn} is ${rp.Status}; only COMPLETED or AVAILABLE recovery points can be scanned.`, {
      Context: rp.RecoveryPointArn,
    });
  }
  if (rp.IsParent) {
    throw new InvalidRequestException(`${role} ${rp.RecoveryPointArn} is a composite recovery point; scan its member recovery points instead.`, {
      Context: rp.RecoveryPointArn,
    });
  }
  if (inColdStorage(rp, now)) {
    throw new InvalidRequestException(`${role} ${rp.RecoveryPointArn} is in cold storage, which cannot be scanned.`, { Context: rp.RecoveryPointArn });
  }
}

/** The same request again under the same IdempotencyToken. */
function sameRequest(job: ScanJobRecord, input: Shapes["StartScanJobInput"]): boolean {
  return (
    job.BackupVaultName === input.BackupVaultName &&
    job.RecoveryPointArn === input.RecoveryPointArn &&
    job.ScanMode === input.ScanMode &&
    job.ScanBaseRecoveryPointArn === input.ScanBaseRecoveryPointArn &&
    job.IamRoleArn === input.IamRoleArn &&
    job.ScannerRoleArn === input.ScannerRoleArn &&
    job.MalwareScanner === input.MalwareScanner &&
    (input.ContinuousScanEndTime === undefined || job.ContinuousScanEndTime === input.ContinuousScanEndTime)
  );
}

/**
 * StartScanJob. A retry carrying the IdempotencyToken of an earlier successful request answers
 * with that job and starts nothing (API reference, StartScanJob IdempotencyToken).
 */
export function startScanJob(ctx: DomainContext, input: Shapes["StartScanJobInput"]): ScanJobRecord {
  const { store, scope, config } = ctx;
  validateRoleArn(input.IamRoleArn, "IamRoleArn");
  validateRoleArn(input.ScannerRoleArn, "ScannerRoleArn");
  const base = input.ScanBaseRecoveryPointArn;
  if (input.ScanMode === "INCREMENTAL_SCAN" && base === undefined) {
    throw new MissingParameterValueException("ScanBaseRecoveryPointArn is required when ScanMode is INCREMENTAL_SCAN: name the earlier recovery point to compare with.");
  }
  if (input.ScanMode === "FULL_SCAN" && base !== undefined) {
    throw new InvalidParameterValueException(`ScanBaseRecoveryPointArn "${base}" applies only to INCREMENTAL_SCAN; a FULL_SCAN scans the whole recovery point.`);
  }
  return store.transaction(() => {
    if (input.IdempotencyToken !== undefined) {
      const prior = scanJobs(store).all(scope, { idempotency_token: input.IdempotencyToken })[0];
      if (prior && sameRequest(prior, input)) return prior;
      if (prior) {
        throw new InvalidRequestException(`IdempotencyToken "${input.IdempotencyToken}" was already used for scan job ${prior.ScanJobId} with different parameters.`, {
          Context: input.IdempotencyToken,
        });
      }
    }
    const now = ctx.clock.now();
    const vault = requireVault(store, scope, input.BackupVaultName);
    const rp = requireRecoveryPoint(store, scope, vault.BackupVaultName, input.RecoveryPointArn);
    if (!isScannable(rp.ResourceType)) {
      throw new InvalidParameterValueException(
        `Recovery point ${rp.RecoveryPointArn} is a backup of a ${rp.ResourceType} resource; malware scans support only ${SCANNABLE_TYPES.join(", ")} recovery points.`,
        { Context: rp.RecoveryPointArn },
      );
    }
    requireScannable(rp, "Recovery point", now);

    let continuous: { ContinuousScanStartTime: number; ContinuousScanEndTime: number } | undefined;
    if (isContinuous(rp)) {
      // GuardDuty scans a point-in-time backup in full, from its start to the chosen end time;
      // partial or incremental scans of one cannot be requested (GuardDuty, "How it works").
      if (input.ScanMode === "INCREMENTAL_SCAN") {
        throw new InvalidParameterValueException(`Recovery point ${rp.RecoveryPointArn} is a continuous backup, which can only be scanned with FULL_SCAN.`, {
          Context: rp.RecoveryPointArn,
        });
      }
      const end = input.ContinuousScanEndTime ?? now;
      if (end < rp.CreationDate || end > now) {
        throw new InvalidParameterValueException(
          `ContinuousScanEndTime ${timeText(end)} is outside continuous backup ${rp.RecoveryPointArn}, which covers ${timeText(rp.CreationDate)} until now.`,
        );
      }
      continuous = { ContinuousScanStartTime: rp.CreationDate, ContinuousScanEndTime: end };
    } else if (input.ContinuousScanEndTime !== undefined) {
      throw new InvalidParameterValueException(`ContinuousScanEndTime applies only to continuous backups; recovery point ${rp.RecoveryPointArn} is a snapshot backup.`);
    }

    if (base !== undefined) {
      const baseRp = requireRecoveryPoint(store, scope, vault.BackupVaultName, base);
      if (baseRp.ResourceArn !== rp.ResourceArn) {
        throw new InvalidParameterValueException(
          `ScanBaseRecoveryPointArn ${base} is a backup of ${baseRp.ResourceArn}, not of ${rp.ResourceArn}; an incremental scan compares two backups of the same resource.`,
          { Context: base },
        );
      }
      if (baseRp.CreationDate >= rp.CreationDate) {
        throw new InvalidParameterValueException(`ScanBaseRecoveryPointArn ${base} must be older than the target recovery point ${rp.RecoveryPointArn}.`, { Context: base });
      }
      requireScannable(baseRp, "Base recovery point", now);
    }

    const job: ScanJobRecord = {
      AccountId: scope.accountId,
      ScanJobId: uuid(),
      BackupVaultName: vault.BackupVaultName,
      BackupVaultArn: vault.BackupVaultArn,
      RecoveryPointArn: rp.RecoveryPointArn,
      ResourceArn: rp.ResourceArn,
      ResourceType: rp.ResourceType,
      ResourceName: rp.ResourceName ?? resourceNameOf(rp.ResourceArn) ?? rp.ResourceArn,
      CreationDate: now,
      State: "CREATED",
      MalwareScanner: input.MalwareScanner,
      ScanMode: input.ScanMode,
      IamRoleArn: input.IamRoleArn,
      ScannerRoleArn: input.ScannerRoleArn,
      ...(base !== undefined ? { ScanBaseRecoveryPointArn: base } : {}),
      ...continuous,
      ...(input.IdempotencyToken !== undefined ? { IdempotencyToken: input.IdempotencyToken } : {}),
    };
    scanJobs(store).insert(scope, job);
    announce(store, scope, job, now);
    const delay = config.jobCompletionDelaySeconds;
    store.schedule(now + delay / 2, SCAN_JOB_WORK, scope, job.ScanJobId, { to: "RUNNING" satisfies Transition }, { due: now + delay, data: { to: "COMPLETED" satisfies Transition } });
    return job;
  });
}

function announce(store: Store, scope: Scope, job: ScanJobRecord, at: number): void {
  jobStateChanged(
    store,
    scope,
    {
      jobType: "SCAN",
      jobId: job.ScanJobId,
      state: job.State,
      backupVaultName: job.BackupVaultName,
      backupVaultArn: job.BackupVaultArn,
      resourceArn: job.ResourceArn,
      resourceType: job.ResourceType,
      recoveryPointArn: job.RecoveryPointArn,
      ...(job.StatusMessage ? { statusMessage: job.StatusMessage } : {}),
    },
    at,
  );
}

/** Has `arn` a scan that had finished by `at`? (An incremental scan needs one of its base.) */
function scannedBy(store: Store, scope: Scope, arn: string, at: number): boolean {
  return scanJobs(store).count(scope, { recovery_point_arn: arn, state: { in: SCANNED_STATES }, completed: { lte: at } }) > 0;
}

/** Put a finished scan first in the recovery point's ScanResults, keeping the newest five. */
function recordScanResult(store: Store, scope: Scope, rp: RecoveryPointRecord, job: ScanJobRecord, at: number): void {
  const state = job.State as Shapes["ScanJobState"];
  const entry: Shapes["ScanResult"] = {
    MalwareScanner: job.MalwareScanner,
    ScanJobState: state,
    LastScanTimestamp: at,
    ...(state === "COMPLETED" || state === "COMPLETED_WITH_ISSUES" ? { Findings: job.ScanResult?.ScanResultStatus === "THREATS_FOUND" ? ["MALWARE" as const] : [] } : {}),
  };
  store.recoveryPoints.put(scope, { ...rp, ScanResults: [entry, ...(rp.ScanResults ?? [])].slice(0, MAX_SCAN_RESULTS) });
}

export function scanJobWork(store: Store) {
  return (item: WorkItem, at: number): void => {
    const scope = item.scope;
    const job = scanJobs(store).get(scope, item.ref);
    if (!job) return;
    const to = (item.data as { to: Transition }).to;
    let next: ScanJobRecord | undefined;
    if (to === "RUNNING" && job.State === "CREATED") {
      // The id GuardDuty gives the malware scan once it starts.
      next = { ...job, State: "RUNNING", ScanId: hex(32) };
    } else if (to === "COMPLETED" && (job.State === "CREATED" || job.State === "RUNNING")) {
      const running = { ...job, ScanId: job.ScanId ?? hex(32) };
      const rp = store.recoveryPoints.get(scope, job.RecoveryPointArn);
      if (!rp || rp.BackupVaultName !== job.BackupVaultName) {
        next = { ...running, State: "FAILED", CompletionDate: at, StatusMessage: `RESOURCE_NOT_FOUND: recovery point ${job.RecoveryPointArn} was deleted before the scan finished.` };
      } else if (job.ScanBaseRecoveryPointArn !== undefined && !scannedBy(store, scope, job.ScanBaseRecoveryPointArn, at)) {
        next = {
          ...running,
          State: "FAILED",
          CompletionDate: at,
          StatusMessage: `BASE_RESOURCE_NOT_SCANNED: base recovery point ${job.ScanBaseRecoveryPointArn} has no completed malware scan; scan it with FULL_SCAN first.`,
        };
      } else {
        next = { ...running, State: "COMPLETED", CompletionDate: at, ScanResult: { ScanResultStatus: "NO_THREATS_FOUND" } };
      }
      if (rp && rp.BackupVaultName === job.BackupVaultName) recordScanResult(store, scope, rp, next, at);
    }
    if (!next) return;
    scanJobs(store).put(scope, next);
    announce(store, scope, next, at);
  };
}

/** Scheduled work kinds of this module, by kind. */
export const scanWork: Record<string, WorkFactory> = {
  [SCAN_JOB_WORK]: ({ store }) => scanJobWork(store),
};

/**
 * GetPITRMalwareScanResults: the result of the most recent finished scan of a continuous backup
 * whose scanned window contains `at` (API reference: LastScanJobTime is the completion time of
 * the most recent scan job that covered the point in time).
 */
export function pitrScanResult(
  ctx: DomainContext,
  input: Shapes["GetPITRMalwareScanResultsInput"],
): Shapes["GetPITRMalwareScanResultsOutput"] {
  const { store, scope } = ctx;
  requireVault(store, scope, input.BackupVaultName);
  const rp = requireRecoveryPoint(store, scope, input.BackupVaultName, input.RecoveryPointArn);
  if (!isContinuous(rp)) {
    throw new InvalidParameterValueException(`Recovery point ${rp.RecoveryPointArn} is a snapshot backup; point-in-time scan results exist only for continuous backups.`, {
      Context: rp.RecoveryPointArn,
    });
  }
  const at = input.ScanEndTime;
  const covering = scanJobs(store)
    .all(scope, { recovery_point_arn: rp.RecoveryPointArn, state: { in: SCANNED_STATES }, malware_scanner: input.MalwareScanner })
    .filter((j) => j.ContinuousScanStartTime !== undefined && j.ContinuousScanEndTime !== undefined && j.ContinuousScanStartTime <= at && at <= j.ContinuousScanEndTime)
    .sort((a, b) => (b.CompletionDate ?? 0) - (a.CompletionDate ?? 0))[0];
  if (!covering?.ScanResult) {
    throw new ResourceNotFoundException(
      `No completed ${input.MalwareScanner} scan of continuous backup ${rp.RecoveryPointArn} covers ${timeText(at)}; start one with StartScanJob and a ContinuousScanEndTime at or after that time.`,
      { Context: rp.RecoveryPointArn },
    );
  }
  return {
    ScanEndTime: at,
    ScanResult: covering.ScanResult,
    ...(covering.CompletionDate !== undefined ? { LastScanJobTime: covering.CompletionDate } : {}),
    ...(covering.ScanId !== undefined ? { ScanId: covering.ScanId } : {}),
    ScanMode: covering.ScanMode,
  };
}

/**
 * CreatedBy (the backup plan and rule that started a scan) is modeled as required, but a scan
 * started with StartScanJob has no plan, so it is left out, as for on-demand backup jobs.
 */
export const describeScanJob = (j: ScanJobRecord): Shapes["DescribeScanJobOutput"] => shape("DescribeScanJobOutput", j);
