/**
 * Test harness: an emulator started in-process on 127.0.0.1:0 through the embedding API's
 * implementation (src/emulator.ts: the published handle plus the store, clock and scheduler
 * that tests reach into), and real SDK clients pointed at it with retries off (so an error is
 * seen at once and a throttling-class error does not cost seconds of backoff).
 */
import { randomBytes } from "node:crypto";
import { BackupClient } from "@aws-sdk/client-backup";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../src/emulator.js";
import type { UnmodeledError } from "../../src/embedding.js";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";
export const ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole";

export interface TestEmulator {
  emu: RunningEmulator;
  endpoint: string;
  /** A client for `region` and, when given a 12-digit id, that account (the access key id names it). */
  client(opts?: { region?: string; accountId?: string }): BackupClient;
  /** Errors operations threw that their model does not list, since the last call (taken away). */
  unmodeledErrors(): UnmodeledError[];
  /** Stops the emulator; fails when an operation threw an error its model does not list. */
  stop(): Promise<void>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const unmodeled: UnmodeledError[] = [];
  const emu = await startEmulator({
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
    jobCompletionDelaySeconds: 0,
    onUnmodeledError: (e) => void unmodeled.push(e),
    ...options,
  });
  const clients: BackupClient[] = [];
  return {
    emu,
    endpoint: emu.endpoint,
    client({ region = REGION, accountId } = {}) {
      const c = new BackupClient({
        endpoint: emu.endpoint,
        region,
        credentials: { accessKeyId: accountId ?? "AKIDEXAMPLE", secretAccessKey: "secret" },
        maxAttempts: 1,
      });
      clients.push(c);
      return c;
    },
    unmodeledErrors: () => unmodeled.splice(0),
    async stop() {
      for (const c of clients) c.destroy();
      await emu.stop();
      // The wire answer was a 500 InternalFailure, which a test checking only that a call fails would miss.
      if (unmodeled.length > 0) {
        throw new Error(`Operations threw errors their model does not list:\n${unmodeled.map((e) => `  ${e.operation} threw ${e.error}: ${e.message}`).join("\n")}`);
      }
    },
  };
}

/** A name unique to this run, valid as a vault, plan, rule or selection name. */
export function uniqueName(prefix = "t"): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Resource ARNs of each supported type, for jobs and selections. */
export const resources = {
  ebs: (region = REGION, account = "123456789012") => `arn:aws:ec2:${region}:${account}:volume/vol-${randomBytes(8).toString("hex")}`,
  ec2: (region = REGION, account = "123456789012") => `arn:aws:ec2:${region}:${account}:instance/i-${randomBytes(8).toString("hex")}`,
  dynamo: (region = REGION, account = "123456789012") => `arn:aws:dynamodb:${region}:${account}:table/${uniqueName("table")}`,
  efs: (region = REGION, account = "123456789012") => `arn:aws:elasticfilesystem:${region}:${account}:file-system/fs-${randomBytes(8).toString("hex")}`,
  rds: (region = REGION, account = "123456789012") => `arn:aws:rds:${region}:${account}:db:${uniqueName("db")}`,
  s3: () => `arn:aws:s3:::${uniqueName("bucket")}`,
};

/** Poll `fn` until it returns a truthy value or `ms` passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 5000, every = 25): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number }; Code?: string }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { name: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Share a vault with another account the way the emulator honours: an access policy granting it reads. */
export async function shareVault(owner: BackupClient, vault: string, readerAccountId: string): Promise<void> {
  const { PutBackupVaultAccessPolicyCommand } = await import("@aws-sdk/client-backup");
  await owner.send(
    new PutBackupVaultAccessPolicyCommand({
      BackupVaultName: vault,
      Policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${readerAccountId}:root` }, Action: ["backup:Describe*", "backup:List*", "backup:Get*"], Resource: "*" }],
      }),
    }),
  );
}
