/**
 * Region settings (service opt-in and full-management preferences per resource type) and
 * global settings (organization-wide flags such as cross-account backup).
 *
 * Defaults follow a new account today: the long-standing types are opted in, the newer ones
 * (CloudFormation, EKS, Redshift, S3, SAP HANA, Timestream) are not; DynamoDB and EFS backups
 * are fully managed by AWS Backup (advanced DynamoDB backup is on for accounts made since 2021).
 */
import { InvalidParameterValueException } from "../../generated/errors.js";
import type { DomainContext } from "./context.js";
import { settingsDef, type SettingsRecord } from "../store/schema/settings.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { SUPPORTED_RESOURCE_TYPES } from "./resources.js";
import type { Organization } from "../config.js";
import { requireManagementAccount, requireMember } from "./organizations.js";

const OPTED_OUT_BY_DEFAULT = new Set(["CloudFormation", "EKS", "Redshift", "S3", "SAP HANA on Amazon EC2", "Timestream"]);

/** Types whose backups AWS Backup can fully manage (the "Feature availability by resource" table). */
export const MANAGEMENT_TYPES = ["CloudFormation", "DynamoDB", "EFS"] as const;

export interface RegionSettings {
  ResourceTypeOptInPreference: Record<string, boolean>;
  ResourceTypeManagementPreference: Record<string, boolean>;
}

function defaults(): RegionSettings {
  return {
    ResourceTypeOptInPreference: Object.fromEntries(SUPPORTED_RESOURCE_TYPES.map((t) => [t, !OPTED_OUT_BY_DEFAULT.has(t)])),
    ResourceTypeManagementPreference: { CloudFormation: true, DynamoDB: true, EFS: true },
  };
}

export function regionSettings(store: Store, scope: Scope): RegionSettings {
  const saved = store.table(settingsDef).get(scope, "region")?.value as Partial<RegionSettings> | undefined;
  const base = defaults();
  return {
    ResourceTypeOptInPreference: { ...base.ResourceTypeOptInPreference, ...saved?.ResourceTypeOptInPreference },
    ResourceTypeManagementPreference: { ...base.ResourceTypeManagementPreference, ...saved?.ResourceTypeManagementPreference },
  };
}

/** Whether AWS Backup protects resources of this type when a selection picks them by tag only. */
export function isOptedIn(store: Store, scope: Scope, resourceType: string): boolean {
  return regionSettings(store, scope).ResourceTypeOptInPreference[resourceType] !== false;
}

export function updateRegionSettings(ctx: DomainContext, optIn: Record<string, boolean> | undefined, management: Record<string, boolean> | undefined): void {
  const supported = new Set<string>(SUPPORTED_RESOURCE_TYPES);
  for (const t of Object.keys(optIn ?? {})) {
    if (!supported.has(t)) {
      throw new InvalidParameterValueException(`ResourceTypeOptInPreference: "${t}" is not a resource type AWS Backup supports; supported types are ${SUPPORTED_RESOURCE_TYPES.join(", ")}.`);
    }
  }
  for (const t of Object.keys(management ?? {})) {
    if (!(MANAGEMENT_TYPES as readonly string[]).includes(t)) {
      throw new InvalidParameterValueException(`ResourceTypeManagementPreference: full AWS Backup management is not available for "${t}"; it is for ${MANAGEMENT_TYPES.join(", ")}.`);
    }
  }
  const table = ctx.store.table(settingsDef);
  ctx.store.transaction(() => {
    const current = (table.get(ctx.scope, "region")?.value ?? {}) as Partial<RegionSettings>;
    const next: SettingsRecord = {
      name: "region",
      value: {
        ResourceTypeOptInPreference: { ...current.ResourceTypeOptInPreference, ...optIn },
        ResourceTypeManagementPreference: { ...current.ResourceTypeManagementPreference, ...management },
      },
      LastUpdateTime: ctx.clock.now(),
    };
    table.put(ctx.scope, next);
  });
}

// ---- global settings ----

/** Organization-wide flags and their defaults ("true"/"false" strings, as the API carries them). */
export const GLOBAL_SETTINGS: Record<string, string> = {
  isCrossAccountBackupEnabled: "false",
  isDelegatedAdministratorEnabled: "false",
  isMpaEnabled: "false",
};

/**
 * Global settings belong to the organization, set by its management account for all its
 * accounts and every region: stored once, under the management account and no region.
 */
const globalScope = (org: Organization): Scope => ({ accountId: org.managementAccountId, region: "*" });

function readGlobal(store: Store, org: Organization): { GlobalSettings: Record<string, string>; LastUpdateTime?: number } {
  const saved = store.table(settingsDef).get(globalScope(org), "global");
  return {
    GlobalSettings: { ...GLOBAL_SETTINGS, ...(saved?.value as Record<string, string> | undefined) },
    ...(saved?.LastUpdateTime !== undefined ? { LastUpdateTime: saved.LastUpdateTime } : {}),
  };
}

/** DescribeGlobalSettings: for members of an organization only (API reference). */
export function globalSettings(ctx: Pick<DomainContext, "store" | "scope" | "config">): { GlobalSettings: Record<string, string>; LastUpdateTime?: number } {
  return readGlobal(ctx.store, requireMember(ctx.config, ctx.scope.accountId));
}

/** Whether the organization lets its accounts copy backups to each other's vaults. */
export function crossAccountBackupEnabled(store: Store, org: Organization): boolean {
  return readGlobal(store, org).GlobalSettings.isCrossAccountBackupEnabled === "true";
}

/** UpdateGlobalSettings: for the organization's management account only (API reference). */
export function updateGlobalSettings(ctx: DomainContext, settings: Record<string, string> | undefined): void {
  const org = requireManagementAccount(ctx.config, ctx.scope.accountId);
  for (const [k, v] of Object.entries(settings ?? {})) {
    if (!(k in GLOBAL_SETTINGS)) throw new InvalidParameterValueException(`GlobalSettings: "${k}" is not a global setting; valid settings are ${Object.keys(GLOBAL_SETTINGS).join(", ")}.`);
    if (v !== "true" && v !== "false") throw new InvalidParameterValueException(`GlobalSettings.${k} must be "true" or "false", got "${v}".`);
  }
  const table = ctx.store.table(settingsDef);
  const scope = globalScope(org);
  ctx.store.transaction(() => {
    const current = (table.get(scope, "global")?.value ?? {}) as Record<string, string>;
    table.put(scope, { name: "global", value: { ...current, ...settings }, LastUpdateTime: ctx.clock.now() });
  });
}
