/**
 * `npm run soak`: a bounded mixed workload against the built emulator (without and with a data folder),
 * sampling resident memory and latency every interval, to show that memory stays flat and p99
 * stable over minutes. Writes bench/results/soak-<timestamp>.json and bench/SOAK.md.
 *
 * The workload keeps the state bounded — every vault it creates is emptied and deleted again —
 * so memory growth would be a leak, not data. Jobs and their events are kept (as in the
 * service), which grows the database slowly; the on-disk run shows the process alone.
 *   SOAK_SECONDS (default 180) per mode, SOAK_INTERVAL (default 15) seconds per sample,
 *   SOAK_WORKERS (default 16) concurrent clients.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { Agent } from "node:http";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import {
  BackupClient,
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  ListBackupJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  TagResourceCommand,
} from "@aws-sdk/client-backup";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { buildDist, launch, ROOT, type ServerId } from "./lib/servers.js";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const INTERVAL = Number(process.env.SOAK_INTERVAL ?? 15);
const WORKERS = Number(process.env.SOAK_WORKERS ?? 16);
const ROLE = "arn:aws:iam::000000000000:role/service-role/AWSBackupDefaultServiceRole";

interface Sample {
  atSeconds: number;
  requests: number;
  errors: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  rssMb: number;
  /** The emulator's database size (GET /_emulator/health). */
  dbMb: number;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : NaN);

