/**
 * Is this an automatic message that must never be answered (rules.md "Emails the service
 * sends")? Auto-replies, bounces, list mail, no-reply senders, and our own mail coming back.
 * The reason is a short stable string (tests, logs and the report use it).
 */
import type { RawHeader } from './raw-mime';

export interface AutomaticInput {
  headers: RawHeader[];
  /** Sender address (From:), lower or mixed case. */
  fromAddress: string | null;
  /** Decoded subject. */
  subject: string;
}

/** Our own outgoing mail carries this header (src/mail/smtp*); seeing it again means a loop. */
export const OWN_LOOP_HEADER = 'x-shenbao-loop';

const PRESENCE_HEADERS = [
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'x-loop',
  'x-failed-recipients',
] as const;

const AUTOMATIC_SENDER = /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply[-_.+].*|.*[-_.+]no[-_.]?reply)$/i;

/**
 * Subjects of auto-replies and bounces. Anchored at the start (after an optional bracket) so an
 * applicant's "申报材料（上次退信，重新发送）" is not taken for a bounce.
 */
const SUBJECTS: Array<[RegExp, string]> = [
  [/^自动回复|^自動回覆|^自动答复/, '自动回复'],
  [/^auto(matic)?[\s-]?(reply|response)|^autoreply/i, 'auto reply'],
  [/^out of (the )?office/i, 'out of office'],
  [/^undeliverable|^undelivered mail/i, 'undeliverable'],
  [/^delivery status notification|^delivery (failure|failed|notification)|^mail delivery (failed|failure|system)|^returned mail|^failure notice/i, 'delivery status notification'],
  [/^系统退信|^退信|的退信$|^来自.{0,20}的退信/, '退信'],
  [/^未送达|^邮件未送达|^无法送达|^投递失败/, '未送达'],
];

function values(headers: RawHeader[], key: string): string[] {
  return headers.filter((h) => h.key === key).map((h) => h.value.toString('latin1').trim());
}

function firstToken(value: string): string {
  return (value.replace(/\([^()]*\)/g, '').split(';')[0] ?? '').trim().toLowerCase();
}

/** A delivery status notification (bounce) or similar report: `multipart/report` at the top. */
export function isDeliveryReport(headers: RawHeader[]): boolean {
  const contentType = firstToken(values(headers, 'content-type')[0] ?? '');
  return contentType === 'multipart/report' || contentType === 'message/delivery-status';
}

export function automaticReason(input: AutomaticInput): { reason: string } | null {
  const reason = findReason(input);
  return reason ? { reason } : null;
}

function findReason({ headers, fromAddress, subject }: AutomaticInput): string | null {
  if (headers.some((h) => h.key === OWN_LOOP_HEADER)) return 'our own message';
  if (isDeliveryReport(headers)) return 'delivery report';

  for (const v of values(headers, 'auto-submitted')) {
    const token = firstToken(v);
    if (token && token !== 'no') return `auto-submitted: ${token}`;
  }
  for (const v of values(headers, 'precedence')) {
    const token = firstToken(v);
    if (['bulk', 'junk', 'list', 'auto_reply'].includes(token)) return `precedence: ${token}`;
  }
  if (headers.some((h) => h.key === 'list-id')) return 'list-id';
  if (values(headers, 'return-path').some((v) => /^<\s*>$/.test(v) || v === '')) return 'empty return path';

  for (const key of PRESENCE_HEADERS) {
    if (headers.some((h) => h.key === key)) return key;
  }

  const local = (fromAddress ?? '').split('@')[0]?.trim() ?? '';
  if (local && AUTOMATIC_SENDER.test(local)) return `sender: ${local.toLowerCase()}`;

  const s = subject.trim().replace(/^[[【(（]\s*/, '');
  for (const [re, name] of SUBJECTS) {
    if (re.test(s)) return `subject: ${name}`;
  }
  return null;
}
