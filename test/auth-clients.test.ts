/**
 * AUTH_MODE=strict with every client family: the JS SDK v3, boto3, AWS CLI v1 and AWS CLI v2
 * each sign the same calls (a secret holding `/` and `+`, a region other than us-east-1, query
 * filters, tag values and ARN labels full of reserved characters, temporary credentials), and
 * each is refused with a wrong secret. botocore signs fewer headers than the JS SDK and encodes
 * differently, so each family is driven for real. Python clients are skipped when absent.
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BackupClient,
  CreateBackupVaultCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  ListBackupJobsCommand,
  ListBackupVaultsCommand,
  ListTagsCommand,
  StartBackupJobCommand,
} from "@aws-sdk/client-backup";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "../src/protocol/auth.js";
import { findAwsClis, runAws, type AwsCli } from "./helpers/cli.js";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { boto3Available } from "./helpers/moto.js";

const REGION = "eu-west-3";
const ALICE = { accessKeyId: "AKIAALICE", secretAccessKey: "wJalr/K7MDENG+bPxRfi/alice+key=", accountId: "111111111111" };
const WRONG = { ...ALICE, secretAccessKey: "wJalr/K7MDENG+bPxRfi/alice+key=x" };
/** Tag values with every character whose encoding differs between clients. */
const TAGS = { "team name": "a b/c+d=e", "path/with+plus": "x=y z", plain: "value" };
/** A session token as STS issues them: base64, so `/`, `+` and `=` occur. */
const SESSION_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDO+session/token+with=";

const clis = findAwsClis();
const cliV1 = clis.find((c) => c.major === 1);
const cliV2 = clis.find((c) => c.major === 2);
if (!boto3Available) console.warn("auth-clients.test.ts: boto3 cases skipped, `python3 -c \"import boto3\"` failed (install boto3 to run them)");
if (!cliV1) console.warn("auth-clients.test.ts: AWS CLI v1 cases skipped, no `aws` v1 on PATH");
if (!cliV2) console.warn("auth-clients.test.ts: AWS CLI v2 cases skipped, neither `aws` on PATH nor /usr/bin/aws is v2 (apt-get install awscli)");

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ authMode: "strict", credentials: `${ALICE.accessKeyId}:${ALICE.secretAccessKey}:${ALICE.accountId}` });
});
afterAll(() => t.stop());

const jsClients: BackupClient[] = [];
afterAll(() => jsClients.forEach((c) => c.destroy()));
function jsClient(creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region = REGION, systemClockOffset = 0): BackupClient {
  const c = new BackupClient({ endpoint: t.endpoint, region, credentials: creds, maxAttempts: 1, systemClockOffset });
  jsClients.push(c);
  return c;
}

/** What a client made of one call: its output (PascalCase, as every client prints it), or its error. */
type Outcome = { ok: Record<string, unknown> } | { error: { code: string; status: number; message: string } };

interface Call {
  op: "CreateBackupVault" | "ListTags" | "ListBackupJobs" | "DescribeRecoveryPoint" | "ListBackupVaults";
  /** Input members; timestamps as ISO-8601 text. */
  params: Record<string, unknown>;
  secret?: string;
  sessionToken?: string;
}

interface Driver {
  name: string;
  skip: boolean;
  call(c: Call): Promise<Outcome>;
}

const TIMESTAMPS = new Set(["ByCreatedAfter", "ByCreatedBefore"]);

const jsDriver: Driver = {
  name: "JS SDK v3",
  skip: false,
  async call({ op, params, secret, sessionToken }) {
    const client = jsClient({ accessKeyId: ALICE.accessKeyId, secretAccessKey: secret ?? ALICE.secretAccessKey, ...(sessionToken ? { sessionToken } : {}) });
    const input = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, TIMESTAMPS.has(k) ? new Date(String(v)) : v]));
    const commands = {
      CreateBackupVault: () => client.send(new CreateBackupVaultCommand(input as never)),
      ListTags: () => client.send(new ListTagsCommand(input as never)),
      ListBackupJobs: () => client.send(new ListBackupJobsCommand(input)),
      DescribeRecoveryPoint: () => client.send(new DescribeRecoveryPointCommand(input as never)),
      ListBackupVaults: () => client.send(new ListBackupVaultsCommand(input)),
    };
    try {
      const { $metadata: _, ...out } = await commands[op]();
      return { ok: out as Record<string, unknown> };
    } catch (err) {
      const e = err as Error & { $metadata?: { httpStatusCode?: number } };
      return { error: { code: e.name, status: e.$metadata?.httpStatusCode ?? 0, message: e.message } };
    }
  },
};

