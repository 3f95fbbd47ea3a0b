/** Restore testing operations: plans, their selections, and inferred restore metadata. */
import type { HandlerMap } from "../api/types.js";
import { ownerScope } from "../domain/vaults.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { requireRecoveryPoint } from "../domain/recovery-points.js";
import {
  createRestoreTestingPlan,
  createRestoreTestingSelection,
  deleteRestoreTestingPlan,
  deleteRestoreTestingSelection,
  inferRestoreTestingMetadata,
  requireRestoreTestingPlan,
  requireRestoreTestingSelection,
  restoreTestingPlanListMember,
  restoreTestingPlanOutput,
  restoreTestingPlans,
  restoreTestingSelectionListMember,
  restoreTestingSelectionOutput,
  restoreTestingSelections,
  updateRestoreTestingPlan,
  updateRestoreTestingSelection,
} from "../domain/restore-testing.js";
import { requireVault } from "../domain/vaults.js";

export const restoreTestingHandlers = {
  CreateRestoreTestingPlan: (input, ctx) => {
    const p = createRestoreTestingPlan(ctx, input.RestoreTestingPlan, input.Tags, input.CreatorRequestId);
    return { CreationTime: p.CreationTime, RestoreTestingPlanArn: p.RestoreTestingPlanArn, RestoreTestingPlanName: p.RestoreTestingPlanName };
  },

  GetRestoreTestingPlan: (input, ctx) => ({
    RestoreTestingPlan: restoreTestingPlanOutput(requireRestoreTestingPlan(ctx.store, ctx.scope, input.RestoreTestingPlanName)),
  }),

  UpdateRestoreTestingPlan: (input, ctx) => {
    const p = updateRestoreTestingPlan(ctx, input.RestoreTestingPlanName, input.RestoreTestingPlan);
    return {
      CreationTime: p.CreationTime,
      RestoreTestingPlanArn: p.RestoreTestingPlanArn,
      RestoreTestingPlanName: p.RestoreTestingPlanName,
      UpdateTime: p.LastUpdateTime ?? p.CreationTime,
    };
  },

  DeleteRestoreTestingPlan: (input, ctx) => {
    deleteRestoreTestingPlan(ctx, input.RestoreTestingPlanName);
  },

  ListRestoreTestingPlans: (input, ctx) => {
    const { limit, after } = pageArgs("ListRestoreTestingPlans", input);
    const page = restoreTestingPlans(ctx.store).list(ctx.scope, {}, limit, after);
    return pageOutput("ListRestoreTestingPlans", "RestoreTestingPlans", page, restoreTestingPlanListMember);
  },

  CreateRestoreTestingSelection: (input, ctx) => {
    const { plan, selection } = createRestoreTestingSelection(ctx, input.RestoreTestingPlanName, input.RestoreTestingSelection, input.CreatorRequestId);
    return {
      CreationTime: selection.CreationTime,
      RestoreTestingPlanArn: plan.RestoreTestingPlanArn,
      RestoreTestingPlanName: plan.RestoreTestingPlanName,
      RestoreTestingSelectionName: selection.RestoreTestingSelectionName,
    };
  },

  GetRestoreTestingSelection: (input, ctx) => {
    requireRestoreTestingPlan(ctx.store, ctx.scope, input.RestoreTestingPlanName);
    const s = requireRestoreTestingSelection(ctx.store, ctx.scope, input.RestoreTestingPlanName, input.RestoreTestingSelectionName);
    return { RestoreTestingSelection: restoreTestingSelectionOutput(s) };
  },

  UpdateRestoreTestingSelection: (input, ctx) => {
    const { plan, selection, updatedAt } = updateRestoreTestingSelection(
      ctx,
      input.RestoreTestingPlanName,
      input.RestoreTestingSelectionName,
      input.RestoreTestingSelection,
    );
    return {
      CreationTime: selection.CreationTime,
      RestoreTestingPlanArn: plan.RestoreTestingPlanArn,
      RestoreTestingPlanName: plan.RestoreTestingPlanName,
      RestoreTestingSelectionName: selection.RestoreTestingSelectionName,
      UpdateTime: updatedAt,
    };
  },

  DeleteRestoreTestingSelection: (input, ctx) => {
    deleteRestoreTestingSelection(ctx, input.RestoreTestingPlanName, input.RestoreTestingSelectionName);
  },

  ListRestoreTestingSelections: (input, ctx) => {
    requireRestoreTestingPlan(ctx.store, ctx.scope, input.RestoreTestingPlanName);
    const { limit, after } = pageArgs("ListRestoreTestingSelections", input);
    const page = restoreTestingSelections(ctx.store).list(ctx.scope, { plan: input.RestoreTestingPlanName }, limit, after);
    return pageOutput("ListRestoreTestingSelections", "RestoreTestingSelections", page, restoreTestingSelectionListMember);
  },

  GetRestoreTestingInferredMetadata: (input, ctx) => {
    // BackupVaultAccountId names the account that holds the vault, as in DescribeRecoveryPoint.
    const scope = ownerScope(ctx, input.BackupVaultName, input.BackupVaultAccountId);
    const vault = requireVault(ctx.store, scope, input.BackupVaultName);
    const rp = requireRecoveryPoint(ctx.store, scope, vault.BackupVaultName, input.RecoveryPointArn);
    return { InferredMetadata: inferRestoreTestingMetadata(ctx.store, scope, rp) };
  },
} satisfies Partial<HandlerMap>;
