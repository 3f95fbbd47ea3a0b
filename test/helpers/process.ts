/**
 * The emulator as a child process (the command line entry under tsx), for tests that need a
 * real process: restarts, SIGKILL, signals, command-line flags.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface EmulatorProcess {
  proc: ChildProcess;
  endpoint: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

export async function spawnEmulator(args: string[], env: NodeJS.ProcessEnv = {}): Promise<EmulatorProcess> {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--port", "0", "--log-level", "silent", ...args], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  proc.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 20 s: ${err}`)), 20_000);
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        proc.stderr!.off("data", onData);
        resolve(m[1]!);
      }
    };
    proc.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code}) before listening: ${err}`));
    });
  });
  return { proc, endpoint, stderr: () => err, exited };
}
