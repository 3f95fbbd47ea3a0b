/** What every resource type's data plane module offers, and what it is given to work with. */
import type { ContentStore } from "./content-store.js";

/** Where and as whom a transfer talks to the resource endpoint. */
export interface Sibling {
  endpoint: string;
  accountId: string;
  region: string;
  signal: AbortSignal;
}

/** Progress as it happens: bytes and items moved since the last call; a total when it becomes known. */
export interface Progress {
  add(bytes: number, items?: number): void;
  total(bytes: number): void;
}

/** One blob a manifest lists, with what its type needs to put it back. */
export interface Part {
  hash: string;
  size: number;
}

/** What a recovery point holds: the resource's description and its content, as blobs. */
export interface Manifest<D = unknown, P extends Part = Part> {
  format: "aws-backup-emulator/content";
  version: 1;
  resourceType: string;
  resourceArn: string;
  /** The resource's settings as the sibling described them. */
  description: D;
  /** What GetRecoveryPointRestoreMetadata offers for this backup. */
  restoreMetadata: Record<string, string>;
  parts: P[];
  /** Bytes of content (the sum of the parts' sizes). */
  sizeBytes: number;
  items: number;
}

export interface RestoreRequest {
  /** The resource the restore creates (from the job's metadata). */
  targetArn: string;
  metadata: Record<string, string>;
}

export interface ResourceDataPlane {
  /** True when backups hold the resource's data; false when only its description. */
  readonly carriesData: boolean;
  backup(sibling: Sibling, resourceArn: string, content: ContentStore, progress: Progress): Promise<Manifest>;
  /** Create the resource a restore asks for; returns its ARN. */
  restore(sibling: Sibling, manifest: Manifest, request: RestoreRequest, content: ContentStore, progress: Progress): Promise<string>;
  /** Delete a resource a restore created (restore testing's clean-up). */
  remove(sibling: Sibling, resourceArn: string): Promise<void>;
}

/** A failure a person can act on; its message is the job's StatusMessage. */
export class TransferError extends Error {}
