import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupVaultCommand,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  GetBackupPlanCommand,
  ListBackupJobsCommand,
  ListBackupPlansCommand,
  ListBackupVaultsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  TagResourceCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { errorOf, eventually, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

const OTHER_ACCOUNT = "111122223333";

let t: TestEmulator;
/** Default account (000000000000) in us-east-1. */
let home: BackupClient;
/** Default account in eu-west-1. */
let europe: BackupClient;
/** Account 111122223333 in us-east-1. */
let other: BackupClient;

beforeAll(async () => {
  t = await startTestEmulator();
  home = t.client();
  europe = t.client({ region: "eu-west-1" });
  other = t.client({ accountId: OTHER_ACCOUNT });
});
afterAll(() => t.stop());

describe("Isolation of state by account and region", () => {
  it("keeps a vault made in us-east-1 invisible from eu-west-1 and from another account", async () => {
    const name = uniqueName("vault");
    await home.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    for (const [who, c] of [["eu-west-1", europe], ["another account", other]] as const) {
      const err = await errorOf(c.send(new DescribeBackupVaultCommand({ BackupVaultName: name })));
      expect(err.name, who).toBe("ResourceNotFoundException");
      expect(err.message, who).toContain(name);
      const list = await c.send(new ListBackupVaultsCommand({}));
      expect(list.BackupVaultList!.map((v) => v.BackupVaultName), who).not.toContain(name);
    }
  });

  it("lets the same vault name exist separately in each account and region", async () => {
    const name = uniqueName("vault");
    const arns = [];
    for (const c of [home, europe, other]) arns.push((await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }))).BackupVaultArn);
    expect(arns).toEqual([
      `arn:aws:backup:us-east-1:000000000000:backup-vault:${name}`,
      `arn:aws:backup:eu-west-1:000000000000:backup-vault:${name}`,
      `arn:aws:backup:us-east-1:${OTHER_ACCOUNT}:backup-vault:${name}`,
    ]);
    // A recovery point in one of them counts in that one only.
    await europe.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo("eu-west-1"), IamRoleArn: ROLE_ARN }));
    expect((await europe.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).NumberOfRecoveryPoints).toBe(1);
    expect((await home.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).NumberOfRecoveryPoints).toBe(0);
    expect((await other.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).NumberOfRecoveryPoints).toBe(0);
  });

  it("puts the caller's region and account in every ARN it makes", async () => {
    const c = t.client({ region: "ap-southeast-2", accountId: OTHER_ACCOUNT });
    const name = uniqueName("vault");
    const vault = await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    expect(vault.BackupVaultArn).toBe(`arn:aws:backup:ap-southeast-2:${OTHER_ACCOUNT}:backup-vault:${name}`);
    const d = await c.send(new DescribeBackupVaultCommand({ BackupVaultName: name }));
    expect(d.EncryptionKeyArn).toMatch(new RegExp(`^arn:aws:kms:ap-southeast-2:${OTHER_ACCOUNT}:key/`));
    const plan = await c.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: name }] } }));
    expect(plan.BackupPlanArn).toBe(`arn:aws:backup:ap-southeast-2:${OTHER_ACCOUNT}:backup-plan:${plan.BackupPlanId}`);
    const dynamo = await c.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo("ap-southeast-2"), IamRoleArn: ROLE_ARN }));
    expect(dynamo.RecoveryPointArn).toMatch(new RegExp(`^arn:aws:backup:ap-southeast-2:${OTHER_ACCOUNT}:recovery-point:`));
    const ebs = await c.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.ebs("ap-southeast-2"), IamRoleArn: ROLE_ARN }));
    expect(ebs.RecoveryPointArn).toMatch(/^arn:aws:ec2:ap-southeast-2::snapshot\/snap-/);
    const job = await c.send(new DescribeBackupJobCommand({ BackupJobId: dynamo.BackupJobId }));
    expect(job.AccountId).toBe(OTHER_ACCOUNT);
    expect(job.BackupVaultArn).toBe(vault.BackupVaultArn);
  });

  it("completes the jobs of a non-default account at the next request when the delay is 0", async () => {
    const name = uniqueName("vault");
    await other.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const out = await other.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.efs(), IamRoleArn: ROLE_ARN }));
    const job = await other.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }));
    expect(job.State).toBe("COMPLETED");
    expect(job.AccountId).toBe(OTHER_ACCOUNT);
    const rp = await other.send(new DescribeRecoveryPointCommand({ BackupVaultName: name, RecoveryPointArn: out.RecoveryPointArn }));
    expect(rp.Status).toBe("COMPLETED");
    expect((await other.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).NumberOfRecoveryPoints).toBe(1);
  });

  it("completes the jobs of a non-default account in another region after a small delay", async () => {
    const slow = await startTestEmulator({ jobCompletionDelaySeconds: 0.2 });
    try {
      const c = slow.client({ region: "eu-central-1", accountId: OTHER_ACCOUNT });
      const name = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
      const out = await c.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.rds("eu-central-1"), IamRoleArn: ROLE_ARN }));
      expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }))).State).not.toBe("COMPLETED");
      const done = await eventually(async () => {
        const j = await c.send(new DescribeBackupJobCommand({ BackupJobId: out.BackupJobId }));
        return j.State === "COMPLETED" && j;
      });
      expect(done.AccountId).toBe(OTHER_ACCOUNT);
      expect(out.RecoveryPointArn).toMatch(new RegExp(`^arn:aws:rds:eu-central-1:${OTHER_ACCOUNT}:snapshot:awsbackup:job-`));
      const rps = await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: name }));
      expect(rps.RecoveryPoints!.map((r) => r.RecoveryPointArn)).toEqual([out.RecoveryPointArn]);
      // The default account sees none of it.
      expect((await slow.client().send(new ListBackupJobsCommand({}))).BackupJobs).toEqual([]);
    } finally {
      await slow.stop();
    }
  });

  it("keeps jobs, plans and recovery points out of other accounts' and regions' lists and lookups", async () => {
    const name = uniqueName("vault");
    await home.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const plan = await home.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: name }] } }));
    const job = await home.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    for (const c of [europe, other]) {
      expect((await c.send(new ListBackupJobsCommand({}))).BackupJobs!.map((j) => j.BackupJobId)).not.toContain(job.BackupJobId);
      expect((await c.send(new ListBackupPlansCommand({}))).BackupPlansList!.map((p) => p.BackupPlanId)).not.toContain(plan.BackupPlanId);
      expect((await errorOf(c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId })))).name).toBe("ResourceNotFoundException");
      expect((await errorOf(c.send(new GetBackupPlanCommand({ BackupPlanId: plan.BackupPlanId })))).name).toBe("ResourceNotFoundException");
    }
  });

  it("refuses a plan rule that targets a vault of another region", async () => {
    const name = uniqueName("vault");
    await home.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const err = await errorOf(
      europe.send(new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "r", TargetBackupVaultName: name }] } })),
    );
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain(name);
  });

  it("does not let another account or region read or tag a resource by its ARN", async () => {
    const name = uniqueName("vault");
    const arn = (await home.send(new CreateBackupVaultCommand({ BackupVaultName: name, BackupVaultTags: { secret: "yes" } }))).BackupVaultArn!;
    for (const c of [europe, other]) {
      const list = await errorOf(c.send(new ListTagsCommand({ ResourceArn: arn })));
      expect(list.name).toBe("ResourceNotFoundException");
      expect(list.message).toContain(arn);
      const tag = await errorOf(c.send(new TagResourceCommand({ ResourceArn: arn, Tags: { mine: "now" } })));
      expect(tag.name).toBe("ResourceNotFoundException");
    }
    expect((await home.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ secret: "yes" });
  });

  it("does not let another account read a vault or its recovery points by naming the owner in BackupVaultAccountId", async () => {
    const name = uniqueName("vault");
    await home.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const out = await home.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    const owner = "000000000000";
    const calls = [
      other.send(new DescribeBackupVaultCommand({ BackupVaultName: name, BackupVaultAccountId: owner })),
      other.send(new DescribeRecoveryPointCommand({ BackupVaultName: name, RecoveryPointArn: out.RecoveryPointArn, BackupVaultAccountId: owner })),
      other.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: name, BackupVaultAccountId: owner })),
    ];
    for (const call of calls) {
      const err = await errorOf(call);
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(name);
      expect(err.message).toContain(owner);
    }
    // Naming one's own account is the same as naming none.
    const own = await home.send(new DescribeBackupVaultCommand({ BackupVaultName: name, BackupVaultAccountId: owner }));
    expect(own.NumberOfRecoveryPoints).toBe(1);
    const rps = await home.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: name, BackupVaultAccountId: owner }));
    expect(rps.RecoveryPoints!.map((r) => r.RecoveryPointArn)).toEqual([out.RecoveryPointArn]);
  });

  it("keeps an EBS snapshot recovery point, whose ARN carries no account, to the account that made it", async () => {
    const name = uniqueName("vault");
    await home.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const out = await home.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.ebs(), IamRoleArn: ROLE_ARN, RecoveryPointTags: { a: "1" } }));
    expect((await home.send(new ListTagsCommand({ ResourceArn: out.RecoveryPointArn }))).Tags).toEqual({ a: "1" });
    const err = await errorOf(other.send(new ListTagsCommand({ ResourceArn: out.RecoveryPointArn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(out.RecoveryPointArn!);
  });
});
