/**
 * The intake journal: an append-only file in the file store, STORAGE_DIR/journal/events.jsonl,
 * one JSON line per change to the applications, in the order they were made. It is what
 * `shenbao rebuild` replays after Redis is lost (with the raw mail and the sent copies beside
 * it), so it keeps what the mailbox alone cannot say:
 *   - `fold`: which message was folded when (shenbao's clock) into which application number —
 *     numbers follow the order emails finished parsing, not their UIDs, and the processing time
 *     decides follow-up slots;
 *   - `staff`: every staff action's audit entry with what it changed (the overlay it left, or
 *     StaffOp: the merge, the move, the suppressed record, the resend) — the audit trail's
 *     copy outside Redis.
 * Lines are appended under the fold lock (the intake and staff actions hold it), so the file's
 * order is the order of the changes; a line is written before its Redis transaction (a
 * suppression's just after its one Lua step: it records the result), so a
 * change is never in Redis without its line (a line whose transaction then failed is followed by
 * the retry's line: the last line per message wins). A write that fails (disk full) fails the
 * fold, which is retried: the message stays unprocessed until the space is back.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { StaffOverlay, AuditEntry } from '../domain/staff';
import type { FailedRecord, MessageRef } from './intake-log';
import type { SentRecord } from './sent-log';

export interface FoldLine {
  type: 'fold';
  ref: MessageRef;
  sha256: string;
  /** Shenbao's clock when it was folded. */
  at: string;
  internalDate: string | null;
  outcome: 'folded' | 'automatic' | 'duplicate';
  applicationId: string | null;
}

/**
 * What a rebuild needs to redo an action beyond its audit entry:
 *   - `merge`, `move-email`: which applications (and which email): re-run by StaffActions at
 *     the entry's time on the rebuilt store, whose state then is the state the action saw;
 *   - `suppress`: the sent-log record as the suppression left it (its times are the sent log's);
 *   - `resend`: the key resent and the copy's number (the record's `resends` counter).
 * Send-status and reprocess leave only their entry (the emails they caused have sent copies;
 * a reprocessed message has its own fold line).
 */
export type StaffOp =
  | { op: 'merge'; targetId: string; sourceId: string }
  | { op: 'move-email'; fromId: string; emailIndex: number; toId: string }
  | { op: 'suppress'; record: SentRecord }
  | { op: 'resend'; key: string; n: number };

export interface StaffLine {
  type: 'staff';
  audit: AuditEntry;
  /** The application's staff overlay after the action (waive, correct, kinds, notes). */
  staff?: StaffOverlay;
  /** The other entries the action wrote (merge: merged-into; move: move-email-in). */
  also?: AuditEntry[];
  op?: StaffOp;
}

/** A message failed for good (listed for staff, flagged failed in the mailbox). */
export interface FailedLine {
  type: 'failed';
  record: FailedRecord;
}

export type JournalLine = FoldLine | StaffLine | FailedLine;

export class Journal {
  readonly file: string;
  constructor(storageDir: string) {
    this.file = path.join(storageDir, 'journal', 'events.jsonl');
  }

  async append(line: JournalLine): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    // One write per line with O_APPEND: lines never interleave, even from several processes.
    await appendFile(this.file, `${JSON.stringify(line)}\n`, { flag: 'a' });
  }

  /** Every line, oldest first (a torn last line, from a crash mid-write, is skipped). */
  async read(): Promise<JournalLine[]> {
    const text = await readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    const lines: JournalLine[] = [];
    for (const l of text.split('\n')) {
      if (l.trim() === '') continue;
      try {
        lines.push(JSON.parse(l) as JournalLine);
      } catch {
        // torn write at the end
      }
    }
    return lines;
  }
}
