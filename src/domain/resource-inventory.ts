/**
 * The resources the emulator knows, which backup plan selections choose from:
 *  - the inventory a user fills through PUT /_emulator/resources (with tags);
 *  - every resource that appeared in a backup job (and every resource a restore created);
 *  - when RESOURCE_ENDPOINT is set, what another emulator's Resource Groups Tagging
 *    API reports (see discovery.ts).
 * Tags come from the inventory or discovery; a resource only seen in a job has none.
 */
import { InvalidParameterValueException } from "../../generated/errors.js";
import { inventoryDef, type InventoryResource } from "../store/schema/resources.js";
import { restoreJobsDef } from "../store/schema/restore.js";
import type { Scope } from "../store/table.js";
import type { Store } from "../store/store.js";
import { resourceTypeOf } from "./resources.js";
import { validateTags } from "./tags.js";

export interface KnownResource {
  arn: string;
  type: string;
  tags: Record<string, string>;
}

export function putInventoryResource(store: Store, scope: Scope, arn: string, tags: Record<string, string>, at: number): InventoryResource {
  const type = resourceTypeOf(arn);
  if (!type) throw new InvalidParameterValueException(`"${arn}" is not the ARN of a resource type AWS Backup supports.`);
  validateTags(tags);
  const record: InventoryResource = { ResourceArn: arn, ResourceType: type, Tags: tags, UpdatedAt: at };
  store.table(inventoryDef).put(scope, record);
  return record;
}

export function deleteInventoryResource(store: Store, scope: Scope, arn: string): boolean {
  return store.table(inventoryDef).delete(scope, arn);
}

export function listInventory(store: Store, scope: Scope): InventoryResource[] {
  return store.table(inventoryDef).all(scope);
}

/** Every resource known in the scope; inventory and discovery tags win over none. */
export function knownResources(store: Store, scope: Scope, discovered: readonly KnownResource[] = []): KnownResource[] {
  const byArn = new Map<string, KnownResource>();
  const add = (arn: string | undefined, tags?: Record<string, string>) => {
    if (!arn) return;
    const type = resourceTypeOf(arn);
    if (!type) return;
    const prior = byArn.get(arn);
    byArn.set(arn, { arn, type, tags: tags ?? prior?.tags ?? {} });
  };
  for (const arn of distinctColumn(store, scope, "backup_jobs", "resource_arn")) add(arn);
  for (const j of store.table(restoreJobsDef).all(scope, { status: "COMPLETED" })) add(j.CreatedResourceArn);
  for (const r of discovered) add(r.arn, r.tags);
  for (const r of listInventory(store, scope)) add(r.ResourceArn, r.Tags);
  return [...byArn.values()].sort((a, b) => a.arn.localeCompare(b.arn));
}

function distinctColumn(store: Store, scope: Scope, table: string, column: string): string[] {
  return (store.stmt(`SELECT DISTINCT ${column} AS v FROM ${table} WHERE account = ? AND region = ?`).all(scope.accountId, scope.region) as { v: string }[]).map(
    (r) => r.v,
  );
}
