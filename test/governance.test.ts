import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AssociateBackupVaultMpaApprovalTeamCommand,
  CreateBackupVaultCommand,
  CreateLogicallyAirGappedBackupVaultCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultNotificationsCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DisassociateBackupVaultMpaApprovalTeamCommand,
  GetBackupVaultAccessPolicyCommand,
  GetBackupVaultNotificationsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

async function newVault(c: BackupClient = backup): Promise<string> {
  const name = uniqueName("vault");
  await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  return name;
}

async function newAirGappedVault(c: BackupClient = backup): Promise<string> {
  const name = uniqueName("lag");
  await c.send(new CreateLogicallyAirGappedBackupVaultCommand({ BackupVaultName: name, MinRetentionDays: 7, MaxRetentionDays: 30 }));
  return name;
}

const policyFor = (vault: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: ["backup:DeleteRecoveryPoint"],
        Resource: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`,
      },
    ],
  });

const TOPIC = "arn:aws:sns:us-east-1:000000000000:backup-events";
const TEAM = "arn:aws:mpa:us-east-1:000000000000:approval-team/team-1";

describe("PutBackupVaultAccessPolicy", () => {
  it("stores the policy, which GetBackupVaultAccessPolicy returns exactly as sent", async () => {
    const vault = await newVault();
    // Odd spacing shows the document is kept verbatim, not reformatted.
    const policy = policyFor(vault).replace('"Version":', '"Version" :  ');
    await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: policy }));
    const out = await backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault }));
    expect(out).toMatchObject({ BackupVaultName: vault, BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`, Policy: policy });
  });

  it("replaces an earlier policy", async () => {
    const vault = await newVault();
    await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: policyFor(vault) }));
    const second = JSON.stringify({ Statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "backup:CopyIntoBackupVault", Resource: "*" } });
    await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: second }));
    expect((await backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault }))).Policy).toBe(second);
  });

  it("refuses a policy that is not JSON with InvalidParameterValueException", async () => {
    const vault = await newVault();
    const err = await errorOf(backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: "{not json" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toMatch(/Policy is not valid JSON/);
  });

  it("refuses JSON that is not an IAM policy document", async () => {
    const vault = await newVault();
    for (const [policy, culprit] of [
      ["[1, 2]", /JSON object/],
      ['{"Version": "2012-10-17"}', /Statement/],
      ['{"Statement": [{"Effect": "Maybe", "Action": "backup:*"}]}', /Statement\[0\]\.Effect/],
      ['{"Statement": [{"Effect": "Allow"}]}', /Statement\[0\] must have an Action/],
      ['{"Version": "2020-01-01", "Statement": [{"Effect": "Allow", "Action": "backup:*"}]}', /Policy\.Version/],
    ] as const) {
      const err = await errorOf(backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: policy })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toMatch(culprit);
    }
  });

  it("refuses a request without a policy with MissingParameterValueException", async () => {
    const vault = await newVault();
    const err = await errorOf(backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("MissingParameterValueException");
    expect(err.message).toContain("Policy");
  });

  it("answers ResourceNotFoundException for a vault that does not exist", async () => {
    const err = await errorOf(backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: "no-such-vault", Policy: policyFor("x") })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-vault");
  });
});

describe("GetBackupVaultAccessPolicy", () => {
  it("answers ResourceNotFoundException naming the vault when it has no policy", async () => {
    const vault = await newVault();
    const err = await errorOf(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(vault);
  });

  it("does not see a policy of the same vault name in another account or region", async () => {
    const vault = await newVault();
    await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: policyFor(vault) }));
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      const err = await errorOf(other.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(vault);
    }
  });
});

describe("DeleteBackupVaultAccessPolicy", () => {
  it("removes the policy, and deleting again still succeeds", async () => {
    const vault = await newVault();
    await backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vault, Policy: policyFor(vault) }));
    await backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: vault }));
    expect((await errorOf(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vault })))).name).toBe("ResourceNotFoundException");
    await backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: vault }));
  });

  it("answers ResourceNotFoundException for a vault of another account", async () => {
    const vault = await newVault();
    const err = await errorOf(t.client({ accountId: "111122223333" }).send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(vault);
  });
});

