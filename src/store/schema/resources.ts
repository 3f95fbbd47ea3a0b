/** The resource inventory: resources a user told the emulator about (PUT /_emulator/resources). */
import type { TableDef } from "../table.js";

export interface InventoryResource {
  ResourceArn: string;
  ResourceType: string;
  Tags: Record<string, string>;
  /** When it was added or last changed. */
  UpdatedAt: number;
}

export const inventoryDef: TableDef<InventoryResource> = {
  name: "resource_inventory",
  key: { arn: (r) => r.ResourceArn },
  columns: {
    updated: { type: "REAL", from: (r) => r.UpdatedAt },
    resource_type: { type: "TEXT", from: (r) => r.ResourceType },
  },
  order: { column: "updated", desc: false },
  indexes: [["resource_type"]],
};

export const resourceTables: readonly TableDef<never>[] = [inventoryDef];
