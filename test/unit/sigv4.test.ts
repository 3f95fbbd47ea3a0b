/**
 * SigV4 verification as pure functions. The botocore vectors were produced by botocore 1.43
 * (boto3's signer, also inside AWS CLI v1) at a fixed clock: its DEBUG log's canonical request,
 * the URL and headers it sent, and its signature; they need no Python to run.
 */
import { describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256, verifySignature, type Credential, type SignedRequest } from "../../src/protocol/auth.js";
import { canonicalRequest } from "../../src/protocol/sigv4.js";

const ALICE: Credential = { accessKeyId: "AKIAALICE", secretAccessKey: "alice/se+cret", accountId: "111111111111" };
const CREDENTIALS = new Map([[ALICE.accessKeyId, ALICE]]);
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** The botocore vectors' signing time, 20261204T180000Z. */
const SIGNED_AT = Date.UTC(2026, 11, 4, 18, 0, 0);

/** A request as the server sees it: path and query as sent, headers by lower-case name. */
function request(method: string, url: string, headers: Record<string, string>, body = ""): SignedRequest {
  const u = new URL(url);
  return {
    method,
    path: u.pathname,
    query: u.search.slice(1),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), [v]])),
    body,
  };
}

/** botocore's ListBackupJobs, with filters whose values carry spaces, +, /, =, :, ~, * and '. */
const BOTO_LIST_JOBS = {
  url: "http://127.0.0.1:4566/backup-jobs/?state=COMPLETED&createdAfter=2026-01-02T03%3A04%3A05Z&resourceArn=arn%3Aaws%3Aec2%3Aeu-west-3%3A111111111111%3Avolume%2Fvol-0abc&messageCategory=a%20b%2Bc%2Fd%3De~%2A%27&maxResults=5",
  headers: {
    host: "127.0.0.1:4566",
    "User-Agent": "Boto3/1.43.11 md/Botocore#1.43.11 ua/2.1 lang/python#3.11.7 Botocore/1.43.11",
    "X-Amz-Date": "20261204T180000Z",
    Authorization: "AWS4-HMAC-SHA256 Credential=AKIAALICE/20261204/eu-west-3/backup/aws4_request, SignedHeaders=host;x-amz-date, Signature=a84c198a4c5c6a9aca03fbda017617b40d11921afd090608cc80acbef917ee7f",
    "amz-sdk-invocation-id": "c4ce592a-2517-4ee6-bf64-e571916df69f",
    "amz-sdk-request": "attempt=1",
  },
  canonical: [
    "GET",
    "/backup-jobs/",
    "createdAfter=2026-01-02T03%3A04%3A05Z&maxResults=5&messageCategory=a%20b%2Bc%2Fd%3De~%2A%27&resourceArn=arn%3Aaws%3Aec2%3Aeu-west-3%3A111111111111%3Avolume%2Fvol-0abc&state=COMPLETED",
    "host:127.0.0.1:4566",
    "x-amz-date:20261204T180000Z",
    "",
    "host;x-amz-date",
    EMPTY_SHA256,
  ].join("\n"),
};

/** botocore's DescribeRecoveryPoint on an EBS snapshot ARN (a label holding `:` and `/`). */
const BOTO_EBS_POINT = {
  url: "http://127.0.0.1:4566/backup-vaults/v1/recovery-points/arn%3Aaws%3Aec2%3Aeu-west-3%3A%3Asnapshot%2Fsnap-0123456789abcdef0",
  headers: {
    host: "127.0.0.1:4566",
    "X-Amz-Date": "20261204T180000Z",
    Authorization: "AWS4-HMAC-SHA256 Credential=AKIAALICE/20261204/eu-west-3/backup/aws4_request, SignedHeaders=host;x-amz-date, Signature=60653c499de808f137398abad85f03c729a947a0983f5778654384c89c3fe987",
    "amz-sdk-request": "attempt=1",
  },
  canonical: [
    "GET",
    "/backup-vaults/v1/recovery-points/arn%253Aaws%253Aec2%253Aeu-west-3%253A%253Asnapshot%252Fsnap-0123456789abcdef0",
    "",
    "host:127.0.0.1:4566",
    "x-amz-date:20261204T180000Z",
    "",
    "host;x-amz-date",
    EMPTY_SHA256,
  ].join("\n"),
};

/** The canonical request `verifySignature` would build for `req` over `signed` headers. */
function canonicalOf(req: SignedRequest, signed: string[], payloadHash = EMPTY_SHA256): string {
  return canonicalRequest({ method: req.method, path: req.path, query: req.query, headers: req.headers, signedHeaders: signed, payloadHash });
}

/** The refusal `p` rejects with (fails the test if it resolves). */
async function refusal(p: Promise<unknown>): Promise<{ name: string; status: number; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; status: number; message: string };
  }
  throw new Error("expected the request to be refused, but it was accepted");
}

