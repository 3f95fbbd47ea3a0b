/**
 * Optional delivery of events to other AWS emulators, read from the store's event log (an
 * outbox: only what was committed is sent, and a restart resumes after the last event sent):
 *  - SNS_ENDPOINT: each vault notification is published to its SNS topic;
 *  - EVENTBRIDGE_ENDPOINT: each job state change is put on the default event bus as the
 *    service's "Backup Job State Change" (and restore, copy, scan equivalents) event.
 * Delivery failures are retried on the next tick; the log says why.
 */
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Store } from "../store/store.js";
import { parseArn } from "./arn.js";
import { NOTIFICATION, STATE_CHANGE, type JobStateChange, type NotificationEvent } from "./events.js";

const TICK_MS = 250;
const BATCH = 10;

const DETAIL_TYPE: Record<string, string> = {
  BACKUP: "Backup Job State Change",
  RESTORE: "Restore Job State Change",
  COPY: "Copy Job State Change",
  SCAN: "Scan Job State Change",
};

/** The EventBridge event detail for a job state change, in the service's camelCase form. */
export function eventDetail(change: JobStateChange & { time?: number }): Record<string, unknown> {
  const id = { BACKUP: "backupJobId", RESTORE: "restoreJobId", COPY: "copyJobId", SCAN: "scanJobId" }[change.jobType];
  return {
    [id]: change.jobId,
    ...(change.backupVaultArn ? { backupVaultArn: change.backupVaultArn } : {}),
    ...(change.backupVaultName ? { backupVaultName: change.backupVaultName } : {}),
    ...(change.resourceArn ? { resourceArn: change.resourceArn } : {}),
    ...(change.resourceType ? { resourceType: change.resourceType } : {}),
    ...(change.recoveryPointArn ? { recoveryPointArn: change.recoveryPointArn } : {}),
    ...(change.statusMessage ? { statusMessage: change.statusMessage } : {}),
    [change.jobType === "RESTORE" ? "status" : "state"]: change.state,
  };
}

export class EventForwarder {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly sns: Map<string, SNSClient> = new Map();
  private readonly events: Map<string, EventBridgeClient> = new Map();

  constructor(
    private readonly store: Store,
    private readonly config: Pick<Config, "snsEndpoint" | "eventBridgeEndpoint">,
    private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return Boolean(this.config.snsEndpoint || this.config.eventBridgeEndpoint);
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    this.timer = setInterval(() => void this.flush(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    for (const c of [...this.sns.values(), ...this.events.values()]) c.destroy();
  }

  /** Deliver everything logged since the last delivery. */
  async flush(): Promise<void> {
    if (this.busy || !this.store.db.open) return;
    this.busy = true;
    try {
      if (this.config.snsEndpoint) await this.drain(NOTIFICATION, "forward.sns", (e) => this.publish(this.config.snsEndpoint!, e.doc as NotificationEvent, e));
      if (this.config.eventBridgeEndpoint) await this.drain(STATE_CHANGE, "forward.eventbridge", (e) => this.put(this.config.eventBridgeEndpoint!, e.doc as JobStateChange & { time: number }, e));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, "event delivery failed; will retry");
    } finally {
      this.busy = false;
    }
  }

  private async drain(kind: string, cursorKey: string, send: (e: { accountId: string; region: string; doc: unknown; at: number }) => Promise<void>): Promise<void> {
    for (;;) {
      const after = Number(this.store.getMeta(cursorKey) ?? 0);
      const batch = this.store.listEvents(kind, after, BATCH);
      if (batch.length === 0) return;
      for (const e of batch) {
        await send(e);
        this.store.setMeta(cursorKey, String(e.seq));
      }
    }
  }

  private client<T>(cache: Map<string, T>, key: string, make: () => T): T {
    let c = cache.get(key);
    if (!c) {
      c = make();
      cache.set(key, c);
    }
    return c;
  }

  private credentials(accountId: string) {
    return { accessKeyId: accountId, secretAccessKey: "aws-backup-emulator" };
  }

  private async publish(endpoint: string, n: NotificationEvent, e: { accountId: string; region: string }): Promise<void> {
    // The SDK clients load on first use: they are large, and forwarding is off by default.
    const { PublishCommand, SNSClient } = await import("@aws-sdk/client-sns");
    const topic = parseArn(n.snsTopicArn);
    const region = topic?.region || e.region;
    const account = topic?.account || e.accountId;
    const sns = this.client(this.sns, `${account}/${region}`, () => new SNSClient({ endpoint, region, credentials: this.credentials(account), maxAttempts: 2 }));
    await sns.send(
      new PublishCommand({
        TopicArn: n.snsTopicArn,
        Subject: `AWS Backup notification: ${n.event}`,
        Message: JSON.stringify({ ...n, time: new Date(n.time * 1000).toISOString() }),
        MessageAttributes: {
          EventType: { DataType: "String", StringValue: n.event },
          ...(n.state ? { State: { DataType: "String", StringValue: n.state } } : {}),
        },
      }),
    );
  }

  private async put(endpoint: string, change: JobStateChange & { time: number }, e: { accountId: string; region: string }): Promise<void> {
    const { EventBridgeClient, PutEventsCommand } = await import("@aws-sdk/client-eventbridge");
    const eb = this.client(this.events, `${e.accountId}/${e.region}`, () => new EventBridgeClient({ endpoint, region: e.region, credentials: this.credentials(e.accountId), maxAttempts: 2 }));
    const resources = [change.backupVaultArn, change.recoveryPointArn].filter((r): r is string => typeof r === "string");
    const out = await eb.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: "aws.backup",
            DetailType: DETAIL_TYPE[change.jobType] ?? "Backup Job State Change",
            Detail: JSON.stringify(eventDetail(change)),
            Resources: resources,
            Time: new Date(change.time * 1000),
            EventBusName: "default",
          },
        ],
      }),
    );
    if (out.FailedEntryCount) throw new Error(`EventBridge refused the event: ${out.Entries?.[0]?.ErrorMessage ?? "unknown reason"}`);
  }
}
