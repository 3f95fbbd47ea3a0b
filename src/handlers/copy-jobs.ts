/** Copy job operations. */
import type { HandlerMap } from "../api/types.js";
import { copyJobs, copyJobShape, requireCopyJob, startCopyJob } from "../domain/copy-jobs.js";
import { anyOf, timeRange } from "../domain/filters.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { pageSummaries, summarize } from "../domain/summaries.js";

const DAY = 86_400;

export const copyJobHandlers = {
  StartCopyJob: (input, ctx) => {
    const job = startCopyJob(ctx, input);
    return { CopyJobId: job.CopyJobId, CreationDate: job.CreationDate, IsParent: false };
  },

  DescribeCopyJob: (input, ctx) => ({ CopyJob: copyJobShape(requireCopyJob(ctx.store, ctx.scope, input.CopyJobId)) }),

  ListCopyJobs: (input, ctx) => {
    const { limit, after } = pageArgs("ListCopyJobs", input);
    // Without AWS Organizations the caller sees only its own account's jobs.
    if (input.ByAccountId !== undefined && input.ByAccountId !== ctx.scope.accountId) return { CopyJobs: [] };
    const page = copyJobs(ctx.store).list(
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
    return pageOutput("ListCopyJobs", "CopyJobs", page, copyJobShape);
  },

  ListCopyJobSummaries: (input, ctx) => {
    const now = ctx.clock.now();
    const mine = !input.AccountId || input.AccountId === ctx.scope.accountId;
    const jobs = mine ? copyJobs(ctx.store).all(ctx.scope, { created: { gte: now - 14 * DAY }, resource_type: anyOf(input.ResourceType) }) : [];
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
    const page = pageSummaries("ListCopyJobSummaries", summaries, input);
    return { CopyJobSummaries: page.items, AggregationPeriod: period, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
  },
} satisfies Partial<HandlerMap>;
