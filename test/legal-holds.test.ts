import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CancelLegalHoldCommand,
  CreateBackupVaultCommand,
  CreateLegalHoldCommand,
  DeleteRecoveryPointCommand,
  DescribeRecoveryPointCommand,
  DescribeBackupJobCommand,
  GetLegalHoldCommand,
  ListLegalHoldsCommand,
  ListRecoveryPointsByLegalHoldCommand,
  ListTagsCommand,
  StartBackupJobCommand,
  TagResourceCommand,
  type BackupClient,
  type CreateLegalHoldCommandInput,
} from "@aws-sdk/client-backup";
import { errorOf, resources, ROLE_ARN, startTestEmulator, uniqueName, type TestEmulator } from "./helpers/emulator.js";

let t: TestEmulator;
let backup: BackupClient;
const DAY = 86_400;

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

/** A completed recovery point of `resourceArn` in `vault` (the job finishes at the next request). */
async function backUp(vault: string, resourceArn: string = resources.dynamo(), c: BackupClient = backup): Promise<string> {
  const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resourceArn, IamRoleArn: ROLE_ARN }));
  expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("COMPLETED");
  return job.RecoveryPointArn!;
}

const hold = (input: Partial<CreateLegalHoldCommandInput> = {}, c: BackupClient = backup) =>
  c.send(new CreateLegalHoldCommand({ Title: "litigation", Description: "case 42", ...input }));

async function heldPoints(id: string, c: BackupClient = backup): Promise<string[]> {
  const out = await c.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: id }));
  return out.RecoveryPoints!.map((r) => r.RecoveryPointArn!).sort();
}

describe("CreateLegalHold", () => {
  it("creates an active hold with its ARN, selection and creation date", async () => {
    const vault = await newVault();
    const out = await hold({ RecoveryPointSelection: { VaultNames: [vault] } });
    expect(out.LegalHoldId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out).toMatchObject({
      Title: "litigation",
      Description: "case 42",
      Status: "ACTIVE",
      LegalHoldArn: `arn:aws:backup:us-east-1:000000000000:legal-hold:${out.LegalHoldId}`,
      RecoveryPointSelection: { VaultNames: [vault] },
    });
    expect(out.CreationDate).toBeInstanceOf(Date);
  });

  it("tags the hold, whose ARN the tag operations accept", async () => {
    const out = await hold({ Tags: { case: "42" } });
    expect((await backup.send(new ListTagsCommand({ ResourceArn: out.LegalHoldArn }))).Tags).toEqual({ case: "42" });
    await backup.send(new TagResourceCommand({ ResourceArn: out.LegalHoldArn, Tags: { owner: "legal" } }));
    expect((await backup.send(new ListTagsCommand({ ResourceArn: out.LegalHoldArn }))).Tags).toEqual({ case: "42", owner: "legal" });
    const err = await errorOf(t.client({ accountId: "111122223333" }).send(new ListTagsCommand({ ResourceArn: out.LegalHoldArn })));
    expect(err.name).toBe("ResourceNotFoundException");
  });

  it("returns the first hold when retried with the same idempotency token", async () => {
    const a = await hold({ IdempotencyToken: "retry-me" });
    const b = await hold({ IdempotencyToken: "retry-me" });
    expect(b.LegalHoldId).toBe(a.LegalHoldId);
  });

  it("refuses a date range that ends before it starts", async () => {
    const err = await errorOf(hold({ RecoveryPointSelection: { DateRange: { FromDate: new Date("2025-02-01"), ToDate: new Date("2025-01-01") } } }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("DateRange");
  });

  it("refuses a vault name that does not exist", async () => {
    const err = await errorOf(hold({ RecoveryPointSelection: { VaultNames: ["no-such-vault"] } }));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("no-such-vault");
  });

  it("refuses a 51st active hold with LimitExceededException, and accepts one again after a cancellation", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const ids: string[] = [];
      for (let i = 0; i < 50; i++) ids.push((await hold({}, c)).LegalHoldId!);
      const err = await errorOf(hold({}, c));
      expect(err.name).toBe("LimitExceededException");
      expect(err.message).toContain("50 active legal holds");
      await c.send(new CancelLegalHoldCommand({ LegalHoldId: ids[0], CancelDescription: "done" }));
      await hold({}, c);
    } finally {
      await local.stop();
    }
  });
});

