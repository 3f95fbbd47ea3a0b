/**
 * Vault access policies enforced: every operation on a vault and its recovery points consults
 * the vault's policy (docs/vault-policies.md). An explicit Deny refuses with a 403
 * AccessDeniedException and changes nothing; the vault's own account needs no Allow; another
 * account needs one.
 */
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateBackupVaultCommand,
  DeleteBackupVaultAccessPolicyCommand,
  DeleteBackupVaultCommand,
  DeleteBackupVaultLockConfigurationCommand,
  DeleteBackupVaultNotificationsCommand,
  DeleteRecoveryPointCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DisassociateRecoveryPointCommand,
  DisassociateRecoveryPointFromParentCommand,
  GetBackupVaultAccessPolicyCommand,
  GetBackupVaultNotificationsCommand,
  GetRecoveryPointIndexDetailsCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListTagsCommand,
  ListBackupJobsCommand,
  ListProtectedResourcesByBackupVaultCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  PutBackupVaultAccessPolicyCommand,
  PutBackupVaultLockConfigurationCommand,
  PutBackupVaultNotificationsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateRecoveryPointIndexSettingsCommand,
  UpdateRecoveryPointLifecycleCommand,
  type BackupClient,
} from "@aws-sdk/client-backup";
import { errorOf, REGION, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

interface Account {
  id: string;
  client: BackupClient;
}

/** An account no other test uses, so its vaults and jobs are its own. */
function freshAccount(): Account {
  const id = String(randomInt(100_000_000_000, 999_999_999_999));
  return { id, client: t.client({ accountId: id }) };
}

interface Vault {
  name: string;
  arn: string;
  /** A COMPLETED recovery point in the vault. */
  point: string;
}

const vaultArn = (account: string, name: string) => `arn:aws:backup:${REGION}:${account}:backup-vault:${name}`;

async function newVault(a: Account, resourceArn = resources.dynamo()): Promise<Vault> {
  const name = uniqueName("vault");
  await a.client.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
  const job = await a.client.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN }));
  t.emu.clock.advance(1);
  return { name, arn: vaultArn(a.id, name), point: job.RecoveryPointArn! };
}

type Statement = Record<string, unknown>;

const policy = (...statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const deny = (action: string | string[], extra: Statement = {}): Statement => ({ Effect: "Deny", Principal: { AWS: "*" }, Action: action, Resource: "*", ...extra });
const allow = (principal: unknown, action: string | string[], extra: Statement = {}): Statement => ({ Effect: "Allow", Principal: principal, Action: action, Resource: "*", ...extra });

async function putPolicy(a: Account, v: Vault, ...statements: Statement[]): Promise<void> {
  await a.client.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: v.name, Policy: policy(...statements) }));
}

/** Asserts an AccessDeniedException (403) naming the caller, the action and the resource, caused by an explicit deny. */
async function expectExplicitDeny(p: Promise<unknown>, account: string, action: string, resource: string): Promise<void> {
  const err = await errorOf(p);
  expect(err.name).toBe("AccessDeniedException");
  expect(err.$metadata?.httpStatusCode).toBe(403);
  expect(err.message).toContain(`arn:aws:iam::${account}:root`);
  expect(err.message).toContain(action);
  expect(err.message).toContain(resource);
  expect(err.message).toContain("explicit deny in a resource-based policy");
}

const describePoint = (a: Account, v: Vault, arn = v.point) => a.client.send(new DescribeRecoveryPointCommand({ BackupVaultName: v.name, RecoveryPointArn: arn }));
const deletePoint = (a: Account, v: Vault, arn = v.point) => a.client.send(new DeleteRecoveryPointCommand({ BackupVaultName: v.name, RecoveryPointArn: arn }));