/**
 * boto3 with the given credentials; SKEW_SECONDS moves botocore's signing clock, PRESIGN_EXPIRES
 * makes it print a presigned URL (generate_presigned_url) instead of calling.
 */
const BOTO3_SCRIPT = `
import datetime, json, os, sys
import boto3, botocore, botocore.auth
from botocore.exceptions import ClientError
spec = json.loads(sys.argv[1])
skew = spec.get("skewSeconds", 0)
if skew:
    real_now = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda *a, **k: real_now(*a, **k) + datetime.timedelta(seconds=skew)
client = boto3.client(
    "backup",
    endpoint_url=spec["endpoint"],
    region_name=spec["region"],
    aws_access_key_id=spec["accessKeyId"],
    aws_secret_access_key=spec["secretAccessKey"],
    aws_session_token=spec.get("sessionToken"),
    config=botocore.config.Config(retries={"max_attempts": 1}),
)
name = botocore.xform_name(spec["op"])
try:
    if "presignExpires" in spec:
        out = {"url": client.generate_presigned_url(name, Params=spec["params"], ExpiresIn=spec["presignExpires"])}
    else:
        response = getattr(client, name)(**spec["params"])
        response.pop("ResponseMetadata", None)
        out = {"ok": response}
except ClientError as e:
    out = {"error": {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "message": e.response["Error"].get("Message", "")}}
print(json.dumps(out, default=str))
`;

