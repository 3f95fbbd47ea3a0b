/** Restore job operations, and the restore metadata of recovery points. */
import type { HandlerMap } from "../api/types.js";
import { listJobSummaries } from "../domain/summaries.js";
import { ownerScope } from "../domain/vaults.js";
import { timeRange } from "../domain/filters.js";
import { jsonPageOutput, pageArgs } from "../domain/pagination.js";
import { requireRecoveryPoint } from "../domain/recovery-points.js";
import {
  describeRestoreJob,
  putRestoreValidationResult,
  requireRestoreJob,
  restoreJobs,
  startRestoreJob,
} from "../domain/restore-jobs.js";
import { offeredRestoreMetadata } from "../domain/transfers.js";
import { authorizeOnRecoveryPoint, requireVaultFor } from "../domain/vault-policy.js";


export const restoreJobHandlers = {
  StartRestoreJob: (input, ctx) => {
    authorizeOnRecoveryPoint(ctx, "backup:StartRestoreJob", input.RecoveryPointArn);
    const job = startRestoreJob(ctx, input);
    return { RestoreJobId: job.RestoreJobId };
  },

  DescribeRestoreJob: (input, ctx) => describeRestoreJob(requireRestoreJob(ctx.store, ctx.scope, input.RestoreJobId)),

  GetRestoreJobMetadata: (input, ctx) => {
    const job = requireRestoreJob(ctx.store, ctx.scope, input.RestoreJobId);
    return { RestoreJobId: job.RestoreJobId, Metadata: job.Metadata };
  },

  PutRestoreValidationResult: (input, ctx) => {
    putRestoreValidationResult(ctx, input.RestoreJobId, input.ValidationStatus, input.ValidationStatusMessage);
  },

  GetRecoveryPointRestoreMetadata: (input, ctx) => {
    const scope = ownerScope(ctx, input.BackupVaultName, input.BackupVaultAccountId);
    const vault = requireVaultFor(ctx, "backup:GetRecoveryPointRestoreMetadata", input.BackupVaultName, input.RecoveryPointArn, scope);
    const rp = requireRecoveryPoint(ctx.store, scope, vault.BackupVaultName, input.RecoveryPointArn);
    return {
      BackupVaultArn: vault.BackupVaultArn,
      RecoveryPointArn: rp.RecoveryPointArn,
      ResourceType: rp.ResourceType,
      RestoreMetadata: offeredRestoreMetadata(ctx.store, scope, rp),
    };
  },

  ListRestoreJobs: (input, ctx) => {
    const { limit, after } = pageArgs("ListRestoreJobs", input);
    // Without AWS Organizations the caller sees its own account's jobs only.
    if (input.ByAccountId && input.ByAccountId !== ctx.scope.accountId) return { RestoreJobs: [] };
    const page = restoreJobs(ctx.store).listJson(
      "list",
      ctx.scope,
      {
        resource_type: input.ByResourceType,
        status: input.ByStatus,
        restore_testing_plan_arn: input.ByRestoreTestingPlanArn,
        parent_id: input.ByParentJobId,
        created: timeRange(input.ByCreatedAfter, input.ByCreatedBefore),
        completed: timeRange(input.ByCompleteAfter, input.ByCompleteBefore),
      },
      limit,
      after,
    );
    return jsonPageOutput("ListRestoreJobs", "RestoreJobs", page);
  },

  ListRestoreJobsByProtectedResource: (input, ctx) => {
    const { limit, after } = pageArgs("ListRestoreJobsByProtectedResource", input);
    const page = restoreJobs(ctx.store).listJson(
      "list",
      ctx.scope,
      {
        source_resource_arn: input.ResourceArn,
        status: input.ByStatus,
        recovery_point_created: timeRange(input.ByRecoveryPointCreationDateAfter, input.ByRecoveryPointCreationDateBefore),
      },
      limit,
      after,
    );
    return jsonPageOutput("ListRestoreJobsByProtectedResource", "RestoreJobs", page);
  },

  ListRestoreJobSummaries: (input, ctx) => {
    const s = listJobSummaries(ctx, restoreJobs(ctx.store), "ListRestoreJobSummaries", input, [
      { name: "State", value: (j) => j.Status, filter: input.State },
      { name: "ResourceType", value: (j) => j.ResourceType, filter: input.ResourceType },
    ]);
    return { RestoreJobSummaries: s.items, AggregationPeriod: s.period, ...(s.NextToken ? { NextToken: s.NextToken } : {}) };
  },
} satisfies Partial<HandlerMap>;
