/** Backup job operations. */
import type { HandlerMap } from "../api/types.js";
import { listJobSummaries } from "../domain/summaries.js";
import { describeBackupJob, requireBackupJob, startBackupJob, stopBackupJob } from "../domain/backup-jobs.js";
import { jsonPageOutput, pageArgs } from "../domain/pagination.js";
import { anyOf, timeRange } from "../domain/filters.js";
import { requireVaultFor } from "../domain/vault-policy.js";

/** How far back ListBackupJobs looks. */
const LIST_WINDOW_SECONDS = 30 * 86_400;

export const backupJobHandlers = {
  StartBackupJob: (input, ctx) => {
    requireVaultFor(ctx, "backup:StartBackupJob", input.BackupVaultName);
    const job = startBackupJob(ctx, input);
    return { BackupJobId: job.BackupJobId, RecoveryPointArn: job.RecoveryPointArn, CreationDate: job.CreationDate, IsParent: false };
  },

  DescribeBackupJob: (input, ctx) => describeBackupJob(requireBackupJob(ctx.store, ctx.scope, input.BackupJobId)),

  StopBackupJob: (input, ctx) => {
    stopBackupJob(ctx, input.BackupJobId);
  },

  ListBackupJobs: (input, ctx) => {
    const { limit, after } = pageArgs("ListBackupJobs", input);
    // Without AWS Organizations the caller sees its own account's jobs; "*" means all of them.
    if (input.ByAccountId && input.ByAccountId !== "*" && input.ByAccountId !== ctx.scope.accountId) return { BackupJobs: [] };
    const page = ctx.store.backupJobs.listJson(
      "list",
      ctx.scope,
      {
        resource_arn: input.ByResourceArn,
        state: input.ByState,
        vault: input.ByBackupVaultName,
        resource_type: input.ByResourceType,
        parent_id: input.ByParentJobId,
        message_category: anyOf(input.ByMessageCategory),
        // The service lists the jobs of the last 30 days only (API reference, ListBackupJobs).
        created: {
          gte: ctx.clock.now() - LIST_WINDOW_SECONDS,
          ...(input.ByCreatedAfter !== undefined ? { gt: input.ByCreatedAfter } : {}),
          ...(input.ByCreatedBefore !== undefined ? { lt: input.ByCreatedBefore } : {}),
        },
        completed: timeRange(input.ByCompleteAfter, input.ByCompleteBefore),
      },
      limit,
      after,
    );
    return jsonPageOutput("ListBackupJobs", "BackupJobs", page);
  },

  ListBackupJobSummaries: (input, ctx) => {
    const s = listJobSummaries(ctx, ctx.store.backupJobs, "ListBackupJobSummaries", input, [
      { name: "State", value: (j) => j.State, filter: input.State },
      { name: "ResourceType", value: (j) => j.ResourceType, filter: input.ResourceType },
      { name: "MessageCategory", value: (j) => j.MessageCategory, filter: input.MessageCategory },
    ]);
    return { BackupJobSummaries: s.items, AggregationPeriod: s.period, ...(s.NextToken ? { NextToken: s.NextToken } : {}) };
  },
} satisfies Partial<HandlerMap>;
