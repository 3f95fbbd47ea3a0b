/** Audit manager operations: frameworks, report plans and report jobs. */
import type { HandlerMap } from "../api/types.js";
import { timeRange } from "../domain/filters.js";
import {
  createFramework,
  deleteFramework,
  describeFramework,
  frameworkListMember,
  frameworkTable,
  requireFramework,
  updateFramework,
} from "../domain/frameworks.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { createReportPlan, deleteReportPlan, reportPlanOutput, reportPlanTable, requireReportPlan, updateReportPlan } from "../domain/report-plans.js";
import { reportJobOutput, reportJobTable, requireReportJob, startReportJob, validateReportJobStatus } from "../domain/reports.js";

export const auditHandlers = {
  CreateFramework: (input, ctx) => {
    const f = createFramework(ctx, input);
    return { FrameworkName: f.FrameworkName, FrameworkArn: f.FrameworkArn };
  },

  DescribeFramework: (input, ctx) => describeFramework(requireFramework(ctx.store, ctx.scope, input.FrameworkName)),

  UpdateFramework: (input, ctx) => {
    const f = updateFramework(ctx, input);
    return { FrameworkName: f.FrameworkName, FrameworkArn: f.FrameworkArn, CreationTime: f.CreationTime };
  },

  DeleteFramework: (input, ctx) => {
    deleteFramework(ctx, input.FrameworkName);
  },

  ListFrameworks: (input, ctx) => {
    const { limit, after } = pageArgs("ListFrameworks", input);
    return pageOutput("ListFrameworks", "Frameworks", frameworkTable(ctx.store).list(ctx.scope, {}, limit, after), frameworkListMember);
  },

  CreateReportPlan: (input, ctx) => {
    const p = createReportPlan(ctx, input);
    return { ReportPlanName: p.ReportPlanName, ReportPlanArn: p.ReportPlanArn, CreationTime: p.CreationTime };
  },

  DescribeReportPlan: (input, ctx) => ({ ReportPlan: reportPlanOutput(requireReportPlan(ctx.store, ctx.scope, input.ReportPlanName)) }),

  UpdateReportPlan: (input, ctx) => {
    const p = updateReportPlan(ctx, input);
    return { ReportPlanName: p.ReportPlanName, ReportPlanArn: p.ReportPlanArn, CreationTime: p.CreationTime };
  },

  DeleteReportPlan: (input, ctx) => {
    deleteReportPlan(ctx, input.ReportPlanName);
  },

  ListReportPlans: (input, ctx) => {
    const { limit, after } = pageArgs("ListReportPlans", input);
    return pageOutput("ListReportPlans", "ReportPlans", reportPlanTable(ctx.store).list(ctx.scope, {}, limit, after), reportPlanOutput);
  },

  StartReportJob: (input, ctx) => ({ ReportJobId: startReportJob(ctx, input.ReportPlanName).ReportJobId }),

  DescribeReportJob: (input, ctx) => ({ ReportJob: reportJobOutput(requireReportJob(ctx.store, ctx.scope, input.ReportJobId)) }),

  ListReportJobs: (input, ctx) => {
    const { limit, after } = pageArgs("ListReportJobs", input);
    validateReportJobStatus(input.ByStatus);
    // The model's ResourceNotFoundException for this operation: a plan name that names no plan.
    if (input.ByReportPlanName !== undefined) requireReportPlan(ctx.store, ctx.scope, input.ByReportPlanName);
    const page = reportJobTable(ctx.store).list(
      ctx.scope,
      { plan_name: input.ByReportPlanName, status: input.ByStatus, created: timeRange(input.ByCreationAfter, input.ByCreationBefore) },
      limit,
      after,
    );
    return pageOutput("ListReportJobs", "ReportJobs", page, reportJobOutput);
  },
} satisfies Partial<HandlerMap>;
