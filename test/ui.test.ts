import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupVaultCommand,
  CreateLegalHoldCommand,
  DescribeRecoveryPointCommand,
  GetBackupPlanCommand,
  PutBackupVaultLockConfigurationCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
  StartScanJobCommand,
} from "@aws-sdk/client-backup";
import type { Browser, Page } from "playwright-core";
import type { DashboardData } from "../src/admin/ui/data.js";
import { ACCOUNT, eventually, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { CHROMIUM, explainMissingChromium, launchChromium } from "./helpers/browser.js";

const SCREENSHOT = "test-output/dashboard.png";
const SCANNER_ROLE = "arn:aws:iam::123456789012:role/GuardDutyMalwareProtectionForBackup";
const DAILY = "cron(0 5 ? * * *)";

const iso = (d: Date | number) => new Date(typeof d === "number" ? d * 1000 : d.getTime()).toISOString();

describe("GET /_emulator/ui", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  it("serves the page, with and without a trailing slash, under a policy that allows no inline script", async () => {
    for (const path of ["/_emulator/ui", "/_emulator/ui/"]) {
      const res = await fetch(`${t.endpoint}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).toContain(`<script type="module" src="/_emulator/ui/dashboard.js">`);
      expect(html).toContain(`href="/_emulator/ui/dashboard.css"`);
    }
  });

  it("serves the script and the style sheet with their types", async () => {
    const js = await fetch(`${t.endpoint}/_emulator/ui/dashboard.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await js.text()).toContain("/_emulator/ui/data");
    const css = await fetch(`${t.endpoint}/_emulator/ui/dashboard.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("serves no other file: unknown names and paths that climb out of the folder are 404", async () => {
    for (const path of ["/_emulator/ui/routes.ts", "/_emulator/ui/data.ts", "/_emulator/ui/..%2Froutes.ts", "/_emulator/ui/constructor"]) {
      const res = await fetch(`${t.endpoint}${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});

describe("GET /_emulator/ui/data", () => {
  let t: TestEmulator;
  const data = async (query = ""): Promise<DashboardData> => (await (await fetch(`${t.endpoint}/_emulator/ui/data${query}`)).json()) as DashboardData;

  beforeAll(async () => {
    t = await startTestEmulator({ jobCompletionDelaySeconds: 3600 });
  });
  afterAll(() => t.stop());

  it("shows the default account and Region, empty, before anything is created", async () => {
    const d = await data();
    expect(d.defaultScope).toEqual({ accountId: ACCOUNT, region: REGION });
    expect(d.available).toEqual([{ accountId: ACCOUNT, region: REGION }]);
    expect(d.scopes[0]).toMatchObject({ accountId: ACCOUNT, region: REGION, vaults: [], plans: [], jobs: [], recoveryPoints: [], legalHolds: [] });
    expect(Math.abs(d.now - t.emu.clock.now())).toBeLessThan(2);
  });

  it("summarizes vaults with their lock, plans with the runs GetBackupPlan previews, and jobs in their current state", async () => {
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault, BackupVaultTags: { team: "storage" } }));
    await c.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: vault, MinRetentionDays: 7, MaxRetentionDays: 365 }));
    const plan = await c.send(
      new CreateBackupPlanCommand({
        BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault, ScheduleExpression: DAILY, Lifecycle: { DeleteAfterDays: 35 } }] },
      }),
    );
    const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 30 } }));

    const s = (await data()).scopes.find((x) => x.accountId === ACCOUNT && x.region === REGION)!;
    expect(s.vaults.find((v) => v.name === vault)).toMatchObject({ lock: "governance", minRetentionDays: 7, maxRetentionDays: 365, recoveryPoints: 0, tags: { team: "storage" } });
    const preview = await c.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId, MaxScheduledRunsPreview: 3 }));
    const summary = s.plans.find((p) => p.id === plan.BackupPlanId)!;
    expect(summary.nextRuns.map((r) => iso(r.at))).toEqual(preview.ScheduledRunsPreview!.map((r) => iso(r.ExecutionTime!)));
    expect(summary.nextRuns.every((r) => r.rule === "daily")).toBe(true);
    expect(s.jobs.find((j) => j.id === job.BackupJobId)).toMatchObject({ kind: "backup", state: "CREATED", vault });
    expect(s.totals.activeJobs.backup).toBe(1);
  });

  it("lists each account and Region on its own, and summarizes only the one asked for", async () => {
    await t.client({ region: "eu-west-1" }).send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault") }));
    const all = await data();
    expect(all.available).toEqual([
      { accountId: ACCOUNT, region: "eu-west-1" },
      { accountId: ACCOUNT, region: REGION },
    ]);
    expect(all.scopes.map((s) => s.region)).toEqual(["eu-west-1", REGION]);
    const one = await data(`?accountId=${ACCOUNT}&region=eu-west-1`);
    expect(one.available).toHaveLength(2);
    expect(one.scopes.map((s) => [s.region, s.totals.vaults])).toEqual([["eu-west-1", 1]]);
  });

  it("bounds each list by limit and still gives the totals", async () => {
    const c = t.client();
    for (let i = 0; i < 3; i++) await c.send(new CreateBackupVaultCommand({ BackupVaultName: uniqueName("vault") }));
    const s = (await data(`?accountId=${ACCOUNT}&region=${REGION}&limit=2`)).scopes[0]!;
    expect(s.vaults).toHaveLength(2);
    expect(s.totals.vaults).toBe(4);
  });
});

