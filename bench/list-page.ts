/**
 * In-process cost of a list page of 100, the HTTP edge left out: the operation as the edge runs
 * it (a read outside a transaction) and its answer's body (protocol/response.ts). Prints CPU
 * time per page for ListRecoveryPointsByBackupVault and ListBackupJobs over 2,000 stored items.
 *
 *   npx tsx bench/list-page.ts [--pages 5000] [--rounds 3]
 */
import { parseArgs } from "node:util";
import { invoke } from "../src/api/invoke.js";
import type { RequestContext } from "../src/api/types.js";
import { startEmulator } from "../src/emulator.js";
import { handlers } from "../src/handlers/index.js";
import { outputBody } from "../src/protocol/response.js";
import type { OperationId } from "../generated/operations.js";
import pino from "pino";

const { values } = parseArgs({ options: { pages: { type: "string", default: "5000" }, rounds: { type: "string", default: "3" } } });
const PAGES = Number(values.pages);
const ROLE = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole";

const emu = await startEmulator({ port: 0, logLevel: "error", jobCompletionDelaySeconds: 0 });
const { store, scheduler, clock, config } = emu;
const ctx: RequestContext = { scope: { accountId: "123456789012", region: "us-east-1" }, store, clock, config, requestId: "bench", log: pino({ level: "silent" }) };
const call = (op: OperationId, input: object) => invoke(op, handlers, input as never, ctx);
store.transaction(() => call("CreateBackupVault", { BackupVaultName: "bench" }));
for (let i = 0; i < 2000; i++) {
  store.transaction(() => call("StartBackupJob", { BackupVaultName: "bench", ResourceArn: `arn:aws:dynamodb:us-east-1:123456789012:table/t${i % 50}`, IamRoleArn: ROLE }));
}
await new Promise((r) => setTimeout(r, 20));
store.transaction(() => scheduler.runDue(clock.now()));

function perPage(op: OperationId, input: object): { us: number; bytes: number } {
  let bytes = 0;
  for (let i = 0; i < 500; i++) bytes = outputBody(call(op, input)).length;
  const before = process.cpuUsage();
  for (let i = 0; i < PAGES; i++) outputBody(call(op, input));
  const used = process.cpuUsage(before);
  return { us: (used.user + used.system) / PAGES, bytes };
}

for (let round = 1; round <= Number(values.rounds); round++) {
  const rp = perPage("ListRecoveryPointsByBackupVault", { BackupVaultName: "bench", MaxResults: 100 });
  const jobs = perPage("ListBackupJobs", { MaxResults: 100 });
  process.stdout.write(
    `round ${round}: ListRecoveryPointsByBackupVault ${rp.us.toFixed(0)} µs CPU per page (${rp.bytes} bytes); ListBackupJobs ${jobs.us.toFixed(0)} µs (${jobs.bytes} bytes)\n`,
  );
}
await emu.stop();
