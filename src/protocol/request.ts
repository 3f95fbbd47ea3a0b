/**
 * restJson1 request binding: one Input object per call, shaped like the AWS `…Input` structure,
 * from the path labels, the query (under each operation's own wire names) and the JSON body.
 * Then the input is validated against the operation's schema from model/backup.openapi.json,
 * precompiled into generated/validators.js; failures become the errors the service returns.
 */
import type { ErrorObject } from "ajv";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { InvalidParameterValueException, MissingParameterValueException } from "../../generated/errors.js";
import type { OperationSpec } from "../../generated/operations.js";
import type { InputValidator } from "../../generated/validators.js";
import { serializationError } from "./errors.js";

const isDateTime = (fullFormats["date-time"] as { validate: (s: string) => boolean }).validate;

/**
 * How deep objects and arrays may nest in a body. The model's inputs nest about eight levels;
 * far deeper bodies would exhaust the stack of the recursive walks that follow (null removal,
 * validation, canonical hashing, error messages), turning a client's mistake into a 500.
 */
export const MAX_BODY_DEPTH = 64;

/** Whether the JSON text opens more than `limit` objects or arrays inside one another (strings skipped). */
function nestsDeeperThan(raw: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parse a request body. Empty means no members; anything but a JSON object is refused. */
export function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw serializationError(`The request body is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw serializationError("The request body must be a JSON object.");
  }
  if (nestsDeeperThan(raw, MAX_BODY_DEPTH)) {
    throw serializationError(`The request body nests objects and arrays more than ${MAX_BODY_DEPTH} levels deep.`);
  }
  return value as Record<string, unknown>;
}

/** JSON nulls mean "not set", as the service's deserializer treats them. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

function queryValue(kind: string, wire: string, raw: string): unknown {
  switch (kind) {
    case "integer":
      if (!/^[+-]?\d{1,16}$/.test(raw)) throw new InvalidParameterValueException(`Query parameter ${wire} must be an integer, got "${raw}".`);
      return Number(raw);
    case "boolean":
      if (raw !== "true" && raw !== "false") throw new InvalidParameterValueException(`Query parameter ${wire} must be true or false, got "${raw}".`);
      return raw === "true";
    case "timestamp": {
      // SDKs send RFC 3339 (JS with 3 fractional digits, botocore with 6); epoch seconds are accepted too.
      if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
      if (!isDateTime(raw)) throw new InvalidParameterValueException(`Query parameter ${wire} must be an ISO 8601 date-time, got "${raw}".`);
      return Date.parse(raw) / 1000;
    }
    default:
      return raw;
  }
}

/** The operation's Input from its labels (already decoded), query and parsed body. */
export function bindInput(spec: OperationSpec, labels: Record<string, string>, query: URLSearchParams, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const member of spec.body) {
    const v = body[member];
    if (v !== undefined && v !== null) input[member] = dropNulls(v);
  }
  for (const [wire, q] of Object.entries(spec.query)) {
    const raw = query.get(wire);
    if (raw !== null) input[q.member] = queryValue(q.kind, wire, raw);
  }
  Object.assign(input, labels);
  return input;
}

/** Validate (and strip members the model does not define); throws the service's error. */
type Validators = Record<string, InputValidator | undefined>;
let validators: Validators | undefined;
let loading: Promise<void> | undefined;

/**
 * Undefined once the input validators are loaded; until then, the promise of their loading
 * (started by the first call). They are most of the code's size and no part of start-up or of
 * the emulator's own routes, so the first AWS request loads them.
 */
export function validatorsPending(): Promise<void> | undefined {
  if (validators) return undefined;
  loading ??= import("../../generated/validators.js").then(
    (m) => {
      validators = m as unknown as Validators;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** Validate an operation's input; the validators must be loaded (validatorsPending). */
export function validateInput(op: string, input: Record<string, unknown>): void {
  if (!validators) throw new Error("validateInput before the validators were loaded (await validatorsPending())");
  const validate = validators[op];
  if (!validate || validate(input)) return;
  throw toServiceError(validate.errors?.[0]);
}

/**
 * Validate a document that arrived as a string member (e.g. a backup plan in JSON) with a
 * strict validator from generated/document-validators.js; errors name members under `root`.
 */
export function validateDocument(validate: InputValidator, value: unknown, root: string): void {
  if (validate(value)) return;
  const e = validate.errors?.[0];
  throw toServiceError(e ? { ...e, instancePath: `/${root}${e.instancePath}` } : undefined);
}

/** `/BackupPlan/Rules/0/RuleName` → `BackupPlan.Rules[0].RuleName`. */
function memberPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (extra !== undefined) parts.push(extra);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || "the request";
}

function show(value: unknown): string {
  const s = typeof value === "string" ? `"${value}"` : JSON.stringify(value);
  return s === undefined ? "undefined" : s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function toServiceError(e: ErrorObject | undefined): Error {
  if (!e) return new InvalidParameterValueException("The request is not valid.");
  const p = e.params as Record<string, unknown>;
  if (e.keyword === "required") {
    return new MissingParameterValueException(`Missing required parameter ${memberPath(e.instancePath, String(p.missingProperty))}.`);
  }
  const where = memberPath(e.instancePath);
  const value = show(e.data);
  switch (e.keyword) {
    case "additionalProperties":
      return new InvalidParameterValueException(`${where} has a member ${String(p.additionalProperty)} that the model does not define.`);
    case "type":
      return new InvalidParameterValueException(`Invalid value ${value} for ${where}: expected ${/^[aeiou]/.test(String(p.type)) ? "an" : "a"} ${String(p.type)}.`);
    case "pattern":
      return new InvalidParameterValueException(`Invalid value ${value} for ${where}: must match the pattern ${String(p.pattern)}.`);
    case "enum":
      return new InvalidParameterValueException(`Invalid value ${value} for ${where}: must be one of ${(p.allowedValues as string[]).join(", ")}.`);
    case "minLength":
      return new InvalidParameterValueException(`Invalid value ${value} for ${where}: must be at least ${String(p.limit)} characters long.`);
    case "maxLength":
      return new InvalidParameterValueException(`Invalid value for ${where}: must be at most ${String(p.limit)} characters long.`);
    case "minimum":
    case "maximum":
      return new InvalidParameterValueException(
        `Invalid value ${value} for ${where}: must be ${e.keyword === "minimum" ? "at least" : "at most"} ${String(p.limit)}.`,
      );
    case "minItems":
      return new InvalidParameterValueException(`Invalid value for ${where}: must have at least ${String(p.limit)} items.`);
    case "maxItems":
      return new InvalidParameterValueException(`Invalid value for ${where}: must have at most ${String(p.limit)} items.`);
    default:
      return new InvalidParameterValueException(`Invalid value ${value} for ${where}: ${e.message ?? "not valid"}.`);
  }
}
