/**
 * The headers a real AWS SDK sends, with a genuine SigV4 signature. One request per scenario
 * and server is signed ahead of the load; requests whose body or name varies reuse its headers,
 * which only matters to an emulator that verifies signatures (the benchmark runs with
 * verification off, where the edge still parses the Authorization header for its scope).
 */
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "../../src/protocol/auth.js";

export const REGION = "us-east-1";
/** Not a 12-digit number, so it maps to the emulator's default account. */
export const DEFAULT_ACCESS_KEY = "AKIDEXAMPLE";

export interface Unsigned {
  method: string;
  /** Path and query as sent on the wire. */
  path: string;
  body?: string;
}

/**
 * Headers for `req` sent to `host` (host:port): the SDK's own set (user agent, invocation id,
 * retry info), the JSON content type when there is a body, x-amz-date and Authorization.
 */
export async function signedHeaders(req: Unsigned, host: string, accessKeyId = DEFAULT_ACCESS_KEY): Promise<Record<string, string>> {
  const url = new URL(req.path, `http://${host}`);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const headers: Record<string, string> = {
    host,
    "user-agent": "aws-sdk-js/3.1092.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/backup#3.1092.0 m/E",
    "x-amz-user-agent": "aws-sdk-js/3.1092.0",
    "amz-sdk-invocation-id": "3f1b6a52-2c1d-4c4e-9c36-0d1f5f0a8b7e",
    "amz-sdk-request": "attempt=1; max=3",
  };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    region: REGION,
    service: "backup",
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: req.method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  // autocannon writes its own Host line from the URL; a second one would be a malformed request.
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== "host") out[k] = v;
  return out;
}
