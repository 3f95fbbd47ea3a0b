/**
 * `npm run bench:data` (or `npm run bench -- --only data`): the data plane against a
 * moto_server this benchmark starts. For a DynamoDB table of 100,000 items and an S3 bucket of
 * 1 GiB it measures backup and restore through the emulator (built, in its own process, with
 * --resource-endpoint and --data-dir) next to what a plain SDK loop in this process reads from
 * and writes to the same moto_server (the limit: the emulator cannot be faster than its source),
 * the emulator's RSS growth over idle during each backup, and the storage a second backup of the
 * unchanged bucket adds (content addressing).
 *
 *   BENCH_QUICK=1   10,000 items and 128 MiB; bench/RESULTS.md is left as it was
 *   BENCH_DATA_ITEMS=N, BENCH_DATA_MIB=N   other sizes (RESULTS.md is left as it was too)
 *
 * Raw numbers go to bench/results/data-<timestamp>.json; a full run rewrites the "Data plane"
 * section of bench/RESULTS.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BackupClient, CreateBackupVaultCommand, DescribeBackupJobCommand, DescribeRestoreJobCommand, StartBackupJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, ScanCommand, type AttributeValue, type WriteRequest } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { buildDist, findMoto, freePort, ROOT } from "./lib/servers.js";
import { describeMachine, loadAverage } from "./lib/record.js";
import { DATA_END, DATA_START, dataSectionOf, withDataSection } from "./lib/data-section.js";

const ACCOUNT = "123456789012";
const ROLE = "arn:aws:iam::123456789012:role/backup";
const MIB = 1024 * 1024;
const OBJECT_MIB = 16;

const log = (line: string) => process.stderr.write(`[bench:data ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

interface Proc {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function spawnUntilUp(cmd: string, args: string[], probe: string): Promise<Proc> {
  const port = await freePort();
  const proc = spawn(cmd, args.map((a) => a.replace("$PORT", String(port))), {
    cwd: ROOT,
    stdio: "ignore",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${cmd} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(url + probe)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${cmd} did not start within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    proc,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}

const rssOf = (pid: number): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) * 1024;

/** Sample a process's RSS while `fn` runs; returns fn's result, seconds taken and the peak RSS. */
async function measured<T>(pid: number, fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number }> {
  let peak = rssOf(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, peakRss: Math.max(peak, rssOf(pid)) };
  } finally {
    clearInterval(timer);
  }
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

