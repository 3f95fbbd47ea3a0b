/**
 * bench/RESULTS.md from a run's raw numbers: the targets first (they are the headline), then a
 * table per scenario, start-up and memory. Every figure is a median over rounds; the spread
 * (min–max) says how far to trust it.
 */
import type { LoadRound, MemoryRecord, RunRecord } from "./record.js";
import { SERVER_IDS, SERVER_LABELS, type ServerId } from "./servers.js";
import { summarize, type Summary } from "./stats.js";

const MB = 2 ** 20;
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en") : "–");
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");
// Enough digits that a value beside its goal (29.6× vs ≥ 30×) never reads as the goal itself.
const ratio = (n: number) => (!Number.isFinite(n) ? "–" : n >= 100 ? `${n.toFixed(0)}×` : n >= 10 ? `${n.toFixed(1)}×` : `${n.toFixed(2)}×`);
const mb = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? `${(n / MB).toFixed(0)} MB` : "–");

interface LoadSummary {
  rps: Summary;
  p50: Summary;
  p99: Summary;
  non2xx: number;
  errors: number;
}

function loadSummary(rounds: readonly LoadRound[]): LoadSummary {
  return {
    rps: summarize(rounds.map((r) => r.rps)),
    p50: summarize(rounds.map((r) => r.p50)),
    p99: summarize(rounds.map((r) => r.p99)),
    non2xx: rounds.reduce((a, r) => a + r.non2xx, 0),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
  };
}

function scenarioSummary(rec: RunRecord, scenario: string, server: ServerId): LoadSummary | undefined {
  const rounds = rec.load[scenario]?.servers[server]?.rounds;
  return rounds && rounds.length > 0 ? loadSummary(rounds) : undefined;
}

interface Target {
  what: string;
  goal: string;
  measured: string;
  pass: boolean | undefined;
}

function targets(rec: RunRecord): Target[] {
  const out: Target[] = [];
  const rps = (s: string, id: ServerId) => scenarioSummary(rec, s, id)?.rps.median ?? NaN;
  const verdict = (value: number, ok: (v: number) => boolean) => (Number.isFinite(value) ? ok(value) : undefined);
  const vsBare = (s: string, id: ServerId, title: string, min: number) => {
    const r = rps(s, id) / rps(s, "bare");
    out.push({ what: `${title}, ${SERVER_LABELS[id]}: throughput vs bare`, goal: `≥ ${min.toFixed(2)}×`, measured: `${ratio(r)} (${int(rps(s, id))} / ${int(rps(s, "bare"))} req/s)`, pass: verdict(r, (v) => v >= min) });
  };

  for (const id of ["emulator-memory", "emulator-disk"] as const) {
    if (!rec.load.describe) break;
    vsBare("describe", id, "DescribeBackupVault", 0.4);
    const p99 = scenarioSummary(rec, "describe", id)?.p99.median ?? NaN;
    out.push({ what: `DescribeBackupVault, ${SERVER_LABELS[id]}: p99 at ${rec.settings.connections} connections`, goal: "≤ 10 ms", measured: `${ms(p99)} ms`, pass: verdict(p99, (v) => v <= 10) });
    const m = rps("describe", id) / rps("describe", "moto");
    out.push({ what: `DescribeBackupVault, ${SERVER_LABELS[id]}: throughput vs moto`, goal: "≥ 30×", measured: Number.isFinite(m) ? `${ratio(m)} (${int(rps("describe", id))} / ${int(rps("describe", "moto"))} req/s)` : "moto not measured", pass: verdict(m, (v) => v >= 30) });
  }
  if (rec.load["create-delete"]) {
    vsBare("create-delete", "emulator-memory", "CreateBackupVault + DeleteBackupVault", 0.3);
    vsBare("create-delete", "emulator-disk", "CreateBackupVault + DeleteBackupVault", 0.2);
  }
  if (rec.load["start-backup-job"]) vsBare("start-backup-job", "emulator-memory", "StartBackupJob", 0.25);
  // The bare server answers these with the emulator's own body, so the ratio is the cost of making the page.
  for (const s of ["list-rp-1k-first", "list-rp-100k-first", "list-rp-100k-middle"]) {
    if (rec.load[s]) vsBare(s, "emulator-memory", `ListRecoveryPointsByBackupVault (${rec.load[s]!.title.split(", ")[1]}, 100 per page)`, 0.25);
  }

  // In a closed loop the mean time per request is connections / throughput, so the ratio of the
  // time of a page is the inverse ratio of throughputs (and unlike p50, not rounded to a bucket).
  for (const id of ["emulator-memory", "emulator-disk"] as const) {
    for (const where of ["first", "middle"] as const) {
      const small = rps(`list-rp-1k-${where}`, id);
      const large = rps(`list-rp-100k-${where}`, id);
      if (!rec.load[`list-rp-1k-${where}`] || !rec.load[`list-rp-100k-${where}`]) continue;
      const r = small / large;
      const c = rec.settings.connections;
      out.push({
        what: `ListRecoveryPointsByBackupVault ${where} page, ${SERVER_LABELS[id]}: time of a page from 100,000 vs from 1,000`,
        goal: "≤ 2×",
        measured: `${ratio(r)} (${ms((c / large) * 1000)} vs ${ms((c / small) * 1000)} ms per request)`,
        pass: verdict(r, (v) => v <= 2),
      });
    }
  }

  const startup = (id: ServerId) => summarize(rec.startup[id]?.samplesMs ?? []).median;
  if (rec.startup["emulator-memory"]) {
    for (const id of ["emulator-memory", "emulator-disk"] as const) {
      const r = startup(id) / startup("bare");
      out.push({ what: `Start-up (spawn → first 200), ${SERVER_LABELS[id]} vs bare`, goal: "≤ 2.0×", measured: `${ratio(r)} (${int(startup(id))} / ${int(startup("bare"))} ms)`, pass: verdict(r, (v) => v <= 2.0) });
    }
  }
  const mem = (id: ServerId): MemoryRecord | undefined => rec.memory[id];
  if (mem("emulator-memory")) {
    for (const id of ["emulator-memory", "emulator-disk"] as const) {
      const r = (mem(id)?.idle ?? NaN) / (mem("bare")?.idle ?? NaN);
      out.push({ what: `Idle RSS, ${SERVER_LABELS[id]} vs a bare Node process`, goal: "≤ 1.4×", measured: `${ratio(r)} (${mb(mem(id)?.idle)} / ${mb(mem("bare")?.idle)})`, pass: verdict(r, (v) => v <= 1.4) });
    }
    for (const id of ["emulator-memory", "emulator-disk"] as const) {
      const m = mem(id);
      const added = (m?.loaded ?? NaN) - (m?.idle ?? NaN);
      out.push({ what: `RSS added by 100,000 recovery points, ${SERVER_LABELS[id]}`, goal: "≤ 150 MB", measured: `${mb(added)} (${mb(m?.idle)} → ${mb(m?.loaded)}; peak ${mb(m?.loadedPeak)})`, pass: verdict(added, (v) => v <= 150 * MB) });
    }
  }
  if (rec.instances && rec.instances.samplesMs.length > 1) {
    const later = summarize(rec.instances.samplesMs.slice(1));
    out.push({
      what: "startEmulator() in process, second and later instances",
      goal: "≤ 10 ms",
      measured: `${ms(later.median)} ms median (${ms(later.min)}–${ms(later.max)}; the first: ${ms(rec.instances.samplesMs[0]!)} ms)`,
      pass: verdict(later.median, (v) => v <= 10),
    });
  }
  return out;
}

