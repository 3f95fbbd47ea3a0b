/**
 * What is measured: each load scenario names its request cycle, the servers that can serve it
 * and the state the emulator needs for it. Requests are built per server, because the SigV4
 * signature covers the host and a middle page's NextToken comes from that server.
 */
import type { RequestSpec } from "./load-types.js";
import type { ServerId } from "./servers.js";
import { signedHeaders } from "./sign.js";
import { JOB_ACCOUNT, VAULTS, type SeedContents } from "./state.js";

export const SMALL = 1_000;
export const LARGE = 100_000;
const PAGE = 100;

export interface Unsigned {
  method: RequestSpec["method"];
  path: string;
  body?: string;
  /** A 12-digit access key id selects that account. */
  accessKeyId?: string;
}

export interface LoadScenario {
  id: string;
  title: string;
  /** Why it is measured and how to read it. */
  note: string;
  servers: readonly ServerId[];
  seed: SeedContents;
  /** A NextToken to read from each emulator before the load: the one after `skip` items of `vault`. */
  token?: { vault: string; skip: number };
  /**
   * The load leaves work behind: backup jobs that complete some seconds later. The benchmark
   * runs such scenarios last in a round and lets that work finish before the next round, so it
   * is not charged to another scenario.
   */
  leavesJobs?: boolean;
  cycle(token: string | undefined): Unsigned[];
}

const EMULATORS_AND_BARE: readonly ServerId[] = ["emulator-memory", "emulator-disk", "bare"];
const ALL: readonly ServerId[] = ["emulator-memory", "emulator-disk", "bare", "moto"];

const rpPage = (vault: string, token?: string) =>
  `/backup-vaults/${vault}/recovery-points?maxResults=${PAGE}${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`;

export const LOAD_SCENARIOS: readonly LoadScenario[] = [
  {
    id: "describe",
    title: "DescribeBackupVault",
    note: "GET /backup-vaults/{name}: the edge (routing, SigV4 scope, validation) plus one keyed read.",
    servers: ALL,
    seed: { describeVault: true },
    cycle: () => [{ method: "GET", path: `/backup-vaults/${VAULTS.describe}` }],
  },
  {
    id: "create-delete",
    title: "CreateBackupVault + DeleteBackupVault",
    note: "Alternating PUT and DELETE /backup-vaults/{name}, a new name per pair (req/s counts both requests).",
    servers: ALL,
    seed: {},
    cycle: () => [
      { method: "PUT", path: "/backup-vaults/{{n}}", body: JSON.stringify({ CreatorRequestId: "{{n}}" }) },
      { method: "DELETE", path: "/backup-vaults/{{n}}" },
    ],
  },
  {
    id: "start-backup-job",
    title: "StartBackupJob",
    note: "PUT /backup-jobs with a fresh IdempotencyToken each time, as SDKs send; jobs complete 3 s later and pile up (moto does not serve it).",
    servers: EMULATORS_AND_BARE,
    seed: { jobTarget: true },
    leavesJobs: true,
    cycle: () => [
      {
        method: "PUT",
        path: "/backup-jobs",
        accessKeyId: JOB_ACCOUNT,
        body: JSON.stringify({
          BackupVaultName: VAULTS.jobTarget,
          ResourceArn: `arn:aws:dynamodb:us-east-1:${JOB_ACCOUNT}:table/orders`,
          IamRoleArn: `arn:aws:iam::${JOB_ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole`,
          IdempotencyToken: "{{n}}",
        }),
      },
    ],
  },
  {
    id: "list-rp-1k-first",
    title: `ListRecoveryPointsByBackupVault, first page of ${SMALL.toLocaleString("en")}`,
    note: `maxResults=${PAGE}, no token.`,
    servers: EMULATORS_AND_BARE,
    seed: { rpSmall: SMALL },
    cycle: () => [{ method: "GET", path: rpPage(VAULTS.rpSmall) }],
  },
  {
    id: "list-rp-1k-middle",
    title: `ListRecoveryPointsByBackupVault, middle page of ${SMALL.toLocaleString("en")}`,
    note: `maxResults=${PAGE} with the NextToken after item ${(SMALL / 2).toLocaleString("en")}.`,
    servers: EMULATORS_AND_BARE,
    seed: { rpSmall: SMALL },
    token: { vault: VAULTS.rpSmall, skip: SMALL / 2 },
    cycle: (token) => [{ method: "GET", path: rpPage(VAULTS.rpSmall, token) }],
  },
  {
    id: "list-rp-100k-first",
    title: `ListRecoveryPointsByBackupVault, first page of ${LARGE.toLocaleString("en")}`,
    note: `maxResults=${PAGE}, no token.`,
    servers: EMULATORS_AND_BARE,
    seed: { rpLarge: LARGE },
    cycle: () => [{ method: "GET", path: rpPage(VAULTS.rpLarge) }],
  },
  {
    id: "list-rp-100k-middle",
    title: `ListRecoveryPointsByBackupVault, middle page of ${LARGE.toLocaleString("en")}`,
    note: `maxResults=${PAGE} with the NextToken after item ${(LARGE / 2).toLocaleString("en")}.`,
    servers: EMULATORS_AND_BARE,
    seed: { rpLarge: LARGE },
    token: { vault: VAULTS.rpLarge, skip: LARGE / 2 },
    cycle: (token) => [{ method: "GET", path: rpPage(VAULTS.rpLarge, token) }],
  },
  {
    id: "list-jobs-100k",
    title: `ListBackupJobs?state=COMPLETED over ${LARGE.toLocaleString("en")} jobs`,
    note: `maxResults=${PAGE}; seven in ten jobs are COMPLETED, the rest FAILED, ABORTED or EXPIRED.`,
    servers: EMULATORS_AND_BARE,
    seed: { jobs: LARGE },
    cycle: () => [{ method: "GET", path: `/backup-jobs?state=COMPLETED&maxResults=${PAGE}` }],
  },
];

/** The measurements that are not load: the --only names they answer to. */
export const OTHER_SCENARIOS = ["startup", "memory", "instances"] as const;

/** Sign every request of a cycle for `host`. */
export async function signCycle(cycle: Unsigned[], host: string): Promise<RequestSpec[]> {
  return Promise.all(
    cycle.map(async (u) => ({
      method: u.method,
      path: u.path,
      headers: await signedHeaders({ method: u.method, path: u.path, ...(u.body !== undefined ? { body: u.body } : {}) }, host, u.accessKeyId),
      ...(u.body !== undefined ? { body: u.body } : {}),
    })),
  );
}

/** Merge what several scenarios need from the seed. */
export function seedFor(scenarios: readonly LoadScenario[]): SeedContents {
  const out: SeedContents = {};
  for (const s of scenarios) {
    if (s.seed.describeVault) out.describeVault = true;
    if (s.seed.jobTarget) out.jobTarget = true;
    if (s.seed.rpSmall) out.rpSmall = Math.max(out.rpSmall ?? 0, s.seed.rpSmall);
    if (s.seed.rpLarge) out.rpLarge = Math.max(out.rpLarge ?? 0, s.seed.rpLarge);
    if (s.seed.jobs) out.jobs = Math.max(out.jobs ?? 0, s.seed.jobs);
  }
  return out;
}
