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
