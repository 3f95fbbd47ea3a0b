#!/usr/bin/env node
/**
 * startEmulator() in one process, again and again: the first call pays for loading and for what
 * is built once per process (route table, schema script, openapi-backend on the first AWS
 * request); the later ones show what an embedding test suite pays per emulator. Prints the
 * milliseconds of each call, as JSON, on stdout.
 *
 *   node bench/instances.mjs [count]
 */
import { startEmulator } from "../dist/src/index.js";

const count = Number(process.argv[2] ?? 10);
const samplesMs = [];
for (let i = 0; i < count; i++) {
  const t0 = performance.now();
  const emu = await startEmulator({ port: 0, host: "127.0.0.1", logLevel: "error" });
  samplesMs.push(performance.now() - t0);
  // One AWS request each, as a test would make, so that nothing is deferred past the measurement.
  await fetch(`${emu.endpoint}/backup-vaults`, { headers: { authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/backup/aws4_request" } }).then((r) => r.text());
  await emu.stop();
}
process.stdout.write(`${JSON.stringify({ samplesMs })}\n`);
