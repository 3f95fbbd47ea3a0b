/**
 * boto3 compatibility: Python scripts drive the emulator through boto3 with `endpoint_url` and
 * print what boto3 made of each answer (Python types, datetimes, error codes) as JSON for the
 * assertions here. Python runs as a child process through the asynchronous execFile, because
 * the emulator answers from this same process. Skipped when python3 cannot import boto3.
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { boto3Available } from "./helpers/moto.js";

if (!boto3Available) console.warn("boto3.test.ts: skipped, `python3 -c \"import boto3\"` failed (install boto3 to run it)");

/** Shared by every script: a client for the emulator, and JSON output that keeps type names. */
const PRELUDE = `
import datetime, json, os, sys, time
import boto3
import botocore
from botocore.exceptions import ClientError

client = boto3.client(
    "backup",
    endpoint_url=os.environ["EMULATOR_ENDPOINT"],
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=botocore.config.Config(retries={"max_attempts": 1}),
)

def typed(value):
    """A value with its Python type, so the test sees what boto3 parsed it into."""
    if isinstance(value, datetime.datetime):
        return {"type": "datetime", "iso": value.isoformat(), "aware": value.tzinfo is not None}
    return {"type": type(value).__name__, "value": value}

def error_of(call):
    try:
        call()
    except ClientError as e:
        return {
            "class": type(e).__name__,
            "code": e.response["Error"]["Code"],
            "message": e.response["Error"].get("Message", ""),
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
            "modeled": isinstance(e, getattr(client.exceptions, e.response["Error"]["Code"], ())),
        }
    return None
`;

