/** The package's programmatic entry: start the emulator inside a test suite or a program. */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./emulator.js";
export { settings, defaultConfig, type Config, type Organization } from "./config.js";
export type { UnmodeledError } from "./protocol/errors.js";
