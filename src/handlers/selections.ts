/** Backup selection operations. */
import type { HandlerMap } from "../api/types.js";
import { pageArgs, pageOutput } from "../domain/pagination.js";
import { requirePlan } from "../domain/plans.js";
import { createSelection, requireSelection, selectionListMember } from "../domain/selections.js";

export const selectionHandlers = {
  CreateBackupSelection: (input, ctx) => {
    const s = createSelection(ctx, input.BackupPlanId, input.BackupSelection, input.CreatorRequestId);
    return { SelectionId: s.SelectionId, BackupPlanId: s.BackupPlanId, CreationDate: s.CreationDate };
  },

  GetBackupSelection: (input, ctx) => {
    const s = requireSelection(ctx, input.BackupPlanId, input.SelectionId);
    return {
      BackupSelection: s.BackupSelection,
      SelectionId: s.SelectionId,
      BackupPlanId: s.BackupPlanId,
      CreationDate: s.CreationDate,
      ...(s.CreatorRequestId !== undefined ? { CreatorRequestId: s.CreatorRequestId } : {}),
    };
  },

  DeleteBackupSelection: (input, ctx) => {
    ctx.store.transaction(() => {
      requireSelection(ctx, input.BackupPlanId, input.SelectionId);
      ctx.store.selections.delete(ctx.scope, input.BackupPlanId, input.SelectionId);
    });
  },

  ListBackupSelections: (input, ctx) => {
    requirePlan(ctx.store, ctx.scope, input.BackupPlanId);
    const { limit, after } = pageArgs("ListBackupSelections", input);
    const page = ctx.store.selections.list(ctx.scope, { plan_id: input.BackupPlanId }, limit, after);
    return pageOutput("ListBackupSelections", "BackupSelectionsList", page, selectionListMember);
  },
} satisfies Partial<HandlerMap>;
