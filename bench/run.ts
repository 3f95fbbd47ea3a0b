/**
 * `npm run bench`: the emulator side by side with a bare node:http server (the ceiling) and
 * moto_server (the usual alternative), each in its own process, loaded by autocannon from a
 * third one. Rounds are interleaved (every server once per scenario per round, the order
 * rotating), so drift of the machine spreads over all servers instead of favouring one.
 *
 *   npm run bench                       full run (3 rounds × 4 s), writes bench/RESULTS.md
 *   BENCH_QUICK=1 npm run bench         smoke run (1 round × 2 s)
 *   npm run bench -- --only describe    one scenario (comma-separated ids or prefixes)
 *   npm run bench -- --only data        the data plane benchmark alone (same as npm run bench:data)
 *
 * Raw numbers go to bench/results/<timestamp>.json; RESULTS.md is rewritten by full runs only,
 * so a smoke run never replaces the recorded results.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LoadGenerator } from "./lib/load.js";
import type { RequestSpec } from "./lib/load-types.js";
import { describeMachine, loadAverage, type RunRecord, type ServerLoad, type Settings } from "./lib/record.js";
import { renderMarkdown } from "./lib/report.js";
import { LARGE, LOAD_SCENARIOS, OTHER_SCENARIOS, seedFor, signCycle, type LoadScenario } from "./lib/scenarios.js";
import { buildDist, findMoto, launch, ROOT, SERVER_IDS, SERVER_LABELS, EMULATOR_LOG_LEVEL, type ServerId, type ServerProcess } from "./lib/servers.js";
import { call, concrete, drainJobs, postState, stateVersion, tokenAfter } from "./lib/client.js";
import { summarize } from "./lib/stats.js";
import { stateDocument, VAULTS } from "./lib/state.js";
import { dataSectionOf, withDataSection } from "./lib/data-section.js";

const CONNECTIONS = 32;

function options(): { settings: Omit<Settings, "autocannon" | "moto" | "emulatorLogLevel">; full: boolean } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      only: { type: "string", multiple: true },
      rounds: { type: "string" },
      duration: { type: "string" },
      render: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    const ids = [...LOAD_SCENARIOS.map((s) => s.id), ...OTHER_SCENARIOS];
    process.stdout.write(
      `usage: npm run bench -- [--only ID[,ID…]] [--rounds N] [--duration SECONDS]\n` +
        `       npm run bench -- --render bench/results/<file>.json   (rewrite RESULTS.md from recorded numbers)\n` +
        `  scenarios: ${ids.join(", ")} (a prefix selects several, e.g. list-rp)\n  BENCH_QUICK=1: 1 round of 2 s\n`,
    );
    process.exit(0);
  }
  if (values.render) {
    // The report is a function of the raw numbers: a change to it needs no new run.
    const file = values.render;
    const md = renderMarkdown(JSON.parse(readFileSync(file, "utf8")) as RunRecord, relative(ROOT, resolve(file)));
    const results = join(ROOT, "bench/RESULTS.md");
    writeFileSync(results, withDataSection(md, dataSectionOf(results)));
    process.stdout.write(md);
    process.exit(0);
  }
  const quick = process.env.BENCH_QUICK === "1" || process.env.BENCH_QUICK === "true";
  const only = (values.only ?? []).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  const num = (raw: string | undefined, fallback: number, name: string) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
    return n;
  };
  const rounds = Math.round(num(values.rounds, quick ? 1 : 3, "--rounds"));
  // 4 s, not 5: 26 measurements × 3 rounds must fit the 10-minute budget with the preparation.
  const durationSeconds = num(values.duration, quick ? 2 : 4, "--duration");
  return {
    settings: { quick, only, rounds, durationSeconds, warmupSeconds: quick ? 0.5 : 1, connections: CONNECTIONS, startupSpawns: quick ? 2 : 5 },
    // Only a run of everything with the default rounds and durations may replace RESULTS.md.
    full: !quick && only.length === 0 && values.rounds === undefined && values.duration === undefined,
  };
}

const selected = (only: string[], id: string) => only.length === 0 || only.some((o) => id === o || id.startsWith(o));

function log(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

interface BareRule {
  method: string;
  path: string;
  match: "exact" | "prefix";
  status: number;
  body: string;
}

async function main(): Promise<void> {
  const started = new Date();
  const { settings: base, full } = options();
  // The data plane has its own benchmark (bench/data.ts), runnable from here too.
  if (base.only.length === 1 && base.only[0] === "data") return (await import("./data.js")).runDataBench();
  const notes: string[] = [];
  const moto = findMoto();
  const autocannonVersion = (JSON.parse(readFileSync(join(ROOT, "node_modules/autocannon/package.json"), "utf8")) as { version: string }).version;
  const settings: Settings = { ...base, emulatorLogLevel: EMULATOR_LOG_LEVEL, autocannon: autocannonVersion, moto: moto ?? null };
  if (!moto) notes.push("moto_server is not installed (no `moto_server` on PATH): its rows are skipped.");
  notes.push("Other work may share the machine's 2 cores during a run (see the load averages): absolute numbers move with it, which is why every goal is a ratio against the bare server measured in the same interleaved rounds.");

  // Scenarios that leave work behind go last in a round (see LoadScenario.leavesJobs).
  const scenarios = LOAD_SCENARIOS.filter((s) => selected(settings.only, s.id)).sort((a, b) => Number(a.leavesJobs ?? false) - Number(b.leavesJobs ?? false));
  const doStartup = selected(settings.only, "startup");
  const doMemory = selected(settings.only, "memory");
  const doInstances = selected(settings.only, "instances");
  if (scenarios.length === 0 && !doStartup && !doMemory && !doInstances) throw new Error(`--only ${settings.only.join(",")} matches no scenario (see --help)`);

  log("building (npm run build)…");
  const buildProblem = buildDist();
  if (buildProblem) {
    notes.push(buildProblem);
    log(`warning: ${buildProblem}`);
  }

  const record: RunRecord = {
    startedAt: started.toISOString(),
    finishedAt: "",
    wallSeconds: 0,
    machine: describeMachine(),
    loadAverage: { start: loadAverage(), end: "" },
    settings,
    notes,
    seedSeconds: {},
    load: {},
    startup: {},
    memory: {},
  };
  const work = mkdtempSync(join(tmpdir(), "aws-backup-bench-"));
  const running = new Set<ServerProcess>();
  let load: LoadGenerator | undefined;
  const available = (id: ServerId) => id !== "moto" || moto !== undefined;
  /** A fresh folder per launch: an emulator on --data-dir must not find an earlier run's database. */
  let launches = 0;
  const start = async (id: ServerId, rules?: string) => {
    const dir = join(work, `s${launches++}`);
    mkdirSync(dir);
    const r = await launch(id, dir, moto, rules ? { rulesFile: rules } : {});
    running.add(r.server);
    return r;
  };
  const stop = async (s: ServerProcess) => {
    await s.stop();
    running.delete(s);
  };
  const cleanup = async () => {
    load?.close();
    await Promise.all([...running].map((s) => s.stop()));
    rmSync(work, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));

  try {
    // ── Start-up: spawn → first 200, interleaved like the load rounds. Done first, on a quiet machine.
    if (doStartup) {
      const ids = SERVER_IDS.filter(available);
      for (const id of ids) record.startup[id] = { samplesMs: [] };
      for (let i = 0; i < settings.startupSpawns; i++) {
        for (let k = 0; k < ids.length; k++) {
          const id = ids[(i + k) % ids.length]!;
          const { server, startupMs } = await start(id);
          record.startup[id]!.samplesMs.push(startupMs);
          await stop(server);
        }
      }
      log(`start-up: ${ids.map((id) => `${id} ${summarize(record.startup[id]!.samplesMs).median.toFixed(0)} ms`).join(", ")}`);
    }

    // ── startEmulator() in process: the first instance and the ones after it, in a fresh process.
    if (doInstances) {
      const r = spawnSync(process.execPath, ["bench/instances.mjs", String(settings.quick ? 5 : 21)], { cwd: ROOT, encoding: "utf8" });
      if (r.status !== 0) notes.push(`startEmulator() in process was not measured: ${r.stderr.split("\n")[0]}`);
      else record.instances = JSON.parse(r.stdout) as { samplesMs: number[] };
      if (record.instances) log(`startEmulator(): first ${record.instances.samplesMs[0]!.toFixed(1)} ms, later median ${summarize(record.instances.samplesMs.slice(1)).median.toFixed(1)} ms`);
    }

    // ── Memory: idle, then with 100,000 recovery points loaded (emulators only).
    if (doMemory) {
      const ids = SERVER_IDS.filter(available);
      const procs = new Map<ServerId, ServerProcess>();
      for (const id of ids) procs.set(id, (await start(id)).server);
      // Start-up garbage is still on the heap at first; idle means after it settled.
      await new Promise((r) => setTimeout(r, 3000));
      for (const [id, p] of procs) record.memory[id] = { idle: p.memory().rss };
      const emulators = ids.filter((id) => id.startsWith("emulator"));
      if (emulators.length > 0) {
        const doc = stateDocument(await stateVersion(procs.get(emulators[0]!)!), { rpLarge: LARGE });
        await Promise.all(
          emulators.map(async (id) => {
            const seconds = await postState(procs.get(id)!, doc);
            Object.assign(record.memory[id]!, { loadSeconds: seconds, recoveryPoints: LARGE });
          }),
        );
        // V8 keeps the heap it grew to parse the document (measured: RSS stays at its peak for
        // 20 s and more), so a longer wait would change nothing; a short one lets the process settle.
        await new Promise((r) => setTimeout(r, 2000));
        for (const id of emulators) {
          const m = procs.get(id)!.memory();
          Object.assign(record.memory[id]!, { loaded: m.rss, loadedPeak: m.peak });
        }
      }
      for (const p of procs.values()) await stop(p);
      log(`memory: ${ids.map((id) => `${id} ${(record.memory[id]!.idle / 2 ** 20).toFixed(0)} MB${record.memory[id]!.loaded ? ` → ${(record.memory[id]!.loaded! / 2 ** 20).toFixed(0)} MB` : ""}`).join(", ")}`);
    }

    if (scenarios.length > 0) {
      // ── Preparation: the emulators get their state, the bare server the emulator's bodies.
      const wanted = new Set(scenarios.flatMap((s) => s.servers).filter(available));
      const servers = new Map<ServerId, ServerProcess>();
      const emulators = (["emulator-memory", "emulator-disk"] as const).filter((id) => wanted.has(id) || (id === "emulator-memory" && wanted.has("bare")));
      for (const id of emulators) servers.set(id, (await start(id)).server);
      const reference = servers.get("emulator-memory");
      if (!reference) throw new Error("the load scenarios need the in-memory emulator (it also supplies the bare server's bodies)");
      const seed = seedFor(scenarios);
      const t0 = performance.now();
      const doc = stateDocument(await stateVersion(reference), seed);
      record.seedBytes = Buffer.byteLength(doc);
      log(`seed document: ${(record.seedBytes / 2 ** 20).toFixed(0)} MB built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      // Both at once: each load is mostly one core's work, and this machine has two.
      await Promise.all(
        emulators.map(async (id) => {
          record.seedSeconds[id] = await postState(servers.get(id)!, doc);
          log(`${id}: state loaded in ${record.seedSeconds[id]!.toFixed(1)} s`);
        }),
      );

      // Middle-page tokens, per emulator (the bare server is given the in-memory one's paths).
      const tokens = new Map<string, string>();
      for (const s of scenarios) {
        if (!s.token) continue;
        for (const id of emulators) tokens.set(`${s.id}/${id}`, await tokenAfter(servers.get(id)!, s.token.vault, s.token.skip));
      }
      const tokenFor = (s: LoadScenario, id: ServerId) => (s.token ? tokens.get(`${s.id}/${id === "bare" || id === "moto" ? "emulator-memory" : id}`) : undefined);

      // Check every cycle once on the in-memory emulator; its answers become the bare server's.
      const rules: BareRule[] = [];
      const failures = new Map<string, string>();
      const closing = new Set<ServerId>();
      let probe = 0;
      const check = async (s: LoadScenario, id: ServerId, keep?: BareRule[]) => {
        const server = servers.get(id)!;
        const cycle = s.cycle(tokenFor(s, id));
        const concreteCycle = concrete(cycle, `probe-${probe++}`);
        for (let i = 0; i < cycle.length; i++) {
          const { status, body, closes } = await call(server, concreteCycle[i]!);
          if (closes) closing.add(id);
          if (status < 200 || status > 299) {
            failures.set(`${s.id}/${id}`, `${cycle[i]!.method} ${cycle[i]!.path} answered ${status}: ${body.slice(0, 300)}`);
            return;
          }
          const templated = cycle[i]!.path.indexOf("{{n}}");
          keep?.push({ method: cycle[i]!.method, path: templated >= 0 ? cycle[i]!.path.slice(0, templated) : cycle[i]!.path, match: templated >= 0 ? "prefix" : "exact", status, body });
        }
      };
      for (const s of scenarios) await check(s, "emulator-memory", rules);
      const rulesFile = join(work, "bare-rules.json");
      writeFileSync(rulesFile, JSON.stringify(rules));
      if (wanted.has("bare")) servers.set("bare", (await start("bare", rulesFile)).server);
      if (wanted.has("moto")) {
        const m = (await start("moto")).server;
        servers.set("moto", m);
        const made = await call(m, { method: "PUT", path: `/backup-vaults/${VAULTS.describe}`, body: JSON.stringify({ CreatorRequestId: "bench" }) });
        if (made.status !== 200) throw new Error(`moto: CreateBackupVault answered ${made.status}: ${made.body.slice(0, 300)}`);
      }
      for (const s of scenarios) for (const id of s.servers) if (id !== "emulator-memory" && servers.has(id)) await check(s, id);
      for (const id of closing) {
        notes.push(`${SERVER_LABELS[id]} closes the connection after every answer, so its load opens a new connection per request (a node:http loop with ${settings.connections} in flight; autocannon miscounts such servers).`);
      }

      // Signed request cycles per scenario and server.
      const jobs = new Map<string, RequestSpec[]>();
      for (const s of scenarios) {
        record.load[s.id] = { title: s.title, note: s.note, servers: {} };
        for (const id of s.servers) {
          const rec: ServerLoad = { rounds: [] };
          record.load[s.id]!.servers[id] = rec;
          const server = servers.get(id);
          if (!server) {
            rec.skipped = id === "moto" ? "moto_server is not installed" : "not started";
            continue;
          }
          const failed = failures.get(`${s.id}/${id}`);
          if (failed) {
            rec.skipped = failed;
            notes.push(`${s.title} on ${id} was not measured: ${failed}`);
            log(`warning: ${s.id} on ${id}: ${failed}`);
            continue;
          }
          jobs.set(`${s.id}/${id}`, await signCycle(s.cycle(tokenFor(s, id)), server.host));
        }
      }

      // ── Rounds. Only the server under test runs; the others are frozen (SIGSTOP), so queued
      // work such as piled-up backup jobs completes on its own server's time, not another's.
      for (const s of servers.values()) s.pause();
      load = new LoadGenerator();
      for (let round = 0; round < settings.rounds; round++) {
        for (const [k, s] of scenarios.entries()) {
          const ids = s.servers.filter((id) => jobs.has(`${s.id}/${id}`));
          for (let pos = 0; pos < ids.length; pos++) {
            const id = ids[(round + k + pos) % ids.length]!;
            const server = servers.get(id)!;
            server.resume();
            try {
              const result = await load.run({
                url: server.url,
                connections: settings.connections,
                // A fresh process needs its JIT warmed; a resumed one only needs to catch up.
                warmupSeconds: round === 0 ? settings.warmupSeconds : settings.warmupSeconds / 2,
                durationSeconds: settings.durationSeconds,
                requests: jobs.get(`${s.id}/${id}`)!,
                connectionPerRequest: closing.has(id),
              });
              record.load[s.id]!.servers[id]!.rounds.push({ ...result, round, position: pos });
              const bad = result.non2xx + result.errors;
              log(
                `round ${round + 1}/${settings.rounds} ${s.id.padEnd(20)} ${id.padEnd(16)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms${bad ? `  (${result.non2xx} non-2xx, ${result.errors} errors)` : ""}`,
              );
            } catch (err) {
              // One failed measurement (a crashed server, say) should not cost the rest of the run.
              const note = `round ${round + 1}, ${s.title} on ${SERVER_LABELS[id]}: ${(err as Error).message.split("\n")[0]}`;
              notes.push(note);
              log(`warning: ${note}`);
            } finally {
              server.pause();
            }
          }
        }
        if (scenarios.some((s) => s.leavesJobs)) {
          const emus = [...servers.values()].filter((s) => s.id.startsWith("emulator"));
          const t0 = performance.now();
          await Promise.all(emus.map((s) => drainJobs(s)));
          log(`round ${round + 1}: piled-up backup jobs finished in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
      }
    }
  } finally {
    await cleanup();
  }

  const finished = new Date();
  record.finishedAt = finished.toISOString();
  record.loadAverage.end = loadAverage();
  record.wallSeconds = (finished.getTime() - started.getTime()) / 1000;
  const resultsDir = join(ROOT, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${record.startedAt.replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  const md = renderMarkdown(record, `bench/results/${file.split("/").pop()}`);
  // The data plane section comes from its own run (npm run bench:data) and is kept.
  if (full) writeFileSync(join(ROOT, "bench/RESULTS.md"), withDataSection(md, dataSectionOf(join(ROOT, "bench/RESULTS.md"))));
  process.stdout.write(md);
  log(`raw numbers: ${file}`);
  log(full ? "bench/RESULTS.md rewritten" : "partial or quick run: bench/RESULTS.md left as it was");
  log(`done in ${record.wallSeconds.toFixed(0)} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
