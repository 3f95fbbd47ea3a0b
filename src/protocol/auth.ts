/**
 * Authentication. With AUTH_MODE=off (the default, like the other AWS emulators) any
 * credentials are accepted and the access key id only picks the account. With
 * AUTH_MODE=strict, each request's SigV4 signature is verified against configured credentials
 * (access key → secret → account), by signing the request again with @smithy/signature-v4 and
 * comparing. Both SDK families sign the already-encoded path encoded once more (non-S3
 * services), which the signer reproduces when given the raw path.
 * Failures are 403s with the codes AWS uses: MissingAuthenticationTokenException,
 * UnrecognizedClientException, InvalidSignatureException (also for a request more than 15
 * minutes off).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Checksum, SourceData } from "@smithy/types";
import { ProtocolError } from "./errors.js";

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

/** AWS rejects signatures made more than 15 minutes from its time. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const missing = () => new ProtocolError("MissingAuthenticationTokenException", 403, "Missing Authentication Token: the request is not signed (no SigV4 Authorization header).");
const unknownKey = (key: string) => new ProtocolError("UnrecognizedClientException", 403, `The security token included in the request is invalid: access key ${key} is not known to this emulator.`);
const badSignature = (detail: string) => new ProtocolError("InvalidSignatureException", 403, detail);

/** SHA-256 (or HMAC-SHA256 with a secret) in the Checksum shape the signer expects. */
export class Sha256 implements Checksum {
  private hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", toBuffer(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error("not supported");
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/**
 * Credentials from CREDENTIALS (`AKID:SECRET:ACCOUNT,…`) and/or a CREDENTIALS_FILE (a JSON array
 * of { accessKeyId, secretAccessKey, accountId }).
 */
export function loadCredentials(inline: string | undefined, file: string | undefined): Map<string, Credential> {
  const out = new Map<string, Credential>();
  const add = (c: Credential, where: string) => {
    if (!c.accessKeyId || !c.secretAccessKey || !/^\d{12}$/.test(c.accountId)) throw new Error(`${where}: each credential needs accessKeyId, secretAccessKey and a 12-digit accountId`);
    out.set(c.accessKeyId, c);
  };
  for (const entry of (inline ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [accessKeyId = "", secretAccessKey = "", accountId = ""] = entry.split(":");
    add({ accessKeyId, secretAccessKey, accountId }, "CREDENTIALS");
  }
  if (file) {
    const list = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (!Array.isArray(list)) throw new Error(`${file}: must be a JSON array of credentials`);
    for (const c of list as Credential[]) add(c, file);
  }
  return out;
}

export interface SignedRequest {
  method: string;
  /** The raw path, as sent (still percent-encoded). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

/** Verify the request's signature; returns the caller's credential, or throws a 403 ProtocolError. */
export async function verifySignature(req: SignedRequest, credentials: Map<string, Credential>, nowMs = Date.now()): Promise<Credential> {
  const header = req.headers.authorization;
  if (typeof header !== "string" || header === "") throw missing();
  const m = AUTH.exec(header.trim());
  if (!m) throw badSignature("The Authorization header is not a well-formed AWS4-HMAC-SHA256 signature.");
  const [, accessKeyId, , region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
  const cred = credentials.get(accessKeyId);
  if (!cred) throw unknownKey(accessKeyId);

  const amzDate = req.headers["x-amz-date"];
  if (typeof amzDate !== "string" || !/^\d{8}T\d{6}Z$/.test(amzDate)) throw badSignature("The request has no valid X-Amz-Date header.");
  const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (Math.abs(nowMs - signingDate.getTime()) > MAX_SKEW_MS) {
    throw badSignature(`Signature expired: ${amzDate} is more than 15 minutes from the server's time ${new Date(nowMs).toISOString()}.`);
  }

  const names = signedHeaders.split(";");
  const headers: Record<string, string> = {};
  for (const name of names) {
    const v = req.headers[name];
    if (v === undefined) throw badSignature(`The signed header ${name} is missing from the request.`);
    headers[name] = Array.isArray(v) ? v.join(",") : v;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(req.query.keys())) {
    const all = req.query.getAll(key);
    query[key] = all.length === 1 ? all[0]! : all;
  }
  const signer = new SignatureV4({ credentials: { accessKeyId, secretAccessKey: cred.secretAccessKey }, region, service, sha256: Sha256 });
  const signed = await signer.sign(
    { method: req.method, protocol: "http:", hostname: headers.host ?? "", path: req.path, query, headers, body: req.body },
    { signingDate, signableHeaders: new Set(names), unsignableHeaders: new Set() },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? ""))?.[1] ?? "";
  if (expected.length !== signature.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) {
    throw badSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
  }
  return cred;
}
