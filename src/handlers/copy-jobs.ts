/** Copy job operations. */
import type { HandlerMap } from "../api/types.js";
import { listJobSummaries } from "../domain/summaries.js";
import { copyJobs, requireCopyJob, startCopyJob } from "../domain/copy-jobs.js";
import { copyJobShape } from "../domain/list-members.js";
import { anyOf, timeRange } from "../domain/filters.js";
import { jsonPageOutput, pageArgs } from "../domain/pagination.js";
import { authorizeOnVault, requireVaultFor } from "../domain/vault-policy.js";


export const copyJobHandlers = {
  StartCopyJob: (input, ctx) => {
    // The source vault's policy governs both the job and taking the copy out of it, with the
    // destination as backup:CopyTargets (service authorization reference, CopyFromBackupVault).
    const source = requireVaultFor(ctx, "backup:StartCopyJob", input.SourceBackupVaultName, input.RecoveryPointArn);
    authorizeOnVault(ctx, source, "backup:CopyFromBackupVault", input.RecoveryPointArn, { "backup:CopyTargets": [input.DestinationBackupVaultArn] });
    const job = startCopyJob(ctx, input);
    return { CopyJobId: job.CopyJobId, CreationDate: job.CreationDate, IsParent: false };
  },

  DescribeCopyJob: (input, ctx) => ({ CopyJob: copyJobShape(requireCopyJob(ctx.store, ctx.scope, input.CopyJobId)) }),

  ListCopyJobs: (input, ctx) => {
    const { limit, after } = pageArgs("ListCopyJobs", input);
    // Without AWS Organizations the caller sees only its own account's jobs.
    if (input.ByAccountId !== undefined && input.ByAccountId !== ctx.scope.accountId) return { CopyJobs: [] };
    const page = copyJobs(ctx.store).listJson(
      "list",
      ctx.scope,
      {
        resource_arn: input.ByResourceArn,
        state: input.ByState,
        resource_type: input.ByResourceType,
        destination_vault_arn: input.ByDestinationVaultArn,
        source_recovery_point_arn: input.BySourceRecoveryPointArn,
        parent_id: input.ByParentJobId,
        message_category: anyOf(input.ByMessageCategory),
        created: timeRange(input.ByCreatedAfter, input.ByCreatedBefore),
        completed: timeRange(input.ByCompleteAfter, input.ByCompleteBefore),
      },
      limit,
      after,
    );
    return jsonPageOutput("ListCopyJobs", "CopyJobs", page);
  },

  ListCopyJobSummaries: (input, ctx) => {
    const s = listJobSummaries(ctx, copyJobs(ctx.store), "ListCopyJobSummaries", input, [
      { name: "State", value: (j) => j.State, filter: input.State },
      { name: "ResourceType", value: (j) => j.ResourceType, filter: input.ResourceType },
      { name: "MessageCategory", value: (j) => j.MessageCategory, filter: input.MessageCategory },
    ]);
    return { CopyJobSummaries: s.items, AggregationPeriod: s.period, ...(s.NextToken ? { NextToken: s.NextToken } : {}) };
  },
} satisfies Partial<HandlerMap>;
