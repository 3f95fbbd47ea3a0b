/**
 * AWS CLI compatibility: every example command of the README's "AWS CLI" section runs against
 * a fresh emulator, once with each installed CLI (`aws` on PATH, and /usr/bin/aws when it is a
 * separate CLI v2) and once more with the endpoint given as AWS_ENDPOINT_URL instead of
 * --endpoint-url. Each command must exit 0 and, when it prints something, print JSON.
 * The examples run in README order against one emulator per run, because they build on each
 * other (the vault is created first, the job backs up into it, and so on).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extractCliExamples, findAwsClis, README_ENDPOINT, runAws, splitArgs, type AwsCli } from "./helpers/cli.js";
import { startTestEmulator, type TestEmulator } from "./helpers/emulator.js";

/**
 * The section the README is to carry; used while README.md has no "AWS CLI" section, so the
 * same examples are tested before and after they are copied there.
 */
const DEFAULT_SECTION = `
## AWS CLI

\`\`\`sh
aws --endpoint-url http://localhost:4566 backup create-backup-vault --backup-vault-name my-vault
aws --endpoint-url http://localhost:4566 backup describe-backup-vault --backup-vault-name my-vault
aws --endpoint-url http://localhost:4566 backup create-backup-plan --backup-plan '{"BackupPlanName":"daily-35-days","Rules":[{"RuleName":"daily","TargetBackupVaultName":"my-vault","ScheduleExpression":"cron(0 5 ? * * *)","Lifecycle":{"DeleteAfterDays":35}}]}'
aws --endpoint-url http://localhost:4566 backup list-backup-plans
aws --endpoint-url http://localhost:4566 backup start-backup-job --backup-vault-name my-vault --resource-arn arn:aws:dynamodb:us-east-1:000000000000:table/orders --iam-role-arn arn:aws:iam::000000000000:role/service-role/AWSBackupDefaultServiceRole
aws --endpoint-url http://localhost:4566 backup list-backup-jobs --by-backup-vault-name my-vault
aws --endpoint-url http://localhost:4566 backup list-recovery-points-by-backup-vault --backup-vault-name my-vault
aws --endpoint-url http://localhost:4566 backup list-tags --resource-arn arn:aws:backup:us-east-1:000000000000:backup-vault:my-vault
\`\`\`
`;

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const fromReadme = existsSync(README) ? extractCliExamples(readFileSync(README, "utf8")) : undefined;
const examples = fromReadme ?? extractCliExamples(DEFAULT_SECTION)!;
const source = fromReadme ? "README.md" : "the built-in examples (README.md has no AWS CLI section yet)";

const clis = findAwsClis();
const envCli = clis.find((c) => c.readsEndpointEnv);

if (clis.length === 0) console.warn("cli.test.ts: skipped, no AWS CLI found (`aws` on PATH or /usr/bin/aws v2)");
else if (!envCli) console.warn(`cli.test.ts: the AWS_ENDPOINT_URL run is skipped, no installed CLI reads it (${clis.map((c) => c.version).join(", ")})`);

/** The example's subcommand, for test titles. */
const subcommand = (line: string) => splitArgs(line)[4] ?? line;

/** Run every example in order with `cli`, the endpoint passed either way. */
function exampleRun(cli: AwsCli, endpointVia: "flag" | "env") {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  examples.forEach((line, i) => {
    it(`runs example ${i + 1}, ${subcommand(line)}, exiting 0 and printing JSON`, async () => {
      let args = splitArgs(line.split(README_ENDPOINT).join(t.endpoint)).slice(1);
      const env: Record<string, string> = {};
      if (endpointVia === "env") {
        const at = args.indexOf("--endpoint-url");
        args = [...args.slice(0, at), ...args.slice(at + 2)];
        env.AWS_ENDPOINT_URL = t.endpoint;
      }
      const r = await runAws(cli, args, env);
      expect(r.code, `${cli.version} ${args.join(" ")}\n${r.stderr}`).toBe(0);
      if (r.stdout.trim() !== "") expect(() => JSON.parse(r.stdout), r.stdout).not.toThrow();
    });
  });
}

describe("reading the README's examples", () => {
  it("splits a command line as a shell does, keeping quoted JSON and quoted spaces in one word", () => {
    expect(splitArgs(`aws backup x --a '{"K": "v w"}' --b "say \\"hi\\"" c\\ d  e`)).toEqual(["aws", "backup", "x", "--a", '{"K": "v w"}', "--b", 'say "hi"', "c d", "e"]);
    expect(splitArgs(`--empty '' --joined 'a'"b"c`)).toEqual(["--empty", "", "--joined", "abc"]);
  });

  it("takes only the AWS CLI section's example lines, joining continued lines and ignoring shell comments", () => {
    const md = [
      "# Title",
      "aws --endpoint-url http://localhost:4566 backup not-in-the-section",
      "## AWS CLI",
      "Some prose.",
      "```sh",
      "# a comment, not a heading",
      "aws --endpoint-url http://localhost:4566 backup list-backup-vaults",
      "aws --endpoint-url http://localhost:4566 backup create-backup-vault \\",
      "    --backup-vault-name v",
      "aws s3 ls",
      "```",
      "## Next",
      "aws --endpoint-url http://localhost:4566 backup after-the-section",
    ].join("\n");
    expect(extractCliExamples(md)).toEqual([
      "aws --endpoint-url http://localhost:4566 backup list-backup-vaults",
      "aws --endpoint-url http://localhost:4566 backup create-backup-vault --backup-vault-name v",
    ]);
    expect(extractCliExamples("# Title\n## Usage\n")).toBeUndefined();
  });
});

describe(`the AWS CLI examples from ${source}`, () => {
  it("include at least one command", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  for (const cli of clis) {
    describe(`with ${cli.version} (${cli.path}) and --endpoint-url`, () => exampleRun(cli, "flag"));
  }

  describe.skipIf(!envCli)(`with ${envCli?.version ?? "a CLI"} and AWS_ENDPOINT_URL instead of --endpoint-url`, () => {
    if (envCli) exampleRun(envCli, "env");
  });
});
