/**
 * `npm run docs:config`: writes the configuration table of README.md (environment variables,
 * flags and startEmulator options, between the `<!-- config:start -->` and `<!-- config:end -->`
 * markers) from src/config.ts, so the documented settings cannot drift from the real ones;
 * test/docs.test.ts checks it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { settings, type SettingSpec } from "../src/config.js";
import { ROOT } from "./model-files.js";

export function configTable(): string {
  const rows = (Object.entries(settings) as [string, SettingSpec<unknown>][]).map(([option, s]) => {
    const env = s.env.map((e, i) => (i === 0 ? `\`${e}\`` : `\`${e}\` (alias)`)).join("<br>");
    const flag = [s.flag, ...(s.flagAliases ?? [])].map((f, i) => `\`--${f}${s.arg ? ` ${s.arg}` : ""}\`${i === 0 ? "" : " (alias)"}`).join("<br>");
    const def = s.default === undefined ? "—" : `\`${String(s.default)}\``;
    return `| ${env} | ${flag} | \`${option}\` | ${def} | ${s.doc.replace(/\|/g, "\\|")} |`;
  });
  return ["| Environment variable | Flag | `startEmulator` option | Default | What it does |", "|---|---|---|---|---|", ...rows].join("\n");
}

export function withConfigTable(readme: string): string {
  const start = "<!-- config:start -->";
  const end = "<!-- config:end -->";
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) throw new Error("README.md lacks the <!-- config:start --> / <!-- config:end --> markers");
  return `${readme.slice(0, a + start.length)}\n${configTable()}\n${readme.slice(b)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const file = join(ROOT, "README.md");
  writeFileSync(file, withConfigTable(readFileSync(file, "utf8")));
  console.log("README.md configuration table updated");
}
