/**
 * The sent log: the durable guard that an email is sent at most once for the same reason.
 * One hash per idempotency key, `sent:<key>`, moving claimed → sent (or → retrying → claimed
 * again, or → failed for good). A claim is taken atomically; a claim whose sender died is
 * re-claimable after `claimTimeoutMs`, and the record keeps the Message-ID chosen at the first
 * claim, so a re-send carries the same Message-ID (clients collapse the copies).
 * A claim's liveness is real time (`aliveAt`, renewed by the sender while it sends), never
 * shenbao's clock: two workers started with the same --now at different moments disagree on
 * that clock by their start-up gap, which would stretch or shrink a dead sender's claim.
 * `sent:index` (sorted by last change) lets staff list what was sent and what failed.
 * Staff may suppress an email not yet sent (`suppressed`): like sent and failed, it is never
 * claimed again. The claim keeps the text and HTML sent, so staff can read and resend it.
 * With replicas (Sentinel, or a Cluster with replicas) a claim and a `sent` mark count only once
 * `waitReplicas` replicas hold them (WAIT): Redis replicates asynchronously, and a failover
 * promotes a replica that may lack the last writes the old master acknowledged — a lost claim
 * or a lost `sent` lets another sender send the same email again.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ListPush } from './audit';

export type SentState = 'claimed' | 'sent' | 'retrying' | 'failed' | 'suppressed';

export interface SentRecord {
  key: string;
  state: SentState;
  messageId: string;
  to: string;
  subject: string;
  kind: string;
  /** How many times a sender claimed it (1 on a first clean send). */
  attempts: number;
  createdAt: number;
  updatedAt: number;
  claimedAt: number | null;
  sentAt: number | null;
  accepted: string[];
  response: string | null;
  lastError: string | null;
  /** What was sent (kept at the first claim; null on records from before, or suppressed before any claim). */
  text?: string | null;
  html?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  /** How many copies staff resent (each under `${key}:resend:<n>`). */
  resends?: number;
}

export interface ClaimMeta {
  messageId: string;
  to: string;
  subject: string;
  kind: string;
  text?: string;
  html?: string;
  inReplyTo?: string;
  references?: string[];
}

export type ClaimResult =
  | { outcome: 'claimed'; token: string; messageId: string; attempt: number }
  | { outcome: 'sent'; record: SentRecord }
  | { outcome: 'failed'; record: SentRecord }
  | { outcome: 'suppressed'; record: SentRecord }
  /** Another sender holds a live claim; try again at `retryAt` (ms). */
  | { outcome: 'busy'; retryAt: number }
  /** The claim did not reach `waitReplicas` replicas in time: released again, try at `retryAt` (ms). */
  | { outcome: 'unconfirmed'; retryAt: number };

/** `sent:<key>` per record; `sent:index` (key → ms of its last change) is what the dashboard's cache follows. */
export const SENT_KEYS = { record: (key: string) => `sent:${key}`, index: 'sent:index' } as const;
const KEYS = SENT_KEYS;

const CLAIM = `
local state = redis.call('HGET', KEYS[1], 'state')
local now = tonumber(ARGV[1])
if state == 'sent' or state == 'failed' or state == 'suppressed' then return {state, '', '0'} end
local real = tonumber(ARGV[13])
if state == 'claimed' then
  local alive = tonumber(redis.call('HGET', KEYS[1], 'aliveAt') or '0')
  local until_ = alive + tonumber(ARGV[2])
  if real < until_ then return {'busy', tostring(until_), '0'} end
end
if not state then
  redis.call('HSET', KEYS[1], 'key', ARGV[4], 'messageId', ARGV[5], 'to', ARGV[6], 'subject', ARGV[7],
    'kind', ARGV[8], 'createdAt', now, 'attempts', 0, 'text', ARGV[9], 'html', ARGV[10], 'inReplyTo', ARGV[11], 'references', ARGV[12])
end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'token', ARGV[3], 'claimedAt', now, 'aliveAt', real, 'updatedAt', now)
local attempt = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('ZADD', KEYS[2], now, ARGV[4])
return {'claimed', redis.call('HGET', KEYS[1], 'messageId'), tostring(attempt)}
`;

// Sent: for good, whoever held the claim (the email is out; nothing may send it again).
const MARK_SENT = `
redis.call('HSET', KEYS[1], 'state', 'sent', 'sentAt', ARGV[1], 'updatedAt', ARGV[1], 'accepted', ARGV[2], 'response', ARGV[3])
redis.call('HDEL', KEYS[1], 'token', 'lastError')
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[4])
return 1
`;

