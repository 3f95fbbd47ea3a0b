/**
 * The servers under test, each started as its own child process on 127.0.0.1: the built
 * emulator without and with a data folder, the bare node:http ceiling, and moto_server when installed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signedHeaders } from "./sign.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type ServerId = "emulator-memory" | "emulator-disk" | "bare" | "moto";
export const SERVER_IDS: readonly ServerId[] = ["emulator-memory", "emulator-disk", "bare", "moto"];

export const SERVER_LABELS: Record<ServerId, string> = {
  "emulator-memory": "emulator (no DATA_DIR)",
  "emulator-disk": "emulator (--data-dir)",
  bare: "bare node:http",
  moto: "moto_server",
};

/**
 * Requests the servers log nothing for, so that the numbers are the request pipeline's; a log
 * line per request (the emulator's default `info`) would be measured as well otherwise.
 */
export const EMULATOR_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "error";

export interface LaunchOptions {
  port: number;
  /** Where the emulator keeps its state (emulator-disk) and every server writes its stderr. */
  workDir: string;
  /** Bodies for the bare server (see bare-server.mjs). */
  rulesFile?: string;
  /** Extra node flags for the emulator, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/**
 * `npm run build` (incremental: seconds when nothing changed), so that what is measured is the
 * current source as built, never tsx. Returns a warning when the build reported errors but
 * emitted (tsc does, and others may be mid-change in files a benchmark run does not own).
 */
export function buildDist(): string | undefined {
  const r = spawnSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status === 0) return undefined;
  if (!existsSync(join(ROOT, "dist/bundle/main.mjs"))) throw new Error("npm run build failed and there is no dist/bundle/main.mjs to measure");
  return "npm run build reported errors; dist/ was measured as emitted.";
}

/** The moto_server executable, with pyenv's shim resolved (its bash wrapper would be timed as start-up). */
export function findMoto(): string | undefined {
  const which = spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" });
  const path = which.stdout.trim();
  if (which.status !== 0 || !path) return undefined;
  if (path.includes("/shims/")) {
    const real = spawnSync("pyenv", ["which", "moto_server"], { encoding: "utf8" });
    const resolved = real.stdout.trim();
    if (real.status === 0 && resolved && existsSync(resolved)) return resolved;
  }
  return path;
}

function command(id: ServerId, o: LaunchOptions, moto: string | undefined): { cmd: string; args: string[] } {
  const node = process.execPath;
  switch (id) {
    case "emulator-memory":
      return { cmd: node, args: [...(o.nodeArgs ?? []), "dist/bundle/main.mjs", "--port", String(o.port), "--log-level", EMULATOR_LOG_LEVEL] };
    case "emulator-disk":
      return { cmd: node, args: [...(o.nodeArgs ?? []), "dist/bundle/main.mjs", "--port", String(o.port), "--log-level", EMULATOR_LOG_LEVEL, "--data-dir", join(o.workDir, "data")] };
    case "bare":
      return { cmd: node, args: ["bench/bare-server.mjs", "--port", String(o.port), ...(o.rulesFile ? ["--rules", o.rulesFile] : [])] };
    case "moto":
      if (!moto) throw new Error("moto_server is not installed");
      return { cmd: moto, args: ["-H", "127.0.0.1", "-p", String(o.port)] };
  }
}

/** The request that proves a server is up: the emulator's health route, or a real call for moto, which has none. */
export async function readinessRequest(id: ServerId, host: string): Promise<{ path: string; headers: Record<string, string> }> {
  if (id === "moto") {
    const path = "/backup-vaults";
    return { path, headers: await signedHeaders({ method: "GET", path }, host) };
  }
  return { path: "/_emulator/health", headers: {} };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** One GET; resolves with the status, or 0 when the connection is refused or reset. */
export function httpStatus(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve(0));
    });
    req.on("error", () => resolve(0));
    req.end();
  });
}

export class ServerProcess {
  readonly proc: ChildProcess;
  readonly exited: Promise<number | string>;
  private readonly logFile: string;
  private paused = false;

  constructor(
    readonly id: ServerId,
    readonly port: number,
    o: LaunchOptions,
    moto: string | undefined,
  ) {
    const { cmd, args } = command(id, o, moto);
    this.logFile = join(o.workDir, `${id}-${port}.log`);
    const log = createWriteStream(this.logFile);
    this.proc = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // A file, not our event loop, takes the output: moto logs every request.
    this.proc.stdout!.pipe(log);
    this.proc.stderr!.pipe(log);
    this.exited = new Promise((resolve) => this.proc.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get url(): string {
    return `http://${this.host}`;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  log(): string {
    try {
      return readFileSync(this.logFile, "utf8");
    } catch {
      return "";
    }
  }

  /**
   * Polls until the readiness request answers 200; resolves with the milliseconds since `since`
   * (performance.now() taken just before spawning). A poll every 2 ms keeps the measurement
   * fine-grained at a negligible cost for the starting server.
   */
  async ready(since: number, probe: { path: string; headers: Record<string, string> }, timeoutMs = 60_000): Promise<number> {
    let exit: number | string | undefined;
    void this.exited.then((c) => (exit = c));
    for (;;) {
      if (exit !== undefined) throw new Error(`${this.id} exited (${exit}) before answering:\n${this.log().slice(-2000)}`);
      const status = await httpStatus(this.port, probe.path, probe.headers);
      if (status === 200) return performance.now() - since;
      if (performance.now() - since > timeoutMs) throw new Error(`${this.id} did not answer 200 within ${timeoutMs / 1000} s (last status ${status}):\n${this.log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Resident set size in bytes (VmRSS), and its peak (VmHWM). */
  memory(): { rss: number; peak: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb("VmRSS"), peak: kb("VmHWM") };
  }

  /** Freeze the process, so that a server not under test takes no CPU (timers, queued work). */
  pause(): void {
    if (this.paused) return;
    this.proc.kill("SIGSTOP");
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.proc.kill("SIGCONT");
    this.paused = false;
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.resume();
    this.proc.kill("SIGTERM");
    const timer = setTimeout(() => this.proc.kill("SIGKILL"), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Spawn a server on a free port and wait until it answers; returns it with its start-up time in ms. */
export async function launch(
  id: ServerId,
  workDir: string,
  moto: string | undefined,
  extra: Pick<LaunchOptions, "rulesFile" | "nodeArgs"> = {},
): Promise<{ server: ServerProcess; startupMs: number }> {
  const port = await freePort();
  // Signed before the clock starts: the signing is the client's work, not the server's start-up.
  const probe = await readinessRequest(id, `127.0.0.1:${port}`);
  const since = performance.now();
  const server = new ServerProcess(id, port, { port, workDir, ...extra }, moto);
  try {
    const startupMs = await server.ready(since, probe);
    return { server, startupMs };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