describe("GetLegalHold", () => {
  it("returns everything CreateLegalHold recorded", async () => {
    const vault = await newVault();
    const range = { FromDate: new Date("2024-01-01T00:00:00Z"), ToDate: new Date("2030-01-01T00:00:00Z") };
    const created = await hold({ RecoveryPointSelection: { VaultNames: [vault], DateRange: range } });
    const got = await backup.send(new GetLegalHoldCommand({ LegalHoldId: created.LegalHoldId }));
    expect(got).toMatchObject({
      LegalHoldId: created.LegalHoldId,
      LegalHoldArn: created.LegalHoldArn,
      Title: "litigation",
      Description: "case 42",
      Status: "ACTIVE",
      CreationDate: created.CreationDate,
      RecoveryPointSelection: { VaultNames: [vault], DateRange: range },
    });
    expect(got.CancellationDate).toBeUndefined();
  });

  it("answers ResourceNotFoundException naming the id, also from another account or region", async () => {
    const created = await hold();
    for (const c of [backup, t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      const id = c === backup ? "00000000-0000-4000-8000-000000000000" : created.LegalHoldId!;
      const err = await errorOf(c.send(new GetLegalHoldCommand({ LegalHoldId: id })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(id);
    }
  });
});

describe("CancelLegalHold", () => {
  it("cancels with 201 and records the description and cancellation date", async () => {
    const created = await hold();
    const out = await backup.send(new CancelLegalHoldCommand({ LegalHoldId: created.LegalHoldId, CancelDescription: "case closed" }));
    expect(out.$metadata.httpStatusCode).toBe(201);
    const got = await backup.send(new GetLegalHoldCommand({ LegalHoldId: created.LegalHoldId }));
    expect(got).toMatchObject({ Status: "CANCELED", CancelDescription: "case closed" });
    expect(got.CancellationDate).toBeInstanceOf(Date);
    expect(got.RetainRecordUntil).toBeUndefined();
  });

  it("keeps the record for RetainRecordInDays, then forgets it", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const created = await hold({}, c);
      await c.send(new CancelLegalHoldCommand({ LegalHoldId: created.LegalHoldId, CancelDescription: "closed", RetainRecordInDays: 2 }));
      const got = await c.send(new GetLegalHoldCommand({ LegalHoldId: created.LegalHoldId }));
      expect(got.RetainRecordUntil!.getTime() - got.CancellationDate!.getTime()).toBe(2 * DAY * 1000);
      local.emu.clock.advance(2 * DAY + 1);
      expect((await errorOf(c.send(new GetLegalHoldCommand({ LegalHoldId: created.LegalHoldId })))).name).toBe("ResourceNotFoundException");
      expect((await c.send(new ListLegalHoldsCommand({}))).LegalHolds).toEqual([]);
    } finally {
      await local.stop();
    }
  });

  it("refuses a hold that is already cancelled with InvalidResourceStateException", async () => {
    const created = await hold();
    await backup.send(new CancelLegalHoldCommand({ LegalHoldId: created.LegalHoldId, CancelDescription: "closed" }));
    const err = await errorOf(backup.send(new CancelLegalHoldCommand({ LegalHoldId: created.LegalHoldId, CancelDescription: "again" })));
    expect(err.name).toBe("InvalidResourceStateException");
    expect(err.message).toContain(created.LegalHoldId);
  });

  it("refuses a negative RetainRecordInDays", async () => {
    const created = await hold();
    const err = await errorOf(backup.send(new CancelLegalHoldCommand({ LegalHoldId: created.LegalHoldId, CancelDescription: "x", RetainRecordInDays: -1 })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("RetainRecordInDays");
  });

  it("answers ResourceNotFoundException for a hold of another account or region", async () => {
    const created = await hold();
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      const err = await errorOf(other.send(new CancelLegalHoldCommand({ LegalHoldId: created.LegalHoldId, CancelDescription: "x" })));
      expect(err.name).toBe("ResourceNotFoundException");
      expect(err.message).toContain(created.LegalHoldId);
    }
    expect((await backup.send(new GetLegalHoldCommand({ LegalHoldId: created.LegalHoldId }))).Status).toBe("ACTIVE");
  });
});

describe("ListLegalHolds", () => {
  it("lists active and cancelled holds, and pages with MaxResults and NextToken", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await hold({ Title: `hold-${i}` }, c)).LegalHoldId!);
      await c.send(new CancelLegalHoldCommand({ LegalHoldId: ids[1], CancelDescription: "closed" }));
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.send(new ListLegalHoldsCommand({ MaxResults: 2, NextToken: token }));
        expect(page.LegalHolds!.length).toBeLessThanOrEqual(2);
        seen.push(...page.LegalHolds!.map((h) => h.LegalHoldId!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...ids].sort());
      const all = (await c.send(new ListLegalHoldsCommand({}))).LegalHolds!;
      expect(all.find((h) => h.LegalHoldId === ids[1])).toMatchObject({ Status: "CANCELED" });
      expect(all.find((h) => h.LegalHoldId === ids[0])).toMatchObject({ Status: "ACTIVE", Title: "hold-0", Description: "case 42" });
    } finally {
      await local.stop();
    }
  });

  it("shows no hold of another account or region", async () => {
    const created = await hold();
    for (const other of [t.client({ accountId: "111122223333" }), t.client({ region: "eu-west-1" })]) {
      const ids = (await other.send(new ListLegalHoldsCommand({}))).LegalHolds!.map((h) => h.LegalHoldId);
      expect(ids).not.toContain(created.LegalHoldId);
    }
  });
});

