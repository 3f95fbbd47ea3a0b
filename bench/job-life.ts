/**
 * In-process cost of a backup job over its life, the HTTP edge left out: StartBackupJob as the
 * edge runs it (one transaction, due work first, the idempotent reply recorded), then its
 * RUNNING and COMPLETED steps, which later requests' transactions perform. Prints CPU time per
 * job for the request alone (a completion delay too long to be reached) and for the whole life.
 *
 *   npx tsx bench/job-life.ts [--jobs 10000] [--rounds 3]
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { invoke } from "../src/api/invoke.js";
import type { RequestContext } from "../src/api/types.js";
import { startEmulator } from "../src/emulator.js";
import { handlers } from "../src/handlers/index.js";
import pino from "pino";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "10000" }, rounds: { type: "string", default: "3" } } });
const JOBS = Number(values.jobs);
const ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole";

/** CPU µs per job for JOBS jobs, after 3,000 to warm up, with the given completion delay. */
async function perJob(delaySeconds: number): Promise<number> {
  const emu = await startEmulator({ port: 0, logLevel: "error", jobCompletionDelaySeconds: delaySeconds });
  const { store, scheduler, clock, config } = emu;
  const scope = { accountId: "123456789012", region: "us-east-1" };
  const ctx: RequestContext = { scope, store, clock, config, requestId: "bench", log: pino({ level: "silent" }) };
  // As the edge runs a request: due work, then the operation in a savepoint, in one transaction.
  const request = <T>(fn: () => T): T =>
    store.transaction(() => {
      scheduler.runDue(clock.now());
      return store.transaction(fn);
    });
  request(() => invoke("CreateBackupVault", handlers, { BackupVaultName: "bench" }, ctx));
  const start = (i: number) =>
    request(() =>
      invoke("StartBackupJob", handlers, { BackupVaultName: "bench", ResourceArn: `arn:aws:dynamodb:us-east-1:123456789012:table/t${i % 50}`, IamRoleArn: ROLE, IdempotencyToken: randomUUID() }, ctx),
    );
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 20));
    request(() => undefined);
  };
  for (let i = 0; i < 3000; i++) start(i);
  await settle();
  const before = process.cpuUsage();
  for (let i = 0; i < JOBS; i++) {
    start(i);
    // Let the clock move on now and then, as it does between requests.
    if (i % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  await settle();
  const used = process.cpuUsage(before);
  await emu.stop();
  return (used.user + used.system) / JOBS;
}

for (let round = 1; round <= Number(values.rounds); round++) {
  const requestOnly = await perJob(1e6);
  const wholeLife = await perJob(0.004);
  process.stdout.write(`round ${round}: StartBackupJob request ${requestOnly.toFixed(0)} µs CPU per job; whole life (start, RUNNING, COMPLETED with its recovery point) ${wholeLife.toFixed(0)} µs\n`);
}
