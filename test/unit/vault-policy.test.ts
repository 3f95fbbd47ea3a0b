import { describe, expect, it } from "vitest";
import { evaluatePolicy, type PolicyRequest } from "../../src/domain/vault-policy.js";

const ACCOUNT = "123456789012";
const VAULT = `arn:aws:backup:us-east-1:${ACCOUNT}:backup-vault:v`;

const request = (extra: Partial<PolicyRequest> = {}): PolicyRequest => ({
  action: "backup:DeleteRecoveryPoint",
  resource: VAULT,
  caller: { accountId: ACCOUNT, orgId: "o-abcdefghij" },
  ...extra,
});

/** The verdict of a one-statement Deny policy with `condition`. */
const withCondition = (condition: unknown, req = request()) =>
  evaluatePolicy(JSON.stringify({ Statement: { Effect: "Deny", Principal: "*", Action: "backup:*", Resource: "*", Condition: condition } }), req);

describe("evaluatePolicy", () => {
  it("says nothing without a policy or without a matching statement", () => {
    expect(evaluatePolicy(undefined, request())).toBe("none");
    expect(evaluatePolicy(JSON.stringify({ Statement: { Effect: "Deny", Principal: "*", Action: "backup:Describe*", Resource: "*" } }), request())).toBe("none");
  });

  it("lets a matching Deny win over a matching Allow, whatever their order", () => {
    const allow = { Effect: "Allow", Principal: "*", Action: "backup:*", Resource: "*" };
    const deny = { Effect: "Deny", Principal: { AWS: ACCOUNT }, Action: "backup:DeleteRecoveryPoint", Resource: VAULT };
    expect(evaluatePolicy(JSON.stringify({ Statement: [allow] }), request())).toBe("allow");
    expect(evaluatePolicy(JSON.stringify({ Statement: [allow, deny] }), request())).toBe("deny");
    expect(evaluatePolicy(JSON.stringify({ Statement: [deny, allow] }), request())).toBe("deny");
  });

  it("ignores Resource when the request names none, and matches ARNs with case", () => {
    const policy = JSON.stringify({ Statement: { Effect: "Allow", Principal: "*", Action: "backup:DeleteRecoveryPoint", Resource: VAULT.toUpperCase() } });
    expect(evaluatePolicy(policy, request())).toBe("none");
    const { resource: _r, ...noResource } = request();
    expect(evaluatePolicy(policy, noResource)).toBe("allow");
  });

  it("treats condition keys without regard to case, and values with it unless the operator ignores case", () => {
    expect(withCondition({ StringEquals: { "AWS:PRINCIPALACCOUNT": ACCOUNT } })).toBe("deny");
    expect(withCondition({ StringEquals: { "aws:PrincipalOrgID": "O-ABCDEFGHIJ" } })).toBe("none");
    expect(withCondition({ StringEqualsIgnoreCase: { "aws:PrincipalOrgID": "O-ABCDEFGHIJ" } })).toBe("deny");
  });

  it("needs every operator and every key of a condition to hold, and one value of a key to match", () => {
    expect(withCondition({ StringEquals: { "aws:PrincipalAccount": ["111122223333", ACCOUNT] } })).toBe("deny");
    expect(withCondition({ StringEquals: { "aws:PrincipalAccount": ACCOUNT, "aws:PrincipalOrgID": "o-other00000" } })).toBe("none");
    expect(withCondition({ StringEquals: { "aws:PrincipalAccount": ACCOUNT }, Bool: { "aws:PrincipalIsAWSService": "true" } })).toBe("none");
    expect(withCondition({ StringEquals: { "aws:PrincipalAccount": ACCOUNT }, Bool: { "aws:PrincipalIsAWSService": "false" } })).toBe("deny");
  });

  it("follows IAM's rules for a key the request lacks: IfExists, Null, ForAllValues and ForAnyValue", () => {
    expect(withCondition({ StringEquals: { "aws:SourceIp": "10.0.0.1" } })).toBe("none");
    expect(withCondition({ StringNotEquals: { "aws:SourceIp": "10.0.0.1" } })).toBe("deny");
    expect(withCondition({ StringEqualsIfExists: { "aws:SourceIp": "10.0.0.1" } })).toBe("deny");
    expect(withCondition({ Null: { "aws:SourceIp": "true" } })).toBe("deny");
    expect(withCondition({ Null: { "aws:PrincipalAccount": "true" } })).toBe("none");
    expect(withCondition({ "ForAllValues:StringEquals": { "aws:TagKeys": ["a"] } })).toBe("deny");
    expect(withCondition({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["a"] } })).toBe("none");
    // Operators on types the request never carries (numbers, dates, addresses) see the key as absent.
    expect(withCondition({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } })).toBe("none");
    expect(withCondition({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } })).toBe("deny");
  });

  it("compares multi-valued keys with ForAnyValue and ForAllValues", () => {
    const req = request({ context: { "backup:CopyTargets": ["arn:a", "arn:b"] } });
    expect(withCondition({ "ForAnyValue:StringEquals": { "backup:CopyTargets": "arn:b" } }, req)).toBe("deny");
    expect(withCondition({ "ForAllValues:StringEquals": { "backup:CopyTargets": "arn:b" } }, req)).toBe("none");
    expect(withCondition({ "ForAllValues:StringLike": { "backup:CopyTargets": "arn:*" } }, req)).toBe("deny");
  });
});