describe("ListRecoveryPointsByLegalHold", () => {
  it("lists the recovery points of the selected vaults with their resource and vault", async () => {
    const vault = await newVault();
    const other = await newVault();
    const resourceArn = resources.dynamo();
    const inside = await backUp(vault, resourceArn);
    await backUp(other);
    const created = await hold({ RecoveryPointSelection: { VaultNames: [vault] } });
    const out = await backup.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: created.LegalHoldId }));
    expect(out.RecoveryPoints).toEqual([{ RecoveryPointArn: inside, ResourceArn: resourceArn, ResourceType: "DynamoDB", BackupVaultName: vault }]);
  });

  it("keeps to the selected resources", async () => {
    const vault = await newVault();
    const resourceArn = resources.efs();
    const kept = await backUp(vault, resourceArn);
    await backUp(vault);
    const created = await hold({ RecoveryPointSelection: { VaultNames: [vault], ResourceIdentifiers: [resourceArn] } });
    expect(await heldPoints(created.LegalHoldId!)).toEqual([kept]);
  });

  it("keeps to the creation date range", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const vault = await newVault(c);
      const old = await backUp(vault, undefined, c);
      local.emu.clock.advance(10 * DAY);
      const recent = await backUp(vault, undefined, c);
      const from = new Date((local.emu.clock.now() - DAY) * 1000);
      const recentHold = await hold({ RecoveryPointSelection: { VaultNames: [vault], DateRange: { FromDate: from, ToDate: new Date(Date.now() + 365 * DAY * 1000) } } }, c);
      expect(await heldPoints(recentHold.LegalHoldId!, c)).toEqual([recent]);
      const oldHold = await hold({ RecoveryPointSelection: { VaultNames: [vault], DateRange: { FromDate: new Date(0), ToDate: from } } }, c);
      expect(await heldPoints(oldHold.LegalHoldId!, c)).toEqual([old]);
    } finally {
      await local.stop();
    }
  });

  it("covers the recovery points that existed when the hold was created, not later ones", async () => {
    const vault = await newVault();
    const before = await backUp(vault);
    const created = await hold({ RecoveryPointSelection: { VaultNames: [vault] } });
    const after = await backUp(vault);
    expect(await heldPoints(created.LegalHoldId!)).toEqual([before]);
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: after }));
  });

  it("pages with MaxResults and NextToken, seeing each recovery point once", async () => {
    const vault = await newVault();
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push(await backUp(vault));
    const created = await hold({ RecoveryPointSelection: { VaultNames: [vault] } });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await backup.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: created.LegalHoldId, MaxResults: 2, NextToken: token }));
      seen.push(...page.RecoveryPoints!.map((r) => r.RecoveryPointArn!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...arns].sort());
  });

  it("refuses an unknown hold id with InvalidParameterValueException naming it, also from another account", async () => {
    const created = await hold();
    for (const [c, id] of [
      [backup, "00000000-0000-4000-8000-000000000000"],
      [t.client({ accountId: "111122223333" }), created.LegalHoldId!],
      [t.client({ region: "eu-west-1" }), created.LegalHoldId!],
    ] as const) {
      const err = await errorOf(c.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: id })));
      expect(err.name).toBe("InvalidParameterValueException");
      expect(err.message).toContain(id);
    }
  });

  it("does not reach recovery points of another account", async () => {
    const other = t.client({ accountId: "111122223333" });
    const vault = await newVault(other);
    await backUp(vault, undefined, other);
    const created = await hold();
    const out = await backup.send(new ListRecoveryPointsByLegalHoldCommand({ LegalHoldId: created.LegalHoldId }));
    expect(out.RecoveryPoints!.every((r) => r.BackupVaultName !== vault)).toBe(true);
  });
});

