import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeRecoveryPointCommand,
  DescribeScanJobCommand,
  GetPITRMalwareScanResultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListScanJobsCommand,
  ListScanJobSummariesCommand,
  StartBackupJobCommand,
  StartScanJobCommand,
  type BackupClient,
  type ListScanJobsCommandInput,
  type StartScanJobCommandInput,
} from "@aws-sdk/client-backup";
import { randomBytes } from "node:crypto";
import { insertRecoveryPoint } from "../src/domain/recovery-points.js";
import { STATE_CHANGE } from "../src/domain/events.js";
import type { RecoveryPointRecord } from "../src/store/records.js";
import { ACCOUNT, errorOf, eventually, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const SCANNER_ROLE = "arn:aws:iam::123456789012:role/GuardDutyMalwareProtectionForBackup";
const HOME = { accountId: ACCOUNT, region: REGION };

let t: TestEmulator;
let backup: BackupClient;
let vault: string;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
  vault = await newVault(backup);
});
afterAll(() => t.stop());

async function newVault(c: BackupClient): Promise<string> {
  const name = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  return name;
}

/** Starts a backup job; its recovery point exists once the job has completed. */
async function startBackup(c: BackupClient, vaultName: string, resourceArn: string) {
  return c.send(new StartBackupJobCommand({ BackupVaultName: vaultName, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN }));
}

/** A COMPLETED recovery point of `resourceArn` (jobs finish at the next request with delay 0). */
async function backupOf(c: BackupClient, vaultName: string, resourceArn: string): Promise<string> {
  const job = await startBackup(c, vaultName, resourceArn);
  expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("COMPLETED");
  return job.RecoveryPointArn!;
}

function scan(c: BackupClient, vaultName: string, recoveryPointArn: string, extra: Partial<StartScanJobCommandInput> = {}) {
  return c.send(
    new StartScanJobCommand({
      BackupVaultName: vaultName,
      RecoveryPointArn: recoveryPointArn,
      MalwareScanner: "GUARDDUTY",
      ScanMode: "FULL_SCAN",
      IamRoleArn: ROLE_ARN,
      ScannerRoleArn: SCANNER_ROLE,
      ...extra,
    }),
  );
}

const describeScan = (c: BackupClient, id: string) => c.send(new DescribeScanJobCommand({ ScanJobId: id }));

/** Change a stored recovery point directly, for states no API call produces. */
function alterPoint(emu: TestEmulator, arn: string, change: Partial<RecoveryPointRecord>): void {
  const rp = emu.emu.store.recoveryPoints.get(HOME, arn)!;
  emu.emu.store.recoveryPoints.put(HOME, { ...rp, ...change });
}

