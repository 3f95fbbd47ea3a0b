/** Tables for audit manager: frameworks, report plans and report jobs. */
import type { Shapes } from "../../../generated/operations.js";
import type { TableDef } from "../table.js";

type Req<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

export type FrameworkRecord = Req<
  Shapes["DescribeFrameworkOutput"],
  "FrameworkName" | "FrameworkArn" | "FrameworkControls" | "CreationTime" | "DeploymentStatus" | "FrameworkStatus"
>;

export const frameworksDef: TableDef<FrameworkRecord> = {
  name: "frameworks",
  key: { name: (f) => f.FrameworkName },
  columns: { created: { type: "REAL", from: (f) => f.CreationTime } },
  order: { column: "created", desc: false },
  indexes: [],
};

export type ReportPlanRecord = Req<
  Shapes["ReportPlan"],
  "ReportPlanArn" | "ReportPlanName" | "ReportSetting" | "ReportDeliveryChannel" | "CreationTime" | "DeploymentStatus"
>;

export const reportPlansDef: TableDef<ReportPlanRecord> = {
  name: "report_plans",
  key: { name: (p) => p.ReportPlanName },
  columns: { created: { type: "REAL", from: (p) => p.CreationTime } },
  order: { column: "created", desc: false },
  indexes: [],
};

export type ReportJobRecord = Req<Shapes["ReportJob"], "ReportJobId" | "ReportPlanArn" | "ReportTemplate" | "CreationTime" | "Status"> & {
  ReportPlanName: string;
  /** The plan's settings when the job started: the report is built from these. */
  ReportSetting: Shapes["ReportSetting"];
  ReportDeliveryChannel: Shapes["ReportDeliveryChannel"];
  /** Where the report files were written on this machine. */
  Files?: string[];
};

export const reportJobsDef: TableDef<ReportJobRecord> = {
  name: "report_jobs",
  key: { id: (j) => j.ReportJobId },
  columns: {
    created: { type: "REAL", from: (j) => j.CreationTime },
    plan_name: { type: "TEXT", from: (j) => j.ReportPlanName },
    status: { type: "TEXT", from: (j) => j.Status },
  },
  order: { column: "created", desc: true },
  indexes: [["plan_name"], ["status"]],
};

export const auditTables: readonly TableDef<never>[] = [frameworksDef, reportPlansDef, reportJobsDef];
