/** The raw numbers of one run, as written to bench/results/<timestamp>.json. */
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import type { LoadResult } from "./load-types.js";
import type { ServerId } from "./servers.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
  kernel: string;
}

export interface Settings {
  quick: boolean;
  only: string[];
  rounds: number;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  startupSpawns: number;
  emulatorLogLevel: string;
  autocannon: string;
  moto: string | null;
}

export interface LoadRound extends LoadResult {
  round: number;
  /** Position of this server in the round's order for this scenario (0 = first). */
  position: number;
}

export interface ServerLoad {
  rounds: LoadRound[];
  /** Why this server was not measured in this scenario. */
  skipped?: string;
}

export interface ScenarioRecord {
  title: string;
  note: string;
  servers: Partial<Record<ServerId, ServerLoad>>;
}

export interface MemoryRecord {
  /** VmRSS some seconds after start-up, in bytes. */
  idle: number;
  /** After POST /_emulator/state with the recovery points, once settled. */
  loaded?: number;
  /** VmHWM after the load: the peak while parsing and inserting. */
  loadedPeak?: number;
  loadSeconds?: number;
  recoveryPoints?: number;
}

export interface RunRecord {
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  machine: Machine;
  /** /proc/loadavg before and after: other work on the machine shares its cores. */
  loadAverage: { start: string; end: string };
  settings: Settings;
  notes: string[];
  /** Seconds to load the load servers' state, by server. */
  seedSeconds: Partial<Record<ServerId, number>>;
  seedBytes?: number;
  load: Record<string, ScenarioRecord>;
  startup: Partial<Record<ServerId, { samplesMs: number[] }>>;
  memory: Partial<Record<ServerId, MemoryRecord>>;
  /** startEmulator() called again and again in one process (bench/instances.mjs), ms per call; the first is the process's first. */
  instances?: { samplesMs: number[] };
}

export function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "unknown";
  }
}

export function describeMachine(): Machine {
  let cpu = cpus()[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1]!.trim();
  } catch {
    // not Linux: os.cpus() is the best there is
  }
  let kernel = "";
  try {
    kernel = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  } catch {
    kernel = process.platform;
  }
  return { cpu, cores: cpus().length, memoryBytes: totalmem(), node: process.version, kernel };
}
