/**
 * The pieces of the Terraform AWS provider's `internal/service/backup` package
 * (hashicorp/terraform-provider-aws) that decide what an answer means: which errors count as
 * "not found", how it waits for a state change, and how it turns a change of `tags` into
 * UntagResource/TagResource calls. Tests replay the provider's call sequences through the
 * JavaScript SDK and judge each answer with these, so a deviation the provider would trip on
 * fails here too.
 */
import { TagResourceCommand, UntagResourceCommand, type BackupClient } from "@aws-sdk/client-backup";

type AwsError = Error & { name: string };

function asAwsError(err: unknown): AwsError | undefined {
  return err instanceof Error ? (err as AwsError) : undefined;
}

/**
 * vault.go `findVault`, vault_policy.go `findVaultAccessPolicyByName`: ResourceNotFoundException,
 * and also AccessDeniedException (the real service has answered that for a missing vault).
 */
export function vaultNotFound(err: unknown): boolean {
  const e = asAwsError(err);
  return e?.name === "ResourceNotFoundException" || e?.name === "AccessDeniedException";
}

/** plan.go `findPlan`, vault_notifications.go read: only ResourceNotFoundException means gone. */
export function strictNotFound(err: unknown): boolean {
  return asAwsError(err)?.name === "ResourceNotFoundException";
}

/**
 * selection.go `findSelection`: ResourceNotFoundException, or InvalidParameterValueException
 * whose message contains "Cannot find Backup plan" (the answer once the plan itself is gone).
 */
export function selectionNotFound(err: unknown): boolean {
  const e = asAwsError(err);
  if (!e) return false;
  return e.name === "ResourceNotFoundException" || (e.name === "InvalidParameterValueException" && e.message.includes("Cannot find Backup plan"));
}

/** Run `call`; resolve to "not-found" when `notFound` says so (the provider's read), rethrow anything else. */
export async function readOrNotFound<T>(call: Promise<T>, notFound: (err: unknown) => boolean): Promise<T | "not-found"> {
  try {
    return await call;
  } catch (err) {
    if (notFound(err)) return "not-found";
    throw err;
  }
}

/**
 * terraform-plugin-sdk `retry.StateChangeConf.WaitForStateContext`: poll `refresh` until its
 * state is in `target`. `undefined` from `refresh` is "not found", which ends the wait when
 * `target` is empty (a deletion waiter) and is otherwise tolerated a few times. A state in neither
 * list is an error ("unexpected state"), which is what the provider reports to the user.
 */
export async function waitForState<T>(opts: {
  pending: readonly string[];
  target: readonly string[];
  refresh: () => Promise<{ value: T; state: string } | undefined>;
  timeoutMs?: number;
  pollMs?: number;
}): Promise<T | undefined> {
  const until = Date.now() + (opts.timeoutMs ?? 10_000);
  let notFoundTicks = 0;
  for (;;) {
    const r = await opts.refresh();
    if (r === undefined) {
      if (opts.target.length === 0) return undefined;
      // The SDK's default NotFoundChecks is 20.
      if (++notFoundTicks > 20) throw new Error("resource not found while waiting for a target state");
    } else {
      if (opts.target.includes(r.state)) return r.value;
      if (!opts.pending.includes(r.state)) {
        throw new Error(`unexpected state '${r.state}', wanted target '${opts.target.join(", ")}'`);
      }
    }
    if (Date.now() > until) throw new Error(`timeout while waiting for state to become '${opts.target.join(", ")}'`);
    await new Promise((res) => setTimeout(res, opts.pollMs ?? 25));
  }
}

/**
 * tags_gen.go `updateTags`: UntagResource with the keys that were removed, then TagResource with
 * the keys that were added or changed; a call is skipped when it has nothing to send.
 * Returns the calls made, in order, so a test can check the sequence.
 */
export async function updateTags(client: BackupClient, arn: string, oldTags: Record<string, string>, newTags: Record<string, string>): Promise<string[]> {
  const calls: string[] = [];
  const removed = Object.keys(oldTags).filter((k) => !(k in newTags));
  if (removed.length > 0) {
    await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: removed }));
    calls.push(`UntagResource(${removed.join(",")})`);
  }
  const updated = Object.fromEntries(Object.entries(newTags).filter(([k, v]) => oldTags[k] !== v));
  if (Object.keys(updated).length > 0) {
    await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: updated }));
    calls.push(`TagResource(${Object.keys(updated).join(",")})`);
  }
  return calls;
}
