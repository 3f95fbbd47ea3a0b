/**
 * An operation's output as the body of its answer. A member holding stored JSON (JsonItems, a
 * list page read from the store's views) is spliced in as it is; everything else goes through
 * JSON.stringify.
 */
import { JsonItems } from "../domain/pagination.js";

export function outputBody(output: unknown): string {
  if (output === null || typeof output !== "object") return JSON.stringify(output ?? {});
  const entries = Object.entries(output);
  if (!entries.some(([, v]) => v instanceof JsonItems)) return JSON.stringify(output);
  const parts: string[] = [];
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${v instanceof JsonItems ? `[${v.json}]` : JSON.stringify(v)}`);
  }
  return `{${parts.join(",")}}`;
}
