#!/usr/bin/env node
/**
 * The ceiling: a bare node:http server that answers the benchmark's requests with fixed bodies
 * of the same size as the emulator's answers, and does nothing else. Whatever any Node server
 * does per request on this machine costs at least this much.
 *
 *   node bench/bare-server.mjs --port 0 [--rules rules.json]
 *
 * rules.json: [{ "method", "path", "match": "exact" | "prefix", "status", "body" }]; an exact
 * rule matches method + path with query, a prefix rule the start of it. Anything else gets 200
 * and a small JSON body (the start-up probe reads /_emulator/health).
 */
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, host: { type: "string", default: "127.0.0.1" }, rules: { type: "string" } } });

const exact = new Map();
const prefixes = [];
for (const r of values.rules ? JSON.parse(readFileSync(values.rules, "utf8")) : []) {
  const reply = { status: r.status, body: Buffer.from(r.body) };
  if (r.match === "prefix") prefixes.push({ method: r.method, path: r.path, reply });
  else exact.set(`${r.method} ${r.path}`, reply);
}
// Longest prefix first, so a more specific rule wins.
prefixes.sort((a, b) => b.path.length - a.path.length);
const fallback = { status: 200, body: Buffer.from(JSON.stringify({ status: "running" })) };

function replyFor(method, url) {
  const hit = exact.get(`${method} ${url}`);
  if (hit) return hit;
  for (const p of prefixes) if (p.method === method && url.startsWith(p.path)) return p.reply;
  return fallback;
}

const server = createServer((req, res) => {
  const { status, body } = replyFor(req.method, req.url);
  // Read the request body to its end, as any real server must, before answering.
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(status, { "content-type": "application/json", "content-length": body.length, "x-amzn-requestid": randomUUID() });
    res.end(body);
  });
});

server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  process.stderr.write(`bare server listening on http://${values.host}:${port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
