#!/usr/bin/env node
/** Command line entry: `aws-backup-emulator [flags]` (see --help). */
import { writeSync } from "node:fs";
import { parseCli } from "./cli.js";
import { startEmulator } from "./emulator.js";
import { VERSION } from "./version.js";

async function main(): Promise<void> {
  const parsed = parseCli(process.argv.slice(2), process.env, VERSION);
  if (parsed.kind === "exit") {
    if (parsed.out) process.stdout.write(parsed.out);
    if (parsed.err) process.stderr.write(`${parsed.err}\n`);
    process.exit(parsed.code);
  }
  const { config } = parsed;
  let emu;
  try {
    emu = await startEmulator(config);
  } catch (err) {
    process.stderr.write(`aws-backup-emulator: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const ready = `aws-backup-emulator ${VERSION} listening on ${emu.endpoint} (${config.dataDir ? `state in ${config.dataDir}` : "state discarded on exit"})\n`;
  // Straight to the descriptor: making the process.stderr stream would delay the first answer by milliseconds.
  try {
    writeSync(2, ready);
  } catch {
    process.stderr.write(ready);
  }
  const shutdown = () => {
    void emu.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