function runPython(script: string, env: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile("python3", ["-c", PRELUDE + script], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`python failed (${String(err.code)}): ${stderr}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`python printed no JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}

interface Typed {
  type: string;
  value?: unknown;
  iso?: string;
  aware?: boolean;
}
interface ClientErrorInfo {
  class: string;
  code: string;
  message: string;
  status: number;
  modeled: boolean;
}

/** A datetime boto3 parsed: timezone-aware and within a minute of now. */
function expectRecentDatetime(v: Typed | undefined): void {
  expect(v?.type).toBe("datetime");
  expect(v?.aware).toBe(true);
  expect(Math.abs(Date.parse(v!.iso!) - Date.now())).toBeLessThan(60_000);
}

describe.skipIf(!boto3Available)("boto3", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  it("creates a vault, backs up into it, lists the recovery points page by page and describes the vault with typed fields", async () => {
    const vault = uniqueName("boto3-vault");
    const out = (await runPython(
      `
vault = os.environ["VAULT"]
created = client.create_backup_vault(BackupVaultName=vault, BackupVaultTags={"team": "python"})
role = "arn:aws:iam::000000000000:role/service-role/AWSBackupDefaultServiceRole"
jobs = [
    client.start_backup_job(BackupVaultName=vault, ResourceArn="arn:aws:dynamodb:us-east-1:000000000000:table/t%d" % i, IamRoleArn=role)
    for i in range(3)
]
states = []
for job in jobs:
    for _ in range(200):
        d = client.describe_backup_job(BackupJobId=job["BackupJobId"])
        if d["State"] in ("COMPLETED", "FAILED", "ABORTED", "EXPIRED"):
            break
        time.sleep(0.025)
    states.append(d["State"])
pages = [
    [rp["RecoveryPointArn"] for rp in page["RecoveryPoints"]]
    for page in client.get_paginator("list_recovery_points_by_backup_vault").paginate(BackupVaultName=vault, PaginationConfig={"PageSize": 2})
]
first = client.list_recovery_points_by_backup_vault(BackupVaultName=vault)["RecoveryPoints"][0]
described = client.describe_backup_vault(BackupVaultName=vault)
print(json.dumps({
    "created": {"arn": created["BackupVaultArn"], "CreationDate": typed(created["CreationDate"])},
    "jobs": [{"RecoveryPointArn": j["RecoveryPointArn"], "CreationDate": typed(j["CreationDate"]), "IsParent": typed(j["IsParent"])} for j in jobs],
    "states": states,
    "pages": pages,
    "recoveryPoint": {k: typed(first[k]) for k in ("CreationDate", "CompletionDate", "Status", "BackupSizeInBytes", "IsEncrypted") if k in first},
    "vault": {k: typed(v) for k, v in described.items() if k != "ResponseMetadata"},
    "tags": client.list_tags(ResourceArn=created["BackupVaultArn"])["Tags"],
}))
`,
      { EMULATOR_ENDPOINT: t.endpoint, VAULT: vault },
    )) as {
      created: { arn: string; CreationDate: Typed };
      jobs: { RecoveryPointArn: string; CreationDate: Typed; IsParent: Typed }[];
      states: string[];
      pages: string[][];
      recoveryPoint: Record<string, Typed>;
      vault: Record<string, Typed>;
      tags: Record<string, string>;
    };

    expect(out.created.arn).toBe(`arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:${vault}`);
    expectRecentDatetime(out.created.CreationDate);
    for (const job of out.jobs) {
      expect(job.RecoveryPointArn).toMatch(/^arn:aws:backup:us-east-1:\d{12}:recovery-point:/);
      expectRecentDatetime(job.CreationDate);
      expect(job.IsParent).toEqual({ type: "bool", value: false });
    }
    expect(out.states).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);

    // boto3's paginator follows NextToken: pages of at most 2, every recovery point once.
    expect(out.pages.length).toBeGreaterThanOrEqual(2);
    for (const page of out.pages) expect(page.length).toBeLessThanOrEqual(2);
    expect(out.pages.flat().sort()).toEqual(out.jobs.map((j) => j.RecoveryPointArn).sort());

    expectRecentDatetime(out.recoveryPoint.CreationDate);
    expectRecentDatetime(out.recoveryPoint.CompletionDate);
    expect(out.recoveryPoint.Status).toEqual({ type: "str", value: "COMPLETED" });
    expect(out.recoveryPoint.BackupSizeInBytes?.type).toBe("int");
    expect(out.recoveryPoint.IsEncrypted?.type).toBe("bool");

    expect(out.vault.BackupVaultName).toEqual({ type: "str", value: vault });
    expect(out.vault.NumberOfRecoveryPoints).toEqual({ type: "int", value: 3 });
    expect(out.vault.Locked).toEqual({ type: "bool", value: false });
    expect(out.vault.VaultType).toEqual({ type: "str", value: "BACKUP_VAULT" });
    expectRecentDatetime(out.vault.CreationDate);
    expect(out.tags).toEqual({ team: "python" });
  });

  it("raises ClientError with the modeled code, message and HTTP status for each refusal", async () => {
    const vault = uniqueName("boto3-vault");
    const out = (await runPython(
      `
vault = os.environ["VAULT"]
client.create_backup_vault(BackupVaultName=vault)
client.start_backup_job(BackupVaultName=vault, ResourceArn="arn:aws:dynamodb:us-east-1:000000000000:table/orders", IamRoleArn="arn:aws:iam::000000000000:role/r")
print(json.dumps({
    "missingVault": error_of(lambda: client.describe_backup_vault(BackupVaultName="no-such-vault-" + vault)),
    "noPolicy": error_of(lambda: client.get_backup_vault_access_policy(BackupVaultName=vault)),
    "noNotifications": error_of(lambda: client.get_backup_vault_notifications(BackupVaultName=vault)),
    "duplicate": error_of(lambda: client.create_backup_vault(BackupVaultName=vault)),
    "notEmpty": error_of(lambda: client.delete_backup_vault(BackupVaultName=vault)),
    "missingPlan": error_of(lambda: client.get_backup_plan(BackupPlanId="00000000-0000-0000-0000-000000000000")),
    "badName": error_of(lambda: client.create_backup_vault(BackupVaultName="bad name!")),
}))
`,
      { EMULATOR_ENDPOINT: t.endpoint, VAULT: vault },
    )) as Record<string, ClientErrorInfo | null>;

    const expectError = (e: ClientErrorInfo | null | undefined, code: string, mentions: string) => {
      expect(e, code).not.toBeNull();
      // boto3 raises the modeled subclass of ClientError named after the code.
      expect(e!.class).toBe(code);
      expect(e!.code).toBe(code);
      expect(e!.status).toBe(400);
      // client.exceptions.<Code> catches it: boto3 recognised a modeled error.
      expect(e!.modeled).toBe(true);
      expect(e!.message).toContain(mentions);
    };
    expectError(out.missingVault, "ResourceNotFoundException", `no-such-vault-${vault}`);
    expectError(out.noPolicy, "ResourceNotFoundException", vault);
    expectError(out.noNotifications, "ResourceNotFoundException", vault);
    expectError(out.duplicate, "AlreadyExistsException", vault);
    // The body also carries "Code": "ERROR_9101"; boto3 must take the error type, not that.
    expectError(out.notEmpty, "InvalidRequestException", "contains recovery points");
    expectError(out.missingPlan, "ResourceNotFoundException", "00000000-0000-0000-0000-000000000000");
    expectError(out.badName, "InvalidParameterValueException", "BackupVaultName");
  });
});
