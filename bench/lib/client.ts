/** Single requests to a server under test, for preparation and checks (not load). */
import type { ServerProcess } from "./servers.js";
import type { Unsigned } from "./scenarios.js";
import { signedHeaders } from "./sign.js";
import { JOB_ACCOUNT } from "./state.js";

export async function call(server: ServerProcess, u: Unsigned): Promise<{ status: number; body: string; closes: boolean }> {
  const headers = await signedHeaders({ method: u.method, path: u.path, ...(u.body !== undefined ? { body: u.body } : {}) }, server.host, u.accessKeyId);
  const res = await fetch(`${server.url}${u.path}`, { method: u.method, headers, ...(u.body !== undefined ? { body: u.body } : {}) });
  return { status: res.status, body: await res.text(), closes: res.headers.get("connection")?.toLowerCase() === "close" };
}

export async function postState(server: ServerProcess, doc: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/_emulator/state`, { method: "POST", headers: { "content-type": "application/json" }, body: doc });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${server.id}: POST /_emulator/state answered ${res.status}: ${text.slice(0, 500)}`);
  return (performance.now() - t0) / 1000;
}

export async function stateVersion(server: ServerProcess): Promise<number> {
  const res = await fetch(`${server.url}/_emulator/state`);
  const doc = (await res.json()) as { version?: unknown };
  if (typeof doc.version !== "number") throw new Error(`${server.id}: GET /_emulator/state has no version`);
  return doc.version;
}

/** The NextToken after `skip` items, read by paging with the largest page the model allows. */
export async function tokenAfter(server: ServerProcess, vault: string, skip: number): Promise<string> {
  let seen = 0;
  let token: string | undefined;
  while (seen < skip) {
    const size = Math.min(1000, skip - seen);
    const path = `/backup-vaults/${vault}/recovery-points?maxResults=${size}${token ? `&nextToken=${encodeURIComponent(token)}` : ""}`;
    const { status, body } = await call(server, { method: "GET", path });
    const page = JSON.parse(body) as { RecoveryPoints?: unknown[]; NextToken?: string };
    if (status !== 200 || !page.NextToken) throw new Error(`${server.id}: paging ${vault} stopped after ${seen} items (status ${status})`);
    seen += page.RecoveryPoints?.length ?? 0;
    token = page.NextToken;
  }
  return token!;
}

/** Let an emulator finish the backup jobs StartBackupJob left running, then freeze it again. */
export async function drainJobs(server: ServerProcess): Promise<void> {
  server.resume();
  try {
    const deadline = performance.now() + 120_000;
    for (;;) {
      let open = 0;
      for (const state of ["CREATED", "PENDING", "RUNNING"]) {
        const { body } = await call(server, { method: "GET", path: `/backup-jobs?state=${state}&maxResults=1`, accessKeyId: JOB_ACCOUNT });
        open += ((JSON.parse(body) as { BackupJobs?: unknown[] }).BackupJobs ?? []).length;
      }
      if (open === 0) return;
      if (performance.now() > deadline) throw new Error(`${server.id}: backup jobs still open after 120 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    server.pause();
  }
}

/** The cycle with `{{n}}` made concrete, for a one-off check before the load. */
export const concrete = (cycle: Unsigned[], n: string): Unsigned[] =>
  cycle.map((u) => ({ ...u, path: u.path.replaceAll("{{n}}", n), ...(u.body !== undefined ? { body: u.body.replaceAll("{{n}}", n) } : {}) }));
