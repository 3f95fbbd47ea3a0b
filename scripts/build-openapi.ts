/**
 * model/ (botocore JSON + overrides) → model/backup.openapi.json.
 *
 * The document is OpenAPI 3.1 by its header but keeps to the subset that the OpenAPI 3.0
 * meta-schema also accepts, because openapi-backend checks 3.1 documents against the 3.0 one
 * (no `propertyNames`, no `$ref` with siblings, no `const`, no type arrays).
 *
 * What the emulator needs beyond plain OpenAPI travels in `x-aws-*` extensions:
 * on operations the AWS input/output shape names, the member each parameter binds to, the
 * idempotency token member, the paginator and the modeled errors; at the root the error table.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  MODEL_DIR, MODEL_FILE, OPENAPI_FILE, OVERRIDES_FILE, PAGINATORS_FILE,
  readJson, readSource, stableJson,
  type BotocoreModel, type Paginator, type Shape, type ShapeRef,
} from "./model-files.js";

type Json = Record<string, unknown>;

interface Override {
  id: number;
  reason: string;
  shape?: string;
  merge?: Partial<Shape>;
  paginators?: Record<string, Paginator>;
}

const model = readJson<BotocoreModel>(join(MODEL_DIR, MODEL_FILE));
const paginators = readJson<{ pagination: Record<string, Paginator> }>(join(MODEL_DIR, PAGINATORS_FILE)).pagination;
const { overrides } = readJson<{ overrides: Override[] }>(join(MODEL_DIR, OVERRIDES_FILE));

for (const o of overrides) {
  if (o.shape) {
    const shape = model.shapes[o.shape];
    if (!shape) throw new Error(`override ${o.id}: no shape ${o.shape} in the model`);
    Object.assign(shape, o.merge);
  }
  if (o.paginators) {
    for (const [op, p] of Object.entries(o.paginators)) {
      if (!model.operations[op]) throw new Error(`override ${o.id}: no operation ${op} in the model`);
      paginators[op] ??= p;
    }
  }
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/**
 * Model patterns use escapes that are legal in JavaScript's legacy regex mode but not in
 * unicode mode, which AJV uses (`\_` in 7 of them). Drop the backslash from identity escapes
 * of characters that need none, then prove the result compiles in unicode mode.
 */
function unicodePattern(pattern: string): string {
  const keep = new Set([..."^$\\.*+?()[]{}|/-", ..."dDwWsSbBnrtfv0cxupPk"]);
  const fixed = pattern.replace(/\\(.)/g, (all, ch: string) => (keep.has(ch) ? all : ch));
  new RegExp(fixed, "u");
  return fixed;
}

function shapeSchema(name: string, shape: Shape): Json {
  switch (shape.type) {
    case "structure": {
      const properties: Json = {};
      for (const [member, target] of Object.entries(shape.members ?? {})) properties[member] = ref(target.shape);
      const out: Json = { type: "object", properties, additionalProperties: false };
      if (shape.required?.length) out.required = [...shape.required];
      return out;
    }
    case "list": {
      const out: Json = { type: "array", items: ref(shape.member!.shape) };
      if (shape.min !== undefined) out.minItems = shape.min;
      if (shape.max !== undefined) out.maxItems = shape.max;
      return out;
    }
    case "map": {
      // Key constraints (a `propertyNames` schema) are not expressible in the 3.0 subset;
      // the key shape is named in x-aws-map-key and checked by the edge where it matters.
      return { type: "object", additionalProperties: ref(shape.value!.shape) };
    }
    case "string": {
      const out: Json = { type: "string" };
      if (shape.enum) out.enum = [...shape.enum];
      if (shape.min !== undefined) out.minLength = shape.min;
      if (shape.max !== undefined) out.maxLength = shape.max;
      if (shape.pattern !== undefined) out.pattern = unicodePattern(shape.pattern);
      return out;
    }
    case "integer":
    case "long": {
      const out: Json = { type: "integer" };
      if (shape.type === "long") out.format = "int64";
      else out.format = "int32";
      if (shape.min !== undefined) out.minimum = shape.min;
      if (shape.max !== undefined) out.maximum = shape.max;
      return out;
    }
    case "double":
    case "float":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "timestamp":
      // restJson1 sends body timestamps as epoch seconds (fractions allowed).
      return { type: "number", description: "epoch seconds" };
    default:
      throw new Error(`shape ${name}: type ${shape.type} is not handled`);
  }
}

/** The schema of a query parameter as it appears on the wire (before the edge converts it). */
function querySchema(shape: Shape, name: string): Json {
  if (shape.type === "timestamp") return { type: "string", format: "date-time" };
  if (shape.type === "string" && !shape.enum && shape.pattern === undefined && shape.min === undefined && shape.max === undefined) {
    return { type: "string" };
  }
  return ref(name);
}

function errorStatus(shape: Shape): number {
  return shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
}

const schemas: Json = {};
for (const name of Object.keys(model.shapes).sort()) schemas[name] = shapeSchema(name, model.shapes[name]!);

const errorTable: Json = {};
for (const [name, shape] of Object.entries(model.shapes).sort(([a], [b]) => a.localeCompare(b))) {
  if (shape.exception) errorTable[name] = { status: errorStatus(shape), fault: shape.fault ? "server" : "client" };
}

