/** Tables for legal holds (vault policy, notifications and locks live on the vault record). */
import type { Shapes } from "../../../generated/operations.js";
import type { TableDef } from "../table.js";

type Req<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

export type LegalHoldRecord = Req<GetLegalHold, "Title" | "Status" | "LegalHoldId" | "LegalHoldArn" | "CreationDate">;
type GetLegalHold = Shapes["GetLegalHoldOutput"];

export const legalHoldsDef: TableDef<LegalHoldRecord> = {
  name: "legal_holds",
  key: { id: (h) => h.LegalHoldId },
  columns: {
    created: { type: "REAL", from: (h) => h.CreationDate },
    status: { type: "TEXT", from: (h) => h.Status },
  },
  order: { column: "created", desc: true },
  indexes: [["status"]],
};

export const governanceTables: readonly TableDef<never>[] = [legalHoldsDef];
