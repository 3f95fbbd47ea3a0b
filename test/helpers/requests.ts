/**
 * Raw restJson1 requests, built from an operation's Input the way the JS SDK serializes it
 * (labels percent-encoded per segment, query under the operation's wire names, the other members
 * in a JSON body), kept in parts so a test can spoil any one of them before sending.
 */
import type { OperationId } from "../../generated/operations.js";
import { RawJson, membersOf, specOf } from "./fuzz/model.js";

/** The SigV4 Authorization header of a client with this access key id and region (not verified by the emulator). */
export const authorization = (accessKeyId = "AKIDEXAMPLE", region = "us-east-1"): string =>
  `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/backup/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;

export interface RequestParts {
  op: OperationId;
  method: string;
  /** Each label's path segment, already percent-encoded, by member name. */
  labels: Record<string, string>;
  /** Query parameters as [wire name, value] before encoding. */
  query: [string, string][];
  /** Query fragments appended as they are (already encoded, or deliberately not). */
  rawQuery: string[];
  /** Body members (values may hold RawJson); undefined sends no body. */
  body: Record<string, unknown> | undefined;
  /** Bytes to send instead of `body`. */
  bodyBytes?: Uint8Array;
  contentType: string | undefined;
  authorization: string | undefined;
  trailingSlash: boolean;
  chunked?: boolean;
}

export interface RawRequest {
  method: string;
  /** Path and query, exactly as sent. */
  target: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  /** Send the body in small chunks (Transfer-Encoding: chunked, no Content-Length). */
  chunked?: boolean;
}

/** encodeURIComponent plus !'()*, as the JS SDK encodes labels and query values. */
export function extendedEncode(s: string): string {
  return encodeWtf8(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is written as the three
 * bytes a WTF-8 encoder would produce: percent-encoding that is not valid UTF-8.
 */
function encodeWtf8(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    let out = "";
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
      else out += encodeURIComponent(ch);
    }
    return out;
  }
}

/** A query timestamp as the JS SDK writes it (RFC 3339, milliseconds only when not zero). */
export function queryTimestamp(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return Number.isNaN(d.getTime()) ? String(epochSeconds) : d.toISOString().replace(".000Z", "Z");
}

/** JSON text of a body, writing RawJson values verbatim. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : toJsonText(v))).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${toJsonText(v)}`);
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The request a JS SDK client would send for `input`. */
export function partsFor(op: OperationId, input: Record<string, unknown>): RequestParts {
  const spec = specOf(op);
  const labels: Record<string, string> = {};
  const query: [string, string][] = [];
  let body: Record<string, unknown> | undefined;
  for (const m of membersOf(op)) {
    const v = input[m.name];
    if (m.location === "label") labels[m.name] = v === undefined ? "" : extendedEncode(String(v));
    else if (m.location === "query") {
      if (v !== undefined) query.push([m.wire, m.queryKind === "timestamp" && typeof v === "number" ? queryTimestamp(v) : String(v)]);
    } else {
      body ??= {};
      if (v !== undefined) body[m.name] = v;
    }
  }
  return {
    op,
    method: spec.method,
    labels,
    query,
    rawQuery: spec.staticQuery.map((k) => `${k}=`),
    body,
    contentType: body ? "application/json" : undefined,
    authorization: authorization(),
    trailingSlash: false,
  };
}

export function render(parts: RequestParts): RawRequest {
  const spec = specOf(parts.op);
  const wireToMember = new Map(spec.labels.map(([wire, member]) => [wire, member]));
  let path = spec.path.replace(/\{([^}]+)\}/g, (_, wire: string) => parts.labels[wireToMember.get(wire) ?? wire] ?? "");
  if (parts.trailingSlash) path += "/";
  const query = [...parts.query.map(([k, v]) => `${extendedEncode(k)}=${extendedEncode(v)}`), ...parts.rawQuery];
  const headers: Record<string, string> = {};
  if (parts.contentType !== undefined) headers["content-type"] = parts.contentType;
  if (parts.authorization !== undefined) headers.authorization = parts.authorization;
  headers["x-amz-date"] = "20260101T000000Z";
  const body = parts.bodyBytes ?? (parts.body ? Buffer.from(toJsonText(parts.body), "utf8") : undefined);
  return { method: parts.method, target: query.length ? `${path}?${query.join("&")}` : path, headers, body, ...(parts.chunked ? { chunked: true } : {}) };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Send through fetch. The body goes as bytes so fetch adds no content-type of its own: what the
 * request says about its body is exactly what the test set.
 */
export async function send(endpoint: string, req: RawRequest): Promise<RawResponse> {
  const canHaveBody = req.body !== undefined && req.method !== "GET" && req.method !== "HEAD";
  let body: RequestInit["body"] = canHaveBody ? req.body : undefined;
  if (canHaveBody && req.chunked) {
    const bytes = req.body!;
    body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.subarray(i, i + 7));
        controller.close();
      },
    });
  }
  // A stream body needs half-duplex, which Node's RequestInit type does not declare.
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: req.headers, ...(body !== undefined ? { body } : {}), ...(req.chunked ? { duplex: "half" } : {}) };
  const res = await fetch(endpoint + req.target, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}
