/** Backup plan operations. */
import type { HandlerMap } from "../api/types.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { scheduledRunsPreview } from "../domain/plan-templates.js";
import { createPlan, deletePlan, getPlanVersion, planListMember, planOutput, requirePlan, updatePlan } from "../domain/plans.js";

export const planHandlers = {
  CreateBackupPlan: (input, ctx) => {
    const p = createPlan(ctx, input.BackupPlan, input.BackupPlanTags, input.CreatorRequestId);
    return {
      BackupPlanId: p.BackupPlanId,
      BackupPlanArn: p.BackupPlanArn,
      CreationDate: p.CreationDate,
      VersionId: p.VersionId,
      ...(p.BackupPlan.AdvancedBackupSettings ? { AdvancedBackupSettings: p.BackupPlan.AdvancedBackupSettings } : {}),
    };
  },

  GetBackupPlan: (input, ctx) => {
    const plan = getPlanVersion(ctx.store, ctx.scope, input.BackupPlanId, input.VersionId);
    const out = planOutput(plan);
    // MaxScheduledRunsPreview (0-10): the next runs of the plan's rules, from now.
    if (input.MaxScheduledRunsPreview && plan.DeletionDate === undefined) {
      out.ScheduledRunsPreview = scheduledRunsPreview(plan.BackupPlan, ctx.clock.now(), input.MaxScheduledRunsPreview);
    }
    return out;
  },

  UpdateBackupPlan: (input, ctx) => {
    const p = updatePlan(ctx, input.BackupPlanId, input.BackupPlan);
    return {
      BackupPlanId: p.BackupPlanId,
      BackupPlanArn: p.BackupPlanArn,
      CreationDate: p.CreationDate,
      VersionId: p.VersionId,
      ...(p.BackupPlan.AdvancedBackupSettings ? { AdvancedBackupSettings: p.BackupPlan.AdvancedBackupSettings } : {}),
      ...(p.BackupPlan.ScanSettings ? { ScanSettings: p.BackupPlan.ScanSettings } : {}),
    };
  },

  DeleteBackupPlan: (input, ctx) => {
    const p = deletePlan(ctx, input.BackupPlanId);
    return { BackupPlanId: p.BackupPlanId, BackupPlanArn: p.BackupPlanArn, DeletionDate: p.DeletionDate, VersionId: p.VersionId };
  },

  ListBackupPlans: (input, ctx) => {
    const { limit, after } = pageArgs("ListBackupPlans", input);
    const page = ctx.store.plans.list(ctx.scope, input.IncludeDeleted ? {} : { deleted: null }, limit, after);
    return pageOutput("ListBackupPlans", "BackupPlansList", page, planListMember);
  },

  ListBackupPlanVersions: (input, ctx) => {
    requirePlan(ctx.store, ctx.scope, input.BackupPlanId, { includeDeleted: true });
    const { limit, after } = pageArgs("ListBackupPlanVersions", input);
    const page = ctx.store.planVersions.list(ctx.scope, { plan_id: input.BackupPlanId }, limit, after);
    return pageOutput("ListBackupPlanVersions", "BackupPlanVersionsList", page, planListMember);
  },
} satisfies Partial<HandlerMap>;
