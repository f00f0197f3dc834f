/**
 * Raw email bytes → IncomingEmail. mailparser does the MIME work; what it loses (raw 8-bit GBK
 * headers, unlabelled GBK bodies, unreadable dates, oversized headers) is recovered from the raw
 * bytes. Never throws on bad input: a message mailparser refuses still yields what could be read,
 * with a problem entry.
 */
import { Readable } from 'node:stream';
import { simpleParser, parseAddressHeader } from 'mailparser';
import type { AddressObject, Attachment as ParsedAttachment, ParsedMail } from 'mailparser';
import type { Address, Attachment, IncomingEmail, Link } from '../domain/email';
import { automaticReason, isDeliveryReport } from './automatic';
import { fileNameOf, forwardedPrefix, isDecorativeImage, isTnef, namedInlineTextParts, tnefParts, TOO_DEEP_REASON } from './attachments';
import { betterText, htmlToText } from './body-text';
import { hasHighBytesIn, headerText } from './charset-recovery';
import { readFallback } from './fallback';
import { findFileLinks } from './links';
import { withHeaderClaims } from './header-claims';
import { firstReceivedAt, parseMailDate } from './mail-date';
import { dropOversizedHeaders } from './oversized-headers';
import { paramOf } from './mime-params';
import { declaredCharset, partById, repairGluedBoundaries, skipLeadingBlankLines, splitPart, type RawHeader } from './raw-mime';

export interface ReadEmailOptions {
  /** How many levels of forwarded (message/rfc822) emails are opened. Default 3. */
  maxForwardDepth?: number;
}

export async function readEmail(raw: Buffer, opts: ReadEmailOptions = {}): Promise<IncomingEmail> {
  const email = await readMessage(raw, 0, opts.maxForwardDepth ?? 3);
  // Final assembly: who may be answered (From/Sender as sent), auth claims, names cleaned.
  return withHeaderClaims(email, splitPart(dropOversizedHeaders(raw)).headers);
}

async function readMessage(raw: Buffer, depth: number, maxDepth: number): Promise<IncomingEmail> {
  // Headers mailparser would refuse (its limit is 1 MB per header block) are dropped first.
  // Blank lines before the headers and delimiters glued to a line's end are repaired first.
  const input = repairGluedBoundaries(dropOversizedHeaders(skipLeadingBlankLines(raw)));
  const headers = splitPart(input).headers;
  // Raw 8-bit header bytes are first read in the charset the body declares (Big5 is not GBK).
  const declared = declaredCharset(input);
  let mail: ParsedMail;
  try {
    mail = await simpleParser(inSlices(input), {
      keepCidLinks: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      checksumAlgo: false,
      ignoreEmbedded: true,
      keepDeliveryStatus: false,
      maxHeadSize: 2 * 1024 * 1024,
    });
  } catch (err) {
    return readFallback(input, headers, err instanceof Error ? err.message : String(err));
  }
  const html = typeof mail.html === 'string' ? mail.html : '';
  // mailparser leaves `text` unset for an HTML-only message in multipart/related: convert it here.
  const text = betterText(mail.text || (html ? htmlToText(html) : ''), input);
  const from = addressOf(headers, 'from', mail.from, declared)[0] ?? null;
  const subject = subjectOf(headers, mail.subject, declared);
  const automatic = automaticReason({ headers, fromAddress: from?.address ?? null, subject });
  const isReport = isDeliveryReport(headers);

  const email: IncomingEmail = {
    messageId: mail.messageId ?? null,
    from,
    replyTo: addressOf(headers, 'reply-to', mail.replyTo, declared)[0] ?? null,
    to: addressOf(headers, 'to', mail.to, declared),
    subject,
    date: parseMailDate(headers.find((h) => h.key === 'date')?.value.toString('latin1')),
    receivedHeaderAt: firstReceivedAt(headers),
    inReplyTo: mail.inReplyTo ?? null,
    references: ([] as string[]).concat(mail.references ?? []),
    automatic,
    attachments: [],
    links: findFileLinks(text, html),
    text,
    problems: [],
  };
  for (const [index, part] of mail.attachments.entries()) {
    await addPart(input, email, part, index, html, isReport, depth, maxDepth);
  }
  // Inline text parts with a file name, which mailparser read into the body.
  if (!isReport) email.attachments.push(...namedInlineTextParts(input));
  return email;
}

/**
 * mailparser fed one whole Buffer holds several copies of a large attachment at once
 * (measured: 303 MB peak RSS for a 25 MB attachment); fed 64 KB slices of the same bytes
 * (views, no copy) it decodes as it goes (160 MB).
 */
