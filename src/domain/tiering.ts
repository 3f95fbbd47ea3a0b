/**
 * Tiering configurations: which S3 backups move to the low-cost warm storage tier, and after how
 * many days (Developer Guide, "Backup tiering"). A configuration applies to one vault or, with
 * BackupVaultName "*", to every vault (the default configuration). Each vault has at most one
 * vault-specific configuration besides the default one; a configuration holds at most 5 resource
 * selections and at most 100 specific resources across them.
 */
import { AlreadyExistsException, InvalidParameterValueException, LimitExceededException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import type { DomainContext } from "./context.js";
import type { Tags } from "../store/records.js";
import { tieringConfigurationsDef, type TieringConfigurationRecord } from "../store/schema/tiering-scans.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { backupArn } from "./arn.js";
import { hex, validateCreatorRequestId } from "./ids.js";
import { resourceTypeOf } from "./resources.js";
import { setTagsOnCreate, type TaggableLookup } from "./tags.js";
import { shape } from "./util.js";

/** BackupVaultName of the configuration that applies to every vault. */
export const ALL_VAULTS = "*";
/** Limits from the Developer Guide, "Backup tiering" (configuration constraints). */
export const MAX_RESOURCE_SELECTIONS = 5;
export const MAX_SPECIFIC_RESOURCES = 100;
/** "For tiering configurations, this is currently limited to S3" (API reference, ResourceSelection). */
const TIERABLE_RESOURCE_TYPES = new Set(["S3"]);

export const tieringConfigurations = (store: Store) => store.table(tieringConfigurationsDef);

/**
 * `arn:aws:backup:<region>:<account>:tiering-configuration:<name>-<id>` (Service Authorization
 * Reference, AWS Backup resource types). Names allow only letters, digits and `_`, so the first
 * `-` separates the name from the id; a new id per creation keeps a re-created name distinct.
 */
const tieringConfigurationArn = (scope: Scope, name: string): string => backupArn(scope, `tiering-configuration:${name}-${hex(8)}`);

/** Taggable kind `tiering-configuration` (src/domain/tagging.ts). */
export const tieringConfigurationExists: TaggableLookup = (store, scope, id, arn) => {
  const name = id.split("-")[0] ?? "";
  return tieringConfigurations(store).get(scope, name)?.TieringConfigurationArn === arn;
};

export function requireTieringConfiguration(store: Store, scope: Scope, name: string): TieringConfigurationRecord {
  const t = tieringConfigurations(store).get(scope, name);
  if (!t) throw new ResourceNotFoundException(`Tiering configuration ${name} does not exist in account ${scope.accountId} and region ${scope.region}.`, { Context: name });
  return t;
}

function validateResourceSelection(selections: Shapes["ResourceSelection"][]): void {
  if (selections.length === 0) throw new InvalidParameterValueException("ResourceSelection must hold at least one resource selection.");
  if (selections.length > MAX_RESOURCE_SELECTIONS) {
    throw new LimitExceededException(`ResourceSelection holds ${selections.length} resource selections; a tiering configuration allows at most ${MAX_RESOURCE_SELECTIONS}.`);
  }
  const seen = new Set<string>();
  let specific = 0;
  for (const [i, s] of selections.entries()) {
    const where = `ResourceSelection[${i}]`;
    if (!TIERABLE_RESOURCE_TYPES.has(s.ResourceType)) {
      throw new InvalidParameterValueException(`${where}.ResourceType "${s.ResourceType}" cannot be tiered; tiering configurations support only S3.`);
    }
    if (s.Resources.length === 0) throw new InvalidParameterValueException(`${where}.Resources must hold "*" or at least one resource ARN.`);
    // "*" selects every resource of the type, so listing ARNs beside it would be meaningless.
    if (s.Resources.includes("*") && s.Resources.length > 1) {
      throw new InvalidParameterValueException(`${where}.Resources combines "*" with specific resource ARNs; use either "*" or a list of ARNs.`);
    }
    for (const r of s.Resources) {
      if (r !== "*" && resourceTypeOf(r) !== s.ResourceType) {
        throw new InvalidParameterValueException(`${where}.Resources: "${r}" is not the ARN of an ${s.ResourceType} resource (for example arn:aws:s3:::my-bucket).`);
      }
      // One resource can have only one tiering setting within a configuration.
      if (seen.has(r)) throw new InvalidParameterValueException(`${where}.Resources: "${r}" is already selected by another resource selection of this configuration.`);
      seen.add(r);
      if (r !== "*") specific++;
    }
  }
  if (specific > MAX_SPECIFIC_RESOURCES) {
    throw new LimitExceededException(`ResourceSelection names ${specific} specific resources; a tiering configuration allows at most ${MAX_SPECIFIC_RESOURCES} across its selections.`);
  }
}

/**
 * The vault a configuration targets must exist unless it is "*"; CreateTieringConfiguration
 * models no ResourceNotFoundException, so an unknown vault is an invalid parameter value.
 */
function validateTarget(ctx: DomainContext, vaultName: string, self: string | undefined): void {
  const { store, scope } = ctx;
  if (vaultName !== ALL_VAULTS && !store.vaults.has(scope, vaultName)) {
    throw new InvalidParameterValueException(`BackupVaultName: backup vault ${vaultName} does not exist in account ${scope.accountId} and region ${scope.region}.`);
  }
  const other = tieringConfigurations(store)
    .all(scope, { vault: vaultName })
    .find((t) => t.TieringConfigurationName !== self);
  if (other) {
    const target = vaultName === ALL_VAULTS ? "all backup vaults (*)" : `backup vault ${vaultName}`;
    throw new AlreadyExistsException(`Tiering configuration ${other.TieringConfigurationName} already applies to ${target}; a vault can have only one tiering configuration.`, {
      Arn: other.TieringConfigurationArn,
      ...(other.CreatorRequestId !== undefined ? { CreatorRequestId: other.CreatorRequestId } : {}),
    });
  }
}

export interface NewTieringConfiguration {
  TieringConfiguration: Shapes["TieringConfigurationInputForCreate"];
  TieringConfigurationTags?: Tags;
  CreatorRequestId?: string;
}

export function createTieringConfiguration(ctx: DomainContext, req: NewTieringConfiguration): TieringConfigurationRecord {
  const { store, scope } = ctx;
  const input = req.TieringConfiguration;
  validateCreatorRequestId(req.CreatorRequestId);
  validateResourceSelection(input.ResourceSelection);
  return store.transaction(() => {
    const table = tieringConfigurations(store);
    const existing = table.get(scope, input.TieringConfigurationName);
    if (existing) {
      throw new AlreadyExistsException(`Tiering configuration ${input.TieringConfigurationName} already exists.`, {
        Arn: existing.TieringConfigurationArn,
        ...(existing.CreatorRequestId !== undefined ? { CreatorRequestId: existing.CreatorRequestId } : {}),
      });
    }
    validateTarget(ctx, input.BackupVaultName, undefined);
    const now = ctx.clock.now();
    const record: TieringConfigurationRecord = {
      TieringConfigurationName: input.TieringConfigurationName,
      TieringConfigurationArn: tieringConfigurationArn(scope, input.TieringConfigurationName),
      BackupVaultName: input.BackupVaultName,
      ResourceSelection: input.ResourceSelection,
      CreationTime: now,
      LastUpdatedTime: now,
      ...(req.CreatorRequestId !== undefined ? { CreatorRequestId: req.CreatorRequestId } : {}),
    };
    setTagsOnCreate(ctx, record.TieringConfigurationArn, req.TieringConfigurationTags, "TieringConfigurationTags");
    table.insert(scope, record);
    return record;
  });
}

/** UpdateTieringConfiguration: the vault and the resource selections are replaced as a whole. */
export function updateTieringConfiguration(ctx: DomainContext, name: string, input: Shapes["TieringConfigurationInputForUpdate"]): TieringConfigurationRecord {
  const { store, scope } = ctx;
  validateResourceSelection(input.ResourceSelection);
  return store.transaction(() => {
    const current = requireTieringConfiguration(store, scope, name);
    validateTarget(ctx, input.BackupVaultName, name);
    const updated: TieringConfigurationRecord = {
      ...current,
      BackupVaultName: input.BackupVaultName,
      ResourceSelection: input.ResourceSelection,
      LastUpdatedTime: ctx.clock.now(),
    };
    tieringConfigurations(store).put(scope, updated);
    return updated;
  });
}

export function deleteTieringConfiguration(ctx: DomainContext, name: string): void {
  const { store, scope } = ctx;
  store.transaction(() => {
    const t = requireTieringConfiguration(store, scope, name);
    tieringConfigurations(store).delete(scope, name);
    store.deleteTags(t.TieringConfigurationArn);
  });
}

export const tieringConfigurationShape = (t: TieringConfigurationRecord): Shapes["TieringConfiguration"] => shape("TieringConfiguration", t);
export const tieringConfigurationListMember = (t: TieringConfigurationRecord): Shapes["TieringConfigurationsListMember"] => shape("TieringConfigurationsListMember", t);
