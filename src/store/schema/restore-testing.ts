/** Tables for restore testing plans and selections. */
import type { Shapes } from "../../../generated/operations.js";
import type { TableDef } from "../table.js";

type Req<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

export type RestoreTestingPlanRecord = Req<
  Shapes["RestoreTestingPlanForGet"],
  "RestoreTestingPlanArn" | "RestoreTestingPlanName" | "CreationTime" | "RecoveryPointSelection" | "ScheduleExpression"
>;

export const restoreTestingPlansDef: TableDef<RestoreTestingPlanRecord> = {
  name: "restore_testing_plans",
  key: { name: (p) => p.RestoreTestingPlanName },
  columns: { created: { type: "REAL", from: (p) => p.CreationTime } },
  order: { column: "created", desc: false },
  indexes: [],
};

export type RestoreTestingSelectionRecord = Req<
  Shapes["RestoreTestingSelectionForGet"],
  "RestoreTestingPlanName" | "RestoreTestingSelectionName" | "CreationTime" | "IamRoleArn" | "ProtectedResourceType"
>;

export const restoreTestingSelectionsDef: TableDef<RestoreTestingSelectionRecord> = {
  name: "restore_testing_selections",
  key: { plan: (s) => s.RestoreTestingPlanName, name: (s) => s.RestoreTestingSelectionName },
  columns: { created: { type: "REAL", from: (s) => s.CreationTime } },
  order: { column: "created", desc: false },
  indexes: [["plan"]],
};

export const restoreTestingTables: readonly TableDef<never>[] = [restoreTestingPlansDef, restoreTestingSelectionsDef];
