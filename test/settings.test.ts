import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DescribeGlobalSettingsCommand,
  DescribeRegionSettingsCommand,
  GetSupportedResourceTypesCommand,
  UpdateGlobalSettingsCommand,
  UpdateRegionSettingsCommand,
} from "@aws-sdk/client-backup";
import { settings } from "../src/config.js";
import { errorOf, startTestEmulator, type TestEmulator } from "./helpers/emulator.js";

const MANAGEMENT = "555566667777";
const MEMBER = "444455556666";

let t: TestEmulator;
beforeAll(async () => {
  // Global settings exist only within an organization (test/organizations.test.ts covers the rules).
  t = await startTestEmulator({ organization: settings.organization.parse(`management:${MANAGEMENT},members:${MEMBER}`, "organization") });
});
afterAll(() => t.stop());

describe("DescribeRegionSettings", () => {
  it("lists an opt-in preference for exactly the supported resource types, with the service's defaults", async () => {
    const c = t.client({ accountId: "222233334444" });
    const s = await c.send(new DescribeRegionSettingsCommand({}));
    const supported = (await c.send(new GetSupportedResourceTypesCommand({}))).ResourceTypes!;
    expect(Object.keys(s.ResourceTypeOptInPreference!).sort()).toEqual([...supported].sort());
    expect(s.ResourceTypeOptInPreference).toMatchObject({ EBS: true, EC2: true, DynamoDB: true, S3: false });
    expect(s.ResourceTypeManagementPreference).toMatchObject({ DynamoDB: true, EFS: true });
  });
});

describe("UpdateRegionSettings", () => {
  it("changes only the preferences it is given, per account and region", async () => {
    const c = t.client({ accountId: "333344445555" });
    await c.send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { S3: true, RDS: false }, ResourceTypeManagementPreference: { DynamoDB: false } }));
    const s = await c.send(new DescribeRegionSettingsCommand({}));
    expect(s.ResourceTypeOptInPreference).toMatchObject({ S3: true, RDS: false, EBS: true });
    expect(s.ResourceTypeManagementPreference).toMatchObject({ DynamoDB: false, EFS: true });
    const elsewhere = await t.client({ accountId: "333344445555", region: "eu-west-1" }).send(new DescribeRegionSettingsCommand({}));
    expect(elsewhere.ResourceTypeOptInPreference).toMatchObject({ S3: false, RDS: true });
  });

  it("refuses an unknown resource type with InvalidParameterValueException naming it", async () => {
    const err = await errorOf(t.client().send(new UpdateRegionSettingsCommand({ ResourceTypeOptInPreference: { Lambda: true } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("Lambda");
  });

  it("refuses full management for a type that does not support it", async () => {
    const err = await errorOf(t.client().send(new UpdateRegionSettingsCommand({ ResourceTypeManagementPreference: { EBS: true } })));
    expect(err.name).toBe("InvalidParameterValueException");
    expect(err.message).toContain("EBS");
  });
});

describe("DescribeGlobalSettings", () => {
  it("returns the organization's flags to a member account, cross-account backup off by default", async () => {
    const s = await t.client({ accountId: MEMBER }).send(new DescribeGlobalSettingsCommand({}));
    expect(s.GlobalSettings).toMatchObject({ isCrossAccountBackupEnabled: "false" });
    expect(s.LastUpdateTime).toBeUndefined();
  });
});

describe("UpdateGlobalSettings", () => {
  it("sets a flag for the whole organization in every region and records when", async () => {
    const c = t.client({ accountId: MANAGEMENT });
    await c.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "true" } }));
    const own = await t.client({ accountId: MANAGEMENT, region: "ap-south-1" }).send(new DescribeGlobalSettingsCommand({}));
    expect(own.GlobalSettings?.isCrossAccountBackupEnabled).toBe("true");
    expect(own.LastUpdateTime).toBeInstanceOf(Date);
    const member = await t.client({ accountId: MEMBER, region: "eu-west-1" }).send(new DescribeGlobalSettingsCommand({}));
    expect(member.GlobalSettings).toMatchObject({ isCrossAccountBackupEnabled: "true", isMpaEnabled: "false" });
    expect(member.LastUpdateTime).toEqual(own.LastUpdateTime);
  });

  it("refuses an unknown setting or a value other than true/false", async () => {
    const c = t.client({ accountId: MANAGEMENT });
    const unknown = await errorOf(c.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isMagic: "true" } })));
    expect(unknown.name).toBe("InvalidParameterValueException");
    expect(unknown.message).toContain("isMagic");
    const bad = await errorOf(c.send(new UpdateGlobalSettingsCommand({ GlobalSettings: { isCrossAccountBackupEnabled: "yes" } })));
    expect(bad.name).toBe("InvalidParameterValueException");
    expect(bad.message).toContain("isCrossAccountBackupEnabled");
  });
});