/** A continuous (point-in-time) S3 backup that started `ageSeconds` ago, as continuous backup rules leave. */
function continuousPoint(emu: TestEmulator, vaultName: string, ageSeconds = 3600): { arn: string; created: number } {
  const v = emu.emu.store.vaults.get(HOME, vaultName)!;
  const created = emu.emu.clock.now() - ageSeconds;
  const arn = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:continuous:s3-${randomBytes(6).toString("hex")}`;
  emu.emu.store.transaction(() =>
    insertRecoveryPoint(emu.emu.store, HOME, {
      RecoveryPointArn: arn,
      BackupVaultName: v.BackupVaultName,
      BackupVaultArn: v.BackupVaultArn,
      ResourceArn: resources.s3(),
      ResourceType: "S3",
      Status: "COMPLETED",
      CreationDate: created,
      StorageClass: "WARM",
      IsParent: false,
    }),
  );
  return { arn, created };
}

describe("StartScanJob", () => {
  it("starts a scan of an S3 recovery point and answers 201 with the job id and creation date", async () => {
    const rp = await backupOf(backup, vault, resources.s3());
    const out = await scan(backup, vault, rp);
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.ScanJobId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(out.CreationDate!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  it("moves the job from CREATED to RUNNING to COMPLETED over the configured delay, logging each state", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 0.6 });
    // The state-change log is kept for an EventBridge forwarder; this test reads it directly.
    slow.emu.store.logStateChanges = true;
    try {
      const c = slow.client();
      const v = await newVault(c);
      const job = await startBackup(c, v, resources.ebs());
      await eventually(async () => (await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State === "COMPLETED");
      const out = await scan(c, v, job.RecoveryPointArn!);
      const seen: string[] = [];
      const look = async () => {
        const j = await describeScan(c, out.ScanJobId!);
        if (seen[seen.length - 1] !== j.State) seen.push(j.State!);
        return j;
      };
      const created = await look();
      expect(created.State).toBe("CREATED");
      expect(created.ScanId).toBeUndefined();
      const running = await eventually(async () => {
        const j = await look();
        return j.State === "RUNNING" && j;
      });
      expect(running.ScanId).toMatch(/^[0-9a-f]{32}$/);
      const done = await eventually(async () => {
        const j = await look();
        return j.State === "COMPLETED" && j;
      });
      expect(seen).toEqual(["CREATED", "RUNNING", "COMPLETED"]);
      expect(done.ScanResult).toEqual({ ScanResultStatus: "NO_THREATS_FOUND" });
      expect(done.ScanId).toBe(running.ScanId);
      expect(done.CompletionDate!.getTime() - done.CreationDate!.getTime()).toBeGreaterThanOrEqual(590);
      const states = slow.emu.store
        .listEvents(STATE_CHANGE)
        .map((e) => e.doc as { jobType: string; jobId: string; state: string })
        .filter((e) => e.jobType === "SCAN" && e.jobId === out.ScanJobId)
        .map((e) => e.state);
      expect(states).toEqual(["CREATED", "RUNNING", "COMPLETED"]);
    } finally {
      await slow.stop();
    }
  });

  it("records the result on the recovery point: ScanResults when described, AggregatedScanResult when listed", async () => {
    const v = await newVault(backup);
    const rp = await backupOf(backup, v, resources.s3());
    const out = await scan(backup, v, rp);
    const job = await describeScan(backup, out.ScanJobId!);
    expect(job.State).toBe("COMPLETED");
    const d = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: rp }));
    expect(d.ScanResults).toEqual([{ MalwareScanner: "GUARDDUTY", ScanJobState: "COMPLETED", LastScanTimestamp: job.CompletionDate, Findings: [] }]);
    const listed = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v }));
    expect(listed.RecoveryPoints![0]!.AggregatedScanResult).toEqual({ FailedScan: false, Findings: [], LastComputed: job.CompletionDate });
  });

  it("keeps the five newest results on the recovery point", async () => {
    const v = await newVault(backup);
    const rp = await backupOf(backup, v, resources.ec2());
    const completions: number[] = [];
    for (let i = 0; i < 6; i++) {
      t.emu.clock.advance(1);
      const out = await scan(backup, v, rp);
      completions.push((await describeScan(backup, out.ScanJobId!)).CompletionDate!.getTime());
    }
    const d = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: rp }));
    expect(d.ScanResults!.map((r) => r.LastScanTimestamp!.getTime())).toEqual(completions.slice(1).reverse());
  });

  it("scans EBS and EC2 recovery points and refuses other resource types, naming the type", async () => {
    for (const arn of [resources.ebs(), resources.ec2()]) {
      const out = await scan(backup, vault, await backupOf(backup, vault, arn));
      expect((await describeScan(backup, out.ScanJobId!)).State).toBe("COMPLETED");
    }
    const ddb = await backupOf(backup, vault, resources.dynamo());
    const err = await errorOf(scan(backup, vault, ddb));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("DynamoDB");
    expect(err.message).toContain(ddb);
  });

  it("answers ResourceNotFoundException for a vault that does not exist and for a recovery point not in the vault", async () => {
    const rp = await backupOf(backup, vault, resources.s3());
    const noVault = await errorOf(scan(backup, "no-such-vault", rp));
    expect(noVault.name).toBe("ResourceNotFoundException");
    expect(noVault.message).toContain("no-such-vault");
    const elsewhere = await newVault(backup);
    const wrongVault = await errorOf(scan(backup, elsewhere, rp));
    expect(wrongVault.name).toBe("ResourceNotFoundException");
    expect(wrongVault.message).toContain(rp);
  });

  it("refuses recovery points that are not COMPLETED, are composite, or are in cold storage with InvalidRequestException", async () => {
    const cases: [Partial<RecoveryPointRecord>, RegExp][] = [
      [{ Status: "EXPIRED" }, /EXPIRED/],
      [{ IsParent: true }, /composite/],
      [{ StorageClass: "COLD" }, /cold storage/],
    ];
    for (const [change, message] of cases) {
      const rp = await backupOf(backup, vault, resources.s3());
      alterPoint(t, rp, change);
      const err = await errorOf(scan(backup, vault, rp));
      expect(err.name).toBe("InvalidRequestException");
      expect(err.message).toMatch(message);
      expect(err.message).toContain(rp);
    }
  });

  it("refuses role ARNs that are not IAM roles, naming the member", async () => {
    const rp = await backupOf(backup, vault, resources.s3());
    for (const member of ["IamRoleArn", "ScannerRoleArn"] as const) {
      const err = await errorOf(scan(backup, vault, rp, { [member]: "not-a-role" }));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain(member);
    }
  });

  it("refuses an incremental scan without a base with MissingParameterValueException, and a full scan with one", async () => {
    const rp = await backupOf(backup, vault, resources.s3());
    const missing = await errorOf(scan(backup, vault, rp, { ScanMode: "INCREMENTAL_SCAN" }));
    expect(missing.name).toBe("MissingParameterValueException");
    expect(missing.message).toContain("ScanBaseRecoveryPointArn");
    const extra = await errorOf(scan(backup, vault, rp, { ScanBaseRecoveryPointArn: rp }));
    expect(extra.name).toBe("InvalidParameterValueException");
    expect(extra.message).toContain("ScanBaseRecoveryPointArn");
  });

  it("refuses a base that is missing, of another resource, or not older than the target", async () => {
    const bucket = resources.s3();
    const older = await backupOf(backup, vault, bucket);
    t.emu.clock.advance(1);
    const newer = await backupOf(backup, vault, bucket);
    const stranger = await backupOf(backup, vault, resources.s3());
    const incremental = (target: string, base: string) => scan(backup, vault, target, { ScanMode: "INCREMENTAL_SCAN", ScanBaseRecoveryPointArn: base });

    const missingBase = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`;
    const notFound = await errorOf(incremental(newer, missingBase));
    expect(notFound.name).toBe("ResourceNotFoundException");
    expect(notFound.message).toContain(missingBase);

    const unrelated = await errorOf(incremental(newer, stranger));
    expect(unrelated.name).toBe("InvalidParameterValueException");
    expect(unrelated.message).toContain(stranger);

    const backwards = await errorOf(incremental(older, newer));
    expect(backwards.name).toBe("InvalidParameterValueException");
    expect(backwards.message).toContain(newer);
    expect(backwards.message).toMatch(/older/);
  });

  it("completes an incremental scan against a scanned base, and fails one whose base was never scanned", async () => {
    const v = await newVault(backup);
    const bucket = resources.s3();
    const base = await backupOf(backup, v, bucket);
    t.emu.clock.advance(1);
    const target = await backupOf(backup, v, bucket);

    const unscanned = await scan(backup, v, target, { ScanMode: "INCREMENTAL_SCAN", ScanBaseRecoveryPointArn: base });
    const failed = await describeScan(backup, unscanned.ScanJobId!);
    expect(failed.State).toBe("FAILED");
    expect(failed.StatusMessage).toContain("BASE_RESOURCE_NOT_SCANNED");
    expect(failed.StatusMessage).toContain(base);
    expect(failed.ScanResult).toBeUndefined();
    const listed = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v, ByResourceArn: bucket }));
    expect(listed.RecoveryPoints!.find((r) => r.RecoveryPointArn === target)!.AggregatedScanResult!.FailedScan).toBe(true);

    await scan(backup, v, base);
    const ok = await scan(backup, v, target, { ScanMode: "INCREMENTAL_SCAN", ScanBaseRecoveryPointArn: base });
    const done = await describeScan(backup, ok.ScanJobId!);
    expect(done).toMatchObject({ State: "COMPLETED", ScanMode: "INCREMENTAL_SCAN", ScanBaseRecoveryPointArn: base, ScanResult: { ScanResultStatus: "NO_THREATS_FOUND" } });
    const d = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: target }));
    expect(d.ScanResults!.map((r) => r.ScanJobState)).toEqual(["COMPLETED", "FAILED"]);
  });

  it("fails a scan whose recovery point is deleted before the scan finishes", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const c = slow.client();
      const v = await newVault(c);
      const job = await startBackup(c, v, resources.s3());
      slow.emu.clock.advance(61);
      const out = await scan(c, v, job.RecoveryPointArn!);
      await c.send(new DeleteRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: job.RecoveryPointArn }));
      slow.emu.clock.advance(61);
      const j = await describeScan(c, out.ScanJobId!);
      expect(j.State).toBe("FAILED");
      expect(j.StatusMessage).toContain(job.RecoveryPointArn!);
      expect(j.CompletionDate!.getTime() - j.CreationDate!.getTime()).toBe(60_000);
    } finally {
      await slow.stop();
    }
  });

  it("answers a retry with the same IdempotencyToken with the first job, and refuses the token for another request", async () => {
    const rp = await backupOf(backup, vault, resources.s3());
    const token = uniqueName("token");
    const first = await scan(backup, vault, rp, { IdempotencyToken: token });
    const again = await scan(backup, vault, rp, { IdempotencyToken: token });
    expect(again.ScanJobId).toBe(first.ScanJobId);
    expect(again.CreationDate).toEqual(first.CreationDate);
    expect((await backup.send(new ListScanJobsCommand({ ByRecoveryPointArn: rp }))).ScanJobs).toHaveLength(1);
    const other = await backupOf(backup, vault, resources.s3());
    const err = await errorOf(scan(backup, vault, other, { IdempotencyToken: token }));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(token);
  });

  it("scans a continuous backup in full up to ContinuousScanEndTime, by default up to now", async () => {
    const v = await newVault(backup);
    const { arn, created } = continuousPoint(t, v);
    const end = new Date((created + 1800) * 1000);
    const bounded = await describeScan(backup, (await scan(backup, v, arn, { ContinuousScanEndTime: end })).ScanJobId!);
    expect(bounded.ContinuousScanStartTime).toEqual(new Date(created * 1000));
    expect(bounded.ContinuousScanEndTime).toEqual(end);
    const open = await describeScan(backup, (await scan(backup, v, arn)).ScanJobId!);
    expect(open.ContinuousScanEndTime).toEqual(open.CreationDate);
  });

  it("refuses ContinuousScanEndTime outside a continuous backup or on a snapshot, and incremental scans of a continuous backup", async () => {
    const v = await newVault(backup);
    const { arn, created } = continuousPoint(t, v);
    for (const end of [new Date((created - 10) * 1000), new Date(Date.now() + 3_600_000)]) {
      const err = await errorOf(scan(backup, v, arn, { ContinuousScanEndTime: end }));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("ContinuousScanEndTime");
    }
    const snapshot = await backupOf(backup, v, resources.s3());
    const onSnapshot = await errorOf(scan(backup, v, snapshot, { ContinuousScanEndTime: new Date() }));
    expect(onSnapshot.name).toBe("InvalidParameterValueException");
    expect(onSnapshot.message).toContain(snapshot);
    const incremental = await errorOf(scan(backup, v, arn, { ScanMode: "INCREMENTAL_SCAN", ScanBaseRecoveryPointArn: snapshot }));
    expect(incremental.name).toBe("InvalidParameterValueException");
    expect(incremental.message).toContain(arn);
  });
});