export function renderMarkdown(rec: RunRecord, rawFile: string): string {
  const s = rec.settings;
  const m = rec.machine;
  const lines: string[] = [];
  const ts = targets(rec);
  const passed = ts.filter((t) => t.pass === true).length;
  const failed = ts.filter((t) => t.pass === false).length;

  lines.push(
    "# Benchmark results",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. How it measures: bench/README.md and the comments in bench/run.ts.",
    "",
    `- **Machine:** ${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB RAM, Linux ${m.kernel}, Node ${m.node}`,
    `- **Date:** ${rec.startedAt.slice(0, 16).replace("T", " ")} UTC; the whole run took ${Math.floor(rec.wallSeconds / 60)} min ${Math.round(rec.wallSeconds % 60)} s`,
    `- **Load average** (1, 5, 15 min) at start ${rec.loadAverage.start}, at end ${rec.loadAverage.end}: anything above 0 is other work sharing the ${m.cores} cores.`,
    `- **Method:** ${s.rounds} round${s.rounds > 1 ? "s" : ""} × ${s.durationSeconds} s per scenario and server (after ${s.warmupSeconds} s of warm-up${s.rounds > 1 ? ` in the first round, ${s.warmupSeconds / 2} s in later ones` : ""}), ${s.connections} connections, autocannon ${s.autocannon} in its own process; servers interleaved (the order rotates each round; servers not under test are paused with SIGSTOP). The emulator runs as built and bundled (\`node dist/bundle/main.mjs\`, log level \`${s.emulatorLogLevel}\`). Every request carries an SDK-like header set with a SigV4 Authorization header.`,
    `- **Servers:** ${SERVER_IDS.map((id) => `${SERVER_LABELS[id]}`).join(", ")}${s.moto ? ` (${s.moto})` : " (moto_server not installed: skipped)"}.`,
    `- **Raw numbers:** \`${rawFile}\`${s.quick ? " (quick run)" : ""}${s.only.length ? ` (only: ${s.only.join(", ")})` : ""}`,
    "",
    `## Targets: ${passed} pass, ${failed} fail${ts.length - passed - failed ? `, ${ts.length - passed - failed} not measured` : ""}`,
    "",
    "| target | goal | measured | |",
    "|---|---|---|---|",
    ...ts.map((t) => `| ${t.what} | ${t.goal} | ${t.measured} | ${t.pass === undefined ? "n/a" : t.pass ? "PASS" : "**FAIL**"} |`),
    "",
    "## Throughput and latency",
    "",
    "Medians over rounds; spread is the lowest and highest round. Latencies are of 2xx answers, at 10 µs resolution. Ratios are of median throughputs.",
    "",
  );

  for (const [id, sc] of Object.entries(rec.load)) {
    const bare = scenarioSummary(rec, id, "bare")?.rps.median ?? NaN;
    const moto = scenarioSummary(rec, id, "moto")?.rps.median ?? NaN;
    lines.push(`### ${sc.title}`, "", sc.note, "", "| server | req/s | spread | p50 ms | p99 ms (spread) | × bare | × moto | non-2xx / errors |", "|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const server of SERVER_IDS) {
      const entry = sc.servers[server];
      if (!entry) continue;
      if (entry.skipped !== undefined || entry.rounds.length === 0) {
        lines.push(`| ${SERVER_LABELS[server]} | skipped: ${(entry.skipped ?? "no rounds").replace(/\|/g, "\\|").replace(/\n/g, " ")} | | | | | | |`);
        continue;
      }
      const l = loadSummary(entry.rounds);
      lines.push(
        `| ${SERVER_LABELS[server]} | ${int(l.rps.median)} | ${int(l.rps.min)}–${int(l.rps.max)} | ${ms(l.p50.median)} | ${ms(l.p99.median)} (${ms(l.p99.min)}–${ms(l.p99.max)}) | ${server === "bare" ? "1" : ratio(l.rps.median / bare)} | ${server === "moto" ? "1" : ratio(l.rps.median / moto)} | ${l.non2xx} / ${l.errors} |`,
      );
    }
    lines.push("");
  }

  if (Object.keys(rec.startup).length > 0) {
    const bare = summarize(rec.startup.bare?.samplesMs ?? []).median;
    lines.push(
      "## Start-up",
      "",
      "From spawn to the first 200 answer (GET /_emulator/health; for moto, which has no such route, ListBackupVaults), polled every 2 ms; median of the spawns. The emulator on disk starts on a new, empty folder each time.",
      "",
      "| server | median | spread | spawns | × bare |",
      "|---|---:|---:|---:|---:|",
    );
    for (const id of SERVER_IDS) {
      const st = rec.startup[id];
      if (!st) continue;
      const sm = summarize(st.samplesMs);
      lines.push(`| ${SERVER_LABELS[id]} | ${int(sm.median)} ms | ${int(sm.min)}–${int(sm.max)} ms | ${sm.n} | ${id === "bare" ? "1" : ratio(sm.median / bare)} |`);
    }
    lines.push("");
  }

  if (rec.instances) {
    const later = summarize(rec.instances.samplesMs.slice(1));
    lines.push(
      "## startEmulator() in process",
      "",
      `bench/instances.mjs: ${rec.instances.samplesMs.length} emulators started one after another in one fresh process (\`startEmulator({ port: 0 })\` from dist/src, each answering one AWS request and stopped before the next). The first pays for what is built once per process.`,
      "",
      "| instance | ms |",
      "|---|---:|",
      `| first | ${ms(rec.instances.samplesMs[0]!)} |`,
      `| later (median, ${later.n}) | ${ms(later.median)} (${ms(later.min)}–${ms(later.max)}) |`,
      "",
    );
  }

  if (Object.keys(rec.memory).length > 0) {
    const bare = rec.memory.bare?.idle ?? NaN;
    lines.push(
      "## Memory",
      "",
      "Resident set size (VmRSS from /proc/<pid>/status) 3 s after start-up, then 2 s after POST /_emulator/state with 100,000 recovery points (a document of about 80 MB); the peak is VmHWM. The document is streamed: rows are parsed as they arrive and staged in SQLite's temporary database, then loaded in one transaction, so \"added\" is mostly what V8 and SQLite's page caches grew to while loading.",
      "",
      "| server | idle RSS | × bare | with 100,000 recovery points | added | peak while loading | load time |",
      "|---|---:|---:|---:|---:|---:|---:|",
    );
    for (const id of SERVER_IDS) {
      const r = rec.memory[id];
      if (!r) continue;
      const loaded = r.loaded !== undefined;
      lines.push(
        `| ${SERVER_LABELS[id]} | ${mb(r.idle)} | ${id === "bare" ? "1" : ratio(r.idle / bare)} | ${loaded ? mb(r.loaded) : "–"} | ${loaded ? mb(r.loaded! - r.idle) : "–"} | ${loaded ? mb(r.loadedPeak) : "–"} | ${r.loadSeconds !== undefined ? `${r.loadSeconds.toFixed(1)} s` : "–"} |`,
      );
    }
    lines.push("");
  }

  const seeded = Object.entries(rec.seedSeconds);
  if (seeded.length > 0 || rec.notes.length > 0) {
    lines.push("## Notes", "");
    if (seeded.length > 0) {
      lines.push(`- The load servers' state (${rec.seedBytes ? `${(rec.seedBytes / MB).toFixed(0)} MB` : "a"} state document) loaded through POST /_emulator/state in ${seeded.map(([id, t]) => `${t.toFixed(1)} s (${SERVER_LABELS[id as ServerId]})`).join(", ")}.`);
    }
    for (const n of rec.notes) lines.push(`- ${n}`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
