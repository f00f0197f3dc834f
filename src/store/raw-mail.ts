/**
 * The raw .eml of every message, kept as received, content-addressed under STORAGE_DIR:
 * `<dir>/raw/ab/cd/<sha256>.eml`. Writing the same message twice keeps one file; a crash
 * mid-write leaves only a temp file (written, then renamed into place).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredRaw {
  sha256: string;
  path: string;
  size: number;
}

export class RawMailStore {
  constructor(private readonly dir: string) {}

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return path.join(this.dir, 'raw', sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.eml`);
  }

  /** Streams `source` to disk while hashing it; refuses (and deletes) more than `maxBytes`. */
  async putStream(source: Readable, maxBytes = Number.POSITIVE_INFINITY): Promise<StoredRaw> {
    const tmpDir = path.join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new RawTooLargeError(size, maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tmp));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const final = this.pathOf(sha256);
    await mkdir(path.dirname(final), { recursive: true });
    await rename(tmp, final);
    return { sha256, path: final, size };
  }

  async put(raw: Buffer): Promise<StoredRaw> {
    return this.putStream(Readable.from([raw]));
  }

  async get(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }
}

export class RawTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`message larger than ${limit} bytes`);
  }
}
