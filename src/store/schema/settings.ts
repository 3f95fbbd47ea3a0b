/** Tables for region and global settings: record types and their store definitions. */
import type { TableDef } from "../table.js";

export const settingsTables: readonly TableDef<never>[] = [];
