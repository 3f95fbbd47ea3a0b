/** Recovery point operations (by vault). */
import { InvalidRequestException, InvalidResourceStateException } from "../../generated/errors.js";
import type { HandlerMap } from "../api/types.js";
import { timeRange } from "../domain/filters.js";
import { jsonPageOutput, pageArgs } from "../domain/pagination.js";
import { describeRecoveryPoint, removeRecoveryPoint, requireRecoveryPoint } from "../domain/recovery-points.js";
import { ownerScope } from "../domain/vaults.js";
import { requireVaultFor } from "../domain/vault-policy.js";
import { deletionBlocker } from "../domain/retention.js";

export const recoveryPointHandlers = {
  DescribeRecoveryPoint: (input, ctx) => {
    const scope = ownerScope(ctx, input.BackupVaultName, input.BackupVaultAccountId);
    requireVaultFor(ctx, "backup:DescribeRecoveryPoint", input.BackupVaultName, input.RecoveryPointArn, scope);
    const rp = requireRecoveryPoint(ctx.store, scope, input.BackupVaultName, input.RecoveryPointArn);
    return { ...describeRecoveryPoint(rp) };
  },

  ListRecoveryPointsByBackupVault: (input, ctx) => {
    const scope = ownerScope(ctx, input.BackupVaultName, input.BackupVaultAccountId);
    requireVaultFor(ctx, "backup:ListRecoveryPointsByBackupVault", input.BackupVaultName, undefined, scope);
    const { limit, after } = pageArgs("ListRecoveryPointsByBackupVault", input);
    const page = ctx.store.recoveryPoints.listJson(
      "by_vault",
      scope,
      {
        vault: input.BackupVaultName,
        resource_arn: input.ByResourceArn,
        resource_type: input.ByResourceType,
        plan_id: input.ByBackupPlanId,
        parent_arn: input.ByParentRecoveryPointArn,
        created: timeRange(input.ByCreatedAfter, input.ByCreatedBefore),
      },
      limit,
      after,
    );
    return jsonPageOutput("ListRecoveryPointsByBackupVault", "RecoveryPoints", page);
  },

  DeleteRecoveryPoint: (input, ctx) => {
    ctx.store.transaction(() => {
      requireVaultFor(ctx, "backup:DeleteRecoveryPoint", input.BackupVaultName, input.RecoveryPointArn);
      const rp = requireRecoveryPoint(ctx.store, ctx.scope, input.BackupVaultName, input.RecoveryPointArn);
      if (rp.Status === "DELETING") throw new InvalidResourceStateException(`Recovery point ${rp.RecoveryPointArn} is already being deleted.`);
      const blocker = deletionBlocker(ctx.store, ctx.scope, rp, ctx.clock.now());
      if (blocker) throw new InvalidRequestException(blocker, { Context: rp.RecoveryPointArn });
      removeRecoveryPoint(ctx.store, ctx.scope, rp);
    });
  },
} satisfies Partial<HandlerMap>;
