/**
 * Mutations: each takes a valid Input of an operation and spoils one thing about the request
 * built from it: a member (in the body, the query or a path label), the body as a whole, the
 * headers, the method or the path. Each case says what the answer must be: refused (a 4xx whose
 * message names the culprit) when the change breaks the model's contract, or merely "not a
 * failure of the server" when a well-behaved service could accept it.
 */
import fc from "fast-check";
import type { OperationId } from "../../../generated/operations.js";
import { authorization, extendedEncode, partsFor, render, toJsonText, type RawRequest, type RequestParts } from "../requests.js";
import { RawJson, conforms, mapValueSchema, membersOf, resolve, specOf, type JsonSchema, type Member } from "./model.js";
import { inputArb, type Pools } from "./values.js";
import { MAX_BODY_DEPTH } from "../../../src/protocol/request.js";

export const MUTATION_KINDS = [
  "valid",
  "trailingSlash",
  "missingRequired",
  "emptyBody",
  "wrongType",
  "null",
  "emptyString",
  "hugeString",
  "longString",
  "unicode",
  "unknownMember",
  "deepNesting",
  "outOfRange",
  "badEnum",
  "badTimestamp",
  "badLabelEncoding",
  "dotSegments",
  "unknownQuery",
  "duplicateQuery",
  "contentType",
  "chunkedBody",
  "truncatedBody",
  "nonObjectBody",
  "nonUtf8Body",
  "wrongMethod",
  "badCredentials",
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Expectation {
  /** The request breaks the contract: the answer must be a 4xx. */
  reject: boolean;
  /** The exact status the answer must have. */
  status?: number;
  /** The error message must mention one of these (case-insensitive). */
  names?: readonly string[];
  /** The request must reach an operation (no UnknownOperationException). */
  routes?: boolean;
}

export interface FuzzCase {
  op: OperationId;
  kind: MutationKind;
  /** What was changed, for the report. */
  detail: string;
  request: RawRequest;
  expect: Expectation;
}

const NONE: Expectation = { reject: false };
const ROUTES: Expectation = { reject: false, routes: true };

/** One place in the input a mutation can change. */
interface Site {
  member: Member;
  /** Path inside a body member's value; [] is the member itself. */
  path: (string | number)[];
  schema: JsonSchema;
  /** The property name an error message uses for this place (a map's or array's own name for its entries). */
  name: string;
  /** Removing it (or sending null) leaves a required member missing. */
  required: boolean;
  container: "top" | "object" | "array" | "map";
  value: unknown;
}

function sitesOf(op: OperationId, input: Record<string, unknown>): Site[] {
  const out: Site[] = [];
  const walk = (member: Member, value: unknown, schemaIn: JsonSchema, path: (string | number)[], name: string, required: boolean, container: Site["container"]) => {
    const schema = resolve(schemaIn);
    out.push({ member, path, schema, name, required, container, value });
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(member, item, schema.items ?? {}, [...path, i], name, false, "array"));
      return;
    }
    const mapValue = mapValueSchema(schema);
    const req = new Set(schema.required ?? []);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (mapValue) walk(member, v, mapValue, [...path, k], name, false, "map");
      else if (schema.properties?.[k]) walk(member, v, schema.properties[k], [...path, k], k, req.has(k), "object");
    }
  };
  for (const m of membersOf(op)) {
    if (input[m.name] === undefined) continue;
    if (m.location === "body") walk(m, input[m.name], m.schema, [], m.name, m.required, "top");
    else out.push({ member: m, path: [], schema: m.schema, name: m.name, required: m.required, container: "top", value: input[m.name] });
  }
  return out;
}

/** The value that means "leave the member out". */
const REMOVE = Symbol("remove");

