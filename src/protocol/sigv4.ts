/**
 * The caller's account and region, from the SigV4 credential scope
 * (`Credential=<AccessKeyId>/<yyyymmdd>/<region>/backup/aws4_request`), in the Authorization
 * header or, for presigned requests, the X-Amz-Credential query parameter. The Host header is
 * not trusted for the region: with an endpoint override it names the emulator.
 */
import type { Scope } from "../store/table.js";

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function parseCredentialScope(authorization: string | undefined, query?: URLSearchParams): CredentialScope | undefined {
  let m = authorization ? CREDENTIAL.exec(authorization) : null;
  if (!m && query) {
    const cred = query.get("X-Amz-Credential");
    if (cred) m = CREDENTIAL.exec(`Credential=${cred}`);
  }
  if (!m) return undefined;
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! };
}

/** A 12-digit access key id names the account (as LocalStack and Floci do); anything else gets the default. */
export function scopeOf(cred: CredentialScope | undefined, defaults: { accountId: string; region: string }): Scope {
  return {
    accountId: cred && /^\d{12}$/.test(cred.accessKeyId) ? cred.accessKeyId : defaults.accountId,
    region: cred?.region || defaults.region,
  };
}

/** What a SigV4 canonical request is built from, as the request arrived. */
export interface CanonicalRequestParts {
  method: string;
  /** The path as sent, still percent-encoded. */
  path: string;
  /** The query string as sent, without the "?". */
  query: string;
  /** The values of each header, by lower-case name (a header sent twice has two values). */
  headers: Readonly<Record<string, readonly string[] | undefined>>;
  /** The names from SignedHeaders (lower case). */
  signedHeaders: readonly string[];
  payloadHash: string;
}

/**
 * The SigV4 canonical request, built the way AWS's servers rebuild it: from the request as it
 * arrived, over exactly the headers the client listed in SignedHeaders. It matches both SDK
 * families (docs/decisions.md #22): the already-encoded path is normalised (empty and dot
 * segments removed) and encoded once more, as non-S3 services require; the query is decoded
 * (a `+` stays a plus) and re-encoded RFC 3986-style, sorted by name then value, without
 * X-Amz-Signature; header values are trimmed with inner runs of spaces folded, repeats joined by
 * commas. The caller has checked that every signed header is present.
 */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  const names = [...parts.signedHeaders].sort();
  const headerLines = names.map((name) => `${name}:${(parts.headers[name] ?? []).map((v) => v.trim().replace(/\s+/g, " ")).join(",")}`);
  return [parts.method.toUpperCase(), canonicalPath(parts.path), canonicalQuery(parts.query), ...headerLines, "", names.join(";"), parts.payloadHash].join("\n");
}

function canonicalPath(raw: string): string {
  const segments: string[] = [];
  for (const segment of raw.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join("/")}${segments.length > 0 && raw.endsWith("/") ? "/" : ""}`;
  return normalized.split("/").map(uriEncode).join("/");
}

/** Every parameter but X-Amz-Signature, decoded then re-encoded, sorted by name then value. */
function canonicalQuery(raw: string): string {
  const pairs: [string, string][] = [];
  for (const pair of raw.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = uriEncode(uriDecode(eq < 0 ? pair : pair.slice(0, eq)));
    if (key === "X-Amz-Signature") continue;
    pairs.push([key, uriEncode(uriDecode(eq < 0 ? "" : pair.slice(eq + 1)))]);
  }
  // Encoded text is ASCII, so comparing UTF-16 code units is the byte order SigV4 asks for.
  const byte = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  pairs.sort(([ka, va], [kb, vb]) => byte(ka, kb) || byte(va, vb));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - _ . ~ */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Percent-decoding without the form rule that turns `+` into a space; bad escapes stay as sent. */
function uriDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
