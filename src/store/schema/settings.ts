/** Tables for region and global settings: one document per (account, region) and name. */
import type { TableDef } from "../table.js";

/** `name` is "region" (per account and region) or "global" (stored under region "*"). */
export interface SettingsRecord {
  name: string;
  value: Record<string, unknown>;
  LastUpdateTime?: number;
}

export const settingsDef: TableDef<SettingsRecord> = {
  name: "settings",
  key: { name: (s) => s.name },
  columns: { updated: { type: "REAL", from: (s) => s.LastUpdateTime ?? 0 } },
  order: { column: "updated", desc: false },
  indexes: [],
};

export const settingsTables: readonly TableDef<never>[] = [settingsDef];
