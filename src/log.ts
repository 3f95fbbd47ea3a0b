/**
 * The logger: pino, one JSON object per line when output goes to a file or a pipe (for log
 * collectors), human-readable lines through pino-pretty when it goes to a terminal.
 */
import pino, { type Logger } from "pino";
import { isatty } from "node:tty";

/**
 * Without a stream, standard output by its file descriptor: process.stdout is not touched unless
 * it is a terminal, as making that stream object costs several milliseconds of start-up.
 */
export async function createLogger(level: string, stream?: NodeJS.WritableStream & { isTTY?: boolean }): Promise<Logger> {
  if (stream ? stream.isTTY : isatty(1)) {
    // Loaded only for a terminal: servers and CI write JSON.
    const { default: pretty } = await import("pino-pretty");
    return pino({ level }, pretty({ destination: stream ?? process.stdout, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" }));
  }
  return pino({ level }, pino.destination({ dest: (stream as { fd?: number } | undefined)?.fd ?? 1, sync: false }));
}
