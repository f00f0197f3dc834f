/**
 * What the intake has seen and done, in Redis:
 * - the UID cursor per (mailbox, UIDVALIDITY): new mail is found by UID, never by \Seen;
 * - one record per processed message, keyed (mailbox, UIDVALIDITY, uid), with indexes by
 *   Message-ID and by content hash so a rescan (UIDVALIDITY change) or a second copy of the
 *   same message is not folded twice;
 * - the messages that failed after retries, and the automatic messages, listed for staff.
 * UIDVALIDITY is a bigint in imapflow: it is kept as a decimal string everywhere.
 */
import type { Redis } from 'ioredis';
import type { Application } from '../domain/application';
import type { ApplicationStore } from './applications';
import { boundedKeyPart, type IndexRetention } from './bounded';

export interface MessageRef {
  mailbox: string;
  uidValidity: string;
  uid: number;
}

/** `INBOX/1700000000/42`: the stable name of one message in one mailbox generation. */
export function messageKey(ref: MessageRef): string {
  return `${ref.mailbox}/${ref.uidValidity}/${ref.uid}`;
}

export type IntakeOutcome = 'folded' | 'automatic' | 'duplicate';

/** Written once per message, in the same transaction as the application it changed. */
export interface DoneRecord {
  ref: MessageRef;
  outcome: IntakeOutcome;
  applicationId: string | null;
  messageId: string | null;
  sha256: string;
  /** What was planned to be sent for this message: re-enqueued as is after a crash (idempotent by key). */
  planned: unknown[];
  at: string;
  /** Another message had this Message-ID with other content: processed, flagged for staff. */
  messageIdReused?: boolean;
}

export interface FailedRecord {
  ref: MessageRef;
  messageId: string | null;
  sha256: string | null;
  error: string;
  attempts: number;
  at: string;
}

export interface AutomaticRecord {
  ref: MessageRef;
  messageId: string | null;
  from: string | null;
  subject: string;
  reason: string;
  arrivedAt: string;
}

/** What IntakeLog.saveFold writes. */
export interface FoldSave {
  done: DoneRecord;
  automatic?: AutomaticRecord;
  application?: { apps: ApplicationStore; app: Application; changedAtMs: number };
}

export const INTAKE_KEYS = {
  done: 'intake:done',
  byMessageId: 'intake:by-message-id',
  byHash: 'intake:by-hash',
  failed: 'intake:failed',
  automatic: 'intake:automatic',
  rebuildCursor: 'intake:rebuild-cursor',
  cursor: (mailbox: string, uidValidity: string) => `imap:cursor:${mailbox}:${uidValidity}`,
  generation: (mailbox: string) => `imap:uidvalidity:${mailbox}`,
} as const;

// Raise only: a late writer can never move the cursor back.
const ADVANCE = `local c = tonumber(redis.call('get', KEYS[1]) or '0') if tonumber(ARGV[1]) > c then redis.call('set', KEYS[1], ARGV[1]) return 1 end return 0`;

/** A Message-ID is applicant input (up to the header limit): bounded as an index field. */
const messageIdField = (id: string) => boundedKeyPart(id);

export class IntakeLog {
  constructor(private readonly redis: Redis, private readonly retention: IndexRetention = {}) {}

  async lastUid(mailbox: string, uidValidity: string): Promise<number> {
    const v = await this.redis.get(INTAKE_KEYS.cursor(mailbox, uidValidity));
    return v === null ? 0 : Number(v);
  }

  async advance(mailbox: string, uidValidity: string, uid: number): Promise<void> {
    await this.redis.eval(ADVANCE, 1, INTAKE_KEYS.cursor(mailbox, uidValidity), String(uid));
  }

  /** Records the mailbox's current UIDVALIDITY; returns the one seen before (null the first time). */
  async swapGeneration(mailbox: string, uidValidity: string): Promise<string | null> {
    const key = INTAKE_KEYS.generation(mailbox);
    const before = await this.redis.get(key);
    if (before !== uidValidity) await this.redis.set(key, uidValidity);
    return before;
  }

