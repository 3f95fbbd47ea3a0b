/** Tables for tiering configurations and scan jobs: record types and their store definitions. */
import type { TableDef } from "../table.js";

export const tieringScanTables: readonly TableDef<never>[] = [];
