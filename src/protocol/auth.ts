/**
 * Authentication. With AUTH_MODE=off (the default, like the other AWS emulators) any
 * credentials are accepted and the access key id only picks the account. With
 * AUTH_MODE=strict, each request's SigV4 signature (Authorization header, or the query of a
 * presigned URL) is verified against configured credentials (access key → secret → account):
 * the canonical request is rebuilt from the request as it arrived, over the headers the client
 * chose to sign (src/protocol/sigv4.ts), and signed with @smithy/signature-v4.
 * Failures are 403s with the codes AWS uses: MissingAuthenticationTokenException,
 * UnrecognizedClientException, InvalidSignatureException (also for a request more than 15
 * minutes off, or a presigned URL past its expiry).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { SignatureV4 } from "@smithy/signature-v4";
import type { Checksum, SourceData } from "@smithy/types";
import { ProtocolError } from "./errors.js";
import { canonicalRequest } from "./sigv4.js";

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

/** AWS rejects signatures made more than 15 minutes from its time. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const missing = () =>
  new ProtocolError("MissingAuthenticationTokenException", 403, "Missing Authentication Token: the request is not signed (no SigV4 Authorization header, and no X-Amz-Algorithm query parameter of a presigned URL).");
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
  /** The raw query string, as sent, without the "?". */
  query: string;
  /** Each header's values by lower-case name, as Node's `headersDistinct` gives them. */
  headers: Readonly<Record<string, readonly string[] | undefined>>;
  body: string;
}

export interface Verified {
  credential: Credential;
  /** The region of the signature's credential scope, which the signature covers. */
  region: string;
}

/** The parts of a signature, whether it came in the Authorization header or a presigned URL's query. */
interface Signature {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** yyyymmddTHHMMSSZ */
  amzDate: string;
  /** Seconds a presigned URL stays valid; absent for the header form. */
  expires?: number;
}

