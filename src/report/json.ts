/**
 * The report as JSON for programs, in the shape of ../shared/spec/cli.md ("The report as
 * JSON"), with a few keys beyond it (Chinese labels, short phrases, counts):
 *
 *   { generatedAt, campaign, count, applications: [ {
 *       number, company, contact: { name, phone, email }, addresses,
 *       products: [ { name, category, categoryZh, releaseDate } ],
 *       firstArrival, lastActivity, deadline: { status }, deadlineZh, complete, completeZh,
 *       issues: [ { code, severity, message, phrase, path?, file?, count? } ],
 *       waived: [ { code, phrase, path?, file?, by, at, reason } ],
 *       documents: [ { file, kind, format, messageId, sha256 } ], documentCount, userReports,
 *       emails: [ { messageId, from, subject, receivedAt, automatic } ],
 *       sent: [ { kind, outboxKind, key, to, at, messageId, status } ], emailsSent,
 *       lastReceiptAt, lastReminderAt, failedSends, notes, possibleDuplicateOf, noReplyEmails } ],
 *     failedMails: [ { messageId, from, subject, receivedAt, reason } ] }
 *
 * Instants are ISO-8601 UTC; `sent[].kind` uses the spec's names (late, closed), `outboxKind` the outbox's.
 */
import { clean, cleanOrNull } from './clean';
import type { ReportRow } from './rows';

export interface FailedMail {
  messageId: string | null;
  from: string | null;
  subject: string | null;
  receivedAt: string | null;
  reason: string;
}

export interface ReportMeta {
  generatedAt: string;
  /** The campaign's name. */
  campaign: string;
  failedMails?: readonly FailedMail[];
}

const SPEC_KIND: Record<string, string> = { lateNotice: 'late', closedNotice: 'closed' };
/** The spec's statuses; an email not out yet (claimed, retrying) is held; staff's suppression is named as such. */
const specStatus = (state: string): 'sent' | 'failed' | 'held' | 'suppressed' =>
  state === 'sent' || state === 'failed' || state === 'suppressed' ? state : 'held';

function application(r: ReportRow) {
  return {
    number: r.id,
    company: r.company,
    contact: { name: r.contactName, phone: r.contactPhone, email: r.contactEmail },
    addresses: r.addresses,
    products: r.products,
    firstArrival: r.firstArrivedAt,
    lastActivity: r.updatedAt,
    deadline: { status: r.deadline },
    deadlineZh: r.deadlineZh,
    complete: r.complete,
    completeZh: r.completeZh,
    issues: r.issues,
    waived: r.waived.map(({ message: _m, ...w }) => w),
    documents: r.documentList.map(({ error: _e, ...d }) => d),
    documentCount: r.documents,
    userReports: r.userReports,
    emails: r.emailList.map((e) => ({ ...e, automatic: false })),
    sent: r.sent.map((s) => ({ kind: SPEC_KIND[s.kind] ?? s.kind, outboxKind: s.kind, key: s.key, to: s.to, at: s.at, messageId: s.messageId, status: specStatus(s.state) })),
    emailsSent: r.emails,
    lastReceiptAt: r.lastReceiptAt,
    lastReminderAt: r.lastReminderAt,
    failedSends: r.failedSends,
    notes: r.notes,
    possibleDuplicateOf: r.possibleDuplicateOf,
    noReplyEmails: r.noReplyEmails,
  };
}

export type ReportJsonApplication = ReturnType<typeof application>;

export interface ReportJson {
  generatedAt: string;
  campaign: string;
  count: number;
  applications: ReportJsonApplication[];
  failedMails: FailedMail[];
}

export function toJson(rows: readonly ReportRow[], meta: ReportMeta): ReportJson {
  return {
    generatedAt: meta.generatedAt,
    campaign: meta.campaign,
    count: rows.length,
    applications: rows.map(application),
    failedMails: (meta.failedMails ?? []).map((f) => ({
      messageId: cleanOrNull(f.messageId), from: cleanOrNull(f.from), subject: cleanOrNull(f.subject), receivedAt: f.receivedAt, reason: clean(f.reason),
    })),
  };
}

/**
 * The same document as `JSON.stringify(toJson(rows, meta), null, 2)`, as chunks of text, one
 * application at a time: the CLI writes each to its sink, so 5,000 applications never become
 * one string of tens of MB (and its copies) in memory.
 */
export function* jsonChunks(rows: readonly ReportRow[], meta: ReportMeta): Generator<string> {
  const indent = (json: string, by: string) => json.replace(/\n/g, `\n${by}`);
  const { applications: _none, ...head } = toJson([], meta);
  yield `{\n  "generatedAt": ${JSON.stringify(head.generatedAt)},\n  "campaign": ${JSON.stringify(head.campaign)},\n  "count": ${rows.length},\n  "applications": [`;
  // One application per chunk, indented exactly as the whole document's stringify would.
  for (let i = 0; i < rows.length; i++) {
    yield `${i === 0 ? '' : ','}\n    ${indent(JSON.stringify(application(rows[i] as ReportRow), null, 2), '    ')}`;
  }
  yield `${rows.length ? '\n  ' : ''}],\n  "failedMails": ${indent(JSON.stringify(head.failedMails, null, 2), '  ')}\n}\n`;
}
