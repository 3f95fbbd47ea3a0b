/**
 * AUTH_MODE=strict: every request's SigV4 signature is verified against the configured
 * credentials; failures are 403 with the codes AWS uses and touch no state. Also ADMIN_TOKEN.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BackupClient,
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  ListBackupVaultsCommand,
  PutBackupVaultAccessPolicyCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const ALICE = { accessKeyId: "AKIAALICE", secretAccessKey: "alice-secret", accountId: "111111111111" };
const BOB = { accessKeyId: "AKIABOB", secretAccessKey: "bob-secret", accountId: "222222222222" };

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({
    authMode: "strict",
    credentials: [ALICE, BOB].map((c) => `${c.accessKeyId}:${c.secretAccessKey}:${c.accountId}`).join(","),
    adminToken: "s3cret",
  });
});
afterAll(() => t.stop());

const clients: BackupClient[] = [];
afterAll(() => clients.forEach((c) => c.destroy()));
function client(creds: { accessKeyId: string; secretAccessKey: string }, extra: { systemClockOffset?: number; region?: string } = {}): BackupClient {
  const c = new BackupClient({ endpoint: t.endpoint, region: extra.region ?? "us-east-1", credentials: creds, maxAttempts: 1, ...(extra.systemClockOffset ? { systemClockOffset: extra.systemClockOffset } : {}) });
  clients.push(c);
  return c;
}

describe("AUTH_MODE=strict", () => {
  it("accepts a correctly signed request and puts it in the credential's account", async () => {
    const name = uniqueName("vault");
    const out = await client(ALICE).send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    expect(out.BackupVaultArn).toBe(`arn:aws:backup:us-east-1:${ALICE.accountId}:backup-vault:${name}`);
  });

  it("verifies signatures over encoded ARN labels and query strings", async () => {
    const c = client(ALICE);
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.ebs("us-east-1", ALICE.accountId), IamRoleArn: ROLE_ARN }));
    expect(job.RecoveryPointArn).toContain("snapshot/snap-");
    const listed = await c.send(new ListBackupVaultsCommand({ MaxResults: 5, ByVaultType: "BACKUP_VAULT" }));
    expect(listed.BackupVaultList!.length).toBeGreaterThan(0);
  });

  it("refuses a wrong secret with InvalidSignatureException (403) and creates nothing", async () => {
    const name = uniqueName("vault");
    const err = await errorOf(client({ ...ALICE, secretAccessKey: "wrong" }).send(new CreateBackupVaultCommand({ BackupVaultName: name })));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect((await errorOf(client(ALICE).send(new DescribeBackupVaultCommand({ BackupVaultName: name })))).name).toBe("ResourceNotFoundException");
  });

  it("refuses an unknown access key with UnrecognizedClientException (403)", async () => {
    const err = await errorOf(client({ accessKeyId: "AKIANOBODY", secretAccessKey: "x" }).send(new ListBackupVaultsCommand({})));
    expect(err.name).toBe("UnrecognizedClientException");
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toContain("AKIANOBODY");
  });

  it("refuses a request signed more than 15 minutes off with InvalidSignatureException", async () => {
    const err = await errorOf(client(ALICE, { systemClockOffset: -20 * 60 * 1000 }).send(new ListBackupVaultsCommand({})));
    expect(err.name).toBe("InvalidSignatureException");
    expect(err.message).toMatch(/expired|15 minutes/i);
  });

  it("refuses an unsigned request with MissingAuthenticationTokenException (403)", async () => {
    const res = await fetch(`${t.endpoint}/backup-vaults`);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
  });

  it("lets a cross-account copy into a vault only when its access policy grants backup:CopyIntoBackupVault to the source account", async () => {
    const alice = client(ALICE);
    const bob = client(BOB);
    const source = uniqueName("src");
    const open = uniqueName("open");
    const closed = uniqueName("closed");
    await alice.send(new CreateBackupVaultCommand({ BackupVaultName: source }));
    await bob.send(new CreateBackupVaultCommand({ BackupVaultName: open }));
    await bob.send(new CreateBackupVaultCommand({ BackupVaultName: closed }));
    await bob.send(
      new PutBackupVaultAccessPolicyCommand({
        BackupVaultName: open,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ALICE.accountId}:root` }, Action: "backup:CopyIntoBackupVault", Resource: "*" }],
        }),
      }),
    );
    const job = await alice.send(new StartBackupJobCommand({ BackupVaultName: source, ResourceArn: resources.dynamo("us-east-1", ALICE.accountId), IamRoleArn: ROLE_ARN }));
    const copy = (vault: string) =>
      alice.send(
        new StartCopyJobCommand({
          RecoveryPointArn: job.RecoveryPointArn,
          SourceBackupVaultName: source,
          DestinationBackupVaultArn: `arn:aws:backup:us-east-1:${BOB.accountId}:backup-vault:${vault}`,
          IamRoleArn: ROLE_ARN,
        }),
      );
    await alice.send(new ListBackupVaultsCommand({}));
    const allowed = await copy(open);
    const denied = await copy(closed);
    await alice.send(new ListBackupVaultsCommand({}));
    expect((await alice.send(new DescribeCopyJobCommand({ CopyJobId: allowed.CopyJobId }))).CopyJob?.State).toBe("COMPLETED");
    const refused = (await alice.send(new DescribeCopyJobCommand({ CopyJobId: denied.CopyJobId }))).CopyJob!;
    expect(refused.State).toBe("FAILED");
    expect(refused.StatusMessage).toContain("CopyIntoBackupVault");
    expect((await bob.send(new DescribeBackupVaultCommand({ BackupVaultName: closed }))).NumberOfRecoveryPoints).toBe(0);
    expect((await bob.send(new DescribeBackupVaultCommand({ BackupVaultName: open }))).NumberOfRecoveryPoints).toBe(1);
  });

  it("evaluates vault access policies for the account of the verified key", async () => {
    const alice = client(ALICE);
    const name = uniqueName("vault");
    await alice.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const policy = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: { AWS: ALICE.accountId }, Action: "backup:DeleteBackupVault", Resource: "*" }] };
    await alice.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: name, Policy: JSON.stringify(policy) }));
    const err = await errorOf(alice.send(new DeleteBackupVaultCommand({ BackupVaultName: name })));
    expect(err.name).toBe("AccessDeniedException");
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toContain(`arn:aws:iam::${ALICE.accountId}:root is not authorized to perform: backup:DeleteBackupVault`);
    expect((await alice.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).BackupVaultName).toBe(name);
  });
});

describe("ADMIN_TOKEN", () => {
  it("guards the /_emulator routes but leaves the health checks open", async () => {
    expect((await fetch(`${t.endpoint}/_emulator/health`)).status).toBe(200);
    const denied = await fetch(`${t.endpoint}/_emulator/state`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get("x-amzn-errortype")).toBe("UnauthorizedException");
    const allowed = await fetch(`${t.endpoint}/_emulator/state`, { headers: { authorization: "Bearer s3cret" } });
    expect(allowed.status).toBe(200);
  });

  it("accepts only the exact token, refusing one of the same length or a longer one that starts with it", async () => {
    const withToken = (authorization: string) => fetch(`${t.endpoint}/_emulator/state`, { headers: { authorization } });
    expect((await withToken("Bearer s3cret")).status).toBe(200);
    for (const wrong of ["Bearer s3creT", "Bearer s3cret2", "Bearer s3cre", "bearer s3cret"]) {
      const denied = await withToken(wrong);
      expect(denied.status, wrong).toBe(401);
      expect(denied.headers.get("x-amzn-errortype")).toBe("UnauthorizedException");
      expect(((await denied.json()) as { message: string }).message).toContain("ADMIN_TOKEN");
    }
  });
});
