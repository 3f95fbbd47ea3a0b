#!/usr/bin/env node
/** Command line entry: `aws-backup-emulator [flags]`. */
import { startEmulator } from "./emulator.js";
import { configFromEnv, ConfigError } from "./config.js";

async function main(): Promise<void> {
  let config;
  try {
    config = configFromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`aws-backup-emulator: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const emu = await startEmulator(config);
  console.error(`aws-backup-emulator listening on ${emu.endpoint} (${config.dataDir ? `data in ${config.dataDir}` : "in memory"})`);
  const shutdown = () => {
    void emu.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
