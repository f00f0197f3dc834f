/**
 * The audit trail of staff actions: who, when, what, why. One list per application,
 * `audit:<appId>` (oldest first, JSON entries), and one global list of the most recent
 * entries, `audit:recent` (newest first, capped). Entries are only ever added, and always
 * in the transaction that makes the change they describe (writeAudit takes the caller's
 * MULTI), so there is no change without its entry and no entry without its change.
 */
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../domain/staff';

export const AUDIT_KEYS = {
  app: (appId: string) => `audit:${appId}`,
  recent: 'audit:recent',
} as const;

/** How many entries the global recent list keeps. */
export const RECENT_AUDIT_LIMIT = 2000;

/**
 * Adds `entry` to a transaction the caller executes. An entry about no application (a failed
 * mail reprocessed before it had one, the staff digest) goes to the recent list only.
 */
export function writeAudit(multi: ReturnType<Redis['multi']>, entry: AuditEntry): void {
  for (const p of auditPushes(entry)) {
    if (p.end === 'tail') multi.rpush(p.key, p.value);
    else multi.lpush(p.key, p.value);
    if (p.cap !== undefined) multi.ltrim(p.key, 0, p.cap - 1);
  }
}

export interface ListPush {
  key: string;
  value: string;
  end: 'head' | 'tail';
  /** Keep only this many entries from the head. */
  cap?: number;
}

/** The list writes of one entry, for a Lua step that must write it atomically with its change (SentLog.suppress). */
export function auditPushes(entry: AuditEntry): ListPush[] {
  const value = JSON.stringify(entry);
  const pushes: ListPush[] = entry.applicationId !== '' ? [{ key: AUDIT_KEYS.app(entry.applicationId), value, end: 'tail' }] : [];
  return [...pushes, { key: AUDIT_KEYS.recent, value, end: 'head', cap: RECENT_AUDIT_LIMIT }];
}

export class AuditLog {
  constructor(private readonly redis: Redis) {}

  /** An application's trail, oldest first. */
  async list(appId: string): Promise<AuditEntry[]> {
    const items = await this.redis.lrange(AUDIT_KEYS.app(appId), 0, -1);
    return items.map((s) => JSON.parse(s) as AuditEntry);
  }

  /** The latest entries over all applications, newest first. */
  async recent(limit = 100): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    const items = await this.redis.lrange(AUDIT_KEYS.recent, 0, Math.min(limit, RECENT_AUDIT_LIMIT) - 1);
    return items.map((s) => JSON.parse(s) as AuditEntry);
  }
}