describe("DeleteRecoveryPoint", () => {
  it("is refused by a Deny of backup:DeleteRecoveryPoint, and the recovery point stays", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:DeleteRecoveryPoint"));
    await expectExplicitDeny(deletePoint(a, v), a.id, "backup:DeleteRecoveryPoint", v.point);
    expect((await describePoint(a, v)).Status).toBe("COMPLETED");
  });

  it("is refused before the recovery point is looked up, so a denied caller learns nothing of it", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:DeleteRecoveryPoint"));
    const missing = `arn:aws:backup:${REGION}:${a.id}:recovery-point:00000000-0000-0000-0000-000000000000`;
    await expectExplicitDeny(deletePoint(a, v, missing), a.id, "backup:DeleteRecoveryPoint", missing);
  });

  it("matches actions by wildcard and without regard to case", async () => {
    const a = freshAccount();
    for (const action of ["backup:*", "backup:Delete*", "BACKUP:deleterecoverypoint", "backup:?eleteRecoveryPoint", "*"]) {
      const v = await newVault(a);
      await putPolicy(a, v, deny(action));
      await expectExplicitDeny(deletePoint(a, v), a.id, "backup:DeleteRecoveryPoint", v.point);
    }
  });

  it("matches the resource against the recovery point's ARN, with wildcards", async () => {
    const a = freshAccount();
    const refused = await newVault(a);
    await putPolicy(a, refused, deny("backup:DeleteRecoveryPoint", { Resource: "arn:aws:backup:*:*:recovery-point:*" }));
    await expectExplicitDeny(deletePoint(a, refused), a.id, "backup:DeleteRecoveryPoint", refused.point);

    // A statement about the vault's ARN (or another type's points) does not cover the recovery point.
    const other = await newVault(a);
    await putPolicy(a, other, deny("backup:DeleteRecoveryPoint", { Resource: [other.arn, "arn:aws:ec2:*::snapshot/*"] }));
    await deletePoint(a, other);
    expect((await errorOf(describePoint(a, other))).name).toBe("ResourceNotFoundException");
  });

  it("spares the resources a NotResource names", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, { Effect: "Deny", Principal: "*", Action: "backup:DeleteRecoveryPoint", NotResource: v.point });
    await deletePoint(a, v);
    expect((await errorOf(describePoint(a, v))).name).toBe("ResourceNotFoundException");
  });

  it("spares the actions a NotAction names", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, { Effect: "Deny", Principal: "*", NotAction: ["backup:Describe*", "backup:Get*"], Resource: "*" });
    expect((await describePoint(a, v)).RecoveryPointArn).toBe(v.point);
    await expectExplicitDeny(deletePoint(a, v), a.id, "backup:DeleteRecoveryPoint", v.point);
  });

  it("applies to the caller when the principal is everyone, the account, its root or any principal of the account", async () => {
    const a = freshAccount();
    for (const principal of ["*", { AWS: "*" }, { AWS: a.id }, { AWS: `arn:aws:iam::${a.id}:root` }, { AWS: [`arn:aws:iam::${a.id}:role/Admin`] }]) {
      const v = await newVault(a);
      await putPolicy(a, v, { ...deny("backup:DeleteRecoveryPoint"), Principal: principal });
      await expectExplicitDeny(deletePoint(a, v), a.id, "backup:DeleteRecoveryPoint", v.point);
    }
  });

  it("does not apply to the caller when the principal is another account or a service", async () => {
    const a = freshAccount();
    for (const principal of [{ AWS: "111122223333" }, { AWS: "arn:aws:iam::111122223333:root" }, { Service: "backup.amazonaws.com" }]) {
      const v = await newVault(a);
      await putPolicy(a, v, { ...deny("backup:DeleteRecoveryPoint"), Principal: principal });
      await deletePoint(a, v);
    }
  });

  it("follows NotPrincipal: everyone but the principals it names is denied", async () => {
    const a = freshAccount();
    const spared = await newVault(a);
    await putPolicy(a, spared, { Effect: "Deny", NotPrincipal: { AWS: `arn:aws:iam::${a.id}:root` }, Action: "backup:DeleteRecoveryPoint", Resource: "*" });
    await deletePoint(a, spared);

    const refused = await newVault(a);
    await putPolicy(a, refused, { Effect: "Deny", NotPrincipal: { AWS: "111122223333" }, Action: "backup:DeleteRecoveryPoint", Resource: "*" });
    await expectExplicitDeny(deletePoint(a, refused), a.id, "backup:DeleteRecoveryPoint", refused.point);
  });

  it("evaluates conditions on the caller's account and principal", async () => {
    const a = freshAccount();
    const refused = [
      { StringEquals: { "aws:PrincipalAccount": a.id } },
      { StringLike: { "aws:PrincipalArn": `arn:aws:iam::${a.id}:*` } },
      // The caller is the account's root, not the role a condition exempts.
      { ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::${a.id}:role/BackupAdmin` } },
      // A key the request does not carry makes negated operators true (IAM's rule).
      { StringNotEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } },
    ];
    for (const condition of refused) {
      const v = await newVault(a);
      await putPolicy(a, v, deny("backup:DeleteRecoveryPoint", { Condition: condition }));
      await expectExplicitDeny(deletePoint(a, v), a.id, "backup:DeleteRecoveryPoint", v.point);
    }
    const spared = [
      { StringNotEquals: { "aws:PrincipalAccount": a.id } },
      { StringEquals: { "aws:PrincipalAccount": "111122223333" } },
      // …and positive operators false.
      { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } },
      { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    ];
    for (const condition of spared) {
      const v = await newVault(a);
      await putPolicy(a, v, deny("backup:DeleteRecoveryPoint", { Condition: condition }));
      await deletePoint(a, v);
    }
  });

  it("is not affected by the policy of another vault", async () => {
    const a = freshAccount();
    const guarded = await newVault(a);
    const open = await newVault(a);
    await putPolicy(a, guarded, deny("backup:DeleteRecoveryPoint"));
    await deletePoint(a, open);
    expect((await errorOf(describePoint(a, open))).name).toBe("ResourceNotFoundException");
  });

  it("is allowed again once the policy is deleted", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:DeleteRecoveryPoint"));
    await expectExplicitDeny(deletePoint(a, v), a.id, "backup:DeleteRecoveryPoint", v.point);
    await a.client.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: v.name }));
    await deletePoint(a, v);
    expect((await errorOf(describePoint(a, v))).name).toBe("ResourceNotFoundException");
  });
});

describe("UpdateRecoveryPointLifecycle", () => {
  it("is refused by a Deny, and the lifecycle stays as it was", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny(["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:PutBackupVaultAccessPolicy"]));
    await expectExplicitDeny(
      a.client.send(new UpdateRecoveryPointLifecycleCommand({ BackupVaultName: v.name, RecoveryPointArn: v.point, Lifecycle: { DeleteAfterDays: 1 } })),
      a.id,
      "backup:UpdateRecoveryPointLifecycle",
      v.point,
    );
    expect((await describePoint(a, v)).Lifecycle).toBeUndefined();
  });
});

describe("DisassociateRecoveryPoint", () => {
  it("is refused by a Deny before the recovery point's kind is checked", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:DisassociateRecoveryPoint"));
    await expectExplicitDeny(a.client.send(new DisassociateRecoveryPointCommand({ BackupVaultName: v.name, RecoveryPointArn: v.point })), a.id, "backup:DisassociateRecoveryPoint", v.point);
    expect((await describePoint(a, v)).Status).toBe("COMPLETED");
  });
});

describe("DisassociateRecoveryPointFromParent", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:DisassociateRecoveryPointFromParent"));
    await expectExplicitDeny(
      a.client.send(new DisassociateRecoveryPointFromParentCommand({ BackupVaultName: v.name, RecoveryPointArn: v.point })),
      a.id,
      "backup:DisassociateRecoveryPointFromParent",
      v.point,
    );
  });
});

describe("DescribeRecoveryPoint", () => {
  it("is refused for the recovery points a resource-type pattern names, and only for them", async () => {
    const a = freshAccount();
    const v = await newVault(a, resources.ebs());
    const job = await a.client.send(new StartBackupJobCommand({ BackupVaultName: v.name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN }));
    t.emu.clock.advance(1);
    // The developer guide's example: deny access to the EBS snapshots in a vault.
    await putPolicy(a, v, deny(["backup:DescribeRecoveryPoint", "backup:DeleteRecoveryPoint", "backup:GetRecoveryPointRestoreMetadata"], { Resource: "arn:aws:ec2:*::snapshot/*" }));
    expect(v.point).toMatch(/^arn:aws:ec2:/);
    await expectExplicitDeny(describePoint(a, v), a.id, "backup:DescribeRecoveryPoint", v.point);
    expect((await describePoint(a, v, job.RecoveryPointArn)).Status).toBe("COMPLETED");
  });
});

describe("GetRecoveryPointRestoreMetadata", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:GetRecoveryPointRestoreMetadata"));
    await expectExplicitDeny(
      a.client.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: v.name, RecoveryPointArn: v.point })),
      a.id,
      "backup:GetRecoveryPointRestoreMetadata",
      v.point,
    );
  });
});

describe("StartRestoreJob", () => {
  it("is refused by a Deny in the policy of the recovery point's vault, and no job is created", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:StartRestoreJob"));
    await expectExplicitDeny(
      a.client.send(new StartRestoreJobCommand({ RecoveryPointArn: v.point, Metadata: { targetTableName: "restored" }, IamRoleArn: ROLE_ARN })),
      a.id,
      "backup:StartRestoreJob",
      v.point,
    );
    expect((await a.client.send(new ListRestoreJobsCommand({}))).RestoreJobs).toEqual([]);
  });
});

describe("StartBackupJob", () => {
  it("is refused by a Deny on the target vault, and no job is created", async () => {
    const a = freshAccount();
    const name = uniqueName("vault");
    await a.client.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const v = { name, arn: vaultArn(a.id, name), point: "" };
    await putPolicy(a, v, deny("backup:StartBackupJob", { Resource: v.arn }));
    await expectExplicitDeny(
      a.client.send(new StartBackupJobCommand({ BackupVaultName: name, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN })),
      a.id,
      "backup:StartBackupJob",
      v.arn,
    );
    expect((await a.client.send(new ListBackupJobsCommand({ ByBackupVaultName: name }))).BackupJobs).toEqual([]);
  });
});

describe("StartCopyJob", () => {
  const copy = (a: Account, source: Vault, destinationArn: string) =>
    a.client.send(new StartCopyJobCommand({ RecoveryPointArn: source.point, SourceBackupVaultName: source.name, DestinationBackupVaultArn: destinationArn, IamRoleArn: ROLE_ARN }));

  it("is refused by a Deny of backup:StartCopyJob on the source vault", async () => {
    const a = freshAccount();
    const source = await newVault(a);
    const dest = await newVault(a);
    await putPolicy(a, source, deny("backup:StartCopyJob"));
    await expectExplicitDeny(copy(a, source, dest.arn), a.id, "backup:StartCopyJob", source.point);
  });

  it("evaluates backup:CopyTargets for backup:CopyFromBackupVault on the source vault", async () => {
    const a = freshAccount();
    const source = await newVault(a);
    const allowed = await newVault(a);
    const other = await newVault(a);
    await putPolicy(a, source, deny("backup:CopyFromBackupVault", { Condition: { StringNotEquals: { "backup:CopyTargets": allowed.arn } } }));
    await expectExplicitDeny(copy(a, source, other.arn), a.id, "backup:CopyFromBackupVault", source.point);
    const { CopyJobId } = await copy(a, source, allowed.arn);
    expect((await a.client.send(new DescribeCopyJobCommand({ CopyJobId }))).CopyJob?.State).toBe("COMPLETED");
  });

  it("fails the job when the destination vault's policy denies backup:CopyIntoBackupVault, and no copy arrives", async () => {
    const a = freshAccount();
    const source = await newVault(a);
    const dest = await newVault(a);
    await putPolicy(a, dest, deny("backup:CopyIntoBackupVault"));
    const { CopyJobId } = await copy(a, source, dest.arn);
    const job = (await a.client.send(new DescribeCopyJobCommand({ CopyJobId }))).CopyJob!;
    expect(job.State).toBe("FAILED");
    expect(job.MessageCategory).toBe("ACCESS_DENIED");
    expect(job.StatusMessage).toContain("backup:CopyIntoBackupVault");
    expect(job.StatusMessage).toContain(dest.arn);
    const points = await a.client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: dest.name }));
    expect(points.RecoveryPoints!.map((p) => p.RecoveryPointArn)).toEqual([dest.point]);
  });

  it("lets another account copy in when the destination vault's policy allows it, and Deny beats that Allow", async () => {
    const owner = freshAccount();
    const source = freshAccount();
    const from = await newVault(source);
    const open = await newVault(owner);
    await putPolicy(owner, open, allow({ AWS: `arn:aws:iam::${source.id}:root` }, "backup:CopyIntoBackupVault"));
    const done = await copy(source, from, open.arn);
    expect((await source.client.send(new DescribeCopyJobCommand({ CopyJobId: done.CopyJobId }))).CopyJob?.State).toBe("COMPLETED");

    const closed = await newVault(owner);
    await putPolicy(owner, closed, allow({ AWS: source.id }, "backup:CopyIntoBackupVault"), { ...deny("backup:CopyIntoBackupVault"), Principal: { AWS: source.id } });
    const failed = await copy(source, from, closed.arn);
    const job = (await source.client.send(new DescribeCopyJobCommand({ CopyJobId: failed.CopyJobId }))).CopyJob!;
    expect(job.State).toBe("FAILED");
    expect(job.StatusMessage).toContain("explicit deny");
  });
});

describe("DeleteBackupVault", () => {
  it("is refused by a Deny, and the vault stays", async () => {
    const a = freshAccount();
    const name = uniqueName("vault");
    await a.client.send(new CreateBackupVaultCommand({ BackupVaultName: name }));
    const v = { name, arn: vaultArn(a.id, name), point: "" };
    await putPolicy(a, v, deny("backup:DeleteBackupVault", { Resource: v.arn }));
    await expectExplicitDeny(a.client.send(new DeleteBackupVaultCommand({ BackupVaultName: name })), a.id, "backup:DeleteBackupVault", v.arn);
    expect((await a.client.send(new DescribeBackupVaultCommand({ BackupVaultName: name }))).BackupVaultName).toBe(name);
  });

  it("is refused before its recovery points are counted", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:DeleteBackupVault"));
    await expectExplicitDeny(a.client.send(new DeleteBackupVaultCommand({ BackupVaultName: v.name })), a.id, "backup:DeleteBackupVault", v.arn);
  });
});

describe("DescribeBackupVault", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:DescribeBackupVault"));
    await expectExplicitDeny(a.client.send(new DescribeBackupVaultCommand({ BackupVaultName: v.name })), a.id, "backup:DescribeBackupVault", v.arn);
  });

  it("lets another account read the vault only when the policy allows it, and Deny beats that Allow", async () => {
    const owner = freshAccount();
    const reader = freshAccount();
    const v = await newVault(owner);
    const read = () => reader.client.send(new DescribeBackupVaultCommand({ BackupVaultName: v.name, BackupVaultAccountId: owner.id }));
    expect((await errorOf(read())).name).toBe("ResourceNotFoundException");

    await putPolicy(owner, v, allow({ AWS: reader.id }, ["backup:DescribeBackupVault", "backup:ListRecoveryPointsByBackupVault"]));
    expect((await read()).BackupVaultArn).toBe(v.arn);

    await putPolicy(owner, v, allow({ AWS: reader.id }, ["backup:DescribeBackupVault", "backup:ListRecoveryPointsByBackupVault"]), { ...deny("backup:DescribeBackupVault"), Principal: { AWS: reader.id } });
    await expectExplicitDeny(read(), reader.id, "backup:DescribeBackupVault", v.arn);
  });

  it("refuses another account an action the policy does not allow it, with AccessDeniedException", async () => {
    const owner = freshAccount();
    const reader = freshAccount();
    const v = await newVault(owner);
    await putPolicy(owner, v, allow({ AWS: reader.id }, "backup:DescribeBackupVault"));
    const err = await errorOf(reader.client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v.name, BackupVaultAccountId: owner.id })));
    expect(err.name).toBe("AccessDeniedException");
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toContain("backup:ListRecoveryPointsByBackupVault");
    expect(err.message).toContain(v.arn);
    expect(err.message).toContain("no resource-based policy allows");
  });
});

describe("ListRecoveryPointsByBackupVault", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:ListRecoveryPointsByBackupVault"));
    await expectExplicitDeny(a.client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v.name })), a.id, "backup:ListRecoveryPointsByBackupVault", v.arn);
  });

  it("lists another account's vault when the policy allows it", async () => {
    const owner = freshAccount();
    const reader = freshAccount();
    const v = await newVault(owner);
    await putPolicy(owner, v, allow({ AWS: `arn:aws:iam::${reader.id}:root` }, "backup:ListRecoveryPointsByBackupVault"));
    const out = await reader.client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: v.name, BackupVaultAccountId: owner.id }));
    expect(out.RecoveryPoints!.map((p) => p.RecoveryPointArn)).toEqual([v.point]);
  });
});

describe("ListProtectedResourcesByBackupVault", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:ListProtectedResourcesByBackupVault"));
    await expectExplicitDeny(
      a.client.send(new ListProtectedResourcesByBackupVaultCommand({ BackupVaultName: v.name })),
      a.id,
      "backup:ListProtectedResourcesByBackupVault",
      v.arn,
    );
  });
});

describe("PutBackupVaultAccessPolicy", () => {
  it("is refused by a Deny in the policy in force, which stays; deleting the policy is the way out", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny(["backup:PutBackupVaultAccessPolicy", "backup:DeleteRecoveryPoint"]));
    const before = (await a.client.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: v.name }))).Policy;
    await expectExplicitDeny(putPolicy(a, v, deny("backup:DeleteRecoveryPoint")), a.id, "backup:PutBackupVaultAccessPolicy", v.arn);
    expect((await a.client.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: v.name }))).Policy).toBe(before);

    await a.client.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: v.name }));
    await putPolicy(a, v, deny("backup:DescribeRecoveryPoint"));
    await deletePoint(a, v);
  });
});

describe("DeleteBackupVaultAccessPolicy", () => {
  it("is refused by a Deny, and the policy stays", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny(["backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVaultAccessPolicy"]));
    await expectExplicitDeny(a.client.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: v.name })), a.id, "backup:DeleteBackupVaultAccessPolicy", v.arn);
    expect((await a.client.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: v.name }))).Policy).toContain("backup:DeleteBackupVaultAccessPolicy");
  });
});

describe("GetBackupVaultAccessPolicy", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:GetBackupVaultAccessPolicy"));
    await expectExplicitDeny(a.client.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: v.name })), a.id, "backup:GetBackupVaultAccessPolicy", v.arn);
  });
});

const topic = (a: Account) => `arn:aws:sns:${REGION}:${a.id}:backup-events`;

describe("PutBackupVaultNotifications", () => {
  it("is refused by a Deny, and no configuration is stored", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:PutBackupVaultNotifications"));
    await expectExplicitDeny(
      a.client.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: v.name, SNSTopicArn: topic(a), BackupVaultEvents: ["BACKUP_JOB_COMPLETED"] })),
      a.id,
      "backup:PutBackupVaultNotifications",
      v.arn,
    );
    expect((await errorOf(a.client.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: v.name })))).name).toBe("ResourceNotFoundException");
  });
});

describe("GetBackupVaultNotifications", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:GetBackupVaultNotifications"));
    await expectExplicitDeny(a.client.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: v.name })), a.id, "backup:GetBackupVaultNotifications", v.arn);
  });
});

describe("DeleteBackupVaultNotifications", () => {
  it("is refused by a Deny, and the configuration stays", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await a.client.send(new PutBackupVaultNotificationsCommand({ BackupVaultName: v.name, SNSTopicArn: topic(a), BackupVaultEvents: ["BACKUP_JOB_COMPLETED"] }));
    await putPolicy(a, v, deny("backup:DeleteBackupVaultNotifications"));
    await expectExplicitDeny(a.client.send(new DeleteBackupVaultNotificationsCommand({ BackupVaultName: v.name })), a.id, "backup:DeleteBackupVaultNotifications", v.arn);
    expect((await a.client.send(new GetBackupVaultNotificationsCommand({ BackupVaultName: v.name }))).SNSTopicArn).toBe(topic(a));
  });
});

describe("PutBackupVaultLockConfiguration", () => {
  it("is refused by a Deny, and the vault stays unlocked", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:PutBackupVaultLockConfiguration"));
    await expectExplicitDeny(
      a.client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: v.name, MinRetentionDays: 1 })),
      a.id,
      "backup:PutBackupVaultLockConfiguration",
      v.arn,
    );
    expect((await a.client.send(new DescribeBackupVaultCommand({ BackupVaultName: v.name }))).Locked).toBe(false);
  });
});

describe("DeleteBackupVaultLockConfiguration", () => {
  it("is refused by a Deny, and the lock stays", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await a.client.send(new PutBackupVaultLockConfigurationCommand({ BackupVaultName: v.name, MinRetentionDays: 1 }));
    await putPolicy(a, v, deny("backup:DeleteBackupVaultLockConfiguration"));
    await expectExplicitDeny(a.client.send(new DeleteBackupVaultLockConfigurationCommand({ BackupVaultName: v.name })), a.id, "backup:DeleteBackupVaultLockConfiguration", v.arn);
    expect((await a.client.send(new DescribeBackupVaultCommand({ BackupVaultName: v.name }))).Locked).toBe(true);
  });
});

describe("UpdateRecoveryPointIndexSettings", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a, resources.ebs());
    await putPolicy(a, v, deny("backup:UpdateRecoveryPointIndexSettings"));
    await expectExplicitDeny(
      a.client.send(new UpdateRecoveryPointIndexSettingsCommand({ BackupVaultName: v.name, RecoveryPointArn: v.point, Index: "ENABLED", IamRoleArn: ROLE_ARN })),
      a.id,
      "backup:UpdateRecoveryPointIndexSettings",
      v.point,
    );
    expect((await describePoint(a, v)).IndexStatus).toBeUndefined();
  });
});

describe("GetRecoveryPointIndexDetails", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a, resources.ebs());
    await putPolicy(a, v, deny("backup:GetRecoveryPointIndexDetails"));
    await expectExplicitDeny(
      a.client.send(new GetRecoveryPointIndexDetailsCommand({ BackupVaultName: v.name, RecoveryPointArn: v.point })),
      a.id,
      "backup:GetRecoveryPointIndexDetails",
      v.point,
    );
  });
});

describe("TagResource", () => {
  it("is refused by a Deny on the vault or on its recovery points, and no tag is added", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:TagResource"));
    for (const arn of [v.arn, v.point]) {
      await expectExplicitDeny(a.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: "red" } })), a.id, "backup:TagResource", arn);
      expect((await a.client.send(new ListTagsCommand({ ResourceArn: arn }))).Tags).toEqual({});
    }
  });
});

describe("UntagResource", () => {
  it("is refused by a Deny, and the tags stay", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await a.client.send(new TagResourceCommand({ ResourceArn: v.arn, Tags: { team: "red" } }));
    await putPolicy(a, v, deny("backup:UntagResource", { Resource: v.arn }));
    await expectExplicitDeny(a.client.send(new UntagResourceCommand({ ResourceArn: v.arn, TagKeyList: ["team"] })), a.id, "backup:UntagResource", v.arn);
    expect((await a.client.send(new ListTagsCommand({ ResourceArn: v.arn }))).Tags).toEqual({ team: "red" });
  });
});

describe("ListTags", () => {
  it("is refused by a Deny", async () => {
    const a = freshAccount();
    const v = await newVault(a);
    await putPolicy(a, v, deny("backup:ListTags"));
    await expectExplicitDeny(a.client.send(new ListTagsCommand({ ResourceArn: v.point })), a.id, "backup:ListTags", v.point);
  });
});
