/**
 * Sending limits (campaign `rateLimit`), whatever the reasons: per recipient
 * (`perRecipientPerHour`, default 5), per recipient domain (`perDomainPerHour`) and for all
 * emails together (`globalPerHour`), so that no flood of incoming mail turns into a flood of
 * outgoing mail (issue 8 §1). Each is a sliding window kept as a sorted set of the emails (by
 * idempotency key) sent in the last window: `rate:<address>`, `rate-domain:<domain>`,
 * `rate-global`. Taking a slot checks and takes all three atomically and is idempotent per key,
 * so a retry of the same email does not use a second slot.
 *
 * An email over a limit is not dropped: the caller delays it until `retryAt`, and it is listed
 * in `rate-held` (zset key → retryAt, details in `rate-held:info`) until it goes out, so staff
 * see what waits and why (`held()`).
 */
import type { Redis } from 'ioredis';
import { boundedKeyPart } from './bounded';

// KEYS: recipient, domain, global, held zset, held info hash. ARGV: now, window, key, max per KEY[1..3], held json.
const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local member = ARGV[3]
local wait = 0
local full = 0
for i = 1, 3 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local max = tonumber(ARGV[3 + i])
  if max > 0 and not redis.call('ZSCORE', KEYS[i], member) and redis.call('ZCARD', KEYS[i]) >= max then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local w = math.max(1, tonumber(oldest[2]) + window - now + 1)
    if w > wait then wait = w; full = i end
  end
end
if wait > 0 then
  redis.call('ZADD', KEYS[4], now + wait, member)
  local scopes = {'recipient', 'domain', 'global'}
  redis.call('HSET', KEYS[5], member, (string.gsub(ARGV[7], '"scope":""', '"scope":"' .. scopes[full] .. '"', 1)))
  return {wait, full}
end
for i = 1, 3 do
  if tonumber(ARGV[3 + i]) > 0 then
    redis.call('ZADD', KEYS[i], 'NX', now, member)
    redis.call('PEXPIRE', KEYS[i], window)
  end
end
redis.call('ZREM', KEYS[4], member)
redis.call('HDEL', KEYS[5], member)
return {0, 0}
`;

export type LimitScope = 'recipient' | 'domain' | 'global';

export type RateDecision = { allowed: true } | { allowed: false; retryAt: number; scope: LimitScope };

/** One email waiting for a slot: what the dashboard lists. */
export interface HeldEmail {
  key: string;
  to: string;
  kind: string;
  scope: LimitScope;
  heldAt: number;
  retryAt: number;
}

export interface RateLimitOptions {
  /** Per recipient address, per window. */
  max: number;
  /** Per recipient domain; 0 or absent = no limit. */
  perDomain?: number;
  /** All recipients together; 0 or absent = no limit. */
  global?: number;
  windowMs?: number;
  now?: () => number;
}

export const RATE_KEYS = {
  held: 'rate-held',
  heldInfo: 'rate-held:info',
  global: 'rate-global',
} as const;

const norm = (address: string) => address.trim().toLowerCase();
const domainOf = (address: string) => norm(address).slice(norm(address).lastIndexOf('@') + 1);

export class RecipientRateLimit {
  readonly max: number;
  readonly perDomain: number;
  readonly global: number;
  readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly redis: Redis, options: RateLimitOptions) {
    for (const [name, v] of [['rate limit', options.max], ['per-domain limit', options.perDomain ?? 0], ['global limit', options.global ?? 0]] as const) {
      if (!Number.isInteger(v) || v < (name === 'rate limit' ? 1 : 0)) throw new Error(`${name} must be a positive integer, got ${v}`);
    }
    this.max = options.max;
    this.perDomain = options.perDomain ?? 0;
    this.global = options.global ?? 0;
    this.windowMs = options.windowMs ?? 3600_000;
    this.now = options.now ?? Date.now;
  }

  private keys(address: string): string[] {
    return [`rate:${boundedKeyPart(norm(address))}`, `rate-domain:${boundedKeyPart(domainOf(address))}`, RATE_KEYS.global, RATE_KEYS.held, RATE_KEYS.heldInfo];
  }

  /** Takes a slot for email `key` to `address` under all three limits, or says when one frees up (and lists it as held). */
  async take(address: string, key: string, kind = ''): Promise<RateDecision> {
    const now = this.now();
    const held = JSON.stringify({ key, to: boundedKeyPart(norm(address)), kind, scope: '', heldAt: now });
    const [wait, full] = (await this.redis.eval(TAKE, 5, ...this.keys(address), now, this.windowMs, key, this.max, this.perDomain, this.global, held)) as [number, number];
    if (Number(wait) === 0) return { allowed: true };
    const scope: LimitScope = (['recipient', 'domain', 'global'] as const)[Number(full) - 1] ?? 'recipient';
    return { allowed: false, retryAt: now + Number(wait), scope };
  }

  /** Emails counted against `address` in the current window. */
  async used(address: string): Promise<number> {
    return this.redis.zcount(`rate:${boundedKeyPart(norm(address))}`, this.now() - this.windowMs + 1, '+inf');
  }

  /** An email that will not wait any more (sent, failed or suppressed elsewhere): off the held list. */
  async release(key: string): Promise<void> {
    await this.redis.multi().zrem(RATE_KEYS.held, key).hdel(RATE_KEYS.heldInfo, key).exec();
  }

  /** How many emails wait for a slot now. */
  async heldCount(): Promise<number> {
    return this.redis.zcard(RATE_KEYS.held);
  }

  /** The emails waiting for a slot, soonest first (at most `limit`). */
  async held(limit = 100): Promise<HeldEmail[]> {
    const keys = await this.redis.zrange(RATE_KEYS.held, '0', String(Math.max(0, limit - 1)), 'WITHSCORES');
    const out: HeldEmail[] = [];
    const members = keys.filter((_, i) => i % 2 === 0);
    const infos = members.length ? await this.redis.hmget(RATE_KEYS.heldInfo, ...members) : [];
    members.forEach((key, i) => {
      const info = infos[i];
      const retryAt = Number(keys[i * 2 + 1]);
      const parsed = info ? (JSON.parse(info) as Omit<HeldEmail, 'retryAt'>) : { key, to: '', kind: '', scope: 'recipient' as const, heldAt: retryAt };
      out.push({ ...parsed, key, retryAt });
    });
    return out;
  }
}