  async done(ref: MessageRef): Promise<DoneRecord | null> {
    const v = await this.redis.hget(INTAKE_KEYS.done, messageKey(ref));
    return v === null ? null : (JSON.parse(v) as DoneRecord);
  }

  /** The key of the message already processed with this Message-ID or this content, if any. */
  async seenElsewhere(messageId: string | null, sha256: string | null): Promise<string | null> {
    if (messageId) {
      const k = await this.redis.hget(INTAKE_KEYS.byMessageId, messageIdField(messageId));
      if (k !== null) return k;
    }
    if (sha256) return this.redis.hget(INTAKE_KEYS.byHash, sha256);
    return null;
  }

  async knowsMessageId(messageId: string): Promise<boolean> {
    return (await this.redis.hexists(INTAKE_KEYS.byMessageId, messageIdField(messageId))) === 1;
  }

  /** Adds the done record and its indexes to a transaction the caller executes. */
  writeDone(multi: ReturnType<Redis['multi']>, rec: DoneRecord): void {
    const key = messageKey(rec.ref);
    multi.hset(INTAKE_KEYS.done, key, JSON.stringify(rec));
    if (rec.messageId) multi.hsetnx(INTAKE_KEYS.byMessageId, messageIdField(rec.messageId), key);
    multi.hsetnx(INTAKE_KEYS.byHash, rec.sha256, key);
    const ttl = this.retention.indexTtlSeconds?.();
    if (ttl) for (const k of [INTAKE_KEYS.byMessageId, INTAKE_KEYS.byHash]) multi.expire(k, ttl);
    multi.hdel(INTAKE_KEYS.failed, key);
  }

  /**
   * The end of one message's fold, in one transaction: its done record (with the emails it
   * planned), and the application it changed or the automatic-message record it left. Either
   * all of it is saved or none: a message is folded at most once, whatever crashes.
   */
  async saveFold(save: FoldSave): Promise<void> {
    const multi = this.redis.multi();
    if (save.application) save.application.apps.writeApplication(multi, save.application.app, save.application.changedAtMs);
    if (save.automatic) this.writeAutomatic(multi, save.automatic);
    this.writeDone(multi, save.done);
    const res = await multi.exec();
    const failed = res === null ? 'transaction aborted' : res.find(([err]) => err)?.[0];
    if (failed) throw new Error(`saving message ${messageKey(save.done.ref)} failed: ${String(failed)}`);
  }

  writeAutomatic(multi: ReturnType<Redis['multi']>, rec: AutomaticRecord): void {
    multi.hset(INTAKE_KEYS.automatic, messageKey(rec.ref), JSON.stringify(rec));
  }

  async markFailed(rec: FailedRecord): Promise<void> {
    await this.redis.hset(INTAKE_KEYS.failed, messageKey(rec.ref), JSON.stringify(rec));
  }

  async failed(): Promise<FailedRecord[]> {
    return Object.values(await this.redis.hgetall(INTAKE_KEYS.failed)).map((v) => JSON.parse(v) as FailedRecord);
  }

  /** The failed record of one message, by its messageKey (`INBOX/<uidvalidity>/<uid>`). */
  async failedOne(key: string): Promise<FailedRecord | null> {
    const v = await this.redis.hget(INTAKE_KEYS.failed, key);
    return v === null ? null : (JSON.parse(v) as FailedRecord);
  }

  /** How many messages failed for good (the list page's count: no record is read). */
  failedCount(): Promise<number> {
    return this.redis.hlen(INTAKE_KEYS.failed);
  }

  async automatic(): Promise<AutomaticRecord[]> {
    return Object.values(await this.redis.hgetall(INTAKE_KEYS.automatic)).map((v) => JSON.parse(v) as AutomaticRecord);
  }

  /** `shenbao rebuild`: how many journal lines were replayed (a rebuild interrupted resumes there). */
  async rebuildCursor(): Promise<number> {
    return Number((await this.redis.get(INTAKE_KEYS.rebuildCursor)) ?? 0);
  }

  async setRebuildCursor(n: number): Promise<void> {
    await this.redis.set(INTAKE_KEYS.rebuildCursor, String(n));
  }

  async doneCount(): Promise<number> {
    return this.redis.hlen(INTAKE_KEYS.done);
  }
}
