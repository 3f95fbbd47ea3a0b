/**
 * The AWS CLI as a client in tests: finding the installed CLIs, reading the README's example
 * commands, splitting a command line as a shell would, and running it without blocking the
 * event loop (the emulator under test runs in the same process).
 */
import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants, realpathSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The endpoint the README's examples are written for. */
export const README_ENDPOINT = "http://localhost:4566";
export const README_PREFIX = `aws --endpoint-url ${README_ENDPOINT} backup`;

export interface AwsCli {
  /** What to execute: an absolute path. */
  path: string;
  /** The first word of `aws --version`, e.g. "aws-cli/2.9.19". */
  version: string;
  major: number;
  /** Whether it reads AWS_ENDPOINT_URL (CLI v1 from 1.29.0, v2 from 2.13.0). */
  readsEndpointEnv: boolean;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function describeCli(path: string): AwsCli | undefined {
  const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) return undefined;
  // CLI v1 before 1.17 printed the version on stderr.
  const m = /aws-cli\/(\d+)\.(\d+)\.(\d+)/.exec(`${r.stdout}${r.stderr}`);
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return { path, version: m[0], major, readsEndpointEnv: major === 1 ? minor >= 29 : major === 2 ? minor >= 13 : true };
}

/**
 * The AWS CLIs on this machine: `aws` on PATH, and /usr/bin/aws when it is a different program
 * that reports aws-cli/2 (Debian's package, when a Python CLI v1 shadows it on PATH).
 * Detection runs synchronously, at import time, before any emulator is started.
 */
export function findAwsClis(): AwsCli[] {
  const found: AwsCli[] = [];
  const seen = new Set<string>();
  const add = (path: string | undefined, want?: (c: AwsCli) => boolean) => {
    if (!path) return;
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    const cli = describeCli(path);
    if (!cli || (want && !want(cli))) return;
    seen.add(real);
    found.push(cli);
  };
  add(onPath("aws"));
  add("/usr/bin/aws", (c) => c.major === 2);
  return found;
}

/**
 * Split a command line into words as a POSIX shell would for the quoting the README uses:
 * single quotes keep everything literally, double quotes allow \" \\ \$ \` escapes, a backslash
 * outside quotes escapes the next character. No expansion of variables or globs.
 */
export function splitArgs(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated single quote in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`unterminated double quote in: ${line}`);
        const d = line[i]!;
        if (d === '"') break;
        if (d === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      inWord = true;
      i++;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * The example commands of a Markdown document's section titled `title` (up to the next heading
 * of any level; a `#` line inside a fenced block is a shell comment, not a heading): every line
 * that starts with `prefix`, with lines ending in a backslash joined to the next one.
 * `undefined` when the document has no such section.
 */
export function extractCliExamples(markdown: string, title = "AWS CLI", prefix = README_PREFIX): string[] | undefined {
  const lines = markdown.split(/\r?\n/);
  const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/;
  let inSection = false;
  let sawSection = false;
  let inFence = false;
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    const h = inFence ? null : heading.exec(line);
    if (h) {
      inSection = h[1]!.trim().toLowerCase() === title.toLowerCase();
      sawSection ||= inSection;
      continue;
    }
    if (!inSection || !line.trimStart().startsWith(prefix)) continue;
    let command = line.trim();
    while (command.endsWith("\\") && i + 1 < lines.length) command = `${command.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
    out.push(command);
  }
  return sawSection ? out : undefined;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run one CLI with `args` and an environment holding nothing of the developer's AWS setup
 * (no profile, config file, credentials file or endpoint), plus `env`.
 */
export function runAws(cli: AwsCli, args: string[], env: Record<string, string>): Promise<CliResult> {
  const base: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) base[k] = v;
  return new Promise((resolve) => {
    execFile(
      cli.path,
      args,
      {
        encoding: "utf8",
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...base,
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_PAGER: "",
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          ...env,
        },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
