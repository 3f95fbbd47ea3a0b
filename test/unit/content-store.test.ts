/** The content store: files named by their SHA-256, stored once, and swept when unreferenced. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { ContentStore } from "../../src/dataplane/content-store.js";

let root: string;
let store: ContentStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "content-store-"));
  store = new ContentStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

describe("ContentStore.putStream and putBuffer", () => {
  it("name a blob by the SHA-256 of its bytes and store identical content once", async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
    let seen = 0;
    const a = await store.putStream(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), (n) => (seen += n));
    const b = await store.putBuffer(bytes);
    expect(a).toEqual({ hash: sha(bytes), size: bytes.length });
    expect(b).toEqual(a);
    expect(seen).toBe(bytes.length);
    expect(store.list()).toEqual([{ hash: sha(bytes), size: bytes.length }]);
    expect((await store.readBuffer(a.hash)).equals(bytes)).toBe(true);
  });

  it("leave no file behind when the source fails midway", async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from("partial"));
        this.destroy(new Error("connection reset"));
      },
    });
    await expect(store.putStream(failing)).rejects.toThrow("connection reset");
    expect(store.list()).toEqual([]);
    expect(readdirSync(join(root, "tmp"))).toEqual([]);
  });
});

describe("ContentStore.sweep", () => {
  it("removes blobs not kept and leftover temporary files, and keeps the rest", async () => {
    const keep = await store.putBuffer("keep me");
    const drop = await store.putBuffer("drop me");
    writeFileSync(join(root, "tmp", "half-written"), "x");
    expect(store.sweep(new Set([keep.hash]))).toEqual({ removed: 1, bytes: drop.size });
    expect(existsSync(store.path(keep.hash))).toBe(true);
    expect(existsSync(store.path(drop.hash))).toBe(false);
    expect(readdirSync(join(root, "tmp"))).toEqual([]);
  });

  it("refuses a path for something that is not a content hash", () => {
    expect(() => store.path("../../etc/passwd")).toThrow("is not a content hash");
  });
});