// Debian's chromium; without it the browser tests have nothing to drive.
explainMissingChromium("dashboard in a browser");

describe.skipIf(!CHROMIUM)("The dashboard in a browser", () => {
  let t: TestEmulator;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // An hour per job: jobs wait in CREATED until the page's own control moves the clock.
    t = await startTestEmulator({ jobCompletionDelaySeconds: 3600 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // A script error or a blocked resource (CSP) shows as one of these.
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
    });
    await page.goto(`${t.endpoint}/_emulator/ui`);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const row = (attr: string, value: string) => `[data-${attr}="${value}"]`;
  const seen = (selector: string) => page.waitForSelector(selector, { timeout: 10_000 });
  // Polled from here: the page's policy refuses the string evaluation waitForFunction would use.
  const sections = (n: number) => eventually(async () => (await page.locator("section.scope").count()) === n, 10_000);

  it("shows the default account and Region and the emulated clock", async () => {
    await seen(row("scope", `${ACCOUNT}/${REGION}`));
    await seen("#status.live");
    const shown = Date.parse((await page.getAttribute("#clock-now", "datetime"))!) / 1000;
    expect(Math.abs(shown - t.emu.clock.now())).toBeLessThan(3);
  });

  it("shows a vault created through the SDK, then its lock, without a reload", async () => {
    const c = t.client();
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault, BackupVaultTags: { team: "storage", "cost-center": "<b>4711</b>" } }));
    await seen(row("vault", vault));
    await c.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: vault, MinRetentionDays: 7, MaxRetentionDays: 365 }));
    await seen(`${row("vault", vault)} [data-lock="governance"]`);
    expect(await page.textContent(`${row("vault", vault)} [data-field="retention"]`)).toBe("retention 7 – 365 days");
    // Tag text is shown as text.
    expect(await page.textContent(`${row("vault", vault)} .tags`)).toContain("<b>4711</b>");
  });

  it("shows a plan's next scheduled runs, the ones GetBackupPlan previews", async () => {
    const c = t.client();
    const vault = uniqueName("daily");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const plan = await c.send(
      new CreateBackupPlanCommand({
        BackupPlan: {
          BackupPlanName: uniqueName("nightly"),
          Rules: [{ RuleName: "nightly-ebs", TargetBackupVaultName: vault, ScheduleExpression: DAILY, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 } }],
        },
      }),
    );
    const preview = await c.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId, MaxScheduledRunsPreview: 1 }));
    const first = iso(preview.ScheduledRunsPreview![0]!.ExecutionTime!);
    await seen(`${row("plan", plan.BackupPlanId!)} [data-field="next-runs"] time[datetime="${first}"]`);
  });

  it("follows a backup job from CREATED to COMPLETED when the page's control advances the clock, and shows its recovery point's lifecycle", async () => {
    const c = t.client();
    const vault = uniqueName("vault");
    const copies = uniqueName("copies");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const dest = await c.send(new CreateBackupVaultCommand({ BackupVaultName: copies }));
    const job = await c.send(
      new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN, Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 120 } }),
    );
    await seen(`${row("job", job.BackupJobId!)}[data-state="CREATED"]`);

    await page.click(`button[data-advance="3600"]`);
    await seen(`${row("job", job.BackupJobId!)}[data-state="COMPLETED"]`);

    const rp = await c.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn }));
    const point = row("recovery-point", job.RecoveryPointArn!);
    await seen(point);
    expect(await page.textContent(`${point} [data-field="storage-class"] .badge`)).toBe("WARM");
    expect(await page.getAttribute(`${point} [data-field="cold-at"] time`, "datetime")).toBe(iso(rp.CalculatedLifecycle!.MoveToColdStorageAt!));
    expect(await page.getAttribute(`${point} [data-field="delete-at"] time`, "datetime")).toBe(iso(rp.CalculatedLifecycle!.DeleteAt!));
    expect(await page.textContent(`${row("vault", vault)} [data-field="recovery-points"]`)).toBe("1");

    // The other kinds of job, each shown live in its first state.
    const restore = await c.send(new StartRestoreJobCommand({ RecoveryPointArn: job.RecoveryPointArn, Metadata: { volumeType: "gp3" }, IamRoleArn: ROLE_ARN }));
    const copy = await c.send(new StartCopyJobCommand({ RecoveryPointArn: job.RecoveryPointArn, SourceBackupVaultName: vault, DestinationBackupVaultArn: dest.BackupVaultArn, IamRoleArn: ROLE_ARN }));
    const scan = await c.send(
      new StartScanJobCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn, MalwareScanner: "GUARDDUTY", ScanMode: "FULL_SCAN", IamRoleArn: ROLE_ARN, ScannerRoleArn: SCANNER_ROLE }),
    );
    await seen(`${row("job", restore.RestoreJobId!)}[data-kind="restore"]`);
    await seen(`${row("job", copy.CopyJobId!)}[data-kind="copy"]`);
    await seen(`${row("job", scan.ScanJobId!)}[data-kind="scan"]`);
  });

  it("shows legal holds, and the recovery points they cover, with titles as text", async () => {
    const c = t.client();
    const title = `<img src=x onerror="document.title='injected'"> audit 2025`;
    const hold = await c.send(new CreateLegalHoldCommand({ Title: title, Description: "Records for the annual audit" }));
    await seen(`${row("legal-hold", hold.LegalHoldId!)}`);
    expect(await page.textContent(`${row("legal-hold", hold.LegalHoldId!)} [data-field="title"]`)).toBe(title);
    expect(await page.locator("main img").count()).toBe(0);
    expect(await page.title()).toBe("AWS Backup emulator");
    // The recovery point of the previous test existed when the hold was placed, so it is covered.
    await seen(`[data-recovery-point] .badge.hold[title="${hold.LegalHoldId}"]`);
  });

  it("saves a screenshot of the page", async () => {
    mkdirSync("test-output", { recursive: true });
    // Let toasts fade and the last poll land before the picture.
    await page.waitForTimeout(4000);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("shows each account and Region in its own section, and one alone when chosen", async () => {
    const other = { accountId: "111122223333", region: "eu-west-1" };
    const vault = uniqueName("eu");
    await t.client(other).send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    await seen(`${row("scope", `${other.accountId}/${other.region}`)} ${row("vault", vault)}`);
    expect(await page.locator("section.scope").count()).toBe(2);

    await page.selectOption("#scope", `${other.accountId}/${other.region}`);
    await sections(1);
    await seen(`${row("scope", `${other.accountId}/${other.region}`)} ${row("vault", vault)}`);

    await page.selectOption("#scope", "");
    await sections(2);
  });

  it("resets the emulator from its button, after a confirmation", async () => {
    page.once("dialog", (d) => void d.accept());
    await page.click("#reset");
    await page.waitForSelector("[data-vault]", { state: "detached", timeout: 10_000 });
    const d = (await (await fetch(`${t.endpoint}/_emulator/ui/data`)).json()) as DashboardData;
    expect(d.scopes.map((s) => s.totals.vaults)).toEqual([0]);
  });

  it("ran without script errors or blocked resources", () => {
    expect(problems).toEqual([]);
  });
});