async function waitJob(backup: BackupClient, kind: "backup" | "restore", id: string): Promise<{ state: string; message?: string; arn?: string; size?: number }> {
  for (;;) {
    if (kind === "backup") {
      const j = await backup.send(new DescribeBackupJobCommand({ BackupJobId: id }));
      if (["COMPLETED", "FAILED", "ABORTED"].includes(j.State!)) return { state: j.State!, message: j.StatusMessage, arn: j.RecoveryPointArn, size: j.BackupSizeInBytes };
    } else {
      const j = await backup.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
      if (["COMPLETED", "FAILED", "ABORTED"].includes(j.Status!)) return { state: j.Status!, message: j.StatusMessage, arn: j.CreatedResourceArn };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const item = (i: number): Record<string, AttributeValue> => ({
  pk: { S: `customer#${i % 5000}` },
  sk: { N: String(i) },
  name: { S: `Customer number ${i}` },
  total: { N: (i * 3.25).toFixed(2) },
  tags: { SS: ["a", `b${i % 7}`] },
  address: { M: { city: { S: `City ${i % 100}` }, zip: { S: String(10000 + (i % 90000)) } } },
  lines: { L: [{ N: "1" }, { S: "widget" }, { BOOL: true }] },
  blob: { B: Buffer.from(`payload-${i}`) },
});

export async function runDataBench(): Promise<void> {
  const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
  const items = Number(process.env.BENCH_DATA_ITEMS ?? (quick ? 10_000 : 100_000));
  const totalMib = Number(process.env.BENCH_DATA_MIB ?? (quick ? 128 : 1024));
  const motoPath = findMoto();
  if (!motoPath) throw new Error("moto_server is not installed: the data plane benchmark needs it");
  const started = new Date();
  const loadStart = loadAverage();
  const warning = buildDist();
  if (warning) log(warning);
  const work = mkdtempSync(join(tmpdir(), "bench-data-"));
  const moto = await spawnUntilUp(motoPath, ["-H", "127.0.0.1", "-p", "$PORT"], "/moto-api/");
  // Each section gets a freshly started emulator (same data folder), so its idle RSS is its own.
  const startEmu = () =>
    spawnUntilUp(
      process.execPath,
      ["dist/bundle/main.mjs", "--port", "$PORT", "--log-level", "error", "--job-completion-delay", "0", "--data-dir", join(work, "data"), "--resource-endpoint", moto.url],
      "/_emulator/health",
    );
  let emu = await startEmu();
  const common = { endpoint: moto.url, region: "us-east-1", credentials: { accessKeyId: ACCOUNT, secretAccessKey: "x" } };
  const ddb = new DynamoDBClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" });
  const backupClient = () => new BackupClient({ endpoint: emu.url, region: "us-east-1", credentials: { accessKeyId: ACCOUNT, secretAccessKey: "x" } });
  let backup = backupClient();
  let pid = emu.proc.pid!;
  const out: Record<string, number | string> = {};
  try {
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "bench" }));
    let idle = rssOf(pid);
    out.idleRssMB = idle / 1e6;

    // DynamoDB: the seeding loop is the plain SDK write baseline.
    log(`DynamoDB: writing ${items} items with a plain BatchWriteItem loop`);
    const table = "bench-orders";
    await ddb.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "N" },
        ],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
    let t0 = performance.now();
    for (let i = 0; i < items; i += 25) {
      const batch: WriteRequest[] = [];
      for (let j = i; j < Math.min(items, i + 25); j++) batch.push({ PutRequest: { Item: item(j) } });
      let left: WriteRequest[] | undefined = batch;
      while (left?.length) left = (await ddb.send(new BatchWriteItemCommand({ RequestItems: { [table]: left } }))).UnprocessedItems?.[table];
    }
    out.ddbSdkWriteItemsPerSec = items / ((performance.now() - t0) / 1000);
    log(`DynamoDB: plain Scan loop`);
    t0 = performance.now();
    let scanned = 0;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      scanned += page.Items?.length ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    out.ddbSdkReadItemsPerSec = scanned / ((performance.now() - t0) / 1000);

    log(`DynamoDB: backup through the emulator`);
    const tableArn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${table}`;
    const b = await measured(pid, async () => waitJob(backup, "backup", (await backup.send(new StartBackupJobCommand({ BackupVaultName: "bench", ResourceArn: tableArn, IamRoleArn: ROLE }))).BackupJobId!));
    if (b.value.state !== "COMPLETED") throw new Error(`DynamoDB backup ${b.value.state}: ${b.value.message}`);
    out.ddbBackupItemsPerSec = items / b.seconds;
    out.ddbBackupRssGrowthMB = (b.peakRss - idle) / 1e6;
    out.ddbBackupBytes = b.value.size ?? 0;
    log(`DynamoDB: restore through the emulator`);
    const r = await measured(pid, async () =>
      waitJob(backup, "restore", (await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: b.value.arn!, IamRoleArn: ROLE, Metadata: { targetTableName: `${table}-restored` } }))).RestoreJobId!),
    );
    if (r.value.state !== "COMPLETED") throw new Error(`DynamoDB restore ${r.value.state}: ${r.value.message}`);
    out.ddbRestoreItemsPerSec = items / r.seconds;
    out.ddbRestoreRssGrowthMB = (r.peakRss - idle) / 1e6;

    backup.destroy();
    await emu.stop();
    emu = await startEmu();
    backup = backupClient();
    pid = emu.proc.pid!;
    idle = rssOf(pid);
    out.idleRssMBS3 = idle / 1e6;

    // S3: the seeding loop is the plain SDK write baseline.
    const bucket = "bench-assets";
    const objects = totalMib / OBJECT_MIB;
    log(`S3: writing ${totalMib} MiB in ${objects} objects with a plain PutObject loop`);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const body = randomBytes(OBJECT_MIB * MIB);
    t0 = performance.now();
    for (let i = 0; i < objects; i++) {
      // A different first 8 bytes per object: every object is distinct content.
      body.writeBigUInt64BE(BigInt(i), 0);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `objects/${i}.bin`, Body: body, ContentType: "application/octet-stream" }));
    }
    out.s3SdkWriteMBps = (totalMib * MIB) / 1e6 / ((performance.now() - t0) / 1000);
    log(`S3: plain GetObject loop`);
    t0 = performance.now();
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }));
        for await (const _chunk of got.Body as Readable) void _chunk;
      }
      token = page.NextContinuationToken;
    } while (token);
    out.s3SdkReadMBps = (totalMib * MIB) / 1e6 / ((performance.now() - t0) / 1000);

    log(`S3: backup through the emulator`);
    const contentDir = join(work, "data", "content");
    const beforeFirst = dirBytes(contentDir);
    const sb = await measured(pid, async () =>
      waitJob(backup, "backup", (await backup.send(new StartBackupJobCommand({ BackupVaultName: "bench", ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE }))).BackupJobId!),
    );
    if (sb.value.state !== "COMPLETED") throw new Error(`S3 backup ${sb.value.state}: ${sb.value.message}`);
    out.s3BackupMBps = (totalMib * MIB) / 1e6 / sb.seconds;
    out.s3BackupRssGrowthMB = (sb.peakRss - idle) / 1e6;
    const afterFirst = dirBytes(contentDir);
    log(`S3: second backup of the unchanged bucket`);
    const sb2 = await waitJob(backup, "backup", (await backup.send(new StartBackupJobCommand({ BackupVaultName: "bench", ResourceArn: `arn:aws:s3:::${bucket}`, IamRoleArn: ROLE }))).BackupJobId!);
    if (sb2.state !== "COMPLETED") throw new Error(`second S3 backup ${sb2.state}: ${sb2.message}`);
    const afterSecond = dirBytes(contentDir);
    out.s3FirstBackupStoredMB = (afterFirst - beforeFirst) / 1e6;
    out.s3SecondBackupStoredBytes = afterSecond - afterFirst;
    out.s3SecondBackupRatio = (afterSecond - afterFirst) / (afterFirst - beforeFirst);
    log(`S3: restore through the emulator`);
    const sr = await measured(pid, async () =>
      waitJob(
        backup,
        "restore",
        (await backup.send(new StartRestoreJobCommand({ RecoveryPointArn: sb.value.arn!, IamRoleArn: ROLE, Metadata: { DestinationBucketName: `${bucket}-restored`, NewBucket: "true" } }))).RestoreJobId!,
      ),
    );
    if (sr.value.state !== "COMPLETED") throw new Error(`S3 restore ${sr.value.state}: ${sr.value.message}`);
    out.s3RestoreMBps = (totalMib * MIB) / 1e6 / sr.seconds;
    out.s3RestoreRssGrowthMB = (sr.peakRss - idle) / 1e6;
  } finally {
    ddb.destroy();
    s3.destroy();
    backup.destroy();
    await emu.stop();
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  }

  const record = { startedAt: started.toISOString(), quick, items, totalMib, machine: describeMachine(), loadAverage: { start: loadStart, end: loadAverage() }, results: out };
  const dir = join(ROOT, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `data-${record.startedAt.replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  const section = render(record, `bench/results/${file.split("/").pop()}`);
  process.stdout.write(`${section}\n`);
  const results = join(ROOT, "bench/RESULTS.md");
  if (!quick && !process.env.BENCH_DATA_ITEMS && !process.env.BENCH_DATA_MIB) {
    writeFileSync(results, withDataSection(readFileSync(results, "utf8"), section));
    log("bench/RESULTS.md: Data plane section rewritten");
  } else {
    log(`quick run: bench/RESULTS.md left as it was (its section: ${dataSectionOf(results) ? "kept" : "none yet"})`);
  }
}