/** A copy of `input` with the site's value replaced (or removed when `value` is REMOVE). */
function withSite(input: Record<string, unknown>, site: Site, value: unknown): Record<string, unknown> {
  const copy = structuredClone(input);
  if (site.path.length === 0) {
    if (value === REMOVE) delete copy[site.member.name];
    else copy[site.member.name] = value;
    return copy;
  }
  let parent = copy[site.member.name] as Record<string | number, unknown>;
  for (const p of site.path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = site.path[site.path.length - 1]!;
  if (value === REMOVE) {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

const where = (site: Site): string => `${site.member.location} ${site.member.name}${site.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}`;

function show(v: unknown): string {
  if (v instanceof RawJson) return v.text.length > 60 ? `${v.text.slice(0, 60)}… (${v.text.length} chars)` : v.text;
  if (typeof v === "string" && v.length > 60) return `${JSON.stringify(v.slice(0, 40))}… (${v.length} chars)`;
  return JSON.stringify(v) ?? String(v);
}

/** Does a query parameter's text bind to a value the model accepts? */
function queryConforms(m: Member, raw: string): boolean {
  switch (m.queryKind) {
    case "integer":
      return /^[+-]?\d{1,16}$/.test(raw) && conforms(m.schema, Number(raw));
    case "boolean":
      return raw === "true" || raw === "false";
    case "timestamp":
      return /^\d+(\.\d+)?$/.test(raw) || isRfc3339(raw);
    default:
      return conforms(m.schema, raw);
  }
}

/** RFC 3339 date-time with a real calendar date and time of day. */
function isRfc3339(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):?(\d{2}))$/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const offOk = m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= dim && h <= 23 && mi <= 59 && se <= 60 && offOk;
}

/** The string a server decoding UTF-8 sees for `s`: each lone surrogate becomes U+FFFD. */
const wellFormed = (s: string): string => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/** What the answer must be when `site` takes `value` (as the server will see it, after decoding). */
function expectFor(site: Site, value: unknown): Expectation {
  const names = [site.name, site.member.wire];
  if (site.member.location === "label") {
    // An empty segment changes which route matches (or none does): any answer but a failure.
    if (value === "" || value === REMOVE) return NONE;
    const text = String(value);
    // A lone surrogate is sent as percent-encoding that is not UTF-8: the segment itself is refused.
    if (wellFormed(text) !== text) return { reject: true, names: [extendedEncode(text)] };
    return conforms(site.schema, text) ? NONE : { reject: true, names };
  }
  if (site.member.location === "query") {
    if (value === REMOVE) return site.required ? { reject: true, names } : NONE;
    return queryConforms(site.member, wellFormed(String(value))) ? NONE : { reject: true, names };
  }
  if (value === REMOVE || (value === null && site.container !== "array")) {
    // The edge reads null as "not set"; a map entry that is null is simply dropped.
    return site.required && site.container !== "map" ? { reject: true, names } : NONE;
  }
  return conforms(site.schema, value) ? NONE : { reject: true, names };
}

/**
 * Nesting put in place of a body member: arrays never fit a member of the model at that depth;
 * an object's unknown member is dropped, so it is refused only where something is then missing.
 */
function deepExpect(site: Site, shape: "array" | "object"): Expectation {
  const names = [site.name];
  if (shape === "array" || site.schema.type !== "object") return { reject: true, names };
  const mapValue = mapValueSchema(site.schema);
  if (mapValue) return resolve(mapValue).type === "object" ? NONE : { reject: true, names };
  return (site.schema.required ?? []).length > 0 ? { reject: true, names } : NONE;
}

interface Built {
  detail: string;
  parts: RequestParts;
  expect: Expectation;
}

/** A site-value mutation: pick a site, a value for it, and build the request. */
function atSite(op: OperationId, input: Record<string, unknown>, pick: (s: Site) => boolean, values: (s: Site) => readonly unknown[], label: string): fc.Arbitrary<Built> | undefined {
  const sites = sitesOf(op, input).filter((s) => pick(s) && values(s).length > 0);
  if (sites.length === 0) return undefined;
  return fc.constantFrom(...sites).chain((site) =>
    fc.constantFrom(...values(site)).map((value) => ({
      detail: `${label}: ${where(site)} = ${value === REMOVE ? "(removed)" : show(value)}`,
      parts: partsFor(op, withSite(input, site, value)),
      expect: expectFor(site, value),
    })),
  );
}

const isString = (s: Site) => s.schema.type === "string";
const isNumeric = (s: Site) => s.schema.type === "integer" || s.schema.type === "number";
const inBody = (s: Site) => s.member.location === "body";

const UNICODE = [
  "\ud800",
  "x\udfffy",
  "\ud83d",
  "\u202eevil\u202c.exe",
  "שלום-עולם",
  "مرحبا",
  "nul\u0000byte",
  "\u0000",
  "\ufeffbom",
  "zero\u200bwidth",
  "e\u0301\u0301\u0301",
  "👨‍👩‍👧‍👦",
  "line\u2028sep\u2029",
  "\uffff\ufffe",
  "𝕳𝖊𝖑𝖑𝖔",
  "\u0007\u001b[31mred",
];

const TEN_MB = 10 * 1024 * 1024;
const BAD_ENCODINGS = ["%", "%zz", "%E0%A4", "%ED%A0%80", "abc%2", "%C0%AF", "%FF", "%%41"];
const DOT_SEGMENTS = ["..%2F..%2Fetc%2Fpasswd", "..%2F", "%2E%2E%2F%2E%2E%2F", "a%2F..%2F..%2Fb", ".%2F", "..%5C..%5Cwindows", "%2F", "%2F%2F"];
const QUERY_TIMESTAMPS: readonly (readonly [string, boolean])[] = [
  ["yesterday", false],
  ["2024-02-30T00:00:00Z", false],
  ["2024-01-01", false],
  ["1e5", false],
  ["-5", false],
  ["", false],
  ["2024-01-01T00:00:00+25:00", false],
  ["2024-01-01T25:00:00Z", false],
  ["2024-13-01T00:00:00Z", false],
  ["2024-01-01T00:00:00.123456Z", true],
  ["2024-01-01T00:00:00Z", true],
  ["99999999999999999999", true],
  ["8640000000001", true],
  ["0", true],
];

function wrongTypes(s: Site): unknown[] {
  switch (s.schema.type) {
    case "string":
      return [12345, true, {}, ["x"], 0.5];
    case "integer":
    case "number":
      return ["12", true, [], {}];
    case "boolean":
      return ["true", 0, 1, []];
    case "array":
      return [{}, "x", 1];
    case "object":
      return [[], "x", 1, true];
    default:
      return [];
  }
}

function numericExtremes(s: Site): unknown[] {
  const out: unknown[] = [
    1.5,
    -1,
    0,
    2 ** 31 - 1,
    2 ** 31,
    1e15,
    Number.MAX_SAFE_INTEGER,
    2 ** 53 + 2,
    1e300,
    -1e300,
    new RawJson("1e400", Infinity),
    new RawJson("-1e400", -Infinity),
    new RawJson("-0", -0),
    new RawJson("1E2", 100),
    1e-7,
  ];
  if (s.schema.minimum !== undefined) out.push(s.schema.minimum - 1);
  if (s.schema.maximum !== undefined) out.push(s.schema.maximum + 1);
  return out;
}

/** Nested arrays or objects `depth` levels deep, as JSON text. */
export function deepJson(depth: number, kind: "array" | "object"): RawJson {
  return RawJson.opaque(kind === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth));
}

