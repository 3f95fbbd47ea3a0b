/** Identifier formats the service uses (see the API reference's examples). */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { InvalidParameterValueException } from "../../generated/errors.js";

/**
 * Plan, selection, job and rule ids: lowercase UUIDs, laid out as RFC 9562's version 7 (the first
 * 48 bits are the time in milliseconds, the rest random). Ids made one after another sort next to
 * each other, so the indexes keyed by them (a job's id, a recovery point's ARN) grow at one end
 * instead of at a random page each: a job then dirties, and the store writes, fewer pages.
 */
export function uuid(): string {
  const time = Date.now().toString(16).padStart(12, "0");
  // randomUUID() is "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx": keep its random bits after the version digit.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/** Backup plan VersionId: an opaque token, base64 of a UUID string, new on every update. */
export const versionId = (): string => Buffer.from(randomUUID()).toString("base64");

/** `n` random lowercase hex digits (snapshot and image ids). */
export const hex = (n: number): string => randomBytes(Math.ceil(n / 2)).toString("hex").slice(0, n);

/** A UUID derived from text, for things that must stay the same across calls (default KMS key). */
export function stableUuid(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** API reference (CreateBackupVault, CreateLogicallyAirGappedBackupVault, CreateBackupPlan, CreateBackupSelection, CreateTieringConfiguration): 1 to 50 alphanumeric or '-_.' characters. */
const CREATOR_REQUEST_ID = /^[A-Za-z0-9\-_.]{1,50}$/;

/** Throws InvalidParameterValueException when a CreatorRequestId is given in a form the service refuses. */
export function validateCreatorRequestId(id: string | undefined): void {
  if (id !== undefined && !CREATOR_REQUEST_ID.test(id)) {
    throw new InvalidParameterValueException(`CreatorRequestId "${id}" must be 1 to 50 letters, digits, hyphens, underscores or periods.`);
  }
}