const SERVICE = "backup";
const CREDENTIAL = /^([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request$/;
const AUTH = /^AWS4-HMAC-SHA256 Credential=(\S+?),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** SigV4 caps a presigned URL's life at seven days. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60;

function first(values: readonly string[] | undefined): string | undefined {
  return values?.[0];
}

function credentialParts(credential: string, where: string): Pick<Signature, "accessKeyId" | "date" | "region" | "service"> {
  const m = CREDENTIAL.exec(credential);
  if (!m) throw badSignature(`${where} "${credential}" is not of the form <AccessKeyId>/<yyyymmdd>/<region>/${SERVICE}/aws4_request.`);
  return { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! };
}

function fromHeader(header: string, headers: SignedRequest["headers"]): Signature {
  const m = AUTH.exec(header.trim());
  if (!m) throw badSignature("The Authorization header is not a well-formed AWS4-HMAC-SHA256 signature (Credential=…, SignedHeaders=…, Signature=<64 hex digits>).");
  const amzDate = first(headers["x-amz-date"]);
  if (amzDate === undefined || !AMZ_DATE.test(amzDate)) throw badSignature("The request has no valid X-Amz-Date header (yyyymmddTHHMMSSZ).");
  return { ...credentialParts(m[1]!, "The Authorization header's Credential"), signedHeaders: m[2]!.split(";"), signature: m[3]!, amzDate };
}

/** A presigned URL's signature (X-Amz-* query parameters); `algorithm` is X-Amz-Algorithm's value. */
function fromQuery(algorithm: string, query: URLSearchParams): Signature {
  if (algorithm !== "AWS4-HMAC-SHA256") throw badSignature(`X-Amz-Algorithm "${algorithm}" is not supported; presigned URLs must use AWS4-HMAC-SHA256.`);
  const param = (name: string) => {
    const v = query.get(name);
    if (v === null || v === "") throw badSignature(`The presigned URL has no ${name} query parameter.`);
    return v;
  };
  const amzDate = param("X-Amz-Date");
  if (!AMZ_DATE.test(amzDate)) throw badSignature(`X-Amz-Date "${amzDate}" is not a yyyymmddTHHMMSSZ time.`);
  const expiresText = param("X-Amz-Expires");
  const expires = Number(expiresText);
  if (!/^\d+$/.test(expiresText) || expires < 1 || expires > MAX_EXPIRES_SECONDS) throw badSignature(`X-Amz-Expires "${expiresText}" must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS} (seven days).`);
  const signature = param("X-Amz-Signature");
  if (!/^[0-9a-f]{64}$/.test(signature)) throw badSignature("X-Amz-Signature is not 64 lower-case hex digits.");
  return { ...credentialParts(param("X-Amz-Credential"), "X-Amz-Credential"), signedHeaders: param("X-Amz-SignedHeaders").split(";"), signature, amzDate, expires };
}

function timeOf(amzDate: string): number {
  const [, y, mo, d, h, mi, s] = AMZ_DATE.exec(amzDate)!;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Refuses a request signed too far from now, or a presigned URL past its expiry. */
function checkTime(sig: Signature, nowMs: number): void {
  const signedAt = timeOf(sig.amzDate);
  if (sig.expires === undefined) {
    if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) throw badSignature(`Signature expired: X-Amz-Date ${sig.amzDate} is more than 15 minutes from the server's time ${iso(nowMs)}.`);
    return;
  }
  if (signedAt - nowMs > MAX_SKEW_MS) throw badSignature(`The presigned URL's X-Amz-Date ${sig.amzDate} is more than 15 minutes ahead of the server's time ${iso(nowMs)}.`);
  const until = signedAt + sig.expires * 1000;
  if (nowMs > until) throw badSignature(`Signature expired: the presigned URL (X-Amz-Date ${sig.amzDate}, X-Amz-Expires ${sig.expires}) expired at ${iso(until)}; the server's time is ${iso(nowMs)}.`);
}

/**
 * The payload hash the client signed: its X-Amz-Content-SHA256 (header, or query parameter of a
 * presigned URL) when it sent one, else the body's SHA-256. A declared hash that is not the
 * body's is refused rather than trusted, so the signature always covers the body that is run.
 */
function payloadHash(req: SignedRequest, query: URLSearchParams): string {
  const actual = createHash("sha256").update(req.body, "utf8").digest("hex");
  const declared = first(req.headers["x-amz-content-sha256"]) ?? query.get("X-Amz-Content-Sha256") ?? undefined;
  if (declared === undefined) return actual;
  if (/^[0-9a-fA-F]{64}$/.test(declared) && declared.toLowerCase() !== actual) {
    throw badSignature(`X-Amz-Content-SHA256 ${declared} is not the SHA-256 of the request body (${actual}).`);
  }
  return declared;
}

/** Verify the request's signature; returns the caller's credential, or throws a 403 ProtocolError. */
export async function verifySignature(req: SignedRequest, credentials: Map<string, Credential>, nowMs = Date.now()): Promise<Verified> {
  const query = new URLSearchParams(req.query);
  const header = first(req.headers.authorization);
  const algorithm = query.get("X-Amz-Algorithm");
  let sig: Signature;
  if (header !== undefined && header !== "") sig = fromHeader(header, req.headers);
  else if (algorithm !== null) sig = fromQuery(algorithm, query);
  else throw missing();

  const cred = credentials.get(sig.accessKeyId);
  if (!cred) throw unknownKey(sig.accessKeyId);
  if (sig.service !== SERVICE) throw badSignature(`Credential should be scoped to the correct service: '${SERVICE}', not '${sig.service}'.`);
  if (!REGION.test(sig.region)) throw badSignature(`Credential should be scoped to a valid region, not '${sig.region}'.`);
  if (sig.date !== sig.amzDate.slice(0, 8)) throw badSignature(`The credential scope's date ${sig.date} does not match the day of X-Amz-Date ${sig.amzDate}.`);
  checkTime(sig, nowMs);
  // AWS requires the Host header to be signed, so a signature cannot be replayed to another endpoint.
  if (!sig.signedHeaders.includes("host")) throw badSignature(`SignedHeaders (${sig.signedHeaders.join(";")}) must include host.`);
  for (const name of sig.signedHeaders) {
    if (req.headers[name] === undefined) throw badSignature(`The signed header ${name} is missing from the request.`);
  }

  const canonical = canonicalRequest({ method: req.method, path: req.path, query: req.query, headers: req.headers, signedHeaders: sig.signedHeaders, payloadHash: payloadHash(req, query) });
  const scope = `${sig.date}/${sig.region}/${sig.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", sig.amzDate, scope, createHash("sha256").update(canonical, "utf8").digest("hex")].join("\n");
  const signer = new SignatureV4({ credentials: { accessKeyId: sig.accessKeyId, secretAccessKey: cred.secretAccessKey }, region: sig.region, service: sig.service, sha256: Sha256 });
  const expected = await signer.sign(stringToSign, { signingDate: new Date(timeOf(sig.amzDate)) });
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(sig.signature))) {
    // As AWS does, show what was signed here, so a client's author can diff it against their own.
    throw badSignature(
      `The request signature we calculated does not match the signature you provided for access key ${sig.accessKeyId}. Check your AWS Secret Access Key and signing method. ` +
        `The canonical request was:\n${canonical}\nThe string to sign was:\n${stringToSign}`,
    );
  }
  return { credential: cred, region: sig.region };
}
