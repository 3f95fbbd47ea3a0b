/** Small helpers for shaping records into API outputs. */
import type { Shapes } from "../../generated/operations.js";
import { structureMembers, type StructureName } from "../../generated/shapes.js";

/** The listed members of `record` that are set. */
export function pick<T extends object, K extends keyof T>(record: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (record[k] !== undefined) out[k] = record[k];
  return out;
}

/** `value` without its undefined members (so optional fields can be spread in conditionally). */
export function defined<T extends object>(value: T): T {
  for (const k of Object.keys(value) as (keyof T)[]) if (value[k] === undefined) delete value[k];
  return value;
}

/** IAM-style wildcard match: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, text: string, ignoreCase = false): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, ignoreCase ? "is" : "s").test(text);
}

/**
 * A record as the model's structure `name`: the members of that structure the record has set
 * (generated/shapes.ts lists them), so an output can never carry a member the model lacks.
 */
export function shape<N extends StructureName>(name: N, record: { [K in keyof Shapes[N]]?: Shapes[N][K] }): Shapes[N] {
  const members = membersOf(name);
  // In the record's own order: a record that is all members serialises as it is stored, which
  // lets the store keep one copy of it for lists (TableDef.views).
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined && members.has(k)) out[k] = v;
  return out as Shapes[N];
}

const memberSets = new Map<StructureName, ReadonlySet<string>>();
function membersOf(name: StructureName): ReadonlySet<string> {
  let members = memberSets.get(name);
  if (!members) memberSets.set(name, (members = new Set(structureMembers[name])));
  return members;
}

/**
 * shape(name, record) for a read-only use: the record itself when every member it has set is a
 * member of the structure (nothing to drop), else the shaped copy. The store recognises a view
 * that is its document this way without serialising it twice (TableDef.views).
 */
export function readShape<N extends StructureName>(name: N, record: { [K in keyof Shapes[N]]?: Shapes[N][K] }): Shapes[N] {
  const members = membersOf(name);
  for (const [k, v] of Object.entries(record)) if (v === undefined || !members.has(k)) return shape(name, record);
  return record as Shapes[N];
}

/** Largest epoch second a JavaScript Date holds (ECMA-262: ±8.64e15 ms). */
const MAX_DATE_SECONDS = 8.64e12;

/**
 * An epoch-seconds time for a message: ISO 8601, or the number itself when it lies beyond the
 * dates JavaScript can represent (the model lets a timestamp be any number; toISOString throws).
 */
export function timeText(epochSeconds: number): string {
  return Math.abs(epochSeconds) <= MAX_DATE_SECONDS ? new Date(epochSeconds * 1000).toISOString() : `${epochSeconds} (epoch seconds)`;
}

/** JSON with keys sorted at every level, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
