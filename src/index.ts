/**
 * The package's programmatic entry: start the emulator inside a test suite or a program.
 * The surface is deliberately small (the handle has no store or scheduler: the HTTP admin
 * routes are the supported way to reach them), so that internals can change between releases.
 */
import { startEmulator as start } from "./emulator.js";
import type { Emulator, EmulatorOptions } from "./embedding.js";

export type { Emulator, EmulatorOptions } from "./embedding.js";
export { ConfigError, type Config, type Organization } from "./config.js";
export type { StateDocument, ScopedRow } from "./state-format.js";
export type { UnmodeledError } from "./embedding.js";

/**
 * Start an emulator and resolve once it listens. Throws a ConfigError naming the option when an
 * option is unknown or its value is invalid.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await start(options);
  return { endpoint: emu.endpoint, port: emu.port, config: emu.config, stop: () => emu.stop() };
}