async function soak(id: ServerId, workDir: string): Promise<Sample[]> {
  const { server } = await launch(id, workDir, undefined);
  const client = new BackupClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDSOAK", secretAccessKey: "soak" },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: WORKERS * 2 }) }),
  });
  let latencies: number[] = [];
  let errors = 0;
  let stop = false;
  const timed = async <T>(p: Promise<T>): Promise<T | undefined> => {
    const t0 = performance.now();
    try {
      return await p;
    } catch {
      errors++;
      return undefined;
    } finally {
      latencies.push(performance.now() - t0);
    }
  };

  // One worker's cycle: a vault, backups into it, reads, tags, then everything removed again.
  const worker = async (w: number) => {
    for (let cycle = 0; !stop; cycle++) {
      const vault = `soak-${w}-${cycle}`;
      await timed(client.send(new CreateBackupVaultCommand({ BackupVaultName: vault })));
      const jobs: string[] = [];
      for (let j = 0; j < 3 && !stop; j++) {
        const out = await timed(
          client.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:dynamodb:us-east-1:000000000000:table/t${w}-${j}`, IamRoleArn: ROLE })),
        );
        if (out?.BackupJobId) jobs.push(out.BackupJobId);
      }
      for (const id of jobs) await timed(client.send(new DescribeBackupJobCommand({ BackupJobId: id })));
      await timed(client.send(new TagResourceCommand({ ResourceArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`, Tags: { cycle: String(cycle) } })));
      await timed(client.send(new ListTagsCommand({ ResourceArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}` })));
      await timed(client.send(new ListBackupJobsCommand({ ByBackupVaultName: vault, MaxResults: 10 })));
      await new Promise((r) => setTimeout(r, 1100)); // jobs complete after the 1 s delay
      const points = await timed(client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault })));
      for (const p of points?.RecoveryPoints ?? []) await timed(client.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: p.RecoveryPointArn })));
      await timed(client.send(new DescribeBackupVaultCommand({ BackupVaultName: vault })));
      await timed(client.send(new DeleteBackupVaultCommand({ BackupVaultName: vault })));
    }
  };

  const samples: Sample[] = [];
  const started = performance.now();
  const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
  while ((performance.now() - started) / 1000 < SECONDS) {
    await new Promise((r) => setTimeout(r, INTERVAL * 1000));
    const sorted = latencies.sort((a, b) => a - b);
    samples.push({
      atSeconds: Math.round((performance.now() - started) / 1000),
      requests: sorted.length,
      errors,
      reqPerSec: Math.round(sorted.length / INTERVAL),
      p50: Number(percentile(sorted, 0.5).toFixed(2)),
      p99: Number(percentile(sorted, 0.99).toFixed(2)),
      rssMb: Math.round(server.memory().rss / 1048576),
      dbMb: Math.round((((await (await fetch(`${server.url}/_emulator/health`)).json()) as { databaseBytes: number }).databaseBytes / 1048576) * 10) / 10,
    });
    console.error(`[soak ${id}] ${JSON.stringify(samples[samples.length - 1])}`);
    latencies = [];
    errors = 0;
  }
  stop = true;
  await Promise.all(workers);
  client.destroy();
  await server.stop();
  return samples;
}

function render(results: Record<string, Sample[]>, date: string): string {
  const lines = [
    "# Soak results",
    "",
    "Written by `npm run soak` (bench/soak.ts); do not edit by hand.",
    "",
    `- **Machine:** ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`,
    `- **Date:** ${date}; ${SECONDS} s per mode, a sample every ${INTERVAL} s, ${WORKERS} concurrent SDK clients (keep-alive), job delay 1 s`,
    "- **Workload per client, in a loop:** create a vault, start 3 backup jobs, describe them, tag and list tags, list jobs, wait for completion, list and delete the recovery points, describe and delete the vault.",
    "",
  ];
  for (const [mode, samples] of Object.entries(results)) {
    // RSS saw-tooths with garbage collection, so compare the peaks of each minute: the first
    // minute's peak against the last's. In memory, the database (job history, kept as the
    // service keeps it) is part of the RSS: the process's own share is RSS minus its size.
    const inMemory = mode.includes("memory");
    const own = (s: Sample) => s.rssMb - (inMemory ? s.dbMb : 0);
    const minutes = new Map<number, Sample[]>();
    for (const s of samples) minutes.set(Math.ceil(s.atSeconds / 60), [...(minutes.get(Math.ceil(s.atSeconds / 60)) ?? []), s]);
    const peaks = [...minutes.values()].map((m) => ({ rss: Math.max(...m.map((s) => s.rssMb)), own: Math.max(...m.map(own)) }));
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    lines.push(
      `## ${mode}`,
      "",
      `Peak RSS per minute: ${peaks.map((p) => p.rss).join(" → ")} MB${inMemory ? `; without the in-memory database: ${peaks.map((p) => p.own).join(" → ")} MB` : ""}. ` +
        `p99 ${first.p99} ms in the first interval (warm-up), ${last.p99} ms in the last; ${samples.reduce((n, s) => n + s.errors, 0)} errors.`,
      "",
      "| t (s) | requests | errors | req/s | p50 ms | p99 ms | RSS MB | database MB |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...samples.map((s) => `| ${s.atSeconds} | ${s.requests} | ${s.errors} | ${s.reqPerSec} | ${s.p50} | ${s.p99} | ${s.rssMb} | ${s.dbMb} |`),
      "",
    );
  }
  return lines.join("\n");
}

// The workload waits 1.1 s for its jobs; the emulator children inherit this environment.
process.env.BACKUP_JOB_COMPLETION_DELAY_SECONDS = "1";
const renderArg = process.argv.indexOf("--render");
if (renderArg > 0) {
  // Rewrite SOAK.md from a recorded run.
  const file = process.argv[renderArg + 1]!;
  const recorded = JSON.parse(readFileSync(file, "utf8")) as { date: string; results: Record<string, Sample[]> };
  writeFileSync(join(ROOT, "bench/SOAK.md"), render(recorded.results, recorded.date));
  process.exit(0);
}
const warning = buildDist();
if (warning) console.error(warning);
const workDir = mkdtempSync(join(tmpdir(), "soak-"));
try {
  const date = new Date().toISOString();
  const results: Record<string, Sample[]> = {};
  results["emulator (no DATA_DIR)"] = await soak("emulator-memory", workDir);
  results["emulator (--data-dir)"] = await soak("emulator-disk", workDir);
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, `bench/results/soak-${date.replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.json`), `${JSON.stringify({ date, SECONDS, INTERVAL, WORKERS, results }, null, 2)}\n`);
  writeFileSync(join(ROOT, "bench/SOAK.md"), render(results, date));
  console.error("bench/SOAK.md written");
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
