/** Every table the store holds, gathered from each family's schema file. */
import type { TableDef } from "../table.js";
import { auditTables } from "./audit.js";
import { copyTables } from "./copy.js";
import { coreTables } from "./core.js";
import { governanceTables } from "./governance.js";
import { restoreTestingTables } from "./restore-testing.js";
import { restoreTables } from "./restore.js";
import { settingsTables } from "./settings.js";
import { tieringScanTables } from "./tiering-scans.js";
import { resourceTables } from "./resources.js";
import { dataPlaneTables } from "./dataplane.js";

export const allTables: readonly TableDef<never>[] = [
  ...coreTables,
  ...restoreTables,
  ...copyTables,
  ...governanceTables,
  ...auditTables,
  ...restoreTestingTables,
  ...settingsTables,
  ...tieringScanTables,
  ...resourceTables,
  ...dataPlaneTables,
];