describe("DescribeScanJob", () => {
  it("returns every field of the job", async () => {
    const bucket = resources.s3();
    const rp = await backupOf(backup, vault, bucket);
    const out = await scan(backup, vault, rp);
    const j = await describeScan(backup, out.ScanJobId!);
    expect(j).toMatchObject({
      AccountId: ACCOUNT,
      ScanJobId: out.ScanJobId,
      BackupVaultName: vault,
      BackupVaultArn: `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${vault}`,
      RecoveryPointArn: rp,
      ResourceArn: bucket,
      ResourceName: bucket.split(":::")[1],
      ResourceType: "S3",
      MalwareScanner: "GUARDDUTY",
      ScanMode: "FULL_SCAN",
      IamRoleArn: ROLE_ARN,
      ScannerRoleArn: SCANNER_ROLE,
      State: "COMPLETED",
      ScanResult: { ScanResultStatus: "NO_THREATS_FOUND" },
    });
    expect(j.CreationDate).toEqual(out.CreationDate);
    expect(j.CompletionDate).toBeInstanceOf(Date);
    expect(j.ScanId).toMatch(/^[0-9a-f]{32}$/);
    expect(j.ScanBaseRecoveryPointArn).toBeUndefined();
    expect(j.CreatedBy).toBeUndefined();
  });

  it("answers ResourceNotFoundException naming a job that does not exist, also to another account or region", async () => {
    const err = await errorOf(describeScan(backup, "00000000-0000-0000-0000-000000000000"));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("00000000-0000-0000-0000-000000000000");
    const out = await scan(backup, vault, await backupOf(backup, vault, resources.s3()));
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      expect((await errorOf(describeScan(other, out.ScanJobId!))).name).toBe("ResourceNotFoundException");
    }
  });
});

