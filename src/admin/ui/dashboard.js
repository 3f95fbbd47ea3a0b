/**
 * The dashboard's script: polls GET /_emulator/ui/data and redraws. Plain ES module, run by the
 * browser as written (no build step). Every value from the emulator reaches the page as a text
 * node or an attribute value, never as markup: names, tags and titles are whatever clients sent.
 *
 * The shapes it reads are DashboardData and its parts in data.ts.
 */

const DATA_URL = "/_emulator/ui/data";
/** Often enough to watch jobs move; each poll is a request the emulator logs at info. */
const POLL_MS = 2000;
/** Relative times ("in 3 h") age even when nothing changes: redraw at least this often. */
const REDRAW_MS = 10_000;
const SCOPE_KEY = "backup-emulator.scope";

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

const els = {
  status: $("status"),
  clockNow: $("clock-now"),
  clockOffset: $("clock-offset"),
  clockNext: $("clock-next"),
  advanceForm: /** @type {HTMLFormElement} */ ($("advance")),
  advanceAmount: /** @type {HTMLInputElement} */ ($("advance-amount")),
  advanceUnit: /** @type {HTMLSelectElement} */ ($("advance-unit")),
  reset: /** @type {HTMLButtonElement} */ ($("reset")),
  scope: /** @type {HTMLSelectElement} */ ($("scope")),
  content: $("content"),
  toast: $("toast"),
};

/** @type {any} the last DashboardData received */
let data;
/** performance.now() when `data` arrived, to run the clock between polls. */
let receivedAt = 0;
let lastKey = "";
let lastDrawn = 0;
/** @type {Promise<void> | undefined} */
let inflight;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let pollTimer;

// ---------- building DOM without markup ----------

/**
 * An element with attributes and children. Strings become text nodes; attribute names come from
 * this file only, values may come from the emulator (setAttribute does not parse them).
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs]
 * @param {...unknown} children
 * @returns {HTMLElement}
 */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** @param {Node} el @param {unknown[]} children */
function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// ---------- formatting ----------

