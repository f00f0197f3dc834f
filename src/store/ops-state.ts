/**
 * What the health checks read from Redis: whether it answers, and when the mailbox was last
 * swept successfully. The sweep time is shared (one hash field per mailbox) because only the
 * watcher lease holder sweeps: a standby worker and the dashboard report the holder's sweep.
 *
 * Times here are wall-clock epoch ms (operations time, not shenbao's domain clock: under
 * `--now 2023-…` the age of a sweep must still be measured in real seconds).
 */
import type { Redis } from 'ioredis';

export const LAST_SWEEP_KEY = 'imap:last-sweep';

export class OpsState {
  constructor(private readonly redis: Redis) {}

  async recordSweep(mailbox: string, atMs: number): Promise<void> {
    await this.redis.hset(LAST_SWEEP_KEY, mailbox, String(atMs));
  }

  /** Epoch ms of the last successful sweep of `mailbox`, or null when none was recorded. */
  async lastSweep(mailbox: string): Promise<number | null> {
    const v = await this.redis.hget(LAST_SWEEP_KEY, mailbox);
    const n = v === null ? NaN : Number(v);
    return Number.isFinite(n) ? n : null;
  }

  /** Resolves when Redis answered PING within `timeoutMs`; rejects otherwise. */
  async ping(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.redis.ping(), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