/**
 * One emulator with a known set of scan jobs: the delay is long and the clock is moved by hand.
 * Vault A: full scans of rp1 (bucket R1) and of an EBS point, an incremental scan of rp2 (R1)
 * on rp1, and a full scan of rp2 still CREATED. Vault B: a full scan of an EC2 point, and one of
 * a bucket R3 whose point is deleted before it finishes (FAILED).
 */
describe("listing scan jobs", () => {
  let l: TestEmulator;
  let c: BackupClient;
  let vaultA: string;
  let vaultB: string;
  const r1 = resources.s3();
  const jobs: Record<string, string> = {};
  const points: Record<string, string> = {};
  const completed: Record<string, number> = {};

  beforeAll(async () => {
    l = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    c = l.client();
    vaultA = await newVault(c);
    vaultB = await newVault(c);
    const first = await startBackup(c, vaultA, r1);
    l.emu.clock.advance(61);
    const backups = {
      rp2: await startBackup(c, vaultA, r1),
      ebs: await startBackup(c, vaultA, resources.ebs()),
      ec2: await startBackup(c, vaultB, resources.ec2()),
      r3: await startBackup(c, vaultB, resources.s3()),
    };
    l.emu.clock.advance(61);
    points.rp1 = first.RecoveryPointArn!;
    for (const [k, b] of Object.entries(backups)) points[k] = b.RecoveryPointArn!;

    jobs.full = (await scan(c, vaultA, points.rp1)).ScanJobId!;
    jobs.ebs = (await scan(c, vaultA, points.ebs!)).ScanJobId!;
    l.emu.clock.advance(61);
    jobs.ec2 = (await scan(c, vaultB, points.ec2!)).ScanJobId!;
    jobs.inc = (await scan(c, vaultA, points.rp2!, { ScanMode: "INCREMENTAL_SCAN", ScanBaseRecoveryPointArn: points.rp1 })).ScanJobId!;
    l.emu.clock.advance(61);
    jobs.fail = (await scan(c, vaultB, points.r3!)).ScanJobId!;
    await c.send(new DeleteRecoveryPointCommand({ BackupVaultName: vaultB, RecoveryPointArn: points.r3 }));
    l.emu.clock.advance(61);
    jobs.created = (await scan(c, vaultA, points.rp2!)).ScanJobId!;
    for (const [k, id] of Object.entries(jobs)) {
      const j = await describeScan(c, id);
      if (j.CompletionDate) completed[k] = j.CompletionDate.getTime() / 1000;
    }
  });
  afterAll(() => l.stop());

  const idsOf = (...keys: string[]) => keys.map((k) => jobs[k]!).sort();
  async function ids(input: ListScanJobsCommandInput): Promise<string[]> {
    return (await c.send(new ListScanJobsCommand(input))).ScanJobs!.map((j) => j.ScanJobId!).sort();
  }

  describe("ListScanJobs", () => {
    it("lists every job of the caller with the list fields", async () => {
      const out = await c.send(new ListScanJobsCommand({}));
      expect(out.ScanJobs!.map((j) => j.ScanJobId).sort()).toEqual(idsOf("full", "ebs", "ec2", "inc", "fail", "created"));
      const inc = out.ScanJobs!.find((j) => j.ScanJobId === jobs.inc)!;
      expect(inc).toMatchObject({ AccountId: ACCOUNT, BackupVaultName: vaultA, RecoveryPointArn: points.rp2, ResourceArn: r1, ResourceType: "S3", State: "COMPLETED" });
      expect(inc.ScanBaseRecoveryPointArn).toBe(points.rp1);
    });

    it("sees the state of each job", async () => {
      const states = Object.fromEntries(
        await Promise.all(Object.entries(jobs).map(async ([k, id]) => [k, (await describeScan(c, id)).State] as const)),
      );
      expect(states).toEqual({ full: "COMPLETED", ebs: "COMPLETED", ec2: "COMPLETED", inc: "COMPLETED", fail: "FAILED", created: "CREATED" });
    });

    it("filters by vault", async () => {
      expect(await ids({ ByBackupVaultName: vaultA })).toEqual(idsOf("full", "ebs", "inc", "created"));
      expect(await ids({ ByBackupVaultName: vaultB })).toEqual(idsOf("ec2", "fail"));
    });

    it("filters by state", async () => {
      expect(await ids({ ByState: "COMPLETED" })).toEqual(idsOf("full", "ebs", "ec2", "inc"));
      expect(await ids({ ByState: "FAILED" })).toEqual(idsOf("fail"));
      expect(await ids({ ByState: "CREATED" })).toEqual(idsOf("created"));
      expect(await ids({ ByState: "RUNNING" })).toEqual([]);
    });

    it("filters by resource type, resource and recovery point", async () => {
      expect(await ids({ ByResourceType: "S3" })).toEqual(idsOf("full", "inc", "fail", "created"));
      expect(await ids({ ByResourceType: "EBS" })).toEqual(idsOf("ebs"));
      expect(await ids({ ByResourceType: "EC2" })).toEqual(idsOf("ec2"));
      expect(await ids({ ByResourceArn: r1 })).toEqual(idsOf("full", "inc", "created"));
      expect(await ids({ ByRecoveryPointArn: points.rp1 })).toEqual(idsOf("full"));
      expect(await ids({ ByRecoveryPointArn: points.rp2 })).toEqual(idsOf("inc", "created"));
    });

    it("filters by malware scanner and scan result", async () => {
      expect(await ids({ ByMalwareScanner: "GUARDDUTY" })).toEqual(idsOf("full", "ebs", "ec2", "inc", "fail", "created"));
      expect(await ids({ ByScanResultStatus: "NO_THREATS_FOUND" })).toEqual(idsOf("full", "ebs", "ec2", "inc"));
      expect(await ids({ ByScanResultStatus: "THREATS_FOUND" })).toEqual([]);
    });

    it("filters by completion time, both bounds exclusive", async () => {
      // The first round completed within moments of each other, a minute before the second round.
      const endOfFirst = Math.max(completed.full!, completed.ebs!);
      const startOfSecond = Math.min(completed.ec2!, completed.inc!);
      expect(startOfSecond - endOfFirst).toBeGreaterThan(50);
      expect(await ids({ ByCompleteAfter: new Date(endOfFirst * 1000) })).toEqual(idsOf("ec2", "inc", "fail"));
      expect(await ids({ ByCompleteBefore: new Date(startOfSecond * 1000) })).toEqual(idsOf("full", "ebs"));
      expect(await ids({ ByCompleteAfter: new Date(endOfFirst * 1000), ByCompleteBefore: new Date(completed.fail! * 1000) })).toEqual(idsOf("ec2", "inc"));
    });

    it("combines filters", async () => {
      expect(await ids({ ByBackupVaultName: vaultA, ByResourceType: "S3", ByState: "COMPLETED" })).toEqual(idsOf("full", "inc"));
    });

    it("shows the caller's jobs for its own account id or *, and none for another account", async () => {
      expect(await ids({ ByAccountId: ACCOUNT })).toEqual(idsOf("full", "ebs", "ec2", "inc", "fail", "created"));
      expect(await ids({ ByAccountId: "*" })).toEqual(idsOf("full", "ebs", "ec2", "inc", "fail", "created"));
      expect(await ids({ ByAccountId: "111122223333" })).toEqual([]);
    });

    it("pages with MaxResults and NextToken, seeing each job once, with no token on the last page", async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.send(new ListScanJobsCommand({ MaxResults: 4, NextToken: token }));
        expect(page.ScanJobs!.length).toBeLessThanOrEqual(4);
        seen.push(...page.ScanJobs!.map((j) => j.ScanJobId!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(2);
      expect(seen.sort()).toEqual(idsOf("full", "ebs", "ec2", "inc", "fail", "created"));
    });

    it("pages through a filtered list", async () => {
      const first = await c.send(new ListScanJobsCommand({ ByState: "COMPLETED", MaxResults: 3 }));
      expect(first.ScanJobs).toHaveLength(3);
      const second = await c.send(new ListScanJobsCommand({ ByState: "COMPLETED", MaxResults: 3, NextToken: first.NextToken }));
      expect(second.ScanJobs).toHaveLength(1);
      expect(second.NextToken).toBeUndefined();
      expect([...first.ScanJobs!, ...second.ScanJobs!].map((j) => j.ScanJobId).sort()).toEqual(idsOf("full", "ebs", "ec2", "inc"));
    });

    it("refuses a NextToken of another list", async () => {
      const page = await c.send(new ListScanJobSummariesCommand({ MaxResults: 1 }));
      const err = await errorOf(c.send(new ListScanJobsCommand({ NextToken: page.NextToken })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain("NextToken");
    });

    it("keeps jobs to their account and region", async () => {
      for (const other of [l.client({ accountId: "111122223333" }), l.client({ region: "eu-west-1" })]) {
        expect((await other.send(new ListScanJobsCommand({}))).ScanJobs).toEqual([]);
      }
    });
  });

  describe("ListScanJobSummaries", () => {
    it("counts jobs by state, resource type, scanner and result over the period", async () => {
      const out = await c.send(new ListScanJobSummariesCommand({ AggregationPeriod: "FOURTEEN_DAYS" }));
      expect(out.AggregationPeriod).toBe("FOURTEEN_DAYS");
      const counts = Object.fromEntries(out.ScanJobSummaries!.map((s) => [`${s.State}/${s.ResourceType}/${s.MalwareScanner}/${s.ScanResultStatus ?? "-"}`, s.Count]));
      expect(counts).toEqual({
        "COMPLETED/S3/GUARDDUTY/NO_THREATS_FOUND": 2,
        "COMPLETED/EBS/GUARDDUTY/NO_THREATS_FOUND": 1,
        "COMPLETED/EC2/GUARDDUTY/NO_THREATS_FOUND": 1,
        "FAILED/S3/GUARDDUTY/-": 1,
        "CREATED/S3/GUARDDUTY/-": 1,
      });
      for (const s of out.ScanJobSummaries!) {
        expect(s.Region).toBe(REGION);
        expect(s.AccountId).toBe(ACCOUNT);
        expect(s.StartTime!.getTime()).toBeLessThan(s.EndTime!.getTime());
      }
    });

    it("sums over dimensions with AGGREGATE_ALL and keeps only the asked values", async () => {
      const all = await c.send(new ListScanJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL" }));
      expect(all.ScanJobSummaries!.map((s) => [s.ScanResultStatus ?? "-", s.Count]).sort()).toEqual([["-", 2], ["NO_THREATS_FOUND", 4]]);
      const clean = await c.send(new ListScanJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL", ScanResultStatus: "NO_THREATS_FOUND" }));
      expect(clean.ScanJobSummaries!.map((s) => [s.ScanResultStatus, s.Count])).toEqual([["NO_THREATS_FOUND", 4]]);
      const failed = await c.send(new ListScanJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", State: "FAILED" }));
      expect(failed.ScanJobSummaries!.map((s) => [s.State, s.ResourceType, s.Count])).toEqual([["FAILED", "S3", 1]]);
      const ebs = await c.send(new ListScanJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", ResourceType: "EBS", MalwareScanner: "GUARDDUTY" }));
      expect(ebs.ScanJobSummaries!.map((s) => [s.ResourceType, s.State, s.Count])).toEqual([["EBS", "COMPLETED", 1]]);
    });

    it("counts the caller's own jobs whatever AccountId is given, as for an account outside AWS Organizations", async () => {
      const out = await c.send(
        new ListScanJobSummariesCommand({ AccountId: "111122223333", AggregationPeriod: "SEVEN_DAYS", State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL" }),
      );
      expect(out.ScanJobSummaries!.map((s) => s.AccountId)).toEqual([ACCOUNT, ACCOUNT]);
      expect(out.ScanJobSummaries!.reduce((n, s) => n + (s.Count ?? 0), 0)).toBe(6);
    });

    it("gives daily counts by default", async () => {
      const out = await c.send(new ListScanJobSummariesCommand({ State: "AGGREGATE_ALL", ResourceType: "AGGREGATE_ALL" }));
      expect(out.AggregationPeriod).toBe("ONE_DAY");
      expect(out.ScanJobSummaries!.reduce((n, s) => n + (s.Count ?? 0), 0)).toBe(6);
      for (const s of out.ScanJobSummaries!) expect(s.StartTime!.getTime() % 86_400_000).toBe(0);
    });

    it("pages the summaries with MaxResults and NextToken", async () => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.send(new ListScanJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS", MaxResults: 2, NextToken: token }));
        expect(page.ScanJobSummaries!.length).toBeLessThanOrEqual(2);
        seen.push(...page.ScanJobSummaries!.map((s) => `${s.State}/${s.ResourceType}/${s.ScanResultStatus ?? "-"}`));
        token = page.NextToken;
      } while (token);
      expect(seen.sort()).toEqual(["COMPLETED/EBS/NO_THREATS_FOUND", "COMPLETED/EC2/NO_THREATS_FOUND", "COMPLETED/S3/NO_THREATS_FOUND", "CREATED/S3/-", "FAILED/S3/-"]);
    });

    it("counts nothing for another account or region", async () => {
      for (const other of [l.client({ accountId: "111122223333" }), l.client({ region: "eu-west-1" })]) {
        expect((await other.send(new ListScanJobSummariesCommand({ AggregationPeriod: "SEVEN_DAYS" }))).ScanJobSummaries).toEqual([]);
      }
    });
  });

  // Last: moves this emulator's clock a month ahead.
  it("lists only the last 30 days of jobs, while each job stays describable", async () => {
    l.emu.clock.advance(31 * 86_400);
    expect((await c.send(new ListScanJobsCommand({}))).ScanJobs).toEqual([]);
    expect((await describeScan(c, jobs.full!)).State).toBe("COMPLETED");
  });
});

describe("GetPITRMalwareScanResults", () => {
  const get = (c: BackupClient, vaultName: string, arn: string, at: number) =>
    c.send(new GetPITRMalwareScanResultsCommand({ BackupVaultName: vaultName, RecoveryPointArn: arn, ScanEndTime: new Date(at * 1000), MalwareScanner: "GUARDDUTY" }));

  it("returns the most recent finished scan covering the point in time", async () => {
    const v = await newVault(backup);
    const { arn, created } = continuousPoint(t, v);
    const first = await describeScan(backup, (await scan(backup, v, arn, { ContinuousScanEndTime: new Date((created + 1800) * 1000) })).ScanJobId!);
    expect(first.State).toBe("COMPLETED");

    const early = await get(backup, v, arn, created + 900);
    expect(early).toMatchObject({ ScanResult: { ScanResultStatus: "NO_THREATS_FOUND" }, ScanId: first.ScanId, ScanMode: "FULL_SCAN" });
    expect(early.ScanEndTime).toEqual(new Date((created + 900) * 1000));
    expect(early.LastScanJobTime).toEqual(first.CompletionDate);

    t.emu.clock.advance(2);
    const second = await describeScan(backup, (await scan(backup, v, arn)).ScanJobId!);
    expect(second.State).toBe("COMPLETED");
    const again = await get(backup, v, arn, created + 900);
    expect(again.ScanId).toBe(second.ScanId);
    expect(again.LastScanJobTime).toEqual(second.CompletionDate);
    expect((await get(backup, v, arn, created + 2700)).ScanId).toBe(second.ScanId);
  });

  it("answers ResourceNotFoundException for a time no finished scan covers", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 60 });
    try {
      const c = slow.client();
      const v = await newVault(c);
      const { arn, created } = continuousPoint(slow, v);
      await scan(c, v, arn, { ContinuousScanEndTime: new Date((created + 1800) * 1000) });
      const unfinished = await errorOf(get(c, v, arn, created + 900));
      expect(unfinished.name).toBe("ResourceNotFoundException");
      expect(unfinished.message).toContain(arn);
      slow.emu.clock.advance(61);
      expect((await get(c, v, arn, created + 900)).ScanResult?.ScanResultStatus).toBe("NO_THREATS_FOUND");
      const later = await errorOf(get(c, v, arn, created + 2700));
      expect(later.name).toBe("ResourceNotFoundException");
      expect(later.message).toContain(new Date((created + 2700) * 1000).toISOString());
    } finally {
      await slow.stop();
    }
  });

  it("refuses a snapshot recovery point with InvalidParameterValueException", async () => {
    const rp = await backupOf(backup, vault, resources.s3());
    await scan(backup, vault, rp);
    const err = await errorOf(get(backup, vault, rp, t.emu.clock.now()));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(rp);
  });

  it("answers ResourceNotFoundException for an unknown vault or recovery point, and to another account or region", async () => {
    const v = await newVault(backup);
    const { arn, created } = continuousPoint(t, v);
    await scan(backup, v, arn);
    const noVault = await errorOf(get(backup, "missing-vault", arn, created + 1));
    expect(noVault.name).toBe("ResourceNotFoundException");
    expect(noVault.message).toContain("missing-vault");
    const unknown = `${arn}0`;
    const noPoint = await errorOf(get(backup, v, unknown, created + 1));
    expect(noPoint.name).toBe("ResourceNotFoundException");
    expect(noPoint.message).toContain(unknown);
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      expect((await errorOf(get(other, v, arn, created + 1))).name).toBe("ResourceNotFoundException");
    }
  });
});
