/**
 * Where the emulator's time goes under one scenario's load: runs the built emulator (no data folder)
 * with `node --cpu-prof`, drives the scenario from the load-generator process, and prints the
 * functions with the most self time and the packages they belong to.
 *
 *   npx tsx bench/profile.ts [--scenario describe] [--duration 10] [--top 10] [--seed-all]
 *
 * --seed-all loads the state every scenario needs (100,000 recovery points and jobs), as the
 * full benchmark does, instead of the scenario's own.
 *
 * The .cpuprofile is kept in bench/results/tmp/ (ignored by git) for Chrome DevTools or speedscope.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { call, concrete, postState, stateVersion, tokenAfter } from "./lib/client.js";
import { LoadGenerator } from "./lib/load.js";
import { LOAD_SCENARIOS, seedFor, signCycle } from "./lib/scenarios.js";
import { buildDist, launch, ROOT } from "./lib/servers.js";
import { stateDocument } from "./lib/state.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock, the one process.hrtime reads. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per package (node_modules/<name>, the emulator's own code, Node itself). */
/** Self time of the samples taken within `window` (µs, monotonic), i.e. under load only. */
function selfTimes(profile: CpuProfile, window: { from: number; to: number }): { functions: [string, number][]; packages: [string, number][]; busyUs: number; idleUs: number } {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const node = byNode.get(id);
    if (!node || t < window.from || t > window.to) return;
    const { functionName, url, lineNumber } = node.callFrame;
    // Shares are of the time the process was busy: waiting for the next request is not a cost.
    if (functionName === "(idle)") {
      idleUs += dt;
      return;
    }
    busyUs += dt;
    const file = url.replace(/^file:\/\//, "").replace(ROOT, "");
    const key = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + dt);
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const owner = m ? m[1]! : file.startsWith("dist/") ? "emulator (dist/)" : file ? "node internals" : functionName.startsWith("(") ? functionName : "native / V8";
    pkg.set(owner, (pkg.get(owner) ?? 0) + dt);
  });
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { functions: sorted(fn), packages: sorted(pkg), busyUs, idleUs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scenario: { type: "string", default: "describe" }, duration: { type: "string", default: "10" }, top: { type: "string", default: "10" }, "seed-all": { type: "boolean", default: false } } });
  const scenario = LOAD_SCENARIOS.find((s) => s.id === values.scenario);
  if (!scenario) throw new Error(`unknown scenario ${values.scenario} (one of ${LOAD_SCENARIOS.map((s) => s.id).join(", ")})`);
  const problem = buildDist();
  if (problem) process.stderr.write(`warning: ${problem}\n`);

  const work = mkdtempSync(join(tmpdir(), "aws-backup-profile-"));
  const profDir = join(work, "prof");
  const { server } = await launch("emulator-memory", work, undefined, { nodeArgs: ["--cpu-prof", "--cpu-prof-dir", profDir] });
  const load = new LoadGenerator();
  let window = { from: 0, to: Number.MAX_SAFE_INTEGER };
  try {
    await postState(server, stateDocument(await stateVersion(server), seedFor(values["seed-all"] ? LOAD_SCENARIOS : [scenario])));
    const token = scenario.token ? await tokenAfter(server, scenario.token.vault, scenario.token.skip) : undefined;
    const cycle = scenario.cycle(token);
    for (const u of concrete(cycle, "profile-probe")) {
      const r = await call(server, u);
      if (r.status < 200 || r.status > 299) throw new Error(`${u.method} ${u.path} answered ${r.status}: ${r.body.slice(0, 300)}`);
    }
    const requests = await signCycle(cycle, server.host);
    const warmupSeconds = 1;
    const t0 = Number(process.hrtime.bigint() / 1000n);
    const result = await load.run({ url: server.url, connections: 32, warmupSeconds, durationSeconds: Number(values.duration), requests });
    // Only the measured load counts: start-up, loading the state and the warm-up are left out.
    window = { from: t0 + warmupSeconds * 1e6, to: Number(process.hrtime.bigint() / 1000n) };
    process.stdout.write(`${scenario.title}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms (${result.non2xx} non-2xx)\n\n`);
  } finally {
    load.close();
    // SIGTERM: the emulator exits through process.exit, which is when Node writes the profile.
    await server.stop();
  }

  const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no .cpuprofile was written in ${profDir}`);
  const { functions, packages, busyUs, idleUs } = selfTimes(JSON.parse(readFileSync(join(profDir, file), "utf8")) as CpuProfile, window);
  if (busyUs === 0) throw new Error("no profile samples fall within the load: the profile's clock is not the monotonic one here");
  const top = Number(values.top);
  const pct = (us: number) => `${((us / busyUs) * 100).toFixed(1).padStart(5)} %`;
  process.stdout.write(`Top ${top} functions by self time, as a share of the ${(busyUs / 1e6).toFixed(1)} s the process was busy during the measured load (${(idleUs / 1e6).toFixed(1)} s idle left out):\n`);
  for (const [name, us] of functions.slice(0, top)) process.stdout.write(`  ${pct(us)}  ${name}\n`);
  process.stdout.write(`\nSelf time by package:\n`);
  for (const [name, us] of packages.slice(0, top)) process.stdout.write(`  ${pct(us)}  ${name}\n`);

  const keepDir = join(ROOT, "bench/results/tmp");
  mkdirSync(keepDir, { recursive: true });
  const kept = join(keepDir, `${new Date().toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z")}-${scenario.id}.cpuprofile`);
  renameSync(join(profDir, file), kept);
  rmSync(work, { recursive: true, force: true });
  process.stdout.write(`\nprofile: ${kept.replace(ROOT, "")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/profile: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
