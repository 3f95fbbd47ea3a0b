/** Queueing a backup plan's rule runs (performed by plan-runs.ts) as plans are created, updated and deleted. */
import type { PlanRecord } from "../store/records.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { nextRuns } from "./schedule.js";

export const PLAN_RULE_WORK = "plan-rule";

/** (Re)queue the next run of every rule of a plan after `after`; a deleted plan gets none. */
export function schedulePlan(store: Store, scope: Scope, plan: PlanRecord, after: number): void {
  store.cancelWork(PLAN_RULE_WORK, plan.BackupPlanId);
  if (plan.DeletionDate !== undefined) return;
  for (const rule of plan.BackupPlan.Rules) {
    if (!rule.ScheduleExpression || !rule.RuleId) continue;
    const [next] = nextRuns(rule.ScheduleExpression, rule.ScheduleExpressionTimezone, after, 1);
    if (next !== undefined) store.schedule(next, PLAN_RULE_WORK, scope, plan.BackupPlanId, { ruleId: rule.RuleId });
  }
}
