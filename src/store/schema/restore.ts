/** Tables for restore jobs: record types and their store definitions. */
import type { TableDef } from "../table.js";

export const restoreTables: readonly TableDef<never>[] = [];
