/** Where the model lives and how model files are read and written; shared by the model scripts. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const MODEL_DIR = join(ROOT, "model");
export const GENERATED_DIR = join(ROOT, "generated");
export const MODEL_FILE = "backup-2018-11-15.json";
export const PAGINATORS_FILE = "paginators-1.json";
export const OVERRIDES_FILE = "overrides.json";
export const OPENAPI_FILE = "backup.openapi.json";
export const MODEL_PACKAGE = "@aws-cdk/asset-awscli-v1";

/** JSON with two-space indent and a final newline, so diffs stay readable and output is stable. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

export function readSource(dir = MODEL_DIR): { package: string; version: string } {
  const text = readFileSync(join(dir, "SOURCE"), "utf8");
  const field = (name: string) => new RegExp(`^${name}: (.+)$`, "m").exec(text)?.[1]?.trim();
  const version = field("version");
  if (!version) throw new Error(`${join(dir, "SOURCE")} has no version line`);
  return { package: field("package") ?? MODEL_PACKAGE, version };
}

// ---- the botocore model, as much of it as the scripts read ----

export interface ShapeRef {
  shape: string;
  location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
  locationName?: string;
  idempotencyToken?: boolean;
  jsonvalue?: boolean;
}

export interface Shape {
  type: "structure" | "list" | "map" | "string" | "integer" | "long" | "boolean" | "timestamp" | "double" | "float" | "blob";
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  exception?: boolean;
  fault?: boolean;
  error?: { httpStatusCode?: number; code?: string; senderFault?: boolean };
  sensitive?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
  idempotent?: boolean;
}

export interface BotocoreModel {
  metadata: Record<string, unknown>;
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export interface Paginator {
  input_token: string;
  output_token: string;
  limit_key: string;
  result_key?: string;
}
