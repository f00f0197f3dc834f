/**
 * What can still be read from a message mailparser refused: the headers (our own reader),
 * the text parts and the named parts, by a lenient walk over the raw bytes.
 */
import { parseAddressHeader } from 'mailparser';
import type { Address, Attachment, IncomingEmail } from '../domain/email';
import { automaticReason } from './automatic';
import { recoverBodyText } from './body-text';
import { headerText } from './charset-recovery';
import { findFileLinks } from './links';
import { firstReceivedAt, parseMailDate } from './mail-date';
import { paramOf } from './mime-params';
import { declaredCharset, leafParts, type RawHeader } from './raw-mime';

/** `problems[].file` for a problem of the message itself, not of one attachment. */
export const MESSAGE_PROBLEM_FILE = '(邮件)';

export const BROKEN_MESSAGE_REASON = { reasonZh: '邮件格式损坏，只读取了部分内容', reason: 'the email is malformed; only part of it could be read' };

function text(headers: RawHeader[], key: string, declared: string | null = null): string | null {
  const h = headers.find((x) => x.key === key);
  return h ? headerText(h.value, declared) : null;
}

function addresses(headers: RawHeader[], key: string, declared: string | null): Address[] {
  const value = text(headers, key, declared);
  if (!value) return [];
  return parseAddressHeader(value, { flatten: true })
    .value.filter((v) => v.address)
    .map((v) => ({ address: v.address ?? '', name: v.name }));
}

function ids(value: string | null): string[] {
  return value ? (value.match(/<[^<>\s]+>/g) ?? []) : [];
}

function safely<T>(read: () => T, otherwise: T): T {
  try {
    return read();
  } catch {
    return otherwise;
  }
}

function namedParts(raw: Buffer): Attachment[] {
  const parts = leafParts(raw, () => true);
  const out: Attachment[] = [];
  for (const p of parts) {
    const disp = p.headers.find((h) => h.key === 'content-disposition')?.value;
    const type = p.headers.find((h) => h.key === 'content-type')?.value;
    const name = (disp && paramOf(disp, 'filename')) || (type && paramOf(type, 'name')) || null;
    if (!name && p.disposition !== 'attachment') continue;
    const filename = (name ?? `未命名附件${out.length + 1}`).split(/[\\/]/).pop() ?? '';
    out.push({ filename, contentType: p.contentType.type, content: p.content, size: p.content.length });
  }
  return out;
}

export function readFallback(raw: Buffer, headers: RawHeader[], error: string): IncomingEmail {
  const declared = safely(() => declaredCharset(raw), null);
  const from = safely(() => addresses(headers, 'from', declared)[0] ?? null, null);
  const subject = text(headers, 'subject', declared) ?? '';
  const body = safely(() => recoverBodyText(raw), '');
  return {
    messageId: ids(text(headers, 'message-id'))[0] ?? null,
    from,
    replyTo: safely(() => addresses(headers, 'reply-to', declared)[0] ?? null, null),
    to: safely(() => addresses(headers, 'to', declared), []),
    subject,
    date: parseMailDate(text(headers, 'date')),
    receivedHeaderAt: firstReceivedAt(headers),
    inReplyTo: ids(text(headers, 'in-reply-to'))[0] ?? null,
    references: ids(text(headers, 'references')),
    automatic: automaticReason({ headers, fromAddress: from?.address ?? null, subject }),
    attachments: safely(() => namedParts(raw), []),
    links: findFileLinks(body),
    text: body,
    problems: [{ file: MESSAGE_PROBLEM_FILE, ...BROKEN_MESSAGE_REASON, reason: `${BROKEN_MESSAGE_REASON.reason} (${error.slice(0, 200)})` }],
  };
}
