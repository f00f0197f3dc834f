/**
 * The dashboard's in-process copy of every application and sent-log record, kept fresh
 * incrementally: each refresh reads only the scores of `app:changed` and `sent:index` (ms of
 * each id's last change), fetches the ids whose score moved, and re-derives their entry with
 * the caller's function (judging, report row …; this module knows nothing of rules). A page
 * therefore never parses 5,000 applications per request.
 *
 * Scores are compared for equality, not against a clock, so writers on other clocks (a worker
 * started with --now) are seen too. Two writes in the same millisecond would share a score:
 * whoever writes through this process calls `invalidate(id)` to be sure.
 */
import type { Redis } from 'ioredis';
import type { Application } from '../domain/application';
import { APP_KEYS } from './applications';
import { SENT_KEYS, type SentLog, type SentRecord } from './sent-log';

const CHUNK = 500;

/** `SB2023-0042:receipt:…` → `SB2023-0042`; the staff digest (`staff:digest:…`) belongs to no application. */
export function applicationOfKey(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(0, i);
}

function pairs(flat: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i] as string, Number(flat[i + 1]));
  return out;
}

export interface CacheStats {
  applicationsFetched: number;
  sentFetched: number;
  derived: number;
  ms: number;
}

export class DashboardCache<T> {
  private readonly appScores = new Map<string, number>();
  private readonly sentScores = new Map<string, number>();
  private readonly apps = new Map<string, Application>();
  private readonly sentByKey = new Map<string, SentRecord>();
  private readonly sentByApp = new Map<string, SentRecord[]>();
  private readonly derived = new Map<string, T | null>();
  private ordered: T[] = [];
  private running: Promise<CacheStats> | null = null;
  private queued: Promise<CacheStats> | null = null;

  /** `derive` returns null for an application the list leaves out (merged ones). */
  constructor(
    private readonly redis: Redis,
    private readonly sentLog: SentLog,
    private readonly derive: (app: Application, sent: readonly SentRecord[]) => T | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Brings the cache up to date; concurrent callers share one pass (one more is queued behind a running one). */
  refresh(): Promise<CacheStats> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running.catch(() => undefined).then(() => {
      this.queued = null;
      return this.refresh();
    });
    return this.queued;
  }

  /** Forgets what is known of `id`, so the next refresh fetches it whatever its score. */
  invalidate(id: string): void {
    this.appScores.delete(id);
  }

  /** Entries of every application, in creation order (derive's nulls left out). */
  entries(): readonly T[] {
    return this.ordered;
  }

  application(id: string): Application | null {
    return this.apps.get(id) ?? null;
  }

  /** Sent-log records of one application (keys `${id}:…`), oldest first. */
  sentFor(id: string): readonly SentRecord[] {
    return this.sentByApp.get(id) ?? [];
  }

  /** How many sent-log records failed for good (5xx). */
  failedSentCount(): number {
    let n = 0;
    for (const r of this.sentByKey.values()) if (r.state === 'failed') n++;
    return n;
  }

  /** Every sent-log record (the digest's too), newest change first. */
  allSent(): SentRecord[] {
    return [...this.sentByKey.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  private async run(): Promise<CacheStats> {
    const started = this.now();
    const [appFlat, sentFlat] = await Promise.all([
      this.redis.zrange(APP_KEYS.changed, '0', '-1', 'WITHSCORES'),
      this.redis.zrange(SENT_KEYS.index, '0', '-1', 'WITHSCORES'),
    ]);
    const appNow = pairs(appFlat);
    const sentNow = pairs(sentFlat);
    const touched = new Set<string>();

    const changedApps = [...appNow].filter(([id, s]) => this.appScores.get(id) !== s).map(([id]) => id);
    for (const id of [...this.apps.keys()]) if (!appNow.has(id)) { this.apps.delete(id); this.appScores.delete(id); touched.add(id); }
    for (let i = 0; i < changedApps.length; i += CHUNK) {
      const ids = changedApps.slice(i, i + CHUNK);
      const docs = await this.redis.mget(ids.map(APP_KEYS.doc));
      ids.forEach((id, n) => {
        const doc = docs[n];
        if (doc === null || doc === undefined) this.apps.delete(id);
        else this.apps.set(id, JSON.parse(doc) as Application);
        this.appScores.set(id, appNow.get(id) ?? 0);
        touched.add(id);
      });
    }

    const changedSent = [...sentNow].filter(([k, s]) => this.sentScores.get(k) !== s).map(([k]) => k);
    for (let i = 0; i < changedSent.length; i += CHUNK) {
      const keys = changedSent.slice(i, i + CHUNK);
      const records = await Promise.all(keys.map((k) => this.sentLog.get(k)));
      keys.forEach((k, n) => {
        const r = records[n];
        if (r) this.sentByKey.set(k, r);
        else this.sentByKey.delete(k);
        this.sentScores.set(k, sentNow.get(k) ?? 0);
        touched.add(applicationOfKey(k));
      });
    }
    if (changedSent.length > 0) this.regroupSent();

    let derived = 0;
    for (const id of touched) {
      const app = this.apps.get(id);
      if (!app) {
        if (this.derived.delete(id)) derived++;
        continue;
      }
      this.derived.set(id, this.derive(app, this.sentFor(id)));
      derived++;
    }
    if (derived > 0) this.reorder();
    return { applicationsFetched: changedApps.length, sentFetched: changedSent.length, derived, ms: this.now() - started };
  }

  private regroupSent(): void {
    this.sentByApp.clear();
    for (const r of this.sentByKey.values()) {
      const id = applicationOfKey(r.key);
      const list = this.sentByApp.get(id);
      if (list) list.push(r);
      else this.sentByApp.set(id, [r]);
    }
    for (const list of this.sentByApp.values()) list.sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : 1));
  }

  private reorder(): void {
    // Plain comparisons: ISO strings and ids order by code unit, and localeCompare costs ~10x.
    const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
    const ids = [...this.apps.values()].sort((a, b) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id)).map((a) => a.id);
    this.ordered = ids.map((id) => this.derived.get(id)).filter((e): e is T => e !== null && e !== undefined);
  }
}
