/**
 * The types of the state document (docs/state-format.md) on their own, with no store behind
 * them, so that the package's published declarations can name them without the store's.
 */

export const STATE_FORMAT = "aws-backup-emulator/state";

export interface ScopedRow {
  accountId: string;
  region: string;
  doc: Record<string, unknown>;
}

export interface StateDocument {
  format: typeof STATE_FORMAT;
  /** The store's schema version that wrote it; newer documents are refused. */
  version: number;
  exportedAt: number;
  clock: { offsetSeconds: number };
  tables: Record<string, ScopedRow[]>;
  tags: { arn: string; accountId: string; region: string; tags: Record<string, string> }[];
  work: { due: number; kind: string; accountId: string; region: string; ref: string; data?: unknown }[];
  events: { at: number; accountId: string; region: string; kind: string; doc: unknown }[];
  replies: { accountId: string; region: string; operation: string; request: string; created: number; output: unknown }[];
}
