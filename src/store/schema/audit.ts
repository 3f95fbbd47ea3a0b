/** Tables for audit manager: frameworks, report plans and report jobs: record types and their store definitions. */
import type { TableDef } from "../table.js";

export const auditTables: readonly TableDef<never>[] = [];
