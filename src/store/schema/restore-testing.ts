/** Tables for restore testing plans and selections: record types and their store definitions. */
import type { TableDef } from "../table.js";

export const restoreTestingTables: readonly TableDef<never>[] = [];