const paths: Record<string, Json> = {};
for (const opName of Object.keys(model.operations).sort()) {
  const op = model.operations[opName]!;
  const [rawPath, staticQuery] = op.http.requestUri.split("?") as [string, string | undefined];
  // botocore ends 24 URIs with "/" where the Smithy model (and the JS SDK) does not; the
  // router tolerates one trailing slash on requests, so the document keeps the bare form.
  const path = rawPath.length > 1 ? rawPath.replace(/\/$/, "") : rawPath;
  const input = op.input ? model.shapes[op.input.shape]! : undefined;
  const members = Object.entries(input?.members ?? {}) as [string, ShapeRef][];
  const required = new Set(input?.required ?? []);

  const parameters: Json[] = [];
  const bodyProps: Json = {};
  const bodyRequired: string[] = [];
  for (const [member, target] of members) {
    const wire = target.locationName ?? member;
    if (target.location === "uri") {
      parameters.push({ name: wire, in: "path", required: true, schema: { type: "string" }, "x-aws-member": member });
    } else if (target.location === "querystring") {
      const p: Json = { name: wire, in: "query", schema: querySchema(model.shapes[target.shape]!, target.shape), "x-aws-member": member };
      if (required.has(member)) p.required = true;
      parameters.push(p);
    } else if (target.location) {
      throw new Error(`${opName}.${member}: location ${target.location} is not handled`);
    } else {
      bodyProps[member] = ref(target.shape);
      if (required.has(member)) bodyRequired.push(member);
    }
  }
  if (staticQuery) {
    // DisassociateBackupVaultMpaApprovalTeam: `?delete` is part of the URI. The JS SDK sends
    // `?delete=`, botocore `?delete`; declared so that neither is refused as unknown.
    parameters.push({ name: staticQuery, in: "query", allowEmptyValue: true, schema: { type: "string" }, "x-aws-static": true });
  }

  const status = op.http.responseCode ?? 200;
  const responses: Json = {};
  const output = op.output?.shape;
  responses[String(status)] =
    status === 204 || !output
      ? { description: status === 204 ? "No Content" : "OK" }
      : { description: "OK", content: { "application/json": { schema: ref(output) } } };
  const errors = (op.errors ?? []).map((e) => e.shape).sort();
  const byStatus = new Map<number, string[]>();
  for (const e of errors) {
    const s = errorStatus(model.shapes[e]!);
    byStatus.set(s, [...(byStatus.get(s) ?? []), e]);
  }
  for (const [s, names] of [...byStatus].sort(([a], [b]) => a - b)) {
    const schema = names.length === 1 ? ref(names[0]!) : { oneOf: names.map(ref) };
    responses[String(s)] = {
      description: names.join(", "),
      headers: { "X-Amzn-ErrorType": { description: "the error's shape name", schema: { type: "string" } } },
      content: { "application/json": { schema } },
    };
  }

  const operation: Json = { operationId: opName, tags: [tagFor(path)] };
  if (parameters.length) operation.parameters = parameters;
  if (Object.keys(bodyProps).length) {
    const body: Json = { type: "object", properties: bodyProps, additionalProperties: false };
    if (bodyRequired.length) body.required = bodyRequired;
    operation.requestBody = { required: bodyRequired.length > 0, content: { "application/json": { schema: body } } };
  }
  operation.responses = responses;
  if (op.input) operation["x-aws-input"] = op.input.shape;
  if (output) operation["x-aws-output"] = output;
  const token = members.find(([, t]) => t.idempotencyToken)?.[0];
  if (token) operation["x-aws-idempotency-token"] = token;
  if (op.idempotent) operation["x-aws-idempotent"] = true;
  const pager = paginators[opName];
  if (pager) operation["x-aws-paginator"] = pager;
  operation["x-aws-errors"] = errors;

  const item = (paths[path] ??= {});
  const method = op.http.method.toLowerCase();
  if (item[method]) throw new Error(`${opName}: ${method.toUpperCase()} ${path} is already taken by ${(item[method] as Json).operationId as string}`);
  item[method] = operation;
}

function tagFor(path: string): string {
  const first = path.split("/")[1] ?? "";
  return first === "backup" ? (path.startsWith("/backup/template") ? "backup-template" : "backup-plans") : first;
}

const source = readSource();
const sortedPaths: Json = {};
for (const p of Object.keys(paths).sort()) sortedPaths[p] = paths[p];

const doc = {
  openapi: "3.1.0",
  info: {
    title: "AWS Backup",
    version: String(model.metadata.apiVersion),
    description: `Derived from the AWS Backup model in ${source.package}@${source.version} by scripts/build-openapi.ts. Do not edit: run \`npm run generate\`.`,
  },
  servers: [{ url: "http://localhost:4566" }],
  "x-aws-service": {
    serviceId: model.metadata.serviceId,
    signingName: "backup",
    apiVersion: model.metadata.apiVersion,
    protocol: "restJson1",
    overrides: overrides.map((o) => o.id),
  },
  "x-aws-errors": errorTable,
  paths: sortedPaths,
  components: { schemas },
};

writeFileSync(join(MODEL_DIR, OPENAPI_FILE), stableJson(doc));
const count = Object.values(paths).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`${OPENAPI_FILE}: ${count} operations on ${Object.keys(paths).length} paths, ${Object.keys(schemas).length} schemas`);
