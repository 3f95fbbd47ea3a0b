/**
 * Helpers for the data plane tests: SDK clients of the peer emulator (moto_server), waiting for
 * jobs through the Backup API, and a proxy that slows the peer down or stands in for a dead one.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DescribeBackupJobCommand, DescribeCopyJobCommand, DescribeRestoreJobCommand, type BackupClient } from "@aws-sdk/client-backup";
import { eventually } from "./emulator.js";

/** moto_server's account; the emulator's callers use the same one, so ARNs agree. */
export const MOTO_ACCOUNT = "123456789012";

export function peer(endpoint: string, region = "us-east-1") {
  const common = { endpoint, region, credentials: { accessKeyId: MOTO_ACCOUNT, secretAccessKey: "x" }, maxAttempts: 1 };
  return {
    ddb: new DynamoDBClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }),
    destroy() {
      this.ddb.destroy();
      this.s3.destroy();
    },
  };
}

const FINAL = new Set(["COMPLETED", "FAILED", "ABORTED", "EXPIRED", "PARTIAL"]);

export async function backupJobEnd(c: BackupClient, id: string, ms = 30_000) {
  return eventually(async () => {
    const j = await c.send(new DescribeBackupJobCommand({ BackupJobId: id }));
    return FINAL.has(j.State ?? "") ? j : undefined;
  }, ms, 50);
}

export async function restoreJobEnd(c: BackupClient, id: string, ms = 30_000) {
  return eventually(async () => {
    const j = await c.send(new DescribeRestoreJobCommand({ RestoreJobId: id }));
    return FINAL.has(j.Status ?? "") ? j : undefined;
  }, ms, 50);
}

export async function copyJobEnd(c: BackupClient, id: string, ms = 30_000) {
  return eventually(async () => {
    const j = (await c.send(new DescribeCopyJobCommand({ CopyJobId: id }))).CopyJob!;
    return FINAL.has(j.State ?? "") ? j : undefined;
  }, ms, 50);
}

export interface Proxy {
  endpoint: string;
  /** Milliseconds each response is held back. */
  delayMs: number;
  close(): Promise<void>;
}

/** An HTTP proxy to `target` that holds every response back `delayMs`. */
export async function slowProxy(target: string, delayMs: number): Promise<Proxy> {
  const to = new URL(target);
  const proxy: Proxy = { endpoint: "", delayMs, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      setTimeout(() => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      }, proxy.delayMs);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** An endpoint where nothing listens. */
export async function deadEndpoint(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
