/**
 * Applications in Redis: one JSON document per application, plus the indexes that find the
 * application an email belongs to (company key, sender address) and the "changed" list the
 * staff digest reads. Writes go through a transaction the caller builds, so an application
 * and the intake record of the email that changed it are saved together or not at all.
 */
import type { Redis } from 'ioredis';
import type { Application } from '../domain/application';
import type { AuditEntry } from '../domain/staff';
import { writeAudit } from './audit';
import { boundedKeyPart, type IndexRetention } from './bounded';

export const APP_KEYS = {
  doc: (id: string) => `app:${id}`,
  all: 'app:all',
  seq: 'app:seq',
  byCompany: 'app:by-company',
  byAddress: 'app:by-address',
  /** id → ms of the last change: the digest lists what changed since its last run. */
  changed: 'app:changed',
} as const;

// Raise only: a number handed out is never handed out again.
const RAISE = `local c = tonumber(redis.call('get', KEYS[1]) or '0') if tonumber(ARGV[1]) > c then redis.call('set', KEYS[1], ARGV[1]) end return 1`;

/** Index fields from applicant input (addresses, company keys), bounded in length (src/store/bounded). */
const addressField = (a: string) => boundedKeyPart(a.toLowerCase());
const companyField = (k: string) => boundedKeyPart(k);

export class ApplicationStore {
  constructor(private readonly redis: Redis, private readonly retention: IndexRetention = {}) {}

  /** Next application number: `<prefix><4 digits>`, e.g. `SB2023-0042`. */
  async nextId(prefix: string): Promise<string> {
    const n = await this.redis.incr(APP_KEYS.seq);
    return `${prefix}${String(n).padStart(4, '0')}`;
  }

  async get(id: string): Promise<Application | null> {
    const v = await this.redis.get(APP_KEYS.doc(id));
    return v === null ? null : (JSON.parse(v) as Application);
  }

  /**
   * The live application `id` is or was merged into (staff merges leave the source as a
   * pointer, `mergedInto`): what an email naming a merged number, or an index entry, must reach.
   */
  async resolve(id: string): Promise<Application | null> {
    let app = await this.get(id);
    for (let hops = 0; app?.mergedInto && hops < 10; hops++) app = await this.get(app.mergedInto);
    return app?.mergedInto ? null : app;
  }

  async byCompany(companyKey: string): Promise<Application | null> {
    const id = await this.redis.hget(APP_KEYS.byCompany, companyField(companyKey));
    return id === null ? null : this.resolve(id);
  }

  async byAddress(address: string): Promise<Application | null> {
    const id = await this.redis.hget(APP_KEYS.byAddress, addressField(address));
    return id === null ? null : this.resolve(id);
  }

  /** Every application, in the order they were created. */
  async all(): Promise<Application[]> {
    const ids = await this.redis.zrange(APP_KEYS.all, '0', '-1');
    if (ids.length === 0) return [];
    const docs = await this.redis.mget(ids.map(APP_KEYS.doc));
    return docs.filter((d): d is string => d !== null).map((d) => JSON.parse(d) as Application);
  }

  /** Every application that is not a pointer to another (merged by staff), in creation order. */
  async live(): Promise<Application[]> {
    return (await this.all()).filter((a) => !a.mergedInto);
  }

  /** Ids changed at or after `sinceMs`. */
  async changedSince(sinceMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(APP_KEYS.changed, String(sinceMs), '+inf');
  }

  /** Adds the save of `app` and its indexes to a transaction the caller executes. */
  writeApplication(multi: ReturnType<Redis['multi']>, app: Application, changedAtMs: number): void {
    multi.set(APP_KEYS.doc(app.id), JSON.stringify(app));
    multi.zadd(APP_KEYS.all, 'NX', Date.parse(app.createdAt), app.id);
    multi.zadd(APP_KEYS.changed, changedAtMs, app.id);
    if (app.companyKey) multi.hset(APP_KEYS.byCompany, companyField(app.companyKey), app.id);
    for (const a of app.addresses) multi.hset(APP_KEYS.byAddress, addressField(a), app.id);
    // The indexes live until the campaign's end plus its retention (refreshed by every write).
    const ttl = this.retention.indexTtlSeconds?.();
    if (ttl) for (const k of [APP_KEYS.byCompany, APP_KEYS.byAddress]) multi.expire(k, ttl);
  }

  /** `shenbao rebuild`: the next number will be above `n` (numbers given back from the journal are taken). */
  async raiseSeq(n: number): Promise<void> {
    await this.redis.eval(RAISE, 1, APP_KEYS.seq, String(n));
  }

  /** `shenbao rebuild`: a staff change replayed from the journal, the application and its audit entry together. */
  async saveReplayed(app: Application, changedAtMs: number, audit: AuditEntry): Promise<void> {
    const multi = this.redis.multi();
    this.writeApplication(multi, app, changedAtMs);
    writeAudit(multi, audit);
    const res = await multi.exec();
    const failed = res === null ? 'transaction aborted' : res.find(([err]) => err)?.[0];
    if (failed) throw new Error(`replaying ${audit.action} on ${app.id} failed: ${String(failed)}`);
  }

  /**
   * The deep phase's findings on an application's scans (src/intake/deep.ts): the application
   * alone, marked changed (the dashboard follows `changed`), under the caller's fold lock. Not
   * its index entries: its company and addresses did not change, and rewriting them would point
   * a company shared with a held-apart application back at this one (the fold leaves it at the
   * last one saved, as `shenbao rebuild` does).
   */
  async saveDeep(app: Application, changedAtMs: number): Promise<void> {
    const multi = this.redis.multi();
    multi.set(APP_KEYS.doc(app.id), JSON.stringify(app));
    multi.zadd(APP_KEYS.changed, changedAtMs, app.id);
    const res = await multi.exec();
    const failed = res === null ? 'transaction aborted' : res.find(([err]) => err)?.[0];
    if (failed) throw new Error(`saving the deep reading of ${app.id} failed: ${String(failed)}`);
  }

  /** Adds index entries (company keys, addresses) pointing to `id` to the caller's transaction (after a merge). */
  pointIndexes(multi: ReturnType<Redis['multi']>, id: string, entries: { companyKeys: readonly string[]; addresses: readonly string[] }): void {
    for (const k of entries.companyKeys) multi.hset(APP_KEYS.byCompany, companyField(k), id);
    for (const a of entries.addresses) multi.hset(APP_KEYS.byAddress, addressField(a), id);
  }

  /**
   * Adds to the caller's transaction the removal of those `entries` that still point to `id`
   * (an email moved away took its sender and its company with it). The caller holds the
   * fold lock, so what is read here does not change before the transaction runs.
   */
  async dropIndexes(multi: ReturnType<Redis['multi']>, id: string, entries: { companyKeys: readonly string[]; addresses: readonly string[] }): Promise<void> {
    for (const k of entries.companyKeys.map(companyField)) if ((await this.redis.hget(APP_KEYS.byCompany, k)) === id) multi.hdel(APP_KEYS.byCompany, k);
    for (const a of entries.addresses.map(addressField)) if ((await this.redis.hget(APP_KEYS.byAddress, a)) === id) multi.hdel(APP_KEYS.byAddress, a);
  }
}