// The sender of a live claim says it is still at it (real ms): only its own token counts.
const RENEW_CLAIM = `
if redis.call('HGET', KEYS[1], 'state') == 'claimed' and redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'aliveAt', ARGV[2])
  return 1
end
return 0
`;

// Never downgrades a sent record; a transient failure releases only the caller's own claim.
const FAIL = `
local state = redis.call('HGET', KEYS[1], 'state')
if not state or state == 'sent' or state == 'suppressed' then return 0 end
local now = ARGV[1]
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'state', 'failed', 'lastError', ARGV[2], 'updatedAt', now)
  redis.call('HDEL', KEYS[1], 'token')
elseif state == 'claimed' and (ARGV[4] == '' or redis.call('HGET', KEYS[1], 'token') == ARGV[4]) then
  redis.call('HSET', KEYS[1], 'state', 'retrying', 'lastError', ARGV[2], 'updatedAt', now)
  redis.call('HDEL', KEYS[1], 'token')
else
  return 0
end
redis.call('ZADD', KEYS[2], now, ARGV[5])
return 1
`;

// Suppress an email that is not out: refused when sent, failed, already suppressed, or held by a live claim (being sent now, or
// being marked sent: its sender renews the claim until the mark holds).
// On success it also appends the caller's entries (the audit) to KEYS[3..]: one step, no suppression without its record.
const SUPPRESS = `
local state = redis.call('HGET', KEYS[1], 'state')
local now = tonumber(ARGV[1])
if state == 'sent' or state == 'failed' or state == 'suppressed' then return state end
if state == 'claimed' then
  -- Alive as CLAIM judges it: real time since the sender's last renewal, not shenbao's clock.
  local until_ = tonumber(redis.call('HGET', KEYS[1], 'aliveAt') or '0') + tonumber(ARGV[2])
  if tonumber(ARGV[7]) < until_ then return 'busy' end
end
if not state then
  redis.call('HSET', KEYS[1], 'key', ARGV[3], 'messageId', '', 'to', ARGV[4], 'subject', ARGV[5], 'kind', ARGV[6], 'createdAt', now, 'attempts', 0)
end
redis.call('HSET', KEYS[1], 'state', 'suppressed', 'updatedAt', now)
redis.call('HDEL', KEYS[1], 'token')
redis.call('ZADD', KEYS[2], now, ARGV[3])
for i = 3, #KEYS do
  local at = 8 + (i - 3) * 3
  if ARGV[at] == 'head' then redis.call('LPUSH', KEYS[i], ARGV[at + 1]) else redis.call('RPUSH', KEYS[i], ARGV[at + 1]) end
  if ARGV[at + 2] ~= '' then redis.call('LTRIM', KEYS[i], 0, tonumber(ARGV[at + 2]) - 1) end
end
return 'ok'
`;

export type SuppressResult = 'ok' | 'sent' | 'failed' | 'suppressed' | 'busy';

export interface SentLogOptions {
  /**
   * After this long without a renewal a claim is presumed dead (its sender crashed) and may be
   * taken again. The sender renews it while it sends (renewClaim), so this bounds how long a
   * crash holds an email back, not how long a send may take (default 20 s: a crashed sender's
   * email goes out again well within the 30 s recovery the service promises).
   */
  claimTimeoutMs?: number;
  /** shenbao's clock (the times staff see). */
  now?: () => number;
  /** Real time, for claim liveness (default Date.now). */
  realNow?: () => number;
  /**
   * Replicas that must hold a claim or a `sent` mark before it counts (WAIT; default 0: no
   * replicas, nothing to wait for). `replicasToConfirm(config.redis)` in src/store/redis.ts.
   */
  waitReplicas?: number;
  /** How long WAIT may take (default 2 s; on loopback replication takes well under 1 ms). */
  waitTimeoutMs?: number;
}

/** How often a sender renews its claim while sending, and the default claim timeout. */
export const CLAIM_TIMEOUT_MS = 20_000;
/** How soon a claim that did not reach the replicas is tried again. */
const UNCONFIRMED_RETRY_MS = 2_000;

export class SentLog {
  private readonly claimTimeoutMs: number;
  private readonly now: () => number;
  private readonly realNow: () => number;
  private readonly waitReplicas: number;
  private readonly waitTimeoutMs: number;

  /** `redis` is a store client (createRedis), its keyPrefix isolating the namespace. */
  constructor(private readonly redis: Redis, options: SentLogOptions = {}) {
    this.claimTimeoutMs = options.claimTimeoutMs ?? CLAIM_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.realNow = options.realNow ?? Date.now;
    this.waitReplicas = options.waitReplicas ?? 0;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 2_000;
  }

