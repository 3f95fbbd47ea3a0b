/**
 * Concurrency: many requests fired at once through the real SDK (Promise.all over a client that
 * may open 256 sockets), then the answers and the store are checked against what some serial
 * order of the same calls would give.
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import {
  BackupClient,
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DescribeBackupVaultCommand,
  ListBackupJobsCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-backup";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLE_ARN, resources, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { checkStore } from "./helpers/fuzz/checks.js";

/** A client that really sends everything at once: many sockets, and no retry to smooth things over. */
function concurrentClient(t: TestEmulator): BackupClient {
  return new BackupClient({
    endpoint: t.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ maxSockets: 256, keepAlive: true }) }),
  });
}

/** The outcomes of calls fired together: how many succeeded, and the names of the errors. */
async function settle<T>(calls: Promise<T>[]): Promise<{ ok: T[]; errors: string[] }> {
  const results = await Promise.allSettled(calls);
  const ok: T[] = [];
  const errors: string[] = [];
  for (const r of results) {
    if (r.status === "fulfilled") ok.push(r.value);
    else errors.push((r.reason as Error).name);
  }
  return { ok, errors };
}

/** Ask until every backup job of the vault has finished, so the store is at rest. */
async function settledJobs(c: BackupClient, vault: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const out = await c.send(new ListBackupJobsCommand({ ByBackupVaultName: vault }));
    if ((out.BackupJobs ?? []).every((j) => ["COMPLETED", "FAILED", "ABORTED", "EXPIRED", "PARTIAL"].includes(j.State!))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`backup jobs of ${vault} did not finish`);
}

describe("concurrent requests with job delay 0", () => {
  let t: TestEmulator;
  let c: BackupClient;

  beforeAll(async () => {
    t = await startTestEmulator();
    c = concurrentClient(t);
  });
  afterAll(async () => {
    c.destroy();
    await t.stop();
  });

  describe("CreateBackupVault", () => {
    it("creates a vault once when 200 calls name it at the same time, and refuses the other 199 with AlreadyExistsException", async () => {
      const name = uniqueName("race");
      const { ok, errors } = await settle(Array.from({ length: 200 }, () => c.send(new CreateBackupVaultCommand({ BackupVaultName: name }))));
      expect(ok).toHaveLength(1);
      expect(errors).toHaveLength(199);
      expect(new Set(errors)).toEqual(new Set(["AlreadyExistsException"]));
      expect(t.emu.store.vaults.find({ name }).map((r) => r.doc.BackupVaultArn)).toEqual([ok[0]!.BackupVaultArn]);
    });
  });

  describe("StartBackupJob", () => {
    it("starts one job when 50 calls carry the same IdempotencyToken at the same time, and answers each with it", async () => {
      const vault = uniqueName("idem");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const input = { BackupVaultName: vault, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN, IdempotencyToken: uniqueName("token") };
      const { ok, errors } = await settle(Array.from({ length: 50 }, () => c.send(new StartBackupJobCommand(input))));
      expect(errors).toEqual([]);
      expect(new Set(ok.map((o) => o.BackupJobId)).size).toBe(1);
      const jobs = (await c.send(new ListBackupJobsCommand({ ByBackupVaultName: vault }))).BackupJobs ?? [];
      expect(jobs.map((j) => j.BackupJobId)).toEqual([ok[0]!.BackupJobId]);
    });

    it("keeps the vault's recovery point count right when 100 jobs into it start at the same time", async () => {
      const vault = uniqueName("many");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const { ok, errors } = await settle(
        Array.from({ length: 100 }, () => c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN }))),
      );
      expect(errors).toEqual([]);
      expect(new Set(ok.map((o) => o.BackupJobId)).size).toBe(100);
      await settledJobs(c, vault);
      expect((await c.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(100);
      expect(checkStore(t.emu.store)).toEqual([]);
    });
  });

  describe("TagResource and UntagResource", () => {
    it("leave the tags some serial order of the concurrent calls would leave", async () => {
      const vault = uniqueName("tags");
      const { BackupVaultArn: arn } = await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
      // Each TagResource writes its own id to a few keys, so the final value of a key says which call wrote it last;
      // each key is removed by exactly one UntagResource, so the order constraints below are determined.
      const pick = (n: number) => [...keys].sort(() => randomBytes(1)[0]! - 128).slice(0, n);
      const tags = Array.from({ length: 40 }, (_, i) => ({ id: `T${i}`, keys: pick(1 + (i % 3)) }));
      const untags = Array.from({ length: 5 }, (_, i) => ({ id: `U${i}`, keys: [keys[2 * i]!, keys[2 * i + 1]!] }));
      const calls = [
        ...tags.map((op) => c.send(new TagResourceCommand({ ResourceArn: arn, Tags: Object.fromEntries(op.keys.map((k) => [k, op.id])) }))),
        ...untags.map((op) => c.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: op.keys }))),
      ];
      const { errors } = await settle(calls);
      expect(errors).toEqual([]);
      const final = (await c.send(new ListTagsCommand({ ResourceArn: arn }))).Tags ?? {};

      // Precedence edges "a before b" that the final tags force; a serial order exists iff they have no cycle.
      const before = new Map<string, Set<string>>();
      const edge = (a: string, b: string) => {
        if (a !== b) before.set(a, (before.get(a) ?? new Set()).add(b));
      };
      for (const k of keys) {
        const writers = tags.filter((op) => op.keys.includes(k)).map((op) => op.id);
        const remover = untags.find((op) => op.keys.includes(k))!.id;
        const value = final[k];
        if (value === undefined) {
          for (const w of writers) edge(w, remover);
        } else {
          expect(writers, `tag ${k}=${value} was written by a call that did not set ${k}`).toContain(value);
          for (const other of [...writers, remover]) edge(other, value);
        }
      }
      expect(Object.keys(final).filter((k) => !keys.includes(k))).toEqual([]);
      const state = new Map<string, "visiting" | "done">();
      const acyclic = (n: string): boolean => {
        if (state.get(n) === "done") return true;
        if (state.get(n) === "visiting") return false;
        state.set(n, "visiting");
        for (const m of before.get(n) ?? []) if (!acyclic(m)) return false;
        state.set(n, "done");
        return true;
      };
      expect([...before.keys()].every(acyclic), `no serial order of the calls leaves ${JSON.stringify(final)}`).toBe(true);
    });
  });
});

