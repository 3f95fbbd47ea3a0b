/** Tables for copy jobs: record types and their store definitions. */
import type { TableDef } from "../table.js";

export const copyTables: readonly TableDef<never>[] = [];
