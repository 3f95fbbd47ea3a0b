import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupPlanCommand,
  CreateBackupSelectionCommand,
  CreateBackupVaultCommand,
  DeleteBackupVaultCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupVaultCommand,
  DescribeRecoveryPointCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRecoveryPointsByResourceCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  UpdateRecoveryPointLifecycleCommand,
  type BackupClient,
  type ListRecoveryPointsByBackupVaultCommandInput,
} from "@aws-sdk/client-backup";
import type { RecoveryPointRecord } from "../src/store/records.js";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
const SCOPE = { accountId: "000000000000", region: "us-east-1" };

beforeAll(async () => {
  t = await startTestEmulator();
  backup = t.client();
});
afterAll(() => t.stop());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newVault(): Promise<string> {
  const name = uniqueName("vault");
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  return name;
}

/** A completed recovery point of `resourceArn` in `vault` (jobs finish at the next request). */
async function backUp(vault: string, resourceArn: string = resources.dynamo(), extra: { RecoveryPointTags?: Record<string, string> } = {}): Promise<string> {
  const out = await backup.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN, ...extra }));
  return out.RecoveryPointArn!;
}

describe("DescribeRecoveryPoint", () => {
  it("describes a recovery point with its vault, resource, status, storage class and dates", async () => {
    const vault = await newVault();
    const resourceArn = resources.efs();
    const arn = await backUp(vault, resourceArn);
    const rp = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    expect(rp).toMatchObject({
      RecoveryPointArn: arn,
      BackupVaultName: vault,
      BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`,
      ResourceArn: resourceArn,
      ResourceType: "EFS",
      IamRoleArn: ROLE_ARN,
      Status: "COMPLETED",
      StorageClass: "WARM",
      IsEncrypted: true,
      IsParent: false,
      VaultType: "BACKUP_VAULT",
    });
    expect(rp.EncryptionKeyArn).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
    expect(rp.BackupSizeInBytes).toBeGreaterThan(0);
    expect(rp.CreationDate).toBeInstanceOf(Date);
    expect(rp.CompletionDate!.getTime()).toBeGreaterThanOrEqual(rp.CreationDate!.getTime());
    expect(rp.Lifecycle).toBeUndefined();
    expect(rp.CalculatedLifecycle).toBeUndefined();
  });

  it("answers ResourceNotFoundException for a recovery point ARN that does not exist", async () => {
    const vault = await newVault();
    const arn = "arn:aws:backup:us-east-1:000000000000:recovery-point:00000000-0000-0000-0000-000000000000";
    const err = await errorOf(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException when the recovery point is in another vault", async () => {
    const a = await newVault();
    const b = await newVault();
    const arn = await backUp(a);
    const err = await errorOf(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: b, RecoveryPointArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(b);
  });

  it("answers ResourceNotFoundException when the vault does not exist", async () => {
    const arn = await backUp(await newVault());
    const err = await errorOf(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: "vanished-vault", RecoveryPointArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("vanished-vault");
  });
});

describe("ListRecoveryPointsByBackupVault", () => {
  let vault: string;
  let other: string;
  const points: Record<"ddb" | "ebs" | "efs" | "ddb2", { arn: string; resource: string; created: Date }> = {} as never;

  async function arns(input: Omit<ListRecoveryPointsByBackupVaultCommandInput, "BackupVaultName">, name = vault): Promise<string[]> {
    const out = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: name, ...input }));
    expect(out.NextToken).toBeUndefined();
    return out.RecoveryPoints!.map((r) => r.RecoveryPointArn!).sort();
  }
  const arnsOf = (...names: (keyof typeof points)[]) => names.map((n) => points[n].arn).sort();
  const midpoint = (a: Date, b: Date) => new Date((a.getTime() + b.getTime()) / 2);

  beforeAll(async () => {
    vault = await newVault();
    other = await newVault();
    const table = resources.dynamo();
    const make = async (key: keyof typeof points, resource: string) => {
      const arn = await backUp(vault, resource);
      const rp = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
      points[key] = { arn, resource, created: rp.CreationDate! };
      // Distinct creation times, a few milliseconds apart.
      await pause(15);
    };
    await make("ddb", table);
    await make("ebs", resources.ebs());
    await make("efs", resources.efs());
    await make("ddb2", table);
    await backUp(other, table);
  });

  it("lists the vault's recovery points only, newest first", async () => {
    const out = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault }));
    expect(out.RecoveryPoints!.map((r) => r.RecoveryPointArn)).toEqual([points.ddb2.arn, points.efs.arn, points.ebs.arn, points.ddb.arn]);
    for (const r of out.RecoveryPoints!) {
      expect(r.BackupVaultName).toBe(vault);
      expect(r.Status).toBe("COMPLETED");
      expect(r.IsParent).toBe(false);
    }
  });

  it("filters by resource ARN", async () => {
    expect(await arns({ ByResourceArn: points.ddb.resource })).toEqual(arnsOf("ddb", "ddb2"));
    expect(await arns({ ByResourceArn: points.ebs.resource })).toEqual(arnsOf("ebs"));
    expect(await arns({ ByResourceArn: resources.efs() })).toEqual([]);
  });

  it("filters by resource type", async () => {
    expect(await arns({ ByResourceType: "DynamoDB" })).toEqual(arnsOf("ddb", "ddb2"));
    expect(await arns({ ByResourceType: "EBS" })).toEqual(arnsOf("ebs"));
    expect(await arns({ ByResourceType: "RDS" })).toEqual([]);
  });

  it("filters by creation time, before and after", async () => {
    const cut = midpoint(points.ebs.created, points.efs.created);
    expect(await arns({ ByCreatedBefore: cut })).toEqual(arnsOf("ddb", "ebs"));
    expect(await arns({ ByCreatedAfter: cut })).toEqual(arnsOf("efs", "ddb2"));
    const early = midpoint(points.ddb.created, points.ebs.created);
    expect(await arns({ ByCreatedAfter: early, ByCreatedBefore: cut })).toEqual(arnsOf("ebs"));
  });

  it("filters by backup plan id, matching the recovery points a plan's scheduled run made", async () => {
    // A dedicated emulator, since the clock jumps a day to let the plan's rule run.
    const p = await startTestEmulator();
    try {
      const c = p.client();
      const v = uniqueName("vault");
      await c.send(new CreateBackupVaultCommand({ BackupVaultName: v }));
      const table = resources.dynamo("us-east-1", "000000000000");
      const inventory = await fetch(`${p.endpoint}/_emulator/resources`, { method: "PUT", body: JSON.stringify({ ResourceArn: table }) });
      expect(inventory.status).toBe(200);
      const plan = await c.send(
        new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "hourly", TargetBackupVaultName: v, ScheduleExpression: "cron(0 * ? * * *)" }] } }),
      );
      const other = await c.send(
        new CreateBackupPlanCommand({ BackupPlan: { BackupPlanName: uniqueName("plan"), Rules: [{ RuleName: "daily", TargetBackupVaultName: v }] } }),
      );
      await c.send(new CreateBackupSelectionCommand({ BackupPlanId: plan.BackupPlanId, BackupSelection: { SelectionName: "table", IamRoleArn: ROLE_ARN, Resources: [table] } }));
      const onDemand = (await c.send(new StartBackupJobCommand({ BackupVaultName: v, ResourceArn: table, IamRoleArn: ROLE_ARN }))).RecoveryPointArn!;
      const clock = await fetch(`${p.endpoint}/_emulator/clock`, { method: "POST", body: JSON.stringify({ advanceSeconds: 3600 + 60 }) });
      expect(clock.status).toBe(200);

      const byPlan = await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v, ByBackupPlanId: plan.BackupPlanId }));
      expect(byPlan.RecoveryPoints!.length).toBeGreaterThanOrEqual(1);
      for (const r of byPlan.RecoveryPoints!) {
        expect(r.RecoveryPointArn).not.toBe(onDemand);
        expect(r.ResourceArn).toBe(table);
        expect(r.CreatedBy?.BackupPlanId).toBe(plan.BackupPlanId);
        expect(r.CreatedBy?.BackupPlanArn).toBe(plan.BackupPlanArn);
      }
      expect((await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v, ByBackupPlanId: other.BackupPlanId }))).RecoveryPoints).toEqual([]);
      const all = await c.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v }));
      expect(all.RecoveryPoints!.map((r) => r.RecoveryPointArn)).toContain(onDemand);
      expect(all.RecoveryPoints!.length).toBe(byPlan.RecoveryPoints!.length + 1);
    } finally {
      await p.stop();
    }
  });

  it("filters by parent recovery point ARN", async () => {
    // Composite (parent/child) recovery points are only made by the service itself: a child of
    // `efs` is written straight into the store to give the filter something to find.
    const child: RecoveryPointRecord = {
      RecoveryPointArn: `${points.efs.arn}-child`,
      BackupVaultName: vault,
      BackupVaultArn: `arn:aws:backup:us-east-1:000000000000:backup-vault:${vault}`,
      ResourceArn: resources.efs(),
      ResourceType: "EFS",
      Status: "COMPLETED",
      StorageClass: "WARM",
      CreationDate: t.emu.clock.now(),
      ParentRecoveryPointArn: points.efs.arn,
    };
    t.emu.store.recoveryPoints.put(SCOPE, child);
    try {
      expect(await arns({ ByParentRecoveryPointArn: points.efs.arn })).toEqual([child.RecoveryPointArn]);
      expect(await arns({ ByParentRecoveryPointArn: points.ebs.arn })).toEqual([]);
    } finally {
      t.emu.store.recoveryPoints.delete(SCOPE, child.RecoveryPointArn);
    }
  });

  it("pages with MaxResults and NextToken, seeing each recovery point once, with no token on the last page", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault, MaxResults: 3, NextToken: token }));
      expect(page.RecoveryPoints!.length).toBeLessThanOrEqual(3);
      seen.push(...page.RecoveryPoints!.map((r) => r.RecoveryPointArn!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(arnsOf("ddb", "ebs", "efs", "ddb2"));
  });

  it("shows a recovery point as it is now: a lifecycle change reaches both lists and agrees with DescribeRecoveryPoint", async () => {
    const v = await newVault();
    const resource = resources.dynamo();
    const arn = await backUp(v, resource);
    const before = (await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v }))).RecoveryPoints![0]!;
    expect(before.Lifecycle).toBeUndefined();
    await backup.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: v, RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 35 } }));
    const described = await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: v, RecoveryPointArn: arn }));
    const [byVault] = (await backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v }))).RecoveryPoints!;
    expect(byVault).toMatchObject({ RecoveryPointArn: arn, Lifecycle: { DeleteAfterDays: 35 } });
    expect(byVault!.CalculatedLifecycle).toEqual(described.CalculatedLifecycle);
    expect(byVault!.CalculatedLifecycle?.DeleteAt).toBeDefined();
    const [byResource] = (await backup.send(new ListRecoveryPointsByResourceCommand({ ResourceArn: resource }))).RecoveryPoints!;
    expect(byResource).toMatchObject({ RecoveryPointArn: arn, BackupVaultName: v, Status: described.Status, BackupSizeBytes: described.BackupSizeInBytes });
  });

  it("answers ResourceNotFoundException for a vault that does not exist", async () => {
    const err = await errorOf(backup.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "missing-vault" })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain("missing-vault");
  });
});

describe("DeleteRecoveryPoint", () => {
  it("deletes a recovery point and its tags, lowering the vault's count so the vault can be deleted", async () => {
    const vault = await newVault();
    const arn = await backUp(vault, resources.dynamo(), { RecoveryPointTags: { a: "1" } });
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(1);
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(0);
    expect((await errorOf(backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })))).name).toBe("ResourceNotFoundException");
    expect((await errorOf(backup.send(new ListTagsCommand({ ResourceArn: arn })))).name).toBe("ResourceNotFoundException");
    await backup.send(new DeleteBackupVaultCommand({ BackupVaultName: vault }));
    expect((await errorOf(backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault })))).name).toBe("ResourceNotFoundException");
  });

  it("deletes an EBS snapshot recovery point, whose ARN has a slash and no account", async () => {
    const vault = await newVault();
    const arn = await backUp(vault, resources.ebs());
    expect(arn).toMatch(/^arn:aws:ec2:us-east-1::snapshot\/snap-/);
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(0);
  });

  it("answers ResourceNotFoundException for a recovery point that does not exist", async () => {
    const vault = await newVault();
    const arn = "arn:aws:ec2:us-east-1::snapshot/snap-0123456789abcdef0";
    const err = await errorOf(backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(arn);
  });

  it("answers ResourceNotFoundException when the recovery point is in another vault, and leaves it alone", async () => {
    const a = await newVault();
    const b = await newVault();
    const arn = await backUp(a);
    const err = await errorOf(backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: b, RecoveryPointArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect(err.message).toContain(b);
    expect((await backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: a, RecoveryPointArn: arn }))).Status).toBe("COMPLETED");
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: a }))).NumberOfRecoveryPoints).toBe(1);
  });

  it("answers ResourceNotFoundException the second time the same recovery point is deleted", async () => {
    const vault = await newVault();
    const arn = await backUp(vault);
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
    const err = await errorOf(backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("ResourceNotFoundException");
    expect((await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: vault }))).NumberOfRecoveryPoints).toBe(0);
  });
});
