/**
 * Every setting of the emulator, in one table: its environment variable(s), its command-line
 * flag, its default and how its text is read. The CLI, the embedding API and the README's
 * configuration table are all derived from this list.
 */

import { createHash } from "node:crypto";

export class ConfigError extends Error {}

type Parser<T> = (raw: string, name: string) => T;

const int = (min: number, max: number): Parser<number> => (raw, name) => {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
};
const seconds: Parser<number> = (raw, name) => {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n < 0) throw new ConfigError(`${name} must be a number of seconds ≥ 0, got "${raw}"`);
  return n;
};
const text: Parser<string> = (raw) => raw;
const oneOf = <T extends string>(...values: T[]): Parser<T> => (raw, name) => {
  if (!(values as string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${values.join(", ")}, got "${raw}"`);
  return raw as T;
};
const accountId: Parser<string> = (raw, name) => {
  if (!/^\d{12}$/.test(raw)) throw new ConfigError(`${name} must be 12 digits, got "${raw}"`);
  return raw;
};
const region: Parser<string> = (raw, name) => {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(raw)) throw new ConfigError(`${name} must be an AWS region name such as us-east-1, got "${raw}"`);
  return raw;
};
const url: Parser<string> = (raw, name) => {
  if (!/^https?:\/\/[^\s/]+/.test(raw)) throw new ConfigError(`${name} must be an http(s) URL such as http://localhost:4566, got "${raw}"`);
  return raw;
};
const isoTime: Parser<string> = (raw, name) => {
  if (Number.isNaN(Date.parse(raw))) throw new ConfigError(`${name} must be an ISO-8601 time such as 2026-01-01T00:00:00Z, got "${raw}"`);
  return raw;
};

/** An organization in AWS Organizations, as the emulator models it (docs/organizations.md). */
export interface Organization {
  /** `o-` and 10 to 32 lower-case letters or digits. */
  id: string;
  managementAccountId: string;
  /** Every account of the organization, the management account first. */
  accountIds: readonly string[];
}

/**
 * `management:111111111111,members:222222222222+333333333333,id:o-exampleorg1`: the management
 * account (required), the other member accounts joined by `+` (optional) and the organization
 * id (optional; by default one derived from the management account, stable across restarts).
 */
export const organization: Parser<Organization> = (raw, name) => {
  const fields = new Map<string, string>();
  for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf(":");
    const key = i < 0 ? part : part.slice(0, i).trim();
    if (!["management", "members", "id"].includes(key)) {
      throw new ConfigError(`${name}: unknown field "${key}" in "${raw}"; expected management:ACCOUNT[,members:ACCOUNT+ACCOUNT…][,id:o-…]`);
    }
    if (fields.has(key)) throw new ConfigError(`${name}: field "${key}" is given twice in "${raw}"`);
    fields.set(key, i < 0 ? "" : part.slice(i + 1).trim());
  }
  const management = fields.get("management");
  if (management === undefined) throw new ConfigError(`${name} must name the management account, e.g. management:111111111111,members:222222222222+333333333333; got "${raw}"`);
  const members = fields.get("members")?.split("+").map((m) => m.trim()) ?? [];
  const accountIds = [management, ...members];
  for (const a of accountIds) if (!/^\d{12}$/.test(a)) throw new ConfigError(`${name}: account "${a}" is not 12 digits (in "${raw}")`);
  const twice = accountIds.find((a, i) => accountIds.indexOf(a) !== i);
  if (twice) throw new ConfigError(`${name}: account ${twice} is listed twice (the management account is a member already)`);
  const id = fields.get("id") ?? `o-${createHash("sha256").update(management).digest("hex").slice(0, 10)}`;
  if (!/^o-[a-z0-9]{10,32}$/.test(id)) throw new ConfigError(`${name}: organization id "${id}" must be "o-" and 10 to 32 lower-case letters or digits`);
  return { id, managementAccountId: management, accountIds };
};

export interface SettingSpec<T> {
  /** Environment variables, the first being the documented one; later ones are aliases. */
  env: readonly string[];
  flag: string;
  /** Older flag names still accepted. */
  flagAliases?: readonly string[];
  default: T;
  parse: Parser<T>;
  doc: string;
  /** What the flag takes, for --help. */
  arg?: string;
}

function setting<T>(spec: SettingSpec<T>): SettingSpec<T> {
  return spec;
}

export const settings = {
  port: setting({ env: ["PORT"], flag: "port", arg: "N", default: 4566, parse: int(0, 65535), doc: "TCP port to listen on (0 picks a free one)." }),
  host: setting({ env: ["HOST"], flag: "host", arg: "ADDR", default: "127.0.0.1", parse: text, doc: "Interface to listen on. Use 0.0.0.0 only where the network is trusted." }),
  defaultRegion: setting({ env: ["DEFAULT_REGION"], flag: "default-region", arg: "REGION", default: "us-east-1", parse: region, doc: "Region used when a request carries no SigV4 credential scope." }),
  defaultAccountId: setting({ env: ["DEFAULT_ACCOUNT_ID"], flag: "default-account-id", arg: "ID", default: "000000000000", parse: accountId, doc: "Account used when the access key id is not a 12-digit account number." }),
  jobCompletionDelaySeconds: setting({
    env: ["BACKUP_JOB_COMPLETION_DELAY_SECONDS", "FLOCI_SERVICES_BACKUP_JOB_COMPLETION_DELAY_SECONDS"],
    flag: "job-completion-delay",
    arg: "SECONDS",
    default: 3,
    parse: seconds,
    doc: "Seconds a backup, copy or restore job takes from creation to COMPLETED (0: at once).",
  }),
  dataDir: setting<string | undefined>({ env: ["DATA_DIR"], flag: "data-dir", arg: "DIR", default: undefined, parse: text, doc: "Keep state in an SQLite database in this folder (default: a temporary database, discarded on exit)." }),
  seed: setting<string | undefined>({ env: ["SEED_FILE"], flag: "seed", arg: "FILE", default: undefined, parse: text, doc: "Load this state document (as exported by GET /_emulator/state) at start-up." }),
  clockStart: setting<string | undefined>({ env: ["CLOCK_START"], flag: "clock-start", arg: "ISO", default: undefined, parse: isoTime, doc: "Start the emulator's clock at this time instead of now (it then runs at real speed)." }),
  reportsDir: setting<string | undefined>({ env: ["REPORTS_DIR"], flag: "reports-dir", arg: "DIR", default: undefined, parse: text, doc: "Folder where report jobs write their CSV/JSON files (default: DATA_DIR/reports, else a temporary folder)." }),
  logLevel: setting({ env: ["LOG_LEVEL"], flag: "log-level", arg: "LEVEL", default: "info" as "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent", parse: oneOf("fatal", "error", "warn", "info", "debug", "trace", "silent"), doc: "Log level: one line per request at info; error stacks at debug." }),
  resourceEndpoint: setting<string | undefined>({
    env: ["RESOURCE_ENDPOINT", "RESOURCE_DISCOVERY_ENDPOINT"],
    flag: "resource-endpoint",
    flagAliases: ["resource-discovery-endpoint"],
    arg: "URL",
    default: undefined,
    parse: url,
    doc: "An AWS emulator holding the resources (Moto, LocalStack, Floci…): backups read DynamoDB tables and S3 buckets from it and restores write them back (docs/backups-with-data.md); plan selections read its Resource Groups Tagging API.",
  }),
  snsEndpoint: setting<string | undefined>({ env: ["SNS_ENDPOINT"], flag: "sns-endpoint", arg: "URL", default: undefined, parse: url, doc: "Also publish vault notifications to their SNS topic on this endpoint." }),
  eventBridgeEndpoint: setting<string | undefined>({
    env: ["EVENTBRIDGE_ENDPOINT"],
    flag: "eventbridge-endpoint",
    arg: "URL",
    default: undefined,
    parse: url,
    doc: "Send every job state change as an EventBridge event (source aws.backup) to the default bus on this endpoint.",
  }),
  authMode: setting({
    env: ["AUTH_MODE"],
    flag: "auth-mode",
    arg: "MODE",
    default: "off" as "off" | "strict",
    parse: oneOf("off", "strict"),
    doc:
      "off: any credentials, the access key id picks the account. strict: every AWS API request must be signed with SigV4 by a key in CREDENTIALS / CREDENTIALS_FILE (its account is the caller's): " +
      "the signature is recomputed over the headers the client listed in SignedHeaders, the path and query as sent and the body's SHA-256, in the Authorization header or a presigned URL's query; " +
      "a request must be dated within 15 minutes of the machine's clock, and a presigned URL must not be past its X-Amz-Expires (at most 7 days).",
  }),
  credentials: setting<string | undefined>({ env: ["CREDENTIALS"], flag: "credentials", arg: "LIST", default: undefined, parse: text, doc: "For strict mode: AKID:SECRET:ACCOUNT entries, comma-separated." }),
  credentialsFile: setting<string | undefined>({
    env: ["CREDENTIALS_FILE"],
    flag: "credentials-file",
    arg: "FILE",
    default: undefined,
    parse: text,
    doc: "For strict mode: a JSON array of { accessKeyId, secretAccessKey, accountId }.",
  }),
  adminToken: setting<string | undefined>({
    env: ["ADMIN_TOKEN"],
    flag: "admin-token",
    arg: "TOKEN",
    default: undefined,
    parse: text,
    doc: "When set, /_emulator/* routes (but the health check) require `Authorization: Bearer TOKEN`.",
  }),
  requestTimeoutSeconds: setting({
    env: ["REQUEST_TIMEOUT_SECONDS"],
    flag: "request-timeout",
    arg: "SECONDS",
    default: 30,
    parse: int(1, 3600),
    doc: "Time a client has to send a whole request (headers get a third of it) before the connection is closed.",
  }),
  organization: setting<Organization | undefined>({
    env: ["ORGANIZATION"],
    flag: "organization",
    arg: "SPEC",
    default: undefined,
    parse: organization,
    doc: "Accounts in one AWS Organizations organization: management:ACCOUNT[,members:ACCOUNT+ACCOUNT…][,id:o-…] (default: none, every account stands alone).",
  }),
  bodyLimitBytes: setting({ env: ["BODY_LIMIT_BYTES"], flag: "body-limit", arg: "BYTES", default: 1024 * 1024, parse: int(1024, 64 * 1024 * 1024), doc: "Largest request body accepted; larger ones get 413." }),
} as const;

export type Settings = typeof settings;
export type Config = { [K in keyof Settings]: Settings[K]["default"] };

export const defaultConfig = (): Config =>
  Object.fromEntries(Object.entries(settings).map(([k, s]) => [k, s.default])) as Config;

/** Edit distance between two names, ignoring case: how far a misspelt option is from a real one. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length]!;
}

/** The setting whose option name is nearest to `name`, to suggest in place of a misspelling. */
export function nearestSetting(name: string): keyof Config {
  const keys = Object.keys(settings) as (keyof Config)[];
  return keys.reduce((best, k) => (distance(name, k) < distance(name, best) ? k : best));
}

/** The text form of an option value, so that options go through the parsers the flags use. */
function optionText(key: string, spec: SettingSpec<unknown>, value: unknown): string {
  if (typeof spec.default === "number") {
    if (typeof value !== "number") throw new ConfigError(`${key} must be a number, got ${JSON.stringify(value)}`);
    return String(value);
  }
  if (key === "organization" && typeof value === "object" && value !== null) {
    const o = value as Partial<Organization>;
    if (typeof o.managementAccountId !== "string" || typeof o.id !== "string" || !Array.isArray(o.accountIds)) {
      throw new ConfigError(`${key} must be { id, managementAccountId, accountIds } or a spec string such as "management:111111111111,members:222222222222"`);
    }
    const members = o.accountIds.filter((a) => a !== o.managementAccountId);
    return [`management:${o.managementAccountId}`, ...(members.length ? [`members:${members.join("+")}`] : []), `id:${o.id}`].join(",");
  }
  if (typeof value !== "string") throw new ConfigError(`${key} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Config from startEmulator's options over `base`: an unknown option is refused with the
 * nearest real one (a misspelt option would otherwise be silently ignored), and each value goes
 * through the same parser as its environment variable and flag. Undefined values keep `base`.
 */
export function configFromOptions(options: Readonly<Record<string, unknown>>, base: Config = defaultConfig()): Config {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(options)) {
    const spec = (settings as Record<string, SettingSpec<unknown>>)[key];
    if (!spec || !Object.hasOwn(settings, key)) throw new ConfigError(`Unknown option "${key}": did you mean "${nearestSetting(key)}"?`);
    if (value !== undefined) out[key] = spec.parse(optionText(key, spec, value), key);
  }
  return out as Config;
}

/** Config from the environment (documented names first, then aliases), over the defaults. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, base: Config = defaultConfig()): Config {
  const out: Record<string, unknown> = { ...base };
  for (const [key, spec] of Object.entries(settings) as [keyof Config, SettingSpec<unknown>][]) {
    const name = spec.env.find((e) => env[e] !== undefined && env[e] !== "");
    if (name) out[key] = spec.parse(env[name]!, name);
  }
  return out as Config;
}
