/**
 * The types of the embedding API (src/index.ts), apart from the implementation so that the
 * published declarations stay small: a consumer's compiler reads this file and config.ts only.
 */
import type { Logger } from "pino";
import type { Config } from "./config.js";

/**
 * Every setting of the configuration table, by its camelCase name (unknown names are refused at
 * run time with the nearest valid one), plus a logger.
 */
export type EmulatorOptions = Partial<Config> & {
  /** A pino logger to use instead of one made from `logLevel`. */
  logger?: Logger;
  /**
   * Called when an operation throws a modeled error the model does not list for it (answered
   * as 500 InternalFailure and logged at error level either way); test suites fail on it.
   */
  onUnmodeledError?: (e: UnmodeledError) => void;
};

/** An error an operation answered that its model does not list for it. */
export interface UnmodeledError {
  operation: string;
  error: string;
  message: string;
}

/** A running emulator. */
export interface Emulator {
  /** Where clients point, e.g. http://127.0.0.1:4566 (a wildcard host is given as 127.0.0.1). */
  readonly endpoint: string;
  readonly port: number;
  /** The settings in effect: the options over the defaults. */
  readonly config: Readonly<Config>;
  /** Stop accepting connections, finish requests in flight, close the store. */
  stop(): Promise<void>;
}
