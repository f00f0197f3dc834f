/**
 * The total work one email may cause (issue 8 §3): how many documents are read (each archive
 * member counts, so an archive inside an archive does too) and by when the whole email must
 * be done. What is beyond it is not read, and says so: a record with a coded error that staff
 * and the receipt show ("超出单封邮件的处理上限，未读取"), never a silent drop.
 */
import { createHash } from 'node:crypto';
import type { DocumentRecord } from '../domain/document';
import { DocumentFailure } from './failure';
import { buildRecord } from './record';
import { formatOf, sniff } from './sniff';

export interface EmailLimits {
  /** documents read per email, archive members included */
  documents: number;
  /** levels of forwarded emails opened */
  nestingDepth: number;
  /** wall time for the whole email: reading the MIME and every document */
  seconds: number;
}

export const OVER_BUDGET_ZH = '超出单封邮件的处理上限，未读取';

/** Not-read records beyond this many are folded into one that counts them (the record list stays small). */
export const NAMED_UNREAD = 20;

export function overBudget(detail: string): DocumentFailure {
  return new DocumentFailure('TOO_LARGE', `Not read: beyond the per-email limit (${detail})`, OVER_BUDGET_ZH);
}

export class EmailBudget {
  /** epoch ms (wall clock, not domain time): nothing starts after it, what runs is ended at it */
  readonly deadline: number;
  private used = 0;

  constructor(
    readonly limits: EmailLimits,
    startedAt: number = Date.now(),
  ) {
    this.deadline = startedAt + limits.seconds * 1000;
  }

  /** One more document may be read: true, and it is counted; false once the count is spent. */
  claim(): boolean {
    if (this.used >= this.limits.documents) return false;
    this.used++;
    return true;
  }

  get documentsRead(): number {
    return this.used;
  }

  countDetail(): string {
    return `${this.limits.documents} documents per email`;
  }

  timeDetail(): string {
    return `${this.limits.seconds} s per email`;
  }
}

export function isOverBudget(record: DocumentRecord): boolean {
  return record.error?.messageZh === OVER_BUDGET_ZH;
}

/** The record of a file that was not read because the email's budget was spent. */
export function overBudgetRecord(file: string, bytes: Uint8Array, detail: string): DocumentRecord {
  const failure = overBudget(detail);
  return buildRecord({ file, format: formatOf(sniff(bytes), file), content: null, textLayer: false, ocrText: null, error: failure.toError() }, bytes);
}

/**
 * The first NAMED_UNREAD not-read records stay as they are; the rest become one record that
 * counts them, so 3,000 attachments cannot make 3,000 entries in the application and receipt.
 */
export function collapseUnread(records: DocumentRecord[]): DocumentRecord[] {
  const unread = records.filter(isOverBudget);
  if (unread.length <= NAMED_UNREAD) return records;
  const rest = new Set(unread.slice(NAMED_UNREAD));
  const size = [...rest].reduce((n, r) => n + r.size, 0);
  const summary: DocumentRecord = {
    file: `其余 ${rest.size} 个文件（${rest.size} more files）`,
    format: 'other',
    kind: 'other',
    textLayer: false,
    form: null,
    error: overBudget(`${rest.size} more files`).toError(),
    sha256: createHash('sha256').update(`over-budget:${[...rest].map((r) => r.sha256).join(',')}`).digest('hex'),
    size,
  };
  return [...records.filter((r) => !rest.has(r)), summary];
}