function render(r: { startedAt: string; items: number; totalMib: number; machine: ReturnType<typeof describeMachine>; loadAverage: { start: string; end: string }; results: Record<string, number | string> }, file: string): string {
  const n = (k: string) => Number(r.results[k]);
  const f = (x: number, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const verdict = (ok: boolean) => (ok ? "PASS" : "**FAIL**");
  const ratio = (a: number, b: number) => a / b;
  const rows: [string, string, string, boolean][] = [
    ["DynamoDB backup vs a plain Scan loop", "≥ 0.7×", `${f(ratio(n("ddbBackupItemsPerSec"), n("ddbSdkReadItemsPerSec")), 2)}× (${f(n("ddbBackupItemsPerSec"))} / ${f(n("ddbSdkReadItemsPerSec"))} items/s)`, ratio(n("ddbBackupItemsPerSec"), n("ddbSdkReadItemsPerSec")) >= 0.7],
    ["DynamoDB restore vs a plain BatchWriteItem loop", "≥ 0.7×", `${f(ratio(n("ddbRestoreItemsPerSec"), n("ddbSdkWriteItemsPerSec")), 2)}× (${f(n("ddbRestoreItemsPerSec"))} / ${f(n("ddbSdkWriteItemsPerSec"))} items/s)`, ratio(n("ddbRestoreItemsPerSec"), n("ddbSdkWriteItemsPerSec")) >= 0.7],
    ["S3 backup vs a plain GetObject loop", "≥ 0.7×", `${f(ratio(n("s3BackupMBps"), n("s3SdkReadMBps")), 2)}× (${f(n("s3BackupMBps"), 1)} / ${f(n("s3SdkReadMBps"), 1)} MB/s)`, ratio(n("s3BackupMBps"), n("s3SdkReadMBps")) >= 0.7],
    ["S3 restore vs a plain PutObject loop", "≥ 0.7×", `${f(ratio(n("s3RestoreMBps"), n("s3SdkWriteMBps")), 2)}× (${f(n("s3RestoreMBps"), 1)} / ${f(n("s3SdkWriteMBps"), 1)} MB/s)`, ratio(n("s3RestoreMBps"), n("s3SdkWriteMBps")) >= 0.7],
    [`RSS growth over idle during the ${f(r.items)}-item backup`, "≤ +100 MB", `+${f(n("ddbBackupRssGrowthMB"), 1)} MB (idle ${f(n("idleRssMB"), 1)} MB)`, n("ddbBackupRssGrowthMB") <= 100],
    [`RSS growth over idle during the ${f(r.totalMib)} MiB backup`, "≤ +100 MB", `+${f(n("s3BackupRssGrowthMB"), 1)} MB (idle ${f(n("idleRssMBS3"), 1)} MB)`, n("s3BackupRssGrowthMB") <= 100],
    ["Storage added by a second backup of the unchanged bucket", "≈ 0", `${f(n("s3SecondBackupStoredBytes"))} bytes for ${f(n("s3FirstBackupStoredMB"), 1)} MB stored by the first (ratio ${n("s3SecondBackupRatio").toExponential(1)})`, n("s3SecondBackupRatio") < 0.001],
  ];
  const m = r.machine;
  return [
    DATA_START,
    "## Data plane",
    "",
    "Written by `npm run bench:data` (bench/data.ts); do not edit by hand.",
    "",
    `- **Date:** ${r.startedAt.slice(0, 16).replace("T", " ")} UTC. **Machine:** ${m.cpu}, ${m.cores} cores, ${f(m.memoryBytes / 1024 ** 3)} GiB RAM, Node ${m.node}. The machine is shared with other work and has 2 cores: moto_server, the emulator and the load all run on them (load average at start ${r.loadAverage.start}).`,
    `- **Method:** moto_server and the built emulator (\`--data-dir\`, \`--job-completion-delay 0\`) each in its own process; a DynamoDB table of ${f(r.items)} items (8 attributes of mixed types) and an S3 bucket of ${f(r.totalMib)} MiB (${r.totalMib / OBJECT_MIB} objects of ${OBJECT_MIB} MiB). The limits are plain SDK loops in the benchmark process against the same moto_server: a Scan loop, a sequential BatchWriteItem loop (25 items a call, which also seeds the table), a sequential PutObject loop (which seeds the bucket) and a sequential GetObject loop. A job's time runs from StartBackupJob/StartRestoreJob to DescribeBackupJob/DescribeRestoreJob reporting COMPLETED (polled every 250 ms). RSS is the emulator's VmRSS, sampled every 50 ms, minus its RSS at idle (each of the two sections starts the emulator afresh, on the same data folder).`,
    `- **Raw numbers:** \`${file}\``,
    "",
    "| target | goal | measured | |",
    "|---|---|---|---|",
    ...rows.map(([t, g, v, ok]) => `| ${t} | ${g} | ${v} | ${verdict(ok)} |`),
    "",
    `Restore RSS growth: DynamoDB +${f(n("ddbRestoreRssGrowthMB"), 1)} MB, S3 +${f(n("s3RestoreRssGrowthMB"), 1)} MB.`,
    DATA_END,
  ].join("\n");
}

if (process.argv[1]?.endsWith("data.ts")) {
  runDataBench().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
