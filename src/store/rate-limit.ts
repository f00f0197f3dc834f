/**
 * Per-recipient sending limit (campaign `rateLimit.perRecipientPerHour`, default 5), whatever
 * the reasons: a sliding window kept as a sorted set `rate:<address>` of the emails (by
 * idempotency key) sent to that address in the last window. Reserving a slot is atomic and
 * idempotent per key, so a retry of the same email does not use a second slot. An email over
 * the limit is not dropped: the caller delays it until `retryAt`.
 */
import type { Redis } from 'ioredis';

const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) then return 0 end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

export type RateDecision = { allowed: true } | { allowed: false; retryAt: number };

export interface RateLimitOptions {
  max: number;
  windowMs?: number;
  now?: () => number;
}

export class RecipientRateLimit {
  readonly max: number;
  readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly redis: Redis, options: RateLimitOptions) {
    if (!Number.isInteger(options.max) || options.max < 1) throw new Error(`rate limit must be a positive integer, got ${options.max}`);
    this.max = options.max;
    this.windowMs = options.windowMs ?? 3600_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes a slot for email `key` to `address`, or says when one frees up. */
  async take(address: string, key: string): Promise<RateDecision> {
    const now = this.now();
    const wait = Number(await this.redis.eval(TAKE, 1, `rate:${address.trim().toLowerCase()}`, now, this.windowMs, this.max, key));
    return wait === 0 ? { allowed: true } : { allowed: false, retryAt: now + wait };
  }

  /** Emails counted against `address` in the current window. */
  async used(address: string): Promise<number> {
    const k = `rate:${address.trim().toLowerCase()}`;
    return this.redis.zcount(k, this.now() - this.windowMs + 1, '+inf');
  }
}