/** @param {number} n @param {string} one @param {string} [many] */
const plural = (n, one, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "2 d 3 h", "5 m", "12 s": the two largest units. @param {number} seconds */
function span(seconds) {
  const s = Math.round(Math.abs(seconds));
  if (s < MINUTE) return `${s} s`;
  if (s < HOUR) return `${Math.floor(s / MINUTE)} m`;
  if (s < DAY) {
    const m = Math.floor((s % HOUR) / MINUTE);
    return `${Math.floor(s / HOUR)} h${m ? ` ${m} m` : ""}`;
  }
  const hours = Math.floor((s % DAY) / HOUR);
  return `${Math.floor(s / DAY)} d${hours ? ` ${hours} h` : ""}`;
}

/** @param {number} t @param {number} now */
function relative(t, now) {
  const d = t - now;
  if (Math.abs(d) < 1) return "now";
  return d > 0 ? `in ${span(d)}` : `${span(d)} ago`;
}

/** @param {number} t epoch seconds */
const iso = (t) => new Date(t * 1000).toISOString();
/** "2025-06-01 12:00:00" (UTC, the zone AWS timestamps are read in). @param {number} t */
const utc = (t) => iso(t).slice(0, 19).replace("T", " ");

/**
 * A point in emulated time: absolute UTC, and how far from the emulator's now.
 * @param {number | undefined} t
 */
function when(t) {
  if (t === undefined || t === null) return h("span", { class: "muted" }, "—");
  return h("time", { datetime: iso(t), title: iso(t) }, utc(t), h("small", null, relative(t, data.now)));
}

/** The readable end of an ARN (after the last ":" or "/"), the whole ARN on hover. @param {string | undefined} arn */
function shortArn(arn) {
  if (!arn) return h("span", { class: "muted" }, "—");
  const tail = arn.slice(Math.max(arn.lastIndexOf(":"), arn.lastIndexOf("/")) + 1) || arn;
  return h("code", { title: arn }, tail);
}

/** Colour by meaning, not by kind: done, in progress, failed, other. @param {string} state */
function stateClass(state) {
  if (["COMPLETED", "ACTIVE", "AVAILABLE", "NO_THREATS_FOUND"].includes(state)) return "ok";
  if (["CREATED", "PENDING", "RUNNING", "CREATING", "ABORTING", "CANCELING", "DELETING"].includes(state)) return "busy";
  if (["FAILED", "ABORTED", "EXPIRED", "THREATS_FOUND"].includes(state)) return "bad";
  if (["PARTIAL", "STOPPED", "COMPLETED_WITH_ISSUES"].includes(state)) return "warn";
  return "plain";
}

/** @param {string} text @param {string} [cls] @param {Record<string, unknown>} [attrs] */
const badge = (text, cls = stateClass(text), attrs = {}) => h("span", { class: `badge ${cls}`, ...attrs }, text);

/** @param {Record<string, string>} tags */
function tagList(tags) {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return null;
  return h(
    "div",
    { class: "tags" },
    entries.map(([k, v]) => h("span", { class: "tag", title: `${k}=${v}` }, h("b", null, k), v === "" ? null : ` ${v}`)),
  );
}

/** @param {number | undefined} cold @param {number | undefined} del */
function lifecycleText(cold, del) {
  const parts = [];
  if (cold !== undefined) parts.push(`cold after ${plural(cold, "day")}`);
  if (del !== undefined) parts.push(`delete after ${plural(del, "day")}`);
  return parts.length ? parts.join(" · ") : "kept until deleted";
}

// ---------- sections ----------

/**
 * A titled panel with a table, or a line saying why it is empty.
 * @param {{ title: string, id: string, count: number, shown: number, note?: Node | string | null,
 *           head: string[], rows: HTMLElement[], empty: string }} p
 * A heading ending in "#" heads a column of numbers (aligned right, shown without the "#").
 */
function panel(p) {
  const more = p.count > p.shown ? h("p", { class: "more" }, `Showing ${p.shown.toLocaleString("en-US")} of ${p.count.toLocaleString("en-US")} (open /_emulator/ui?limit=${Math.min(500, p.count)} for more).`) : null;
  return h(
    "section",
    { class: "panel", "data-panel": p.id },
    h("header", null, h("h3", null, p.title, h("span", { class: "count" }, p.count.toLocaleString("en-US"))), p.note ?? null),
    p.rows.length
      ? h("div", { class: "table-wrap" }, h("table", null, h("thead", null, h("tr", null, p.head.map((c) => (c.endsWith("#") ? h("th", { class: "num" }, c.slice(0, -1)) : h("th", null, c))))), h("tbody", null, p.rows)))
      : h("p", { class: "empty" }, p.empty),
    more,
  );
}

/** @param {any} v a VaultSummary */
function vaultRow(v) {
  const min = v.minRetentionDays;
  const max = v.maxRetentionDays;
  const bounds =
    min !== undefined && max !== undefined
      ? `${min} – ${plural(max, "day")}`
      : min !== undefined
        ? `at least ${plural(min, "day")}`
        : max !== undefined
          ? `at most ${plural(max, "day")}`
          : null;
  const lock = {
    none: badge("Unlocked", "plain"),
    governance: badge("Governance", "warn"),
    "compliance-grace": badge("Compliance (grace)", "warn"),
    compliance: badge("Compliance", "bad"),
  }[/** @type {"none"} */ (v.lock)];
  const lockDetail =
    v.lock === "compliance-grace" ? ["immutable from ", when(v.lockDate)] : v.lock === "compliance" ? ["since ", when(v.lockDate)] : null;
  return h(
    "tr",
    { "data-vault": v.name },
    h("td", null, h("div", { class: "name" }, v.name), v.type !== "BACKUP_VAULT" ? h("div", { class: "sub" }, v.type) : null, tagList(v.tags)),
    h("td", null, badge(v.state)),
    h("td", { "data-field": "lock", "data-lock": v.lock }, lock, bounds ? h("div", { class: "sub", "data-field": "retention" }, "retention ", bounds) : null, lockDetail ? h("div", { class: "sub" }, lockDetail) : null),
    h("td", { class: "num", "data-field": "recovery-points" }, v.recoveryPoints.toLocaleString("en-US")),
    h("td", null, when(v.created)),
  );
}

/** @param {any} p a PlanSummary */
function planRow(p) {
  const rules = p.rules.map((/** @type {any} */ r) =>
    h(
      "li",
      null,
      h("span", { class: "name" }, r.name),
      " → ",
      h("span", null, r.vault),
      h("div", { class: "sub" }, r.schedule ? h("code", null, r.schedule) : "on demand", r.timezone && r.timezone !== "Etc/UTC" ? ` ${r.timezone}` : null, r.continuous ? " · continuous" : null, " · ", lifecycleText(r.moveToColdStorageAfterDays, r.deleteAfterDays)),
    ),
  );
  const runs = p.scheduleProblem
    ? h("span", { class: "bad-text" }, p.scheduleProblem)
    : p.nextRuns.length
      ? h("ol", { class: "runs" }, p.nextRuns.map((/** @type {any} */ r) => h("li", null, when(r.at), h("span", { class: "sub" }, r.rule))))
      : h("span", { class: "muted" }, "no schedule");
  return h(
    "tr",
    { "data-plan": p.id },
    h("td", null, h("div", { class: "name" }, p.name), h("div", { class: "sub" }, shortArn(p.id)), tagList(p.tags)),
    h("td", null, h("ul", { class: "rules" }, rules)),
    h("td", { "data-field": "next-runs" }, runs),
    h("td", null, when(p.lastExecution)),
  );
}

/** @param {any} j a JobSummary */
function jobRow(j) {
  const progress = j.percentDone !== undefined && j.state !== "COMPLETED" ? h("span", { class: "sub" }, ` ${j.percentDone}%`) : null;
  return h(
    "tr",
    { "data-job": j.id, "data-kind": j.kind, "data-state": j.state },
    h("td", null, badge(j.kind, `kind-${j.kind}`)),
    h("td", null, h("code", { title: j.id }, j.id)),
    h("td", { "data-field": "state" }, badge(j.state), progress, j.statusMessage ? h("div", { class: "sub" }, j.statusMessage) : null),
    h("td", null, j.resourceType ? h("div", null, j.resourceType) : null, h("div", { class: "sub" }, shortArn(j.resourceArn))),
    h("td", null, j.vault ?? h("span", { class: "muted" }, "—"), j.target ? h("div", { class: "sub" }, "→ ", shortArn(j.target)) : null),
    h("td", null, when(j.created)),
    h("td", null, when(j.completed)),
  );
}

/** @param {any} rp a RecoveryPointSummary @param {Map<string, string>} holdTitles */
function recoveryPointRow(rp, holdTitles) {
  return h(
    "tr",
    { "data-recovery-point": rp.arn },
    h("td", null, shortArn(rp.arn), h("div", { class: "sub" }, "created ", when(rp.created))),
    h("td", null, rp.vault),
    h("td", null, h("div", null, rp.resourceType), h("div", { class: "sub" }, shortArn(rp.resourceArn))),
    h("td", null, badge(rp.status)),
    h("td", { "data-field": "storage-class" }, badge(rp.storageClass, rp.storageClass === "COLD" ? "cold" : "plain"), h("div", { class: "sub" }, lifecycleText(rp.moveToColdStorageAfterDays, rp.deleteAfterDays))),
    h("td", { "data-field": "cold-at" }, when(rp.moveToColdStorageAt)),
    h("td", { "data-field": "delete-at" }, when(rp.deleteAt)),
    h("td", null, rp.heldBy.length ? rp.heldBy.map((/** @type {string} */ id) => badge(holdTitles.get(id) ?? id, "hold", { title: id })) : h("span", { class: "muted" }, "—")),
  );
}

/** @param {any} lh a LegalHoldSummary */
function legalHoldRow(lh) {
  const sel = [];
  if (lh.vaults?.length) sel.push(h("div", null, "vaults: ", lh.vaults.join(", ")));
  if (lh.resources?.length) sel.push(h("div", null, "resources: ", lh.resources.map(shortArn)));
  if (lh.from !== undefined || lh.to !== undefined) sel.push(h("div", null, "created ", when(lh.from), " to ", when(lh.to)));
  return h(
    "tr",
    { "data-legal-hold": lh.id },
    h("td", null, h("div", { class: "name", "data-field": "title" }, lh.title), lh.description ? h("div", { class: "sub" }, lh.description) : null),
    h("td", null, badge(lh.status)),
    h("td", { class: "selection" }, sel.length ? sel : h("span", { class: "muted" }, "all recovery points")),
    h("td", null, when(lh.created)),
    h("td", null, lh.cancelled !== undefined ? when(lh.cancelled) : h("span", { class: "muted" }, "—"), lh.retainRecordUntil !== undefined ? h("div", { class: "sub" }, "record kept until ", when(lh.retainRecordUntil)) : null),
  );
}

/** @param {any} s a ScopeSummary */
function scopeSection(s) {
  const t = s.totals;
  const kinds = /** @type {const} */ (["backup", "restore", "copy", "scan"]);
  const totalJobs = kinds.reduce((n, k) => n + t.jobs[k], 0);
  const activeJobs = kinds.reduce((n, k) => n + t.activeJobs[k], 0);
  const holdTitles = new Map(s.legalHolds.map((/** @type {any} */ lh) => [lh.id, lh.title]));
  const jobNote = h(
    "div",
    { class: "kinds" },
    kinds.map((k) => h("span", { class: "kind-count" }, badge(k, `kind-${k}`), ` ${t.jobs[k].toLocaleString("en-US")}`, t.activeJobs[k] ? h("b", null, ` (${t.activeJobs[k]} active)`) : null)),
  );

  return h(
    "section",
    { class: "scope", "data-scope": `${s.accountId}/${s.region}` },
    h(
      "header",
      { class: "scope-head" },
      h("h2", null, "Account ", h("span", { class: "mono" }, s.accountId), h("span", { class: "region" }, s.region)),
      h(
        "div",
        { class: "stats" },
        stat("Vaults", t.vaults),
        stat("Backup plans", t.plans),
        stat("Recovery points", t.recoveryPoints),
        stat("Jobs", totalJobs, activeJobs ? `${activeJobs} active` : undefined),
        stat("Legal holds", t.legalHolds),
      ),
    ),
    h(
      "div",
      { class: "grid" },
      panel({
        title: "Vaults",
        id: "vaults",
        count: t.vaults,
        shown: s.vaults.length,
        head: ["Vault", "State", "Lock", "Recovery points#", "Created"],
        rows: s.vaults.map(vaultRow),
        empty: "No vaults yet (CreateBackupVault).",
      }),
      panel({
        title: "Backup plans",
        id: "plans",
        count: t.plans,
        shown: s.plans.length,
        head: ["Plan", "Rules", "Next runs", "Last run"],
        rows: s.plans.map(planRow),
        empty: "No backup plans yet (CreateBackupPlan).",
      }),
      panel({
        title: "Jobs",
        id: "jobs",
        count: totalJobs,
        shown: s.jobs.length,
        note: jobNote,
        head: ["Kind", "Job", "State", "Resource", "Vault → target", "Created", "Completed"],
        rows: s.jobs.map(jobRow),
        empty: "No jobs yet (StartBackupJob, StartRestoreJob, StartCopyJob, StartScanJob, or a plan's schedule).",
      }),
      panel({
        title: "Recovery points",
        id: "recovery-points",
        count: t.recoveryPoints,
        shown: s.recoveryPoints.length,
        head: ["Recovery point", "Vault", "Resource", "Status", "Storage", "Cold storage at", "Delete at", "Legal holds"],
        rows: s.recoveryPoints.map((/** @type {any} */ rp) => recoveryPointRow(rp, holdTitles)),
        empty: "No recovery points yet: they appear when backup jobs complete.",
      }),
      panel({
        title: "Legal holds",
        id: "legal-holds",
        count: t.legalHolds,
        shown: s.legalHolds.length,
        head: ["Title", "Status", "Covers", "Created", "Cancelled"],
        rows: s.legalHolds.map(legalHoldRow),
        empty: "No legal holds (CreateLegalHold).",
      }),
    ),
  );
}

/** @param {string} label @param {number} n @param {string} [sub] */
function stat(label, n, sub) {
  return h("div", { class: "stat" }, h("span", { class: "stat-n" }, n.toLocaleString("en-US")), h("span", { class: "stat-label" }, label), sub ? h("span", { class: "stat-sub" }, sub) : null);
}

// ---------- header: clock, scope choice, status ----------

/** The emulated clock runs at real speed between polls. */
function drawClock() {
  if (!data) return;
  const now = data.now + (performance.now() - receivedAt) / 1000;
  els.clockNow.textContent = `${utc(now)} UTC`;
  els.clockNow.setAttribute("datetime", iso(now));
  els.clockOffset.textContent = data.offsetSeconds >= 1 ? `${span(data.offsetSeconds)} ahead of real time` : "real time";
  els.clockNext.textContent = data.nextWorkAt === null ? "no scheduled work" : `next scheduled work ${relative(data.nextWorkAt, now)}`;
}

function drawScopeChoice() {
  const wanted = ["", ...data.available.map((/** @type {any} */ s) => `${s.accountId}/${s.region}`)];
  const have = [...els.scope.options].map((o) => o.value);
  if (wanted.join("|") === have.join("|")) return;
  const selected = els.scope.value || localStorage.getItem(SCOPE_KEY) || "";
  els.scope.replaceChildren();
  append(els.scope, [
    h("option", { value: "" }, `All (${plural(data.available.length, "account and Region", "accounts and Regions")})`),
    data.available.map((/** @type {any} */ s) => h("option", { value: `${s.accountId}/${s.region}` }, `${s.accountId} · ${s.region}`)),
  ]);
  els.scope.value = wanted.includes(selected) ? selected : "";
}

/** @param {"live" | "down"} kind @param {string} text */
function setStatus(kind, text) {
  els.status.className = `status ${kind}`;
  els.status.textContent = text;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;
/** @param {string} text @param {boolean} [error] */
function toast(text, error = false) {
  els.toast.textContent = text;
  els.toast.className = `show${error ? " error" : ""}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (els.toast.className = ""), error ? 8000 : 3500);
}

// ---------- polling ----------

function draw() {
  drawClock();
  drawScopeChoice();
  // Redraw the content only when it changed (or relative times need refreshing), so reading or
  // selecting text is not interrupted on every poll.
  const { now: _now, offsetSeconds: _offset, nextWorkAt: _next, ...content } = data;
  const key = JSON.stringify(content);
  if (key === lastKey && performance.now() - lastDrawn < REDRAW_MS) return;
  lastKey = key;
  lastDrawn = performance.now();
  els.content.replaceChildren(...data.scopes.map(scopeSection));
}

function refresh() {
  if (inflight) return inflight;
  const params = new URLSearchParams();
  // The page's own ?limit= (items per list) passes through to the data it asks for.
  const limit = new URLSearchParams(location.search).get("limit");
  if (limit) params.set("limit", limit);
  const [accountId, region] = (els.scope.value || "").split("/");
  if (accountId && region) params.set("accountId", accountId), params.set("region", region);
  inflight = (async () => {
    try {
      const res = await fetch(`${DATA_URL}?${params}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      data = await res.json();
      receivedAt = performance.now();
      draw();
      setStatus("live", `Live · updated ${new Date().toLocaleTimeString("en-GB")}`);
    } catch (err) {
      setStatus("down", `Emulator unreachable (${err instanceof Error ? err.message : String(err)}), retrying…`);
    } finally {
      inflight = undefined;
    }
  })();
  return inflight;
}

