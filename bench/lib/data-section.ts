/**
 * The "Data plane" section of bench/RESULTS.md, written by `npm run bench:data` between its
 * markers. A full `npm run bench` rewrites the file, so it carries the section over.
 */
import { existsSync, readFileSync } from "node:fs";

export const DATA_START = "<!-- data-plane:start -->";
export const DATA_END = "<!-- data-plane:end -->";

/** The section as it is in `file`, markers included, or "" when there is none. */
export function dataSectionOf(file: string): string {
  if (!existsSync(file)) return "";
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(DATA_START);
  const b = text.indexOf(DATA_END);
  return a >= 0 && b > a ? text.slice(a, b + DATA_END.length) : "";
}

/** `md` with its data section replaced by `section` (appended when `md` has none). */
export function withDataSection(md: string, section: string): string {
  if (!section) return md;
  const a = md.indexOf(DATA_START);
  const b = md.indexOf(DATA_END);
  if (a >= 0 && b > a) return md.slice(0, a) + section + md.slice(b + DATA_END.length);
  return `${md.trimEnd()}\n\n${section}\n`;
}
