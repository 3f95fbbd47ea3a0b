/**
 * The logger: pino, one JSON object per line when output goes to a file or a pipe (for log
 * collectors), human-readable lines through pino-pretty when it goes to a terminal.
 */
import pino, { type Logger } from "pino";

export async function createLogger(level: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Promise<Logger> {
  if (stream.isTTY) {
    // Loaded only for a terminal: servers and CI write JSON.
    const { default: pretty } = await import("pino-pretty");
    return pino({ level }, pretty({ destination: stream, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" }));
  }
  return pino({ level }, pino.destination({ dest: (stream as { fd?: number }).fd ?? 1, sync: false }));
}