/**
 * One poll, then the next is timed from its end. `fresh` (after a control changed something):
 * a request already under way may predate the change, so let it land and ask again.
 * @param {boolean} [fresh]
 */
async function poll(fresh = false) {
  clearTimeout(pollTimer);
  if (fresh && inflight) await inflight;
  // A hidden tab does not poll; it catches up when shown again (visibilitychange).
  if (!document.hidden) await refresh();
  // Cleared again: another poll may have armed a timer meanwhile, and one loop is enough.
  clearTimeout(pollTimer);
  pollTimer = setTimeout(poll, POLL_MS);
}

// ---------- controls ----------

/**
 * POST to an emulator route and return its JSON body; throws with the route's own message.
 * @param {string} path @param {unknown} [body]
 */
async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: body === undefined ? "" : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.message ?? `HTTP ${res.status}`);
  return json;
}

/** @param {number} seconds */
async function advance(seconds) {
  const buttons = els.advanceForm.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  try {
    const r = await post("/_emulator/clock", { advanceSeconds: seconds });
    toast(`Clock advanced ${span(seconds)}: ${plural(r.workPerformed ?? 0, "scheduled item")} performed.`);
    await poll(true);
  } catch (err) {
    toast(`The clock did not move: ${err instanceof Error ? err.message : String(err)}`, true);
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

els.advanceForm.addEventListener("click", (e) => {
  const target = /** @type {HTMLElement} */ (e.target);
  const seconds = target.closest("button")?.dataset.advance;
  if (seconds) void advance(Number(seconds));
});

els.advanceForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const amount = Number(els.advanceAmount.value);
  if (!(amount > 0)) return toast("Give a positive amount to advance the clock by.", true);
  void advance(Math.round(amount * Number(els.advanceUnit.value)));
});

els.reset.addEventListener("click", async () => {
  if (!confirm("Reset the emulator? Every vault, plan, job and recovery point of every account and Region is deleted.")) return;
  els.reset.disabled = true;
  try {
    await post("/_emulator/reset");
    lastKey = "";
    toast("The emulator was reset.");
    await poll(true);
  } catch (err) {
    toast(`Reset failed: ${err instanceof Error ? err.message : String(err)}`, true);
  } finally {
    els.reset.disabled = false;
  }
});

els.scope.addEventListener("change", () => {
  localStorage.setItem(SCOPE_KEY, els.scope.value);
  lastKey = "";
  void poll(true);
});

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) void poll();
});

// Ask for the scope chosen last time from the first poll on (the full list arrives with it).
const remembered = localStorage.getItem(SCOPE_KEY);
if (remembered) {
  els.scope.appendChild(h("option", { value: remembered }, remembered.replace("/", " · ")));
  els.scope.value = remembered;
}
setInterval(drawClock, 250);
void poll();