function caseVariant(wire: string): string {
  const first = wire[0]!;
  const flipped = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
  return flipped + wire.slice(1);
}

/** The mutation of `kind` for this valid input, or undefined when it does not apply to the operation. */
export function mutate(op: OperationId, input: Record<string, unknown>, kind: MutationKind): fc.Arbitrary<Built> | undefined {
  const spec = specOf(op);
  const members = membersOf(op);
  const base = () => partsFor(op, input);
  const hasBody = spec.body.length > 0;
  const canSendBody = spec.method !== "GET";
  switch (kind) {
    case "valid":
      return fc.constant({ detail: "valid request", parts: base(), expect: ROUTES });
    case "trailingSlash":
      return fc.constant({ detail: "valid request with a trailing slash", parts: { ...base(), trailingSlash: true }, expect: ROUTES });

    case "missingRequired":
      return atSite(op, input, (s) => s.required && s.container !== "map", () => [REMOVE], "required member removed");
    case "emptyBody": {
      if (!hasBody) return undefined;
      const requiredBody = members.filter((m) => m.location === "body" && m.required).map((m) => m.name);
      const parts = { ...base(), body: undefined, bodyBytes: new Uint8Array(0) };
      return fc.constant({ detail: "empty body", parts, expect: requiredBody.length ? { reject: true, names: requiredBody } : NONE });
    }
    case "wrongType":
      return atSite(op, input, (s) => inBody(s) || (s.member.location === "query" && s.member.queryKind !== "string"), (s) =>
        inBody(s) ? wrongTypes(s) : s.member.queryKind === "integer" ? ["abc", "1.5", "true"] : s.member.queryKind === "boolean" ? ["1", "yes", "TRUE"] : ["abc", "true"],
      "wrong type");
    case "null":
      return atSite(op, input, inBody, () => [null], "null");
    case "emptyString":
      return atSite(op, input, (s) => isString(s) || s.member.location !== "body", () => [""], "empty string");
    case "hugeString": {
      if (!canSendBody) return undefined;
      const sites = sitesOf(op, input).filter((s) => inBody(s) && isString(s));
      const huge = fc.constantFrom("x".repeat(TEN_MB), "é".repeat(TEN_MB / 2));
      return huge.chain((value) => {
        const target = sites.length ? fc.constantFrom(...sites) : fc.constant(undefined);
        return target.map((site) => {
          const parts = site ? partsFor(op, withSite(input, site, value)) : { ...base(), body: { ...(base().body ?? {}), Padding: value } };
          return { detail: `10 MB string in ${site ? where(site) : "an unknown member"}`, parts, expect: { reject: true, status: 413, names: ["body"] } };
        });
      });
    }
    case "longString":
      return atSite(op, input, (s) => isString(s) && !inBody(s), () => ["a".repeat(8000), "é".repeat(1000)], "long string");
    case "unicode":
      return atSite(op, input, isString, () => UNICODE, "unicode edge case");
    case "unknownMember": {
      if (!canSendBody) {
        return fc.constant({ detail: "unknown query parameter UnknownMember", parts: { ...base(), query: [...base().query, ["UnknownMember", "1"]] }, expect: ROUTES });
      }
      const objects = sitesOf(op, input).filter((s) => inBody(s) && s.schema.type === "object" && !mapValueSchema(s.schema));
      const targets: (Site | undefined)[] = [undefined, ...objects];
      return fc.tuple(fc.constantFrom(...targets), fc.constantFrom<unknown>(1, "x", { nested: [1, { deeper: true }] }, null)).map(([site, value]) => {
        const parts = base();
        const body = parts.body ?? {};
        parts.body = site ? { ...body, [site.member.name]: withPath(input[site.member.name], site.path, "UnknownMember", value) } : { ...body, UnknownMember: value };
        parts.contentType = "application/json";
        return { detail: `unknown member in ${site ? where(site) : "the body"} = ${show(value)}`, parts, expect: NONE };
      });
    }
    case "deepNesting": {
      if (!canSendBody) return undefined;
      const sites = sitesOf(op, input).filter(inBody);
      const targets: (Site | undefined)[] = [undefined, ...sites];
      return fc.tuple(fc.constantFrom(...targets), fc.constantFrom(40, 1000, 100_000), fc.constantFrom<"array" | "object">("array", "object")).map(([site, depth, shape]) => {
        const value = deepJson(depth, shape);
        // Beyond the edge's nesting limit the body itself is refused, whatever member holds it.
        const tooDeep: Expectation = { reject: true, names: ["deep"] };
        if (site) {
          return { detail: `${shape}s nested ${depth} deep in ${where(site)}`, parts: partsFor(op, withSite(input, site, value)), expect: depth > MAX_BODY_DEPTH - 10 ? tooDeep : deepExpect(site, shape) };
        }
        const parts = base();
        return {
          detail: `${shape}s nested ${depth} deep in an unknown member`,
          parts: { ...parts, body: { ...(parts.body ?? {}), Nested: value }, contentType: "application/json" },
          // An operation without body members never reads its body.
          expect: depth > MAX_BODY_DEPTH && hasBody ? tooDeep : NONE,
        };
      });
    }
    case "outOfRange":
      return atSite(op, input, (s) => (inBody(s) && isNumeric(s)) || s.member.queryKind === "integer", (s) =>
        inBody(s) ? numericExtremes(s) : ["-1", "0", "1001", "2147483648", "9007199254740991", "99999999999999999", "1.5", "1e3", "+5", " 5", "0x10", "-0"],
      "out of range");
    case "badEnum":
      return atSite(op, input, (s) => s.schema.enum !== undefined, (s) => {
        const first = s.schema.enum![0]!;
        return ["NOT_A_VALID_VALUE", ...(first.toLowerCase() !== first ? [first.toLowerCase()] : []), ` ${first}`, `${first}\u0000`];
      }, "bad enum");
    case "badTimestamp":
      return atSite(op, input, (s) => (inBody(s) && s.schema.type === "number") || s.member.queryKind === "timestamp", (s) =>
        inBody(s)
          ? ["2024-01-01T00:00:00Z", "1700000000", true, {}, 1e20, -1e20, -62135596800, 8.64e15, 0, new RawJson("1e400", Infinity)]
          : QUERY_TIMESTAMPS.map(([raw]) => raw),
      "malformed timestamp");

    case "badLabelEncoding":
    case "dotSegments": {
      const labels = members.filter((m) => m.location === "label");
      if (labels.length === 0) return undefined;
      const segments = kind === "badLabelEncoding" ? BAD_ENCODINGS : DOT_SEGMENTS;
      return fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...segments), fc.boolean()).map(([m, seg, joined]) => {
        const parts = base();
        // Joined to a real value: a bad escape goes last (before it, "%" would read the value's first characters as hex).
        const raw = !joined ? seg : kind === "badLabelEncoding" ? `${parts.labels[m.name] ?? ""}${seg}` : `${seg}${parts.labels[m.name] ?? ""}`;
        parts.labels = { ...parts.labels, [m.name]: raw };
        const expect: Expectation = kind === "badLabelEncoding" ? { reject: true, names: [raw] } : NONE;
        return { detail: `label ${m.name} sent as the raw segment "${raw}"`, parts, expect };
      });
    }
    case "unknownQuery": {
      const wires = Object.keys(spec.query);
      const extras: [string, string][] = [["foo", "bar"], ["maxresults", "5"], ["X-Amz-Credential", "AKID/20260101/eu-west-1/backup/aws4_request"], ["", "empty-name"]];
      for (const w of wires) extras.push([caseVariant(w), "zzz"]);
      const named = fc.constantFrom(...extras).map((pair) => ({ detail: `unknown query parameter ${pair[0]}=${pair[1]}`, parts: { ...base(), query: [...base().query, pair] }, expect: ROUTES }));
      // Query text no client writes: stray separators, bare "%", escapes that are not hex, a thousand parameters.
      const junk = fc
        .constantFrom("&&&", "=", "%", "%zz=1", "a=%ZZ", "a=1=2", "a+b=c+d", Array.from({ length: 1000 }, (_, i) => `p${i}=${i}`).join("&"))
        .map((raw) => ({ detail: `query junk ${JSON.stringify(raw.slice(0, 40))}`, parts: { ...base(), rawQuery: [...base().rawQuery, raw] }, expect: ROUTES }));
      return fc.oneof(named, junk);
    }
    case "duplicateQuery": {
      const wires = Object.keys(spec.query);
      if (wires.length === 0) return undefined;
      return fc.tuple(fc.constantFrom(...wires), fc.constantFrom("zzz", "", "1"), fc.boolean()).map(([w, v, before]) => {
        const parts = base();
        parts.query = before ? [[w, v], ...parts.query] : [...parts.query, [w, v]];
        return { detail: `query parameter ${w} repeated (${before ? "first" : "second"} = "${v}")`, parts, expect: NONE };
      });
    }
    case "contentType":
      return fc
        .constantFrom<string | undefined>(undefined, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1", "application/x-amz-json-1.1", "multipart/form-data; boundary=x", "", "*/*", "application/json, text/plain")
        .map((ct) => ({ detail: `content-type ${ct === undefined ? "missing" : JSON.stringify(ct)}`, parts: { ...base(), contentType: ct }, expect: ROUTES }));
    case "chunkedBody":
      if (!hasBody) return undefined;
      return fc.constant({ detail: "body sent in 7-byte chunks without Content-Length", parts: { ...base(), chunked: true }, expect: ROUTES });
    case "truncatedBody": {
      if (!hasBody) return undefined;
      const text = toJsonText(base().body ?? {});
      return fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((cut) => ({
        detail: `body cut after ${cut} of ${text.length} characters`,
        parts: { ...base(), bodyBytes: Buffer.from(text.slice(0, cut), "utf8") },
        expect: { reject: true, names: ["JSON"] },
      }));
    }
    case "nonObjectBody":
      if (!hasBody) return undefined;
      return fc.constantFrom("[]", '"text"', "null", "42", "true", "[{}]").map((text) => ({
        detail: `body ${text}`,
        parts: { ...base(), bodyBytes: Buffer.from(text, "utf8") },
        expect: { reject: true, names: ["JSON object"] },
      }));
    case "nonUtf8Body": {
      if (!hasBody) return undefined;
      const sites = sitesOf(op, input).filter((s) => inBody(s) && isString(s));
      const sequences = [[0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82]];
      const whole = fc.constantFrom("utf16", "bom").map((variant) => {
        const text = toJsonText(base().body ?? {});
        const bytes = variant === "utf16" ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
        return { detail: variant === "utf16" ? "body in UTF-16LE" : "body with a UTF-8 byte order mark", parts: { ...base(), bodyBytes: bytes }, expect: variant === "utf16" ? { reject: true, names: ["JSON"] } : NONE };
      });
      if (sites.length === 0) return whole;
      const inString = fc.tuple(fc.constantFrom(...sites), fc.constantFrom(...sequences)).map(([site, seq]) => {
        const marker = "\u0001MARK\u0001";
        const text = toJsonText(partsFor(op, withSite(input, site, marker)).body ?? {});
        const markerJson = JSON.stringify(marker).slice(1, -1);
        const i = text.indexOf(markerJson);
        const bytes = Buffer.concat([Buffer.from(text.slice(0, i), "utf8"), Buffer.from(seq), Buffer.from(text.slice(i + markerJson.length), "utf8")]);
        const decoded = Buffer.from(seq).toString("utf8");
        return { detail: `invalid UTF-8 bytes ${Buffer.from(seq).toString("hex")} in ${where(site)}`, parts: { ...base(), bodyBytes: bytes }, expect: expectFor(site, decoded) };
      });
      return fc.oneof(inString, whole);
    }
    case "wrongMethod":
      return fc.constantFrom(...["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"].filter((m) => m !== spec.method)).map((method) => ({
        detail: `method ${method} instead of ${spec.method}`,
        parts: { ...base(), method },
        expect: NONE,
      }));
    case "badCredentials":
      return fc
        .constantFrom<string | undefined>(
          undefined,
          "garbage",
          authorization("123456789012", "eu-west-3"),
          authorization("AKIDEXAMPLE", "x".repeat(300)),
          authorization("AKIDEXAMPLE", "ap-\u00e9t\u00e9-1"),
          authorization("000000000000", "us-east-1").replace("AWS4-HMAC-SHA256 ", ""),
        )
        .map((auth) => ({ detail: `authorization ${auth === undefined ? "missing" : JSON.stringify(auth.slice(0, 80))}`, parts: { ...base(), authorization: auth }, expect: ROUTES }));
  }
}

/** `root` with `key: value` added to the object at `path`. */
function withPath(root: unknown, path: (string | number)[], key: string, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let target = copy;
  for (const p of path) target = target[p] as Record<string | number, unknown>;
  target[key] = value;
  return copy;
}

/** Input-generation mode per kind: sparse inputs succeed more often; full ones give mutations more sites. */
const SPARSE: ReadonlySet<MutationKind> = new Set(["valid", "trailingSlash", "unknownQuery", "contentType", "chunkedBody", "wrongMethod", "badCredentials", "duplicateQuery", "dotSegments"]);

/** Cases of one operation and one kind, or undefined when the kind does not apply to the operation. */
export function caseArb(op: OperationId, kind: MutationKind, pools: Pools): fc.Arbitrary<FuzzCase> | undefined {
  const full = !SPARSE.has(kind);
  const inputs = inputArb(op, pools, { full, maxDepth: full ? 4 : 6 });
  // Whether the kind applies depends on the input's shape only, which a full input fixes.
  const probe = fc.sample(inputArb(op, pools, { full: true, maxDepth: 4 }), { numRuns: 1, seed: 1 })[0]!;
  if (mutate(op, probe, kind) === undefined) return undefined;
  return inputs.chain((input) => {
    const m = mutate(op, input, kind) ?? mutate(op, input, "valid")!;
    return fc.tuple(m, fc.boolean()).map(([b, slash]) => {
      // Both path forms: botocore sends some URIs with a trailing slash, the JS SDK without.
      const parts = kind === "trailingSlash" ? b.parts : { ...b.parts, trailingSlash: slash };
      return { op, kind, detail: b.detail, request: render(parts), expect: b.expect };
    });
  });
}
