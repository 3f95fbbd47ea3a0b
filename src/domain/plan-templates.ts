/**
 * Backup plan templates (ListBackupPlanTemplates, GetBackupPlanFromTemplate), plan documents
 * as JSON (ExportBackupPlanTemplate, GetBackupPlanFromJSON) and the preview of a plan's next
 * scheduled runs (GetBackupPlan MaxScheduledRunsPreview).
 */
import { InvalidParameterValueException, ResourceNotFoundException } from "../../generated/errors.js";
import type { Shapes } from "../../generated/operations.js";
import { nextRuns } from "./schedule.js";
import { RULE_DEFAULTS } from "./plans.js";
export { withRuleDefaults } from "./plans.js";

interface Template {
  BackupPlanTemplateId: string;
  BackupPlanTemplateName: string;
  BackupPlan: Shapes["BackupPlanInput"];
}

const DAILY = "cron(0 5 ? * * *)";
const WEEKLY = "cron(0 5 ? * SAT *)";
const MONTHLY = "cron(0 5 1 * ? *)";

const rule = (RuleName: string, ScheduleExpression: string, Lifecycle: Shapes["Lifecycle"]): Shapes["BackupRuleInput"] => ({
  RuleName,
  TargetBackupVaultName: "Default",
  ScheduleExpression,
  StartWindowMinutes: RULE_DEFAULTS.StartWindowMinutes,
  CompletionWindowMinutes: RULE_DEFAULTS.CompletionWindowMinutes,
  Lifecycle,
});

/**
 * The templates the service offers (as in its console's "Start from a template"), as data.
 * Their ids are fixed so scripts can refer to them.
 */
export const TEMPLATES: readonly Template[] = [
  {
    BackupPlanTemplateId: "87c0c1ef-254d-4180-8fef-2e76a2c38aaa",
    BackupPlanTemplateName: "Daily-35day-Retention",
    BackupPlan: { BackupPlanName: "Daily-35day-Retention", Rules: [rule("DailyBackups", DAILY, { DeleteAfterDays: 35 })] },
  },
  {
    BackupPlanTemplateId: "3b0e3e4c-6a3f-4a86-9d2c-3c46f8b1c1f2",
    BackupPlanTemplateName: "Daily-Monthly-1yr-Retention",
    BackupPlan: {
      BackupPlanName: "Daily-Monthly-1yr-Retention",
      Rules: [rule("DailyBackups", DAILY, { DeleteAfterDays: 35 }), rule("Monthly", MONTHLY, { DeleteAfterDays: 365 })],
    },
  },
  {
    BackupPlanTemplateId: "5b3a2d9e-0c63-4b6f-8f6f-97c7e2d4a8b1",
    BackupPlanTemplateName: "Daily-Weekly-Monthly-1yr-Retention",
    BackupPlan: {
      BackupPlanName: "Daily-Weekly-Monthly-1yr-Retention",
      Rules: [rule("DailyBackups", DAILY, { DeleteAfterDays: 35 }), rule("Weekly", WEEKLY, { DeleteAfterDays: 90 }), rule("Monthly", MONTHLY, { DeleteAfterDays: 365 })],
    },
  },
  {
    BackupPlanTemplateId: "8f1c6a27-7d94-4e4b-b4a7-0f3d5e9c2b6a",
    BackupPlanTemplateName: "Daily-Weekly-Monthly-5yr-Retention",
    BackupPlan: {
      BackupPlanName: "Daily-Weekly-Monthly-5yr-Retention",
      Rules: [
        rule("DailyBackups", DAILY, { DeleteAfterDays: 35 }),
        rule("Weekly", WEEKLY, { DeleteAfterDays: 90 }),
        rule("Monthly", MONTHLY, { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 1825 }),
      ],
    },
  },
  {
    BackupPlanTemplateId: "c2e4a6b8-1d3f-4a5c-9e7b-2f4d6a8c0e1b",
    BackupPlanTemplateName: "Daily-Weekly-Monthly-7yr-Retention",
    BackupPlan: {
      BackupPlanName: "Daily-Weekly-Monthly-7yr-Retention",
      Rules: [
        rule("DailyBackups", DAILY, { DeleteAfterDays: 35 }),
        rule("Weekly", WEEKLY, { DeleteAfterDays: 90 }),
        rule("Monthly", MONTHLY, { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 2555 }),
      ],
    },
  },
];

export function requireTemplate(id: string): Template {
  const t = TEMPLATES.find((x) => x.BackupPlanTemplateId === id);
  if (!t) throw new ResourceNotFoundException(`Backup plan template ${id} does not exist; ListBackupPlanTemplates lists the available ones.`, { Context: id });
  return t;
}

/** The next `n` scheduled runs of a plan's rules, merged in time order. */
export function scheduledRunsPreview(plan: Shapes["BackupPlan"], after: number, n: number): Shapes["ScheduledPlanExecutionMember"][] {
  if (n <= 0) return [];
  const runs: Shapes["ScheduledPlanExecutionMember"][] = [];
  for (const r of plan.Rules) {
    if (!r.ScheduleExpression) continue;
    const type: Shapes["RuleExecutionType"] = r.EnableContinuousBackup ? "CONTINUOUS_AND_SNAPSHOTS" : "SNAPSHOTS";
    for (const t of nextRuns(r.ScheduleExpression, r.ScheduleExpressionTimezone, after, n)) {
      runs.push({ ExecutionTime: t, ...(r.RuleId ? { RuleId: r.RuleId } : {}), RuleExecutionType: type });
    }
  }
  return runs.sort((a, b) => a.ExecutionTime! - b.ExecutionTime! || (a.RuleId ?? "").localeCompare(b.RuleId ?? "")).slice(0, n);
}

/** The JSON a plan exports to: its document without the ids the service assigns. */
export function exportPlanDocument(plan: Shapes["BackupPlan"]): string {
  const doc: Shapes["BackupPlanInput"] = {
    BackupPlanName: plan.BackupPlanName,
    Rules: plan.Rules.map(({ RuleId: _ruleId, ...r }) => r),
  };
  if (plan.AdvancedBackupSettings) doc.AdvancedBackupSettings = plan.AdvancedBackupSettings;
  if (plan.ScanSettings) doc.ScanSettings = plan.ScanSettings;
  return JSON.stringify(doc);
}

/** Parse the text of a plan document; InvalidParameterValueException when it is not a JSON object. */
export function parsePlanDocumentText(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InvalidParameterValueException(`BackupPlanTemplateJson is not valid JSON: ${(err as Error).message}.`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InvalidParameterValueException("BackupPlanTemplateJson must be a JSON object describing a backup plan.");
  return value as Record<string, unknown>;
}
