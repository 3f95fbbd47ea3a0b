/**
 * The contract as the fuzzer reads it: input schemas from model/backup.openapi.json and, per
 * operation, where each member travels (path label, query, body) from generated/operations.ts.
 * A small conformance check mirrors the edge's validator for single values, so a mutation can
 * say in advance whether the request it builds must be refused.
 */
import { readFileSync } from "node:fs";
import { operations, type OperationId, type OperationSpec, type QueryKind } from "../../../generated/operations.js";

export interface JsonSchema {
  $ref?: string;
  type?: "object" | "string" | "array" | "integer" | "number" | "boolean";
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: string[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

const doc = JSON.parse(readFileSync(new URL("../../../model/backup.openapi.json", import.meta.url), "utf8")) as {
  components: { schemas: Record<string, JsonSchema> };
};
export const schemas: Readonly<Record<string, JsonSchema>> = doc.components.schemas;

/** Follow `$ref`s to the schema that holds the constraints. */
export function resolve(schema: JsonSchema): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref !== undefined && i < 32; i++) {
    const target = schemas[s.$ref.slice(s.$ref.lastIndexOf("/") + 1)];
    if (!target) throw new Error(`unresolvable $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

/** A map (Tags, Metadata…): an object whose members are free-form keys of one value schema. */
export function mapValueSchema(s: JsonSchema): JsonSchema | undefined {
  return s.type === "object" && s.properties === undefined && typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
}

export type Location = "label" | "query" | "body";

export interface Member {
  name: string;
  /** The name on the wire: the label's or query parameter's, or the member name in the body. */
  wire: string;
  location: Location;
  schema: JsonSchema;
  required: boolean;
  queryKind?: QueryKind;
}

export const operationIds = Object.keys(operations).sort() as OperationId[];

export const specOf = (op: OperationId): OperationSpec => operations[op];

export function inputSchemaOf(op: OperationId): JsonSchema | undefined {
  const name = specOf(op).input;
  return name === null ? undefined : schemas[name];
}

/** Every member of the operation's input with where it travels; labels first, in path order. */
export function membersOf(op: OperationId): Member[] {
  const spec = specOf(op);
  const input = inputSchemaOf(op);
  const props = input?.properties ?? {};
  const required = new Set(input?.required ?? []);
  const schemaOf = (name: string): JsonSchema => resolve(props[name] ?? { type: "string" });
  const out: Member[] = [];
  for (const [wire, name] of spec.labels) out.push({ name, wire, location: "label", schema: schemaOf(name), required: true });
  for (const [wire, q] of Object.entries(spec.query)) {
    out.push({ name: q.member, wire, location: "query", schema: schemaOf(q.member), required: q.required === true || required.has(q.member), queryKind: q.kind });
  }
  for (const name of spec.body) out.push({ name, wire: name, location: "body", schema: schemaOf(name), required: required.has(name) });
  return out;
}

/**
 * A JSON text placed verbatim in a body (numbers JSON.stringify cannot write, deep nesting),
 * with the value the server's JSON.parse makes of it, or `opaque` when no schema could accept it.
 */
export class RawJson {
  constructor(
    readonly text: string,
    readonly parsed: unknown,
  ) {}
  static opaque(text: string): RawJson {
    return new RawJson(text, OPAQUE);
  }
}
const OPAQUE = Symbol("opaque");

const patternCache = new Map<string, RegExp>();
function regexOf(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    // The edge compiles patterns in unicode mode (AJV unicodeRegExp), unanchored as JSON Schema says.
    re = new RegExp(pattern, "u");
    patternCache.set(pattern, re);
  }
  return re;
}

/**
 * The bounds the edge gives the model's integer formats (scripts/generate.ts): Java's int32, and
 * int64 narrowed to what a JSON number holds exactly.
 */
const FORMAT_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Code points, as JSON Schema counts a string's length. */
const lengthOf = (s: string): number => [...s].length;

/**
 * Whether `value` satisfies `schema` as the edge's validator would judge it (type, enum, pattern,
 * lengths, range, items, required members; unknown members are dropped by the edge, so allowed).
 */
export function conforms(schema: JsonSchema, value: unknown): boolean {
  const s = resolve(schema);
  const v = value instanceof RawJson ? value.parsed : value;
  if (v === OPAQUE) return false;
  if (typeof v === "number" && !Number.isFinite(v)) return false;
  switch (s.type) {
    case "string":
      if (typeof v !== "string") return false;
      if (s.enum && !s.enum.includes(v)) return false;
      if (s.pattern !== undefined && !regexOf(s.pattern).test(v)) return false;
      if (s.minLength !== undefined && lengthOf(v) < s.minLength) return false;
      if (s.maxLength !== undefined && lengthOf(v) > s.maxLength) return false;
      return true;
    case "integer":
    case "number": {
      if (typeof v !== "number" || (s.type === "integer" && !Number.isInteger(v))) return false;
      const [lo, hi] = FORMAT_BOUNDS[s.format ?? ""] ?? [-Infinity, Infinity];
      return v >= (s.minimum ?? lo) && v <= (s.maximum ?? hi);
    }
    case "boolean":
      return typeof v === "boolean";
    case "array":
      if (!Array.isArray(v)) return false;
      if (s.minItems !== undefined && v.length < s.minItems) return false;
      if (s.maxItems !== undefined && v.length > s.maxItems) return false;
      return s.items === undefined || v.every((item) => conforms(s.items!, item));
    case "object": {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
      const obj = v as Record<string, unknown>;
      const mapValue = mapValueSchema(s);
      if (mapValue) return Object.values(obj).every((x) => x === null || conforms(mapValue, x));
      for (const r of s.required ?? []) if (obj[r] === undefined || obj[r] === null) return false;
      return Object.entries(s.properties ?? {}).every(([k, p]) => obj[k] === undefined || obj[k] === null || conforms(p, obj[k]));
    }
    default:
      return true;
  }
}
