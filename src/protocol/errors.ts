/**
 * Errors on the wire (docs/architecture.md, "Errors"), in three tiers:
 *  1. a modeled error (generated/errors.ts): its status, `X-Amzn-ErrorType: <shape name>`
 *     and a JSON body with Message, Code, Type, Context;
 *  2. a protocol failure the service answers with an unmodeled error
 *     (SerializationException, UnknownOperationException, NotImplemented, 413 …);
 *  3. anything else: 500 InternalFailure, with no detail on the wire (the log has the stack).
 * The header always names the error: without it clients would take the body's `Code`
 * (a service code such as ERROR_9101) as the error name.
 */
import { ServiceError } from "../../generated/errors.js";
import { CommonError } from "../domain/common-errors.js";

/** An error outside the model, answered with a fixed status and name. */
export class ProtocolError extends CommonError {}

export const serializationError = (message: string) => new ProtocolError("SerializationException", 400, message);
export const unknownOperation = (method: string, path: string) =>
  new ProtocolError("UnknownOperationException", 404, `No AWS Backup operation matches ${method} ${path}`);
export const notImplemented = (op: string) =>
  new ProtocolError("NotImplemented", 501, `${op} is part of the AWS Backup API but this emulator does not implement it yet`);

const INTERNAL_FAILURE = "The request processing has failed because of an unknown error.";

/** A failure already logged with its cause, answered as tier 3 without logging it again. */
export const internalFailure = () => new ProtocolError("InternalFailure", 500, INTERNAL_FAILURE);

/** A modeled error an operation threw although the model does not list it for that operation. */
import type { UnmodeledError } from "../embedding.js";

export type { UnmodeledError };

/**
 * The unmodeled error `err` is for `op`, or undefined when `op` may answer with it: each
 * operation may answer only the modeled errors the model lists for it, and any common error.
 */
export function unmodeledError(op: string, allowed: readonly string[], err: unknown): UnmodeledError | undefined {
  if (!(err instanceof ServiceError) || allowed.includes(err.name)) return undefined;
  return { operation: op, error: err.name, message: err.message };
}

export interface WireError {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** True for tier 3: the caller should log the original error with its stack. */
  unexpected: boolean;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof ServiceError) {
    const { Code, Type, Context, ...extra } = err.fields;
    const body: Record<string, unknown> = {
      message: err.message,
      Message: err.message,
      Code: Code ?? err.name,
      Type: Type ?? (err.fault === "client" ? "User" : "Server"),
      ...(Context !== undefined ? { Context } : {}),
      ...extra,
    };
    return { status: err.status, headers: { "X-Amzn-ErrorType": err.name }, body, unexpected: false };
  }
  if (err instanceof CommonError) {
    return {
      status: err.status,
      headers: { "X-Amzn-ErrorType": err.name },
      body: { message: err.message, Message: err.message, Code: err.name, Type: err.status >= 500 ? "Server" : "User" },
      unexpected: false,
    };
  }
  return {
    status: 500,
    headers: { "X-Amzn-ErrorType": "InternalFailure" },
    body: { message: INTERNAL_FAILURE, Message: INTERNAL_FAILURE, Code: "InternalFailure", Type: "Server" },
    unexpected: true,
  };
}
