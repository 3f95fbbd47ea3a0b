/** Malware scan job operations. */
import type { HandlerMap } from "../api/types.js";
import { listJobSummaries } from "../domain/summaries.js";
import { anyOf, timeRange } from "../domain/filters.js";
import { jsonPageOutput, pageArgs } from "../domain/pagination.js";
import { describeScanJob, pitrScanResult, requireScanJob, scanJobs, startScanJob } from "../domain/scans.js";

const DAY = 86_400;
/** ListScanJobs covers the last 30 days (API reference, ListScanJobs). */
const LIST_WINDOW_DAYS = 30;

export const scanHandlers = {
  StartScanJob: (input, ctx) => {
    const job = startScanJob(ctx, input);
    return { ScanJobId: job.ScanJobId, CreationDate: job.CreationDate };
  },

  DescribeScanJob: (input, ctx) => describeScanJob(requireScanJob(ctx.store, ctx.scope, input.ScanJobId)),

  ListScanJobs: (input, ctx) => {
    const { limit, after } = pageArgs("ListScanJobs", input);
    // Without AWS Organizations the caller sees its own account's jobs; "*" means all of them.
    if (input.ByAccountId && input.ByAccountId !== "*" && input.ByAccountId !== ctx.scope.accountId) return { ScanJobs: [] };
    const page = scanJobs(ctx.store).listJson(
      "list",
      ctx.scope,
      {
        created: { gte: ctx.clock.now() - LIST_WINDOW_DAYS * DAY },
        vault: input.ByBackupVaultName,
        completed: timeRange(input.ByCompleteAfter, input.ByCompleteBefore),
        malware_scanner: input.ByMalwareScanner,
        recovery_point_arn: input.ByRecoveryPointArn,
        resource_arn: input.ByResourceArn,
        resource_type: input.ByResourceType,
        scan_result_status: input.ByScanResultStatus,
        state: input.ByState,
      },
      limit,
      after,
    );
    return jsonPageOutput("ListScanJobs", "ScanJobs", page);
  },

  ListScanJobSummaries: (input, ctx) => {
    const s = listJobSummaries(ctx, scanJobs(ctx.store), "ListScanJobSummaries", input, [
      { name: "State", value: (j) => j.State, filter: input.State },
      { name: "ResourceType", value: (j) => j.ResourceType, filter: input.ResourceType },
      { name: "MalwareScanner", value: (j) => j.MalwareScanner, filter: input.MalwareScanner },
      { name: "ScanResultStatus", value: (j) => j.ScanResult?.ScanResultStatus, filter: input.ScanResultStatus },
    ], { state: anyOf(input.State), malware_scanner: anyOf(input.MalwareScanner), scan_result_status: anyOf(input.ScanResultStatus) });
    return { ScanJobSummaries: s.items, AggregationPeriod: s.period, ...(s.NextToken ? { NextToken: s.NextToken } : {}) };
  },

  GetPITRMalwareScanResults: (input, ctx) => pitrScanResult(ctx, input),
} satisfies Partial<HandlerMap>;
