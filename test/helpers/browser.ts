/**
 * A headless Chromium for tests of the dashboard: Debian's `chromium` package driven by
 * playwright-core (Playwright's own browser download is not used). Where the binary is missing,
 * suites skip with `describe.skipIf(!CHROMIUM)`, saying why on the console.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether a browser is there to drive. */
export const CHROMIUM = existsSync(CHROMIUM_PATH);

export function explainMissingChromium(suite: string): void {
  if (!CHROMIUM) console.warn(`[${suite}] skipped: no Chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH).`);
}

/**
 * Flags for a quiet, self-contained run: no sandbox (containers run as root without user
 * namespaces), no GPU, and none of the background traffic a desktop browser makes.
 */
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Each launch gets a fresh temporary profile, removed when the browser closes. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 30_000 });
}