describe("PutBackupVaultNotifications", () => {
  it("stores the topic and events, which GetBackupVaultNotifications returns", async () => {
    const vault = await newVault();
    await backup.send(
      new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: ["BACKUP_JOB_STARTED", "BACKUP_JOB_COMPLETED", "RECOVERY_POINT_MODIFIED"] }),
    );
    const out = await backup.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: vault }));
    expect(out).toEqual({
      $metadata: expect.anything(),
      BackupVaultName: vault,
      BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`,
      SNSTopicArn: TOPIC,
      BackupVaultEvents: ["BACKUP_JOB_STARTED", "BACKUP_JOB_COMPLETED", "RECOVERY_POINT_MODIFIED"],
    });
  });

  it("refuses a deprecated event with a 400 that names the events it accepts", async () => {
    const vault = await newVault();
    const err = await errorOf(
      backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: ["BACKUP_JOB_COMPLETED", "BACKUP_JOB_SUCCESSFUL"] })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect(err.message).toContain("BACKUP_JOB_SUCCESSFUL");
    expect(err.message).toContain("BACKUP_JOB_STARTED, BACKUP_JOB_COMPLETED, RESTORE_JOB_STARTED, RESTORE_JOB_COMPLETED, COPY_JOB_STARTED, COPY_JOB_SUCCESSFUL, COPY_JOB_FAILED, RECOVERY_POINT_MODIFIED, S3_BACKUP_OBJECT_FAILED, S3_RESTORE_OBJECT_FAILED");
    for (const deprecated of ["BACKUP_JOB_FAILED", "BACKUP_JOB_EXPIRED", "RESTORE_JOB_SUCCESSFUL", "RESTORE_JOB_FAILED", "BACKUP_PLAN_CREATED", "BACKUP_PLAN_MODIFIED"] as const) {
      const e = await errorOf(backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: [deprecated] })));
      expect(e.message).toContain(deprecated);
    }
  });

  it("refuses a topic ARN that is not an SNS topic, a FIFO topic or a topic of another account", async () => {
    const vault = await newVault();
    for (const [arn, culprit] of [
      ["arn:aws:sqs:us-east-1:000000000000:queue", /SNSTopicArn must be the ARN of an Amazon SNS topic/],
      ["backup-events", /SNSTopicArn must be the ARN/],
      ["arn:aws:sns:us-east-1:000000000000:events.fifo", /FIFO/],
      ["arn:aws:sns:us-east-1:111122223333:events", /account 111122223333/],
    ] as const) {
      const err = await errorOf(backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: arn, BackupVaultEvents: ["BACKUP_JOB_STARTED"] })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toMatch(culprit);
    }
  });

  it("refuses an empty event list", async () => {
    const vault = await newVault();
    const err = await errorOf(backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: [] })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("BackupVaultEvents");
  });

  it("answers ResourceNotFoundException for a vault that does not exist", async () => {
    const err = await errorOf(backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: "no-such-vault", SNSTopicArn: TOPIC, BackupVaultEvents: ["BACKUP_JOB_STARTED"] })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-vault");
  });

  it("sends the subscribed events of a backup job to the topic, and only those", async () => {
    const vault = await newVault();
    const quiet = await newVault();
    await backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: ["BACKUP_JOB_STARTED", "BACKUP_JOB_COMPLETED"] }));
    const job = await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    await backup.send(new StartBackupJobCommand({ BackupVaultName: quiet, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    expect((await backup.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("COMPLETED");
    const { notifications } = (await (await fetch(`${t.endpoint}/_emulator/notifications`)).json()) as {
      notifications: { event: string; backupVaultName: string; snsTopicArn: string; jobId?: string; state?: string }[];
    };
    const mine = notifications.filter((n) => n.backupVaultName === vault);
    expect(mine.map((n) => [n.event, n.state])).toEqual([
      ["BACKUP_JOB_STARTED", "CREATED"],
      ["BACKUP_JOB_COMPLETED", "COMPLETED"],
    ]);
    for (const n of mine) expect(n).toMatchObject({ snsTopicArn: TOPIC, jobId: job.BackupJobId });
    expect(notifications.filter((n) => n.backupVaultName === quiet)).toEqual([]);
  });
});

describe("GetBackupVaultNotifications", () => {
  it("answers ResourceNotFoundException naming the vault when nothing is configured", async () => {
    const vault = await newVault();
    const err = await errorOf(backup.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(vault);
  });

  it("does not see the configuration from another account or region", async () => {
    const vault = await newVault();
    await backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: ["BACKUP_JOB_STARTED"] }));
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      expect((await errorOf(other.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: vault })))).name).toBe("ResourceNotFoundException");
    }
  });
});

describe("DeleteBackupVaultNotifications", () => {
  it("removes the configuration, after which job events are no longer sent", async () => {
    const vault = await newVault();
    await backup.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: vault, SNSTopicArn: TOPIC, BackupVaultEvents: ["BACKUP_JOB_STARTED"] }));
    await backup.send(new DeleteBackupVaultNotificationsCommand({ BackupVaultName: vault }));
    expect((await errorOf(backup.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: vault })))).name).toBe("ResourceNotFoundException");
    await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    const { notifications } = (await (await fetch(`${t.endpoint}/_emulator/notifications`)).json()) as { notifications: { backupVaultName: string }[] };
    expect(notifications.filter((n) => n.backupVaultName === vault)).toEqual([]);
    await backup.send(new DeleteBackupVaultNotificationsCommand({ BackupVaultName: vault }));
  });

  it("answers ResourceNotFoundException for a vault that does not exist", async () => {
    const err = await errorOf(backup.send(new DeleteBackupVaultNotificationsCommand({ BackupVaultName: "no-such-vault" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("no-such-vault");
  });
});

describe("AssociateBackupVaultMpaApprovalTeam", () => {
  it("associates a team with a logically air-gapped vault, shown by DescribeBackupVault", async () => {
    const vault = await newAirGappedVault();
    const out = await backup.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: TEAM, RequesterComment: "recovery" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.MpaApprovalTeamArn).toBe(TEAM);
    expect(d.LatestMpaApprovalTeamUpdate).toMatchObject({ Status: "APPROVED" });
    expect(d.LatestMpaApprovalTeamUpdate?.InitiationDate).toBeInstanceOf(Date);
  });

  it("replaces the team through an approval session with the current team", async () => {
    const vault = await newAirGappedVault();
    await backup.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: TEAM }));
    const next = "arn:aws:mpa:us-east-1:000000000000:approval-team/team-2";
    await backup.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: next }));
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.MpaApprovalTeamArn).toBe(next);
    expect(d.LatestMpaApprovalTeamUpdate?.MpaSessionArn).toMatch(/^arn:aws:mpa:us-east-1:000000000000:session\/team-1\//);
  });

  it("refuses a standard backup vault with InvalidRequestException", async () => {
    const vault = await newVault();
    const err = await errorOf(backup.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: TEAM })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(vault);
    expect(err.message).toContain("BACKUP_VAULT");
  });

  it("refuses an ARN that is not an MPA approval team", async () => {
    const vault = await newAirGappedVault();
    const err = await errorOf(backup.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: "arn:aws:iam::000000000000:role/team" })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("MpaApprovalTeamArn");
  });

  it("answers ResourceNotFoundException for a vault of another account or region", async () => {
    const vault = await newAirGappedVault();
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      const err = await errorOf(other.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: TEAM })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(vault);
    }
  });
});

describe("DisassociateBackupVaultMpaApprovalTeam", () => {
  it("removes the team and records the approved change", async () => {
    const vault = await newAirGappedVault();
    await backup.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: TEAM }));
    const out = await backup.send(new DisassociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, RequesterComment: "no longer needed" }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    const d = await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    expect(d.MpaApprovalTeamArn).toBeUndefined();
    expect(d.LatestMpaApprovalTeamUpdate).toMatchObject({ Status: "APPROVED" });
    expect(d.LatestMpaApprovalTeamUpdate?.MpaSessionArn).toMatch(/:session\/team-1\//);
  });

  it("refuses a vault without a team with InvalidRequestException", async () => {
    const vault = await newAirGappedVault();
    const err = await errorOf(backup.send(new DisassociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(vault);
  });

  it("refuses a standard backup vault with InvalidRequestException", async () => {
    const vault = await newVault();
    const err = await errorOf(backup.send(new DisassociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(vault);
  });

  it("answers ResourceNotFoundException for a vault of another account or region", async () => {
    const vault = await newAirGappedVault();
    await backup.send(new AssociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault, MpaApprovalTeamArn: TEAM }));
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      const err = await errorOf(other.send(new DisassociateBackupVaultMpaApprovalTeamCommand({ BackupVaultName: vault })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(vault);
    }
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).MpaApprovalTeamArn).toBe(TEAM);
  });

  it("is reached over raw HTTP by POST …/mpaApprovalTeam?delete and ?delete=, while PUT reaches Associate", async () => {
    const vault = await newAirGappedVault();
    const url = `${t.endpoint}/backup-vaults/${vault}/mpaApprovalTeam`;
    const headers = { "content-type": "application/json" };
    const describe = () => backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }));
    for (const query of ["?delete", "?delete="]) {
      const put = await fetch(url, { method: "PUT", headers, body: JSON.stringify({ MpaApprovalTeamArn: TEAM }) });
      expect(put.status).toBe(204);
      expect((await describe()).MpaApprovalTeamArn).toBe(TEAM);
      const post = await fetch(`${url}${query}`, { method: "POST", headers, body: "{}" });
      expect(post.status).toBe(204);
      expect((await describe()).MpaApprovalTeamArn).toBeUndefined();
    }
  });
});
