/** Backup job operations. */
import type { HandlerMap } from "../api/types.js";
import { backupJobListMember, describeBackupJob, requireBackupJob, startBackupJob, stopBackupJob } from "../domain/backup-jobs.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { anyOf, timeRange } from "../domain/filters.js";
import { pageSummaries, summarize } from "../domain/summaries.js";

/** How far back ListBackupJobs looks. */
const LIST_WINDOW_SECONDS = 30 * 86_400;

export const backupJobHandlers = {
  StartBackupJob: (input, ctx) => {
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
    const page = ctx.store.backupJobs.list(
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
    return pageOutput("ListBackupJobs", "BackupJobs", page, backupJobListMember);
  },

  ListBackupJobSummaries: (input, ctx) => {
    const now = ctx.clock.now();
    // Outside AWS Organizations the service counts the caller's own jobs whatever AccountId says
    // (API reference, ListBackupJobSummaries), and the emulator has no organizations.
    const jobs = ctx.store.backupJobs.all(ctx.scope, { created: { gte: now - 14 * 86_400 }, resource_type: anyOf(input.ResourceType) });
    const { period, summaries } = summarize(jobs, {
      scope: ctx.scope,
      now,
      period: input.AggregationPeriod,
      time: (j) => j.CreationDate,
      dimensions: [
        { name: "State", value: (j) => j.State, filter: input.State },
        { name: "ResourceType", value: (j) => j.ResourceType, filter: input.ResourceType },
        { name: "MessageCategory", value: (j) => j.MessageCategory, filter: input.MessageCategory },
      ],
    });
    const page = pageSummaries("ListBackupJobSummaries", summaries, input);
    return { BackupJobSummaries: page.items, AggregationPeriod: period, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
  },
} satisfies Partial<HandlerMap>;