describe("DeleteRecoveryPoint under a legal hold", () => {
  it("is refused while any hold covers the point and allowed once every hold is cancelled", async () => {
    const vault = await newVault();
    const arn = await backUp(vault);
    const first = await hold({ RecoveryPointSelection: { VaultNames: [vault] } });
    const second = await hold({ RecoveryPointSelection: { VaultNames: [vault] } });
    const err = await errorOf(backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(err.name).toBe("InvalidRequestException");
    expect(err.message).toContain(arn);
    expect(err.message).toContain(first.LegalHoldId);
    expect(err.message).toContain(second.LegalHoldId);
    await backup.send(new CancelLegalHoldCommand({ LegalHoldId: first.LegalHoldId, CancelDescription: "closed" }));
    const still = await errorOf(backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn })));
    expect(still.message).toContain(second.LegalHoldId);
    expect(still.message).not.toContain(first.LegalHoldId);
    await backup.send(new CancelLegalHoldCommand({ LegalHoldId: second.LegalHoldId, CancelDescription: "closed" }));
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: arn }));
  });

  it("keeps a recovery point past its lifecycle while held, and deletes it once the last hold is cancelled", async () => {
    const local = await startTestEmulator();
    try {
      const c = local.client();
      const vault = await newVault(c);
      const job = await c.send(new StartBackupJobCommand({ BackupVaultName: vault, ResourceArn: resources.dynamo(), IamRoleArn: ROLE_ARN, Lifecycle: { DeleteAfterDays: 1 } }));
      expect((await c.send(new DescribeBackupJobCommand({ BackupJobId: job.BackupJobId }))).State).toBe("COMPLETED");
      const first = await hold({ RecoveryPointSelection: { VaultNames: [vault] } }, c);
      const second = await hold({ RecoveryPointSelection: { VaultNames: [vault] } }, c);
      local.emu.clock.advance(2 * DAY);
      expect(await heldPoints(first.LegalHoldId!, c)).toEqual([job.RecoveryPointArn]);
      await c.send(new CancelLegalHoldCommand({ LegalHoldId: first.LegalHoldId, CancelDescription: "closed" }));
      expect(await heldPoints(second.LegalHoldId!, c)).toEqual([job.RecoveryPointArn]);
      await c.send(new CancelLegalHoldCommand({ LegalHoldId: second.LegalHoldId, CancelDescription: "closed" }));
      const err = await errorOf(c.send(new DescribeRecoveryPointCommand({ BackupVaultName: vault, RecoveryPointArn: job.RecoveryPointArn })));
      expect(err.name).toBe("ResourceNotFoundException");
    } finally {
      await local.stop();
    }
  });

  it("does not block recovery points outside the hold's selection", async () => {
    const vault = await newVault();
    const free = await newVault();
    await backUp(vault);
    const arn = await backUp(free);
    await hold({ RecoveryPointSelection: { VaultNames: [vault] } });
    await backup.send(new DeleteRecoveryPointCommand({ BackupVaultName: free, RecoveryPointArn: arn }));
  });
});
