/**
 * Content-addressed files: each blob is named by the SHA-256 of its bytes, so identical content
 * (an unchanged object, an unchanged chunk of items, a copy of a recovery point) is stored once.
 * A blob is written to a temporary file and renamed into place, so a blob that exists is whole;
 * what a crash leaves behind is a temporary file or an unreferenced blob, both removed by sweep().
 */
import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, unlinkSync } from "node:fs";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

const HASH = /^[0-9a-f]{64}$/;
/** Bytes the file writer buffers before it applies backpressure. */
const WRITE_BUFFER = 1024 * 1024;

export interface Blob {
  hash: string;
  size: number;
}

export class ContentStore {
  private readonly blobs: string;
  private readonly tmp: string;

  constructor(readonly root: string) {
    this.blobs = join(root, "blobs");
    this.tmp = join(root, "tmp");
    mkdirSync(this.blobs, { recursive: true });
    mkdirSync(this.tmp, { recursive: true });
  }

  path(hash: string): string {
    if (!HASH.test(hash)) throw new Error(`"${hash}" is not a content hash`);
    return join(this.blobs, hash.slice(0, 2), hash);
  }

  has(hash: string): boolean {
    return existsSync(this.path(hash));
  }

  /** Store a stream's bytes; `onBytes` sees them go by (for progress). */
  async putStream(source: Readable, onBytes?: (n: number) => void, signal?: AbortSignal): Promise<Blob> {
    const hash = createHash("sha256");
    let size = 0;
    const temp = join(this.tmp, randomUUID());
    // Hash as the bytes go by, in the same pass that writes them.
    async function* tap(chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        onBytes?.(chunk.length);
        yield chunk;
      }
    }
    try {
      await pipeline(source, tap, createWriteStream(temp, { highWaterMark: WRITE_BUFFER }), ...(signal ? [{ signal }] : []));
      return await this.settle(temp, hash.digest("hex"), size);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  async putBuffer(data: Buffer | string): Promise<Blob> {
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    const hash = createHash("sha256").update(bytes).digest("hex");
    if (this.has(hash)) return { hash, size: bytes.length };
    const temp = join(this.tmp, randomUUID());
    await writeFile(temp, bytes);
    return this.settle(temp, hash, bytes.length);
  }

  private async settle(temp: string, hash: string, size: number): Promise<Blob> {
    const dest = this.path(hash);
    if (existsSync(dest)) {
      await unlink(temp);
    } else {
      mkdirSync(join(this.blobs, hash.slice(0, 2)), { recursive: true });
      await rename(temp, dest);
    }
    return { hash, size };
  }

  read(hash: string): Readable {
    return createReadStream(this.path(hash));
  }

  async readBuffer(hash: string): Promise<Buffer> {
    return readFile(this.path(hash));
  }

  /**
   * Remove every blob not in `keep`, and leftover temporary files. Synchronous on purpose: no
   * transfer can start while it runs. Call it only when no transfer is writing.
   */
  sweep(keep: ReadonlySet<string>): { removed: number; bytes: number } {
    let removed = 0;
    let bytes = 0;
    for (const name of readdirSync(this.tmp)) rmSync(join(this.tmp, name), { force: true });
    for (const dir of readdirSync(this.blobs)) {
      const folder = join(this.blobs, dir);
      for (const name of readdirSync(folder)) {
        if (keep.has(name)) continue;
        const file = join(folder, name);
        bytes += statSync(file).size;
        unlinkSync(file);
        removed++;
      }
    }
    return { removed, bytes };
  }

  /** Every stored blob (for tests and the benchmark). */
  list(): Blob[] {
    const out: Blob[] = [];
    for (const dir of readdirSync(this.blobs)) {
      for (const name of readdirSync(join(this.blobs, dir))) out.push({ hash: name, size: statSync(join(this.blobs, dir, name)).size });
    }
    return out;
  }

}
