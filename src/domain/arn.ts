/** ARN building and parsing (arn:partition:service:region:account:resource). */
import type { Scope } from "../store/table.js";

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. `backup-vault:name` or `volume/vol-1`. */
  resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || !parts[1] || !parts[2]) return undefined;
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(":");
  if (!resource) return undefined;
  return { partition, service, region, account, resource };
}

export const backupArn = (scope: Scope, resource: string): string => `arn:aws:backup:${scope.region}:${scope.accountId}:${resource}`;

export const vaultArn = (scope: Scope, name: string): string => backupArn(scope, `backup-vault:${name}`);
export const planArn = (scope: Scope, id: string): string => backupArn(scope, `backup-plan:${id}`);

/** The Backup resource kind and id an arn:aws:backup ARN names (`backup-vault`, `name`). */
export function backupResource(arn: Arn): { kind: string; id: string } | undefined {
  if (arn.service !== "backup") return undefined;
  const i = arn.resource.indexOf(":");
  if (i <= 0) return undefined;
  return { kind: arn.resource.slice(0, i), id: arn.resource.slice(i + 1) };
}

/** The vault name from a vault ARN, when the ARN is one. */
export function vaultFromArn(text: string): { scope: Scope; name: string } | undefined {
  const arn = parseArn(text);
  const res = arn && backupResource(arn);
  if (!arn || !res || res.kind !== "backup-vault" || !/^\d{12}$/.test(arn.account)) return undefined;
  return { scope: { accountId: arn.account, region: arn.region }, name: res.id };
}

/** What the service accepts as an IAM role ARN. */
export const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
