/**
 * How data plane modules reach the resource endpoint: the caller's account as the access key
 * id (the convention of Moto, LocalStack, Floci and fakecloud), per-call timeouts and a bounded
 * number of SDK retries, so a slow or broken endpoint fails a job instead of hanging it; and
 * failures turned into messages that name the resource and the endpoint.
 */
import { TransferError, type Sibling } from "./types.js";

/** A call that takes longer than this (a page, an object body) fails the attempt. */
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 3_000;

export function clientConfig(s: Sibling) {
  return {
    endpoint: s.endpoint,
    region: s.region,
    credentials: { accessKeyId: s.accountId, secretAccessKey: "aws-backup-emulator" },
    maxAttempts: 3,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: CONNECT_TIMEOUT_MS },
  };
}

const errorName = (err: unknown): string => (err as { name?: string }).name ?? "";
const errorCode = (err: unknown): string => String((err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code ?? "");

/** Is this the endpoint saying the named thing does not exist? */
export const isNotFound = (err: unknown, ...names: string[]): boolean => names.includes(errorName(err)) || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

/** A TransferError for a failure that is not about the resource itself (network, timeout, endpoint error). */
export function explain(err: unknown, what: string, s: Sibling): Error {
  if (err instanceof TransferError || s.signal.aborted) return err as Error;
  const code = errorCode(err);
  const name = errorName(err);
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ECONNRESET", "EAI_AGAIN"].includes(code)) {
    return new TransferError(`Could not reach the resource endpoint ${s.endpoint} while ${what} (${code}); check that it is running and that RESOURCE_ENDPOINT points at it.`);
  }
  if (name === "TimeoutError" || code === "ETIMEDOUT" || /timed? ?out/i.test((err as Error).message ?? "")) {
    return new TransferError(`The resource endpoint ${s.endpoint} did not answer in time while ${what}.`);
  }
  return new TransferError(`The resource endpoint ${s.endpoint} failed while ${what}: ${name ? `${name}: ` : ""}${(err as Error).message ?? String(err)}`);
}

/** Wait `ms`, unless the transfer is aborted first. */
export const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
