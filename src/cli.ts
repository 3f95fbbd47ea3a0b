/**
 * Command-line parsing: one flag per setting in config.ts (flags override environment
 * variables), plus --help and --version. A bad flag or value is a one-line error.
 */
import { parseArgs } from "node:util";
import { configFromEnv, ConfigError, settings, type Config, type SettingSpec } from "./config.js";

export type CliResult = { kind: "run"; config: Config } | { kind: "exit"; code: number; out?: string; err?: string };

export function helpText(): string {
  const rows = (Object.values(settings) as SettingSpec<unknown>[]).map((s) => {
    const flag = `--${s.flag}${s.arg ? ` ${s.arg}` : ""}`;
    const def = s.default === undefined ? "" : ` (default: ${String(s.default)})`;
    return `  ${flag.padEnd(32)} ${s.doc}${def}\n  ${"".padEnd(32)} env: ${s.env.join(", ")}`;
  });
  return [
    "usage: aws-backup-emulator [options]",
    "",
    "A local emulator of the AWS Backup API. Every option can also be set by its environment variable; flags win.",
    "",
    "options:",
    ...rows,
    `  ${"--help, -h".padEnd(32)} show this help`,
    `  ${"--version, -v".padEnd(32)} print the version`,
    "",
  ].join("\n");
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv, version: string): CliResult {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } };
  for (const s of Object.values(settings) as SettingSpec<unknown>[]) for (const f of [s.flag, ...(s.flagAliases ?? [])]) options[f] = { type: "string" };
  // parseArgs takes "-5" for an option ("argument is ambiguous"); joined to its flag, a negative
  // number reaches the setting's parser, whose message says what the value must be.
  const args: string[] = [];
  for (const arg of argv) {
    const prev = args.at(-1);
    if (/^-\.?\d/.test(arg) && prev?.startsWith("--") && !prev.includes("=") && options[prev.slice(2)]?.type === "string") args[args.length - 1] = `${prev}=${arg}`;
    else args.push(arg);
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (err) {
    return { kind: "exit", code: 2, err: `aws-backup-emulator: ${(err as Error).message.split("\n")[0]} (see --help)` };
  }
  if (values.help) return { kind: "exit", code: 0, out: helpText() };
  if (values.version) return { kind: "exit", code: 0, out: `${version}\n` };
  try {
    const config = configFromEnv(env) as Record<string, unknown>;
    for (const [key, s] of Object.entries(settings) as [string, SettingSpec<unknown>][]) {
      const name = [s.flag, ...(s.flagAliases ?? [])].find((f) => typeof values[f] === "string");
      if (name) config[key] = s.parse(values[name] as string, `--${name}`);
    }
    return { kind: "run", config: config as Config };
  } catch (err) {
    if (err instanceof ConfigError) return { kind: "exit", code: 2, err: `aws-backup-emulator: ${err.message}` };
    throw err;
  }
}
