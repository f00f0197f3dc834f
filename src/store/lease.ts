/**
 * A Redis lease: one owner at a time across processes and machines (SET NX PX with an owner
 * token; renew and release only by the owner, in Lua so check-and-act is one step).
 * Used for "only one mailbox watcher polls" and for the short fold lock of the intake.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class Lease {
  readonly token = randomUUID();
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** true when this owner now holds the lease (also when it already did). */
  async acquire(): Promise<boolean> {
    const ok = await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX');
    if (ok === 'OK') return true;
    return this.renew();
  }

  /** Extends the lease; false when it was lost (expired and taken by another owner). */
  async renew(): Promise<boolean> {
    const n = await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs));
    return n === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}

/**
 * The one lock for changing applications: the intake folds under it, and staff actions
 * (src/store/staff-actions.ts) take it too, so an action and a folding email never race.
 */
export const FOLD_LOCK = 'lock:intake-fold';

/**
 * Runs `fn` holding the lock `key`, waiting for it up to `waitMs`. The lock's TTL bounds how
 * long a crashed holder blocks the others; `fn` must finish well within it (it is renewed
 * while `fn` runs, so a slow Redis does not let a second holder in).
 */
export async function withLock<T>(
  redis: Redis,
  key: string,
  fn: () => Promise<T>,
  opts: { ttlMs?: number; waitMs?: number } = {},
): Promise<T> {
  const ttlMs = opts.ttlMs ?? 30_000;
  const waitMs = opts.waitMs ?? 60_000;
  const lease = new Lease(redis, key, ttlMs);
  const giveUpAt = Date.now() + waitMs;
  let pause = 5;
  while (!(await lease.acquire())) {
    if (Date.now() > giveUpAt) throw new Error(`lock ${key} not obtained within ${waitMs} ms`);
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(pause * 2, 100);
  }
  const renewer = setInterval(() => void lease.renew().catch(() => undefined), Math.max(1000, ttlMs / 3));
  try {
    return await fn();
  } finally {
    clearInterval(renewer);
    await lease.release();
  }
}
