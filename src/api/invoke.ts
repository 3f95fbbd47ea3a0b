/**
 * Calls an operation's handler, honouring the idempotency token the model marks on it
 * (`CreatorRequestId`, `IdempotencyToken`): the same token with the same request returns the
 * first call's answer instead of acting twice. SDKs fill in a fresh token when the caller gives
 * none, so only real retries ever match.
 */
import { createHash } from "node:crypto";
import { operations, type Input, type OperationId, type Output } from "../../generated/operations.js";
import type { HandlerMap, RequestContext } from "./types.js";
import { canonicalJson } from "../domain/util.js";

/**
 * Synchronous like the handlers, so that the caller can run it, with the reply it records,
 * inside the request's transaction (one commit per request).
 */
export function invoke<Op extends OperationId>(op: Op, handlers: HandlerMap, input: Input<Op>, ctx: RequestContext): Output<Op> {
  const handler = handlers[op] as (input: Input<Op>, ctx: RequestContext) => Output<Op>;
  const token = operations[op].idempotencyToken;
  if (!token || (input as Record<string, unknown>)[token] === undefined) return handler(input, ctx);
  const request = createHash("sha256").update(canonicalJson(input)).digest("base64url");
  const prior = ctx.store.getReply(ctx.scope, op, request);
  if (prior !== undefined) return prior as Output<Op>;
  const output = handler(input, ctx);
  ctx.store.putReply(ctx.scope, op, request, ctx.clock.now(), output);
  return output;
}
