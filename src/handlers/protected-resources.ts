/** Protected resources, recovery points by resource, and managing existing recovery points (lifecycle, disassociation, indexes). */
import type { HandlerMap } from "../api/types.js";
import { ownerScope } from "../domain/vaults.js";
import { timeRange } from "../domain/filters.js";
import { jsonPageOutput, pageArgs, pageOutput } from "../domain/pagination.js";
import {
  describeProtectedResource,
  MANAGED_BY_BACKUP,
  protectedResource,
  requireSupportedResourceArn,
} from "../domain/protected-resources.js";
import { indexDetails, indexedRecoveryPoint, updateIndexSettings, validateIndexedResourceType } from "../domain/recovery-point-index.js";
import { disassociateFromParent, disassociateRecoveryPoint, updateRecoveryPointLifecycle } from "../domain/recovery-point-management.js";
import { requireVaultFor } from "../domain/vault-policy.js";
import { latestRecoveryPointPerResource } from "../store/queries.js";

export const protectedResourceHandlers = {
  ListProtectedResources: (input, ctx) => {
    const { limit, after } = pageArgs("ListProtectedResources", input);
    const page = latestRecoveryPointPerResource(ctx.store, ctx.scope, { limit, after });
    return pageOutput("ListProtectedResources", "Results", page, protectedResource);
  },

  ListProtectedResourcesByBackupVault: (input, ctx) => {
    const scope = ownerScope(ctx, input.BackupVaultName, input.BackupVaultAccountId);
    requireVaultFor(ctx, "backup:ListProtectedResourcesByBackupVault", input.BackupVaultName, undefined, scope);
    const { limit, after } = pageArgs("ListProtectedResourcesByBackupVault", input);
    const page = latestRecoveryPointPerResource(ctx.store, scope, { vault: input.BackupVaultName, limit, after });
    return pageOutput("ListProtectedResourcesByBackupVault", "Results", page, protectedResource);
  },

  DescribeProtectedResource: (input, ctx) => describeProtectedResource(ctx.store, ctx.scope, input.ResourceArn),

  ListRecoveryPointsByResource: (input, ctx) => {
    requireSupportedResourceArn(input.ResourceArn);
    const { limit, after } = pageArgs("ListRecoveryPointsByResource", input);
    const page = ctx.store.recoveryPoints.listJson(
      "by_resource",
      ctx.scope,
      { resource_arn: input.ResourceArn, arn: input.ManagedByAWSBackupOnly ? MANAGED_BY_BACKUP : undefined },
      limit,
      after,
    );
    return jsonPageOutput("ListRecoveryPointsByResource", "RecoveryPoints", page);
  },

  UpdateRecoveryPointLifecycle: (input, ctx) => {
    const rp = updateRecoveryPointLifecycle(ctx, input.BackupVaultName, input.RecoveryPointArn, input.Lifecycle);
    return { BackupVaultArn: rp.BackupVaultArn, RecoveryPointArn: rp.RecoveryPointArn, Lifecycle: rp.Lifecycle, CalculatedLifecycle: rp.CalculatedLifecycle };
  },

  DisassociateRecoveryPoint: (input, ctx) => {
    disassociateRecoveryPoint(ctx, input.BackupVaultName, input.RecoveryPointArn);
  },

  DisassociateRecoveryPointFromParent: (input, ctx) => {
    disassociateFromParent(ctx, input.BackupVaultName, input.RecoveryPointArn);
  },

  UpdateRecoveryPointIndexSettings: (input, ctx) => updateIndexSettings(ctx, input),

  GetRecoveryPointIndexDetails: (input, ctx) => {
    requireVaultFor(ctx, "backup:GetRecoveryPointIndexDetails", input.BackupVaultName, input.RecoveryPointArn);
    return indexDetails(ctx.store, ctx.scope, input.BackupVaultName, input.RecoveryPointArn);
  },

  ListIndexedRecoveryPoints: (input, ctx) => {
    validateIndexedResourceType(input.ResourceType);
    const { limit, after } = pageArgs("ListIndexedRecoveryPoints", input);
    const page = ctx.store.recoveryPoints.list(
      ctx.scope,
      {
        // Without a status filter: every point that has an index, whatever its state.
        index_status: input.IndexStatus ?? { not: null },
        resource_arn: input.SourceResourceArn,
        resource_type: input.ResourceType,
        created: timeRange(input.CreatedAfter, input.CreatedBefore),
      },
      limit,
      after,
    );
    return pageOutput("ListIndexedRecoveryPoints", "IndexedRecoveryPoints", page, indexedRecoveryPoint);
  },
} satisfies Partial<HandlerMap>;