function runBoto3<T>(spec: Record<string, unknown>): Promise<T> {
  const full = { endpoint: t.endpoint, region: REGION, accessKeyId: ALICE.accessKeyId, secretAccessKey: ALICE.secretAccessKey, ...spec };
  return new Promise((resolve, reject) => {
    execFile("python3", ["-c", BOTO3_SCRIPT, JSON.stringify(full)], { encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`python failed (${String(err.code)}): ${stderr}`));
      try {
        resolve(JSON.parse(stdout) as T);
      } catch {
        reject(new Error(`python printed no JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}

const boto3Driver: Driver = {
  name: "boto3",
  skip: !boto3Available,
  call: ({ op, params, secret, sessionToken }) => runBoto3<Outcome>({ op, params, ...(secret ? { secretAccessKey: secret } : {}), ...(sessionToken ? { sessionToken } : {}) }),
};

const kebab = (member: string) => member.replace(/[A-Z]/g, (c, i: number) => `${i > 0 ? "-" : ""}${c.toLowerCase()}`);

/**
 * An AWS CLI run with --debug, the only way it tells the HTTP status of a refusal (its
 * urllib3 log line); the error itself is its last stderr paragraph.
 */
function cliDriver(name: string, cli: AwsCli | undefined): Driver {
  return {
    name,
    skip: !cli,
    async call({ op, params, secret, sessionToken }) {
      const args = ["--debug", "--endpoint-url", t.endpoint, "--output", "json", "backup", kebab(op)];
      for (const [k, v] of Object.entries(params)) args.push(`--${kebab(k)}`, typeof v === "object" ? JSON.stringify(v) : String(v));
      const env: Record<string, string> = { AWS_ACCESS_KEY_ID: ALICE.accessKeyId, AWS_SECRET_ACCESS_KEY: secret ?? ALICE.secretAccessKey, AWS_DEFAULT_REGION: REGION, AWS_MAX_ATTEMPTS: "1" };
      if (sessionToken) env.AWS_SESSION_TOKEN = sessionToken;
      const r = await runAws(cli!, args, env);
      if (r.code === 0) return { ok: (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as Record<string, unknown> };
      const error = /An error occurred \((\w+)\)[^:]*:\s*([\s\S]*)$/.exec(r.stderr);
      const statuses = [...r.stderr.matchAll(/HTTP\/1\.1" (\d{3})/g)].map((m) => Number(m[1]));
      if (!error) throw new Error(`${cli!.version} failed without an AWS error (exit ${r.code}): ${r.stderr.slice(-2000)}`);
      return { error: { code: error[1]!, status: statuses.at(-1) ?? 0, message: error[2]!.trim() } };
    },
  };
}

const drivers: Driver[] = [jsDriver, boto3Driver, cliDriver("AWS CLI v1", cliV1), cliDriver("AWS CLI v2", cliV2)];

function ok(o: Outcome): Record<string, unknown> {
  if ("error" in o) throw new Error(`expected success, got ${o.error.code} (${o.error.status}): ${o.error.message}`);
  return o.ok;
}
function refused(o: Outcome): { code: string; status: number; message: string } {
  if ("ok" in o) throw new Error(`expected a refusal, got ${JSON.stringify(o.ok)}`);
  return o.error;
}

/** A completed EBS backup job in REGION, made with the JS SDK, that every client's filters must find. */
let job: { vault: string; jobId: string; volume: string; recoveryPointArn: string; createdAt: number };
beforeAll(async () => {
  const c = jsClient(ALICE);
  const vault = uniqueName("auth-jobs");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
  const volume = resources.ebs(REGION, ALICE.accountId);
  const started = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: volume, IamRoleArn: ROLE_ARN }));
  // The job completes at the next request (completion delay 0).
  await c.send(new ListBackupVaultsCommand({}));
  job = { vault, jobId: started.BackupJobId!, volume, recoveryPointArn: started.RecoveryPointArn!, createdAt: started.CreationDate!.getTime() };
});

for (const d of drivers) {
  describe.skipIf(d.skip)(`${d.name} in AUTH_MODE=strict`, () => {
    it("creates a vault in eu-west-3 with tags holding spaces, /, + and =, signed with a secret holding / and +", async () => {
      const name = uniqueName("auth-vault");
      const created = ok(await d.call({ op: "CreateBackupVault", params: { BackupVaultName: name, BackupVaultTags: TAGS } }));
      expect(created.BackupVaultArn).toBe(`arn:aws:backup:${REGION}:${ALICE.accountId}:backup-vault:${name}`);
      await expect(jsClient(ALICE).send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).resolves.toMatchObject({ BackupVaultName: name });
      expect((await errorOf(jsClient(ALICE, "us-east-1").send(new DescribeBackupVaultCommand({ BackupVaultName: name })))).name).toBe("ResourceNotFoundException");

      const listed = ok(await d.call({ op: "ListTags", params: { ResourceArn: created.BackupVaultArn } }));
      expect(listed.Tags).toEqual(TAGS);
    });

    it("refuses a wrong secret with InvalidSignatureException (403) and creates nothing", async () => {
      const name = uniqueName("auth-wrong");
      const err = refused(await d.call({ op: "CreateBackupVault", params: { BackupVaultName: name, BackupVaultTags: TAGS }, secret: WRONG.secretAccessKey }));
      expect(err.code).toBe("InvalidSignatureException");
      expect(err.status).toBe(403);
      expect(err.message).toContain(ALICE.accessKeyId);
      expect((await errorOf(jsClient(ALICE).send(new DescribeBackupVaultCommand({ BackupVaultName: name })))).name).toBe("ResourceNotFoundException");
    });

    it("lists backup jobs with filters on state, creation times, resource ARN, type and vault in the query", async () => {
      const filters = {
        ByBackupVaultName: job.vault,
        ByState: "COMPLETED",
        ByCreatedAfter: new Date(job.createdAt - 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        ByCreatedBefore: new Date(job.createdAt + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        ByResourceArn: job.volume,
        ByResourceType: "EBS",
      };
      const listed = ok(await d.call({ op: "ListBackupJobs", params: filters }));
      expect((listed.BackupJobs as { BackupJobId: string }[]).map((j) => j.BackupJobId)).toEqual([job.jobId]);

      // A free-text filter (AWS CLI 2.9 predates ByMessageCategory) that matches no job.
      const none = ok(await d.call({ op: "ListBackupJobs", params: { ...filters, ByParentJobId: "a b+c/d=e~*'" } }));
      expect(none.BackupJobs ?? []).toEqual([]);
    });

    it("lists the tags of an EBS recovery point, whose ARN label holds : and /", async () => {
      expect(job.recoveryPointArn).toContain("snapshot/");
      const listed = ok(await d.call({ op: "ListTags", params: { ResourceArn: job.recoveryPointArn } }));
      expect(listed.Tags ?? {}).toEqual({});
    });

    it("gets ResourceNotFoundException, not a signature error, for a missing EBS-style recovery point", async () => {
      const arn = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
      const err = refused(await d.call({ op: "DescribeRecoveryPoint", params: { BackupVaultName: job.vault, RecoveryPointArn: arn } }));
      expect(err.code).toBe("ResourceNotFoundException");
      expect(err.status).toBe(400);
      expect(err.message).toContain("snap-0123456789abcdef0");
    });

    it("accepts temporary credentials, whose X-Amz-Security-Token is signed with the rest", async () => {
      const name = uniqueName("auth-session");
      const created = ok(await d.call({ op: "CreateBackupVault", params: { BackupVaultName: name }, sessionToken: SESSION_TOKEN }));
      expect(created.BackupVaultArn).toContain(`:${ALICE.accountId}:backup-vault:${name}`);
    });
  });
}

/** The refusal of a raw HTTP response: its error type, status and message. */
async function refusalOf(res: Response): Promise<{ code: string | null; status: number; message: string }> {
  const body = (await res.json()) as { message?: string };
  return { code: res.headers.get("x-amzn-errortype"), status: res.status, message: body.message ?? "" };
}

describe("presigned URLs in AUTH_MODE=strict", () => {
  /** ListBackupVaults presigned with @smithy/signature-v4 (the JS SDK's signer). */
  async function smithyPresigned(signingDate: Date, expiresIn: number): Promise<string> {
    const url = new URL(t.endpoint);
    const signer = new SignatureV4({ credentials: ALICE, region: REGION, service: "backup", sha256: Sha256 });
    const out = await signer.presign(
      { method: "GET", protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: "/backup-vaults/", query: { maxResults: "100" }, headers: { host: url.host } },
      { signingDate, expiresIn },
    );
    const query = Object.entries(out.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    return `${t.endpoint}${out.path}?${query}`;
  }

  it("accepts a URL presigned with @smithy/signature-v4 and answers in its credential scope's region", async () => {
    const name = uniqueName("auth-presign");
    await jsClient(ALICE).send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const res = await fetch(await smithyPresigned(new Date(), 300));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { BackupVaultList: { BackupVaultArn: string }[] };
    expect(body.BackupVaultList.map((v) => v.BackupVaultArn)).toContain(`arn:aws:backup:${REGION}:${ALICE.accountId}:backup-vault:${name}`);
  });

  it("refuses a URL presigned with @smithy/signature-v4 whose X-Amz-Expires has passed, naming the expiry", async () => {
    const res = await fetch(await smithyPresigned(new Date(Date.now() - 2 * 3_600_000), 60));
    const err = await refusalOf(res);
    expect(err).toMatchObject({ code: "InvalidSignatureException", status: 403 });
    expect(err.message).toMatch(/presigned URL .*X-Amz-Expires 60\) expired at/);
  });

  it("refuses a presigned URL whose query was changed after signing", async () => {
    const res = await fetch((await smithyPresigned(new Date(), 300)).replace("maxResults=100", "maxResults=99"));
    const err = await refusalOf(res);
    expect(err).toMatchObject({ code: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("maxResults=99");
  });

  describe.skipIf(!boto3Available)("made by botocore's generate_presigned_url", () => {
    it("accepts one within its validity", async () => {
      const { url } = await runBoto3<{ url: string }>({ op: "ListBackupVaults", params: { MaxResults: 100 }, presignExpires: 300 });
      expect(url).toContain("X-Amz-Signature=");
      expect((await fetch(url)).status).toBe(200);
    });

    it("refuses one whose X-Amz-Expires has passed, naming the expiry", async () => {
      const { url } = await runBoto3<{ url: string }>({ op: "ListBackupVaults", params: {}, presignExpires: 60, skewSeconds: -7200 });
      const err = await refusalOf(await fetch(url));
      expect(err).toMatchObject({ code: "InvalidSignatureException", status: 403 });
      expect(err.message).toContain("X-Amz-Expires 60) expired at");
    });
  });
});

describe("clock skew in AUTH_MODE=strict", () => {
  it("refuses a JS SDK request dated 20 minutes ago with InvalidSignatureException (403)", async () => {
    const err = await errorOf(jsClient(ALICE, REGION, -20 * 60_000).send(new ListBackupVaultsCommand({})));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toContain("more than 15 minutes");
  });

  it.skipIf(!boto3Available)("refuses a boto3 request dated 20 minutes ago with InvalidSignatureException (403)", async () => {
    const err = refused(await runBoto3<Outcome>({ op: "ListBackupVaults", params: {}, skewSeconds: -20 * 60 }));
    expect(err.code).toBe("InvalidSignatureException");
    expect(err.status).toBe(403);
    expect(err.message).toContain("more than 15 minutes");
  });
});