describe("canonicalRequest", () => {
  it("builds the get-vanilla request of AWS's SigV4 test suite", () => {
    const req = request("GET", "https://example.amazonaws.com/", { host: "example.amazonaws.com", "x-amz-date": "20150830T123600Z" });
    expect(canonicalOf(req, ["host", "x-amz-date"])).toBe(["GET", "/", "", "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EMPTY_SHA256].join("\n"));
  });

  it("builds botocore's canonical query from the query as sent: sorted, RFC 3986-encoded, a space as %20 and a plus as %2B", () => {
    expect(canonicalOf(request("GET", BOTO_LIST_JOBS.url, BOTO_LIST_JOBS.headers), ["host", "x-amz-date"])).toBe(BOTO_LIST_JOBS.canonical);
  });

  it("encodes the already-encoded path once more, as both SDK families do for non-S3 services", () => {
    expect(canonicalOf(request("GET", BOTO_EBS_POINT.url, BOTO_EBS_POINT.headers), ["host", "x-amz-date"])).toBe(BOTO_EBS_POINT.canonical);
  });

  it("reads a literal + in the query as a plus and re-encodes characters a client left bare", () => {
    const req = request("GET", "http://h/backup-jobs/?messageCategory=a+b&resourceArn=arn:aws:ec2::1:volume/v*", { host: "h" });
    expect(canonicalOf(req, ["host"]).split("\n")[2]).toBe("messageCategory=a%2Bb&resourceArn=arn%3Aaws%3Aec2%3A%3A1%3Avolume%2Fv%2A");
  });

  it("sorts repeated query parameters by value and leaves X-Amz-Signature out", () => {
    const req = request("GET", "http://h/x?b=2&a=z&a=y&X-Amz-Signature=abc&flag", { host: "h" });
    expect(canonicalOf(req, ["host"]).split("\n")[2]).toBe("a=y&a=z&b=2&flag=");
  });

  it("removes dot segments and repeated slashes from the path and keeps one trailing slash", () => {
    const req = request("GET", "http://h/", { host: "h" });
    expect(canonicalOf({ ...req, path: "/a//b/./c/../d/" }, ["host"]).split("\n")[1]).toBe("/a/b/d/");
    expect(canonicalOf({ ...req, path: "/" }, ["host"]).split("\n")[1]).toBe("/");
  });

  it("covers only the signed headers, trimming their values, folding inner spaces and joining repeats with commas", () => {
    const req: SignedRequest = { method: "get", path: "/", query: "", body: "", headers: { host: ["h"], "x-b": ["  one   two ", "three"], "x-a": ["\tA\t"], "x-unsigned": ["no"] } };
    expect(canonicalOf(req, ["x-b", "host", "x-a"])).toBe(["GET", "/", "", "host:h", "x-a:A", "x-b:one two,three", "", "host;x-a;x-b", EMPTY_SHA256].join("\n"));
  });
});

describe("verifySignature", () => {
  it("accepts botocore's signatures, which cover only host and x-amz-date, and takes the region from the credential scope", async () => {
    for (const v of [BOTO_LIST_JOBS, BOTO_EBS_POINT]) {
      const verified = await verifySignature(request("GET", v.url, v.headers), CREDENTIALS, SIGNED_AT + 60_000);
      expect(verified).toEqual({ credential: ALICE, region: "eu-west-3" });
    }
  });

  it("refuses botocore's request once a query value is changed, showing the canonical request it checked", async () => {
    const err = await refusal(verifySignature(request("GET", BOTO_LIST_JOBS.url.replace("maxResults=5", "maxResults=6"), BOTO_LIST_JOBS.headers), CREDENTIALS, SIGNED_AT));
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("AKIAALICE");
    expect(err.message).toContain("maxResults=6");
  });

  it("refuses a request whose X-Amz-Date is more than 15 minutes from now", async () => {
    const err = await refusal(verifySignature(request("GET", BOTO_EBS_POINT.url, BOTO_EBS_POINT.headers), CREDENTIALS, SIGNED_AT + 16 * 60_000));
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("X-Amz-Date 20261204T180000Z");
  });

  it("refuses a credential scoped to another service", async () => {
    const headers = { ...BOTO_EBS_POINT.headers, Authorization: BOTO_EBS_POINT.headers.Authorization.replace("/backup/", "/s3/") };
    const err = await refusal(verifySignature(request("GET", BOTO_EBS_POINT.url, headers), CREDENTIALS, SIGNED_AT));
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("'s3'");
  });

  it("refuses a credential scope whose date is not the day of X-Amz-Date", async () => {
    const headers = { ...BOTO_EBS_POINT.headers, Authorization: BOTO_EBS_POINT.headers.Authorization.replace("/20261204/", "/20261203/") };
    const err = await refusal(verifySignature(request("GET", BOTO_EBS_POINT.url, headers), CREDENTIALS, SIGNED_AT));
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("20261203");
  });

  it("refuses a signature that does not cover the Host header", async () => {
    const headers = { ...BOTO_EBS_POINT.headers, Authorization: BOTO_EBS_POINT.headers.Authorization.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=x-amz-date") };
    const err = await refusal(verifySignature(request("GET", BOTO_EBS_POINT.url, headers), CREDENTIALS, SIGNED_AT));
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("host");
  });

  it("refuses a signed header the request does not carry", async () => {
    const headers = { ...BOTO_EBS_POINT.headers, Authorization: BOTO_EBS_POINT.headers.Authorization.replace("SignedHeaders=host;x-amz-date", "SignedHeaders=host;x-amz-date;x-amz-security-token") };
    const err = await refusal(verifySignature(request("GET", BOTO_EBS_POINT.url, headers), CREDENTIALS, SIGNED_AT));
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("x-amz-security-token");
  });

  it("refuses an X-Amz-Content-SHA256 that is not the hash of the body", async () => {
    const signer = new SignatureV4({ credentials: ALICE, region: "us-east-1", service: "backup", sha256: Sha256 });
    const signed = await signer.sign(
      { method: "PUT", protocol: "http:", hostname: "h", path: "/backup-vaults/v", query: {}, headers: { host: "h", "content-type": "application/json" }, body: "{}" },
      { signingDate: new Date(SIGNED_AT) },
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), [v]]));
    const req: SignedRequest = { method: "PUT", path: "/backup-vaults/v", query: "", headers, body: "{}" };
    await expect(verifySignature(req, CREDENTIALS, SIGNED_AT)).resolves.toMatchObject({ region: "us-east-1" });
    const err = await refusal(verifySignature({ ...req, body: '{"BackupVaultTags":{"a":"b"}}' }, CREDENTIALS, SIGNED_AT));
    expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
    expect(err.message).toContain("X-Amz-Content-SHA256");
  });

  describe("presigned URLs", () => {
    /** A ListBackupVaults URL presigned by @smithy/signature-v4 at SIGNED_AT, valid `expiresIn` seconds. */
    async function presigned(expiresIn: number, sessionToken?: string): Promise<SignedRequest> {
      const signer = new SignatureV4({ credentials: { ...ALICE, ...(sessionToken ? { sessionToken } : {}) }, region: "eu-west-3", service: "backup", sha256: Sha256 });
      const out = await signer.presign({ method: "GET", protocol: "http:", hostname: "h", path: "/backup-vaults/", query: { maxResults: "5" }, headers: { host: "h" } }, { signingDate: new Date(SIGNED_AT), expiresIn });
      const query = Object.entries(out.query ?? {})
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join("&");
      return { method: "GET", path: out.path, query, headers: { host: ["h"] }, body: "" };
    }

    it("accepts one within its validity, even past the 15 minutes a signed header allows", async () => {
      await expect(verifySignature(await presigned(3600), CREDENTIALS, SIGNED_AT + 30 * 60_000)).resolves.toEqual({ credential: ALICE, region: "eu-west-3" });
    });

    it("accepts one made with temporary credentials, its X-Amz-Security-Token signed like the rest of the query", async () => {
      const req = await presigned(60, "session/token+with=specials");
      expect(req.query).toContain("X-Amz-Security-Token=");
      await expect(verifySignature(req, CREDENTIALS, SIGNED_AT)).resolves.toMatchObject({ credential: ALICE });
      const err = await refusal(verifySignature({ ...req, query: req.query.replace(/X-Amz-Security-Token=[^&]*/, "X-Amz-Security-Token=other") }, CREDENTIALS, SIGNED_AT));
      expect(err.name).toBe("InvalidSignatureException");
    });

    it("refuses one past X-Amz-Date + X-Amz-Expires, naming when it expired", async () => {
      const err = await refusal(verifySignature(await presigned(60), CREDENTIALS, SIGNED_AT + 61_000));
      expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
      expect(err.message).toContain("X-Amz-Expires 60");
      expect(err.message).toContain("expired at 2026-12-04T18:01:00Z");
    });

    it("refuses one dated more than 15 minutes in the future", async () => {
      const err = await refusal(verifySignature(await presigned(3600), CREDENTIALS, SIGNED_AT - 16 * 60_000));
      expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
      expect(err.message).toContain("ahead");
    });

    it("refuses an X-Amz-Expires beyond seven days", async () => {
      const req = await presigned(60);
      const err = await refusal(verifySignature({ ...req, query: req.query.replace("X-Amz-Expires=60", "X-Amz-Expires=604801") }, CREDENTIALS, SIGNED_AT));
      expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
      expect(err.message).toContain("604801");
    });

    it("refuses one without X-Amz-Signature, naming the parameter", async () => {
      const req = await presigned(60);
      const err = await refusal(verifySignature({ ...req, query: req.query.replace(/&?X-Amz-Signature=[0-9a-f]+/, "") }, CREDENTIALS, SIGNED_AT));
      expect(err).toMatchObject({ name: "InvalidSignatureException", status: 403 });
      expect(err.message).toContain("X-Amz-Signature");
    });
  });

  it("refuses a request with neither an Authorization header nor a presigned query with MissingAuthenticationTokenException", async () => {
    const err = await refusal(verifySignature(request("GET", "http://h/backup-vaults/", { host: "h" }), CREDENTIALS, SIGNED_AT));
    expect(err).toMatchObject({ name: "MissingAuthenticationTokenException", status: 403 });
  });
});
