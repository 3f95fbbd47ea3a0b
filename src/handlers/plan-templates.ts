/** Plan templates, plan documents as JSON, and the scheduled-runs preview's companions. */
import type { HandlerMap } from "../api/types.js";
import { BackupPlanInput as strictPlanDocument } from "../../generated/document-validators.js";
import type { Shapes } from "../../generated/operations.js";
import { encodeToken, decodeToken, DEFAULT_PAGE_SIZE } from "../domain/pagination.js";
import { exportPlanDocument, parsePlanDocumentText, requireTemplate, TEMPLATES, withRuleDefaults } from "../domain/plan-templates.js";
import { checkPlanDocument, requirePlan } from "../domain/plans.js";
import { validateDocument } from "../protocol/request.js";

export const planTemplateHandlers = {
  ListBackupPlanTemplates: (input) => {
    const start = Number(decodeToken("ListBackupPlanTemplates", input.NextToken)?.[0] ?? 0);
    const end = start + (input.MaxResults ?? DEFAULT_PAGE_SIZE);
    return {
      BackupPlanTemplatesList: TEMPLATES.slice(start, end).map((t) => ({ BackupPlanTemplateId: t.BackupPlanTemplateId, BackupPlanTemplateName: t.BackupPlanTemplateName })),
      ...(end < TEMPLATES.length ? { NextToken: encodeToken("ListBackupPlanTemplates", [end]) } : {}),
    };
  },

  GetBackupPlanFromTemplate: (input) => ({ BackupPlanDocument: withRuleDefaults(requireTemplate(input.BackupPlanTemplateId).BackupPlan) }),

  ExportBackupPlanTemplate: (input, ctx) => ({ BackupPlanTemplateJson: exportPlanDocument(requirePlan(ctx.store, ctx.scope, input.BackupPlanId).BackupPlan) }),

  GetBackupPlanFromJSON: (input) => {
    const doc = parsePlanDocumentText(input.BackupPlanTemplateJson);
    validateDocument(strictPlanDocument, doc, "BackupPlan");
    const plan = doc as unknown as Shapes["BackupPlanInput"];
    checkPlanDocument(plan);
    return { BackupPlan: withRuleDefaults(plan) };
  },
} satisfies Partial<HandlerMap>;