function inSlices(raw: Buffer): Readable {
  const SLICE = 64 * 1024;
  return Readable.from(
    (function* () {
      for (let at = 0; at < raw.length; at += SLICE) yield raw.subarray(at, at + SLICE);
    })(),
  );
}

async function addPart(
  raw: Buffer,
  email: IncomingEmail,
  part: ParsedAttachment,
  index: number,
  html: string,
  isReport: boolean,
  depth: number,
  maxDepth: number,
): Promise<void> {
  const type = part.contentType.toLowerCase();
  // A bounce quotes the message it returns: that is not a forwarded application.
  if (isReport && ['message/rfc822', 'text/rfc822-headers', 'message/delivery-status', 'message/global'].includes(type)) return;
  if (type === 'message/rfc822' || type === 'message/global') {
    if (depth >= maxDepth) {
      const subject = subjectOf(splitPart(part.content).headers, undefined);
      email.problems.push({ file: forwardedPrefix(part, subject), ...TOO_DEEP_REASON });
      return;
    }
    const inner = await readMessage(part.content, depth + 1, maxDepth);
    const prefix = forwardedPrefix(part, inner.subject);
    for (const a of inner.attachments) email.attachments.push({ ...a, filename: `${prefix}/${a.filename}` });
    for (const p of inner.problems) email.problems.push({ ...p, file: `${prefix}/${p.file}` });
    mergeLinks(email.links, inner.links);
    return;
  }
  if (isTnef(part)) {
    const inside = tnefParts(part.content, fileNameOf(part, index), email.attachments.length);
    email.attachments.push(...inside.attachments);
    email.problems.push(...inside.problems);
    return;
  }
  if (isDecorativeImage(part, html)) return;
  // An unnamed text part that is not explicitly attached is a body variant (text/watch-html,
  // text/calendar of an invitation), not a file.
  if (type.startsWith('text/') && !part.filename && part.contentDisposition !== 'attachment') return;
  const attachment: Attachment = {
    filename: rawFileName(raw, part) ?? fileNameOf(part, index),
    contentType: part.contentType,
    content: part.content,
    size: part.size,
  };
  email.attachments.push(attachment);
}

/**
 * mailparser gives U+FFFD for a name whose bytes do not fit its label (GBK bytes in a word labelled
 * utf-8): read the part's raw headers again, where unlabelled and mislabelled bytes are recovered.
 */
function rawFileName(raw: Buffer, part: ParsedAttachment): string | null {
  if (!part.filename?.includes('\ufffd')) return null;
  const rawPart = partById(raw, part.partId);
  if (!rawPart) return null;
  const disposition = rawPart.headers.find((h) => h.key === 'content-disposition')?.value;
  const type = rawPart.headers.find((h) => h.key === 'content-type')?.value;
  const name = (disposition && paramOf(disposition, 'filename')) || (type && paramOf(type, 'name')) || null;
  if (!name || name.includes('\ufffd')) return null;
  return fileNameOf({ ...part, filename: name }, 0);
}

function mergeLinks(into: Link[], more: Link[]): void {
  for (const l of more) if (!into.some((x) => x.url === l.url)) into.push(l);
}

/** The subject, recovered from the raw bytes when they are 8-bit (mailparser yields U+FFFD). */
function subjectOf(headers: RawHeader[], parsed: string | undefined, declared: string | null = null): string {
  const raw = headers.find((h) => h.key === 'subject');
  if (raw && (parsed === undefined || hasHighBytesIn(raw.value) || parsed.includes('\ufffd'))) return headerText(raw.value, declared);
  return (parsed ?? '').trim();
}

function toAddresses(obj: AddressObject | AddressObject[] | undefined): Address[] {
  const out: Address[] = [];
  for (const o of ([] as AddressObject[]).concat(obj ?? [])) {
    for (const v of o.value) {
      const members = v.group ?? [v];
      for (const m of members) if (m.address) out.push({ address: m.address, name: m.name ?? '' });
    }
  }
  return out;
}

/** Addresses of a header; display names recovered from raw 8-bit or mislabelled bytes when needed. */
function addressOf(headers: RawHeader[], key: string, parsed: AddressObject | AddressObject[] | undefined, declared: string | null): Address[] {
  const raw = headers.find((h) => h.key === key);
  const addresses = toAddresses(parsed);
  if (raw && (hasHighBytesIn(raw.value) || addresses.some((a) => a.name.includes('\ufffd')))) {
    return toAddresses(parseAddressHeader(headerText(raw.value, declared)));
  }
  return addresses;
}
