/**
 * AWS Organizations as the emulator models it: at most one organization, set by the
 * ORGANIZATION setting (docs/organizations.md). Accounts outside it belong to none.
 */
import { InvalidRequestException } from "../../generated/errors.js";
import type { Config, Organization } from "../config.js";

/** The organization `accountId` belongs to, if any. */
export function organizationOf(config: Pick<Config, "organization">, accountId: string): Organization | undefined {
  const org = config.organization;
  return org?.accountIds.includes(accountId) ? org : undefined;
}

/** The caller's organization; InvalidRequestException when it has none (DescribeGlobalSettings). */
export function requireMember(config: Pick<Config, "organization">, accountId: string): Organization {
  const org = organizationOf(config, accountId);
  if (!org) {
    throw new InvalidRequestException(
      `Account ${accountId} is not a member of an organization in AWS Organizations; global settings exist only for organization members (the emulator's ORGANIZATION setting lists them).`,
    );
  }
  return org;
}

/** The caller's organization when it is its management account; InvalidRequestException otherwise (UpdateGlobalSettings). */
export function requireManagementAccount(config: Pick<Config, "organization">, accountId: string): Organization {
  const org = requireMember(config, accountId);
  if (org.managementAccountId !== accountId) {
    throw new InvalidRequestException(
      `Account ${accountId} is not the management account of organization ${org.id}; only the management account ${org.managementAccountId} can update global settings.`,
    );
  }
  return org;
}
