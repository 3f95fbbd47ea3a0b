/** Tables for legal holds and other vault governance records: record types and their store definitions. */
import type { TableDef } from "../table.js";

export const governanceTables: readonly TableDef<never>[] = [];