describe.each([
  ["0", 0],
  ["a small", 0.2],
])("DeleteBackupVault racing StartBackupJob with %s job delay", (_label, delay) => {
  let t: TestEmulator;
  let c: BackupClient;

  beforeAll(async () => {
    t = await startTestEmulator({ jobCompletionDelaySeconds: delay });
    c = concurrentClient(t);
  });
  afterAll(async () => {
    c.destroy();
    await t.stop();
  });

  it("never leaves a recovery point in a deleted vault, and fails the jobs whose vault went away", async () => {
    for (let round = 0; round < 10; round++) {
      const vault = uniqueName("doomed");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
      const start = () => c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN }));
      const calls: Promise<unknown>[] = [...Array.from({ length: 20 }, start), c.send(new DeleteBackupVaultCommand({ BackupVaultName: vault })), ...Array.from({ length: 20 }, start)];
      const { errors } = await settle(calls);
      // A job may start before the deletion or be refused after it; a deletion may be refused once a point is stored.
      expect(errors.filter((e) => e !== "ResourceNotFoundException" && e !== "InvalidRequestException")).toEqual([]);
      await settledJobs(c, vault);

      const exists = t.emu.store.vaults.find({ name: vault }).length > 0;
      const points = t.emu.store.recoveryPoints.find({ vault });
      const jobs = t.emu.store.backupJobs.find({ vault });
      if (!exists) {
        expect(points).toEqual([]);
        expect(jobs.filter((j) => j.doc.State !== "FAILED").map((j) => j.doc.State)).toEqual([]);
      } else {
        expect(points).toHaveLength(jobs.filter((j) => j.doc.State === "COMPLETED").length);
      }
      expect(checkStore(t.emu.store)).toEqual([]);
    }
  });
});