  /**
   * Runs one script and, with replicas to wait for, WAIT after it in the same pipeline: on a
   * Cluster a pipeline goes to the node of its first key, so WAIT (which has no key) asks the
   * node that ran the script. Returns the script's reply and whether enough replicas hold it.
   */
  private async evalConfirmed(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<{ reply: unknown; confirmed: boolean }> {
    if (this.waitReplicas === 0) return { reply: await this.redis.eval(script, keys.length, ...keys, ...args), confirmed: true };
    const replies = (await this.redis.pipeline()
      .eval(script, keys.length, ...keys, ...args)
      .wait(this.waitReplicas, this.waitTimeoutMs)
      .exec()) ?? [];
    const [[scriptErr, reply] = [null, null], [waitErr, replicas] = [null, 0]] = replies;
    if (scriptErr) throw scriptErr;
    if (waitErr) throw waitErr;
    return { reply, confirmed: Number(replicas) >= this.waitReplicas };
  }

  /** How often the holder of a claim should renew it. */
  get renewEveryMs(): number {
    return Math.max(250, Math.floor(this.claimTimeoutMs / 4));
  }

  /** The holder of `token` is still sending `key`; false when the claim is no longer its own. */
  async renewClaim(key: string, token: string): Promise<boolean> {
    return (await this.redis.eval(RENEW_CLAIM, 1, KEYS.record(key), token, this.realNow())) === 1;
  }

  async claim(key: string, meta: ClaimMeta): Promise<ClaimResult> {
    const token = randomUUID();
    const { reply, confirmed } = await this.evalConfirmed(CLAIM, [KEYS.record(key), KEYS.index], [
      this.now(), this.claimTimeoutMs, token, key, meta.messageId, meta.to, meta.subject, meta.kind,
      meta.text ?? '', meta.html ?? '', meta.inReplyTo ?? '', JSON.stringify(meta.references ?? []), this.realNow()]);
    const [outcome, value, attempt] = reply as [string, string, string];
    if (outcome === 'claimed' && !confirmed) {
      await this.markFailed(key, 'the claim did not reach the Redis replicas in time', false, token);
      return { outcome: 'unconfirmed', retryAt: this.realNow() + UNCONFIRMED_RETRY_MS };
    }
    if (outcome === 'claimed') return { outcome, token, messageId: value, attempt: Number(attempt) };
    if (outcome === 'busy') return { outcome, retryAt: Number(value) };
    const record = await this.get(key);
    if (record && (outcome === 'sent' || outcome === 'failed' || outcome === 'suppressed')) return { outcome, record };
    throw new Error(`sent log: unexpected claim reply ${outcome} for ${key}`);
  }

  /**
   * The email is out. Returns false when the mark did not reach `waitReplicas` replicas in time
   * (it stands on the master; the caller marks again, harmlessly, until it is confirmed).
   */
  async markSent(key: string, info: { accepted: string[]; response: string }): Promise<boolean> {
    const { confirmed } = await this.evalConfirmed(MARK_SENT, [KEYS.record(key), KEYS.index],
      [this.now(), JSON.stringify(info.accepted), info.response, key]);
    return confirmed;
  }

  /**
   * Permanent: the email is undeliverable (shown to staff). Transient: the claim `token`
   * held is released so a retry can claim again at once. Returns false if nothing changed
   * (already sent, or someone else's claim).
   */
  async markFailed(key: string, reason: string, permanent: boolean, token = ''): Promise<boolean> {
    const changed = await this.redis.eval(FAIL, 2, KEYS.record(key), KEYS.index,
      this.now(), reason.slice(0, 1000), permanent ? '1' : '0', token, key);
    return changed === 1;
  }

  /**
   * Staff: this email must never go out. Works before any claim (the record is created
   * with what the caller knows of it) and on a retrying one; 'ok' when it is now suppressed.
   * `also`: list entries written in the same step, only when it is (the audit entry).
   */
  async suppress(
    key: string,
    meta: { to?: string; subject?: string; kind?: string } = {},
    also: readonly ListPush[] = [],
  ): Promise<SuppressResult> {
    return (await this.redis.eval(SUPPRESS, 2 + also.length, KEYS.record(key), KEYS.index, ...also.map((p) => p.key),
      this.now(), this.claimTimeoutMs, key, meta.to ?? '', meta.subject ?? '', meta.kind ?? '', this.realNow(),
      ...also.flatMap((p) => [p.end, p.value, p.cap === undefined ? '' : String(p.cap)]))) as SuppressResult;
  }

  /** Writes a record as it was (`shenbao rebuild`, from the file store's sent copies); never claims or sends. */
  async restore(record: SentRecord): Promise<void> {
    const fields: Record<string, string | number> = {
      key: record.key, state: record.state, messageId: record.messageId, to: record.to, subject: record.subject, kind: record.kind,
      attempts: record.attempts, createdAt: record.createdAt, updatedAt: record.updatedAt,
      accepted: JSON.stringify(record.accepted), references: JSON.stringify(record.references ?? []),
    };
    const optional = { claimedAt: record.claimedAt, sentAt: record.sentAt, response: record.response, lastError: record.lastError, text: record.text, html: record.html, inReplyTo: record.inReplyTo, resends: record.resends };
    for (const [k, v] of Object.entries(optional)) if (v !== null && v !== undefined) fields[k] = v;
    await this.redis.multi().del(KEYS.record(record.key)).hset(KEYS.record(record.key), fields).zadd(KEYS.index, record.updatedAt, record.key).exec();
  }

  /** Counts one more staff resend of `key`; returns its number (1 for the first). */
  async nextResend(key: string): Promise<number> {
    return this.redis.hincrby(KEYS.record(key), 'resends', 1);
  }

  async get(key: string): Promise<SentRecord | null> {
    const h = await this.redis.hgetall(KEYS.record(key));
    return h.state ? toRecord(h) : null;
  }

  /** Newest change first; `state` filters (e.g. 'failed' for the staff's list of undeliverable mail). */
  async list(options: { state?: SentState; limit?: number } = {}): Promise<SentRecord[]> {
    const limit = options.limit ?? 500;
    const keys = await this.redis.zrevrange(KEYS.index, 0, options.state ? -1 : limit - 1);
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hgetall(KEYS.record(key));
    const replies = (await pipeline.exec()) ?? [];
    const records: SentRecord[] = [];
    for (const [err, h] of replies) {
      if (err) throw err;
      const hash = h as Record<string, string>;
      if (!hash.state) continue;
      const record = toRecord(hash);
      if (!options.state || record.state === options.state) records.push(record);
      if (records.length >= limit) break;
    }
    return records;
  }

  /**
   * Every record (for the staff report), without the email bodies: only the fields a report
   * needs, read with HMGET through `sent:index` in pipelined batches, so thousands of records
   * neither hold their texts in memory nor take one round trip each. Oldest change first.
   */
  async all(batchSize = 1000): Promise<SentRecord[]> {
    const keys = await this.redis.zrange(KEYS.index, '0', '-1');
    const out: SentRecord[] = [];
    for (let i = 0; i < keys.length; i += batchSize) {
      const pipeline = this.redis.pipeline();
      for (const key of keys.slice(i, i + batchSize)) pipeline.hmget(KEYS.record(key), ...BRIEF_FIELDS);
      for (const [err, values] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        const hash: Record<string, string> = {};
        (values as (string | null)[]).forEach((v, n) => { if (v !== null) hash[BRIEF_FIELDS[n] as string] = v; });
        if (hash.state) out.push(toRecord(hash));
      }
    }
    return out;
  }
}

/** The fields `all()` reads: everything but the texts, HTML and SMTP replies. */
const BRIEF_FIELDS = ['key', 'state', 'messageId', 'to', 'subject', 'kind', 'attempts', 'createdAt', 'updatedAt', 'claimedAt', 'sentAt', 'lastError'] as const;

function toRecord(h: Record<string, string>): SentRecord {
  const num = (v: string | undefined): number | null => (v === undefined || v === '' ? null : Number(v));
  return {
    key: h.key ?? '',
    state: h.state as SentState,
    messageId: h.messageId ?? '',
    to: h.to ?? '',
    subject: h.subject ?? '',
    kind: h.kind ?? '',
    attempts: num(h.attempts) ?? 0,
    createdAt: num(h.createdAt) ?? 0,
    updatedAt: num(h.updatedAt) ?? 0,
    claimedAt: num(h.claimedAt),
    sentAt: num(h.sentAt),
    accepted: h.accepted ? (JSON.parse(h.accepted) as string[]) : [],
    response: h.response ?? null,
    lastError: h.lastError ?? null,
    text: h.text ? h.text : null,
    html: h.html ? h.html : null,
    inReplyTo: h.inReplyTo ? h.inReplyTo : null,
    references: h.references ? (JSON.parse(h.references) as string[]) : [],
    resends: num(h.resends) ?? 0,
  };
}
