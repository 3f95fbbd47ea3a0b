/**
 * An operation's output as the body of its answer. A member holding stored JSON (JsonItems, a
 * list page read from the store's views, in an output jsonPageOutput made) is spliced in as it
 * is; everything else goes through JSON.stringify.
 */
import { HAS_JSON_ITEMS, JsonItems } from "../domain/pagination.js";

export function outputBody(output: unknown): string {
  if (output === null || typeof output !== "object") return JSON.stringify(output ?? {});
  // Most outputs hold no stored items: they are not searched for any.
  if (!(HAS_JSON_ITEMS in output)) return JSON.stringify(output);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(output)) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${v instanceof JsonItems ? `[${v.json}]` : JSON.stringify(v)}`);
  }
  return `{${parts.join(",")}}`;
}
