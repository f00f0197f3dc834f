/**
 * A copy of every email the outbox finished with (sent, or failed for good), in the file store:
 * STORAGE_DIR/sent/<ab>/<sha256 of the key>.json, the sent-log record as it was (key, state,
 * Message-ID, recipient, subject, text, times, last error). `shenbao rebuild` restores the sent
 * log from these after Redis is lost: exactly what went out and when, which nothing else knows
 * (the planner would say what was due, not whether the SMTP server took it). Written by rename,
 * so a reader sees whole copies only.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SentRecord } from './sent-log';

export class SentCopies {
  private readonly dir: string;
  constructor(storageDir: string) {
    this.dir = path.join(storageDir, 'sent');
  }

  async put(record: SentRecord): Promise<void> {
    const name = createHash('sha256').update(record.key).digest('hex');
    const final = path.join(this.dir, name.slice(0, 2), `${name}.json`);
    await mkdir(path.dirname(final), { recursive: true });
    const tmp = `${final}.${randomUUID()}.part`;
    await writeFile(tmp, JSON.stringify(record));
    await rename(tmp, final);
  }

  async all(): Promise<SentRecord[]> {
    const out: SentRecord[] = [];
    const shards = await readdir(this.dir).catch(() => [] as string[]);
    for (const shard of shards.sort()) {
      for (const f of (await readdir(path.join(this.dir, shard))).filter((n) => n.endsWith('.json')).sort()) {
        out.push(JSON.parse(await readFile(path.join(this.dir, shard, f), 'utf8')) as SentRecord);
      }
    }
    return out;
  }
}
