/**
 * `shenbao rebuild`: the store writes that redo a journalled staff action which changed no
 * application (src/store/journal.ts StaffOp) — its audit entries, and what it left in the
 * sent log. Merges, moves and overlay changes are redone by StaffActions and
 * ApplicationStore.saveReplayed; these are the rest.
 */
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../domain/staff';
import { AUDIT_KEYS, writeAudit } from './audit';
import { SENT_KEYS, type SentLog, type SentRecord } from './sent-log';

async function exec(multi: ReturnType<Redis['multi']>, what: string): Promise<void> {
  const res = await multi.exec();
  const failed = res === null ? 'transaction aborted' : res.find(([err]) => err)?.[0];
  if (failed) throw new Error(`replaying ${what} failed: ${String(failed)}`);
}

/** Entries of an action whose only write was its entry (send-status, reprocess). */
export async function replayAuditOnly(redis: Redis, audit: AuditEntry): Promise<void> {
  const multi = redis.multi();
  writeAudit(multi, audit);
  await exec(multi, audit.action);
}

/** A suppression: the record as it left it, then its entry. */
export async function replaySuppress(redis: Redis, sentLog: SentLog, record: SentRecord, audit: AuditEntry): Promise<void> {
  await sentLog.restore(record);
  await replayAuditOnly(redis, audit);
}

/**
 * A resend: the record's copy counter set to the copy's number (set, not incremented: a
 * resumed rebuild may redo the line) when the record is there (restored from its sent
 * copy), then the entry. The copy itself was an email of its own, restored from its sent copy.
 */
export async function replayResend(redis: Redis, key: string, n: number, audit: AuditEntry): Promise<void> {
  const known = (await redis.hexists(SENT_KEYS.record(key), 'state')) === 1;
  const multi = redis.multi();
  if (known) multi.hset(SENT_KEYS.record(key), 'resends', n);
  writeAudit(multi, audit);
  await exec(multi, `resend of ${key}`);
}

/**
 * Is `entry` the newest entry of the trail? A resumed rebuild asks it of the line at its
 * cursor: one whose change and entries were written (one transaction) before the run was
 * interrupted, but whose cursor was not, is done already.
 */
export async function newestAuditIs(redis: Redis, entry: AuditEntry): Promise<boolean> {
  return (await redis.lindex(AUDIT_KEYS.recent, 0)) === JSON.stringify(entry);
}
