/**
 * The emulator next to another AWS emulator (moto_server): resources discovered through its
 * Resource Groups Tagging API drive plan selections; vault notifications reach its SNS topics;
 * job state changes reach its EventBridge bus. Skipped, with a message, without moto_server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBackupVaultCommand, ListBackupJobsCommand, PutBackupVaultNotificationsCommand, StartBackupJobCommand, CreateBackupPlanCommand, CreateBackupSelectionCommand } from "@aws-sdk/client-backup";
import { ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";
import { advance, DAY } from "./helpers/clock.js";
import { boto3Available, motoAvailable, python, pythonAsync, startMoto, type Moto } from "./helpers/moto.js";

// moto_server runs a single account, 123456789012; the emulator's caller uses the same one.
const ACCOUNT = "123456789012";
const ready = motoAvailable && boto3Available;
if (!ready) console.warn("integrations.test.ts: moto_server or boto3 is not installed; skipping the tests against a peer emulator");

const boto = (endpoint: string) => `
import boto3, json, time
def c(svc): return boto3.client(svc, endpoint_url="${endpoint}", region_name="us-east-1", aws_access_key_id="${ACCOUNT}", aws_secret_access_key="x")
`;

describe.skipIf(!ready)("with moto_server as the peer emulator", () => {
  let moto: Moto;
  let t: TestEmulator;
  beforeAll(async () => {
    moto = await startMoto();
    t = await startTestEmulator({
      clockStart: "2026-04-01T00:00:00Z",
      resourceEndpoint: moto.endpoint,
      snsEndpoint: moto.endpoint,
      eventBridgeEndpoint: moto.endpoint,
    });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await moto?.stop();
  });

  it("backs up the tables moto holds that match the plan's tag selection, and not the others", async () => {
    python(`${boto(moto.endpoint)}
d = c("dynamodb")
for name, tag in [("orders", "daily"), ("sessions", "none")]:
    d.create_table(TableName=name, KeySchema=[{"AttributeName":"id","KeyType":"HASH"}], AttributeDefinitions=[{"AttributeName":"id","AttributeType":"S"}], BillingMode="PAY_PER_REQUEST", Tags=[{"Key":"backup","Value":tag}])
`);
    const c = t.client({ accountId: ACCOUNT });
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    const plan = await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: vault, ScheduleExpression: "cron(0 5 ? * * *)" }] } }));
    await c.send(
      new CreateBackupSelectionCommand({
        BackupPlanId: plan.BackupPlanId,
        BackupSelection: { SelectionName: "tagged", IamRoleArn: ROLE_ARN, ListOfTags: [{ ConditionType: "STRINGEQUALS", ConditionKey: "backup", ConditionValue: "daily" }] },
      }),
    );
    await advance(t.endpoint, DAY);
    const jobs = (await c.send(new ListBackupJobsCommand({ ByBackupVaultName: vault }))).BackupJobs!;
    expect(jobs.map((j) => j.ResourceArn)).toEqual([`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`]);
  });

  it("publishes vault notifications to the SNS topic and job state changes to the default event bus", async () => {
    const setup = JSON.parse(
      python(`${boto(moto.endpoint)}
sns, sqs, ev = c("sns"), c("sqs"), c("events")
topic = sns.create_topic(Name="backup-events")["TopicArn"]
def queue(name):
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
nq, narn = queue("notifications")
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=narn)
eq, earn = queue("events")
ev.put_rule(Name="backup-jobs", EventPattern=json.dumps({"source": ["aws.backup"], "detail-type": ["Backup Job State Change"]}))
ev.put_targets(Rule="backup-jobs", Targets=[{"Id": "q", "Arn": earn}])
print(json.dumps({"topic": topic, "nq": nq, "eq": eq}))
`),
    ) as { topic: string; nq: string; eq: string };
    const c = t.client({ accountId: ACCOUNT });
    const vault = uniqueName("vault");
    await c.send(new CreateBackupVaultCommand({ BackupVaultName: vault }));
    await c.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: setup.topic, BackupVaultEvents: ["BACKUP_JOB_COMPLETED"] }));
    // An EC2 instance: a type whose backups stay simulated with a resource endpoint, so the job completes without one in moto.
    const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0`, IamRoleArn: ROLE_ARN }));
    await c.send(new ListBackupJobsCommand({}));
    const drain = async (queue: string) =>
      JSON.parse(
        await pythonAsync(`${boto(moto.endpoint)}
out = []
for _ in range(40):
    got = c("sqs").receive_message(QueueUrl="${queue}", MaxNumberOfMessages=10).get("Messages", [])
    out += [m["Body"] for m in got]
    if out and not got: break
    time.sleep(0.1)
print(json.dumps(out))
`),
      ) as string[];
    const notifications = (await drain(setup.nq)).map((b) => JSON.parse((JSON.parse(b) as { Message: string }).Message) as { event: string; jobId: string });
    expect(notifications).toContainEqual(expect.objectContaining({ event: "BACKUP_JOB_COMPLETED", jobId: job.BackupJobId }));
    const events = (await drain(setup.eq)).map((b) => JSON.parse(b) as { source: string; "detail-type": string; account: string; detail: { backupJobId: string; state: string } });
    const mine = events.filter((e) => e.detail.backupJobId === job.BackupJobId);
    expect(mine.map((e) => e.detail.state)).toEqual(expect.arrayContaining(["CREATED", "COMPLETED"]));
    expect(mine.every((e) => e.source === "aws.backup" && e["detail-type"] === "Backup Job State Change")).toBe(true);
  });
});
