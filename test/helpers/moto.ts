/**
 * moto_server (Python's AWS mock) as a peer emulator for integration tests, when it is
 * installed; `motoAvailable` is false otherwise and those tests skip with a message.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export const motoAvailable = spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;
export const python = (script: string): string => {
  const r = spawnSync("python3", ["-c", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
};
/** Like `python`, without blocking the event loop (an in-process emulator keeps running meanwhile). */
export const pythonAsync = (script: string): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile("python3", ["-c", script], { encoding: "utf8" }, (err, stdout, stderr) => (err ? reject(new Error(`python failed: ${stderr}`)) : resolve(stdout)));
  });
export const boto3Available = spawnSync("python3", ["-c", "import boto3"], { stdio: "ignore" }).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Moto {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const proc: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error("moto_server did not start within 20 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill("SIGTERM");
      }),
  };
}
