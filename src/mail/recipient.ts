/**
 * Whom we may answer, pure (issue 8 §1): exactly one valid mailbox, read from the `From:`
 * header as sent with a real RFC 5322 parser. A `From:` naming several mailboxes is answered
 * at its `Sender:` (RFC 5322 §3.6.2 requires one then); a list without Sender, a group
 * (`undisclosed-recipients:;`), several `From:` headers or something that is not an address
 * gets no email at all, and the reason is kept on the application for staff.
 */
import type { NoReply } from '../domain/application';
import type { IncomingEmail } from '../domain/email';
import { singleMailbox, type MailboxProblem } from '../domain/mailbox';
import { oneLine } from '../domain/sanitize';
import { senderAuthFailure } from './auth-results';

export type NoReplyCode = 'NO_FROM' | 'SEVERAL_FROM_HEADERS' | 'NOT_AN_ADDRESS' | 'GROUP' | 'LIST' | 'UNSAFE_ADDRESS' | 'SENDER_FAILED_AUTH';

export type ReplyRecipient =
  | { ok: true; address: string; via: 'from' | 'sender' }
  | { ok: false; code: NoReplyCode; reason: string; reasonZh: string };

/** Why nobody was answered, in both languages; `header` is the From as sent (cleaned, one line). */
export function noReplyReason(code: NoReplyCode, header: string | null, count?: number): { code: NoReplyCode; reason: string; reasonZh: string } {
  const h = header === null ? '' : `: ${oneLine(header, 120)}`;
  const hz = header === null ? '' : `（${oneLine(header, 120)}）`;
  switch (code) {
    case 'NO_FROM':
      return { code, reason: 'the email has no From address', reasonZh: '邮件没有发件人地址，未自动回复' };
    case 'SEVERAL_FROM_HEADERS':
      return { code, reason: 'the email has several From headers', reasonZh: '邮件含多个发件人（From）字段，未自动回复' };
    case 'GROUP':
      return { code, reason: `From is a group, not a mailbox${h}`, reasonZh: `发件人是一个地址组而不是邮箱${hz}，未自动回复` };
    case 'LIST':
      return { code, reason: `From names ${count ?? 'several'} addresses and no single Sender${h}`, reasonZh: `发件人字段含 ${count ?? '多'} 个地址且没有唯一的 Sender${hz}，未自动回复` };
    case 'UNSAFE_ADDRESS':
      return { code, reason: `From is an address we do not write to (quoted or unusual local part, or no proper domain)${h}`, reasonZh: `发件人地址格式特殊（带引号的用户名或域名不完整）${hz}，未自动回复` };
    case 'SENDER_FAILED_AUTH':
      return { code, reason: `the sender's domain failed authentication at our mail server${h}`, reasonZh: `发件人域名未通过本方邮件服务器的 DMARC/SPF 验证，疑为冒用地址${hz}，未自动回复` };
    case 'NOT_AN_ADDRESS':
      return { code, reason: `From is not an email address${h}`, reasonZh: `发件人不是有效的电子邮箱地址${hz}，未自动回复` };
  }
}

function fromProblem(problem: MailboxProblem): NoReplyCode {
  return problem === 'TOO_LONG' ? 'NOT_AN_ADDRESS' : problem;
}

/** The one mailbox an email may be answered at, or why there is none. */
export function replyRecipient(email: Pick<IncomingEmail, 'from' | 'addressHeaders'>): ReplyRecipient {
  const fail = (code: NoReplyCode, header: string | null, count?: number): ReplyRecipient => ({ ok: false, ...noReplyReason(code, header, count) });
  // An email not read through readEmail's final assembly has only the parsed From: check that.
  const fromHeaders = email.addressHeaders?.from ?? (email.from ? [email.from.address] : []);
  const senderHeaders = email.addressHeaders?.sender ?? [];
  const [header] = fromHeaders;
  if (header === undefined || header.trim() === '') return fail('NO_FROM', null);
  if (fromHeaders.length > 1) return fail('SEVERAL_FROM_HEADERS', fromHeaders.join(' / '));
  const from = singleMailbox(header);
  if (from.ok) return { ok: true, address: from.address.toLowerCase(), via: 'from' };
  // A list (or a From too long to be one address) is answered at its one Sender, if any.
  if (from.problem !== 'LIST' && from.problem !== 'TOO_LONG') return fail(fromProblem(from.problem), header);
  const [senderHeader] = senderHeaders;
  if (senderHeaders.length === 1 && senderHeader !== undefined) {
    const sender = singleMailbox(senderHeader);
    if (sender.ok) return { ok: true, address: sender.address.toLowerCase(), via: 'sender' };
  }
  return fail('LIST', header, from.count);
}

/**
 * The intake's decision for one email: the sender address it is filed under and may be
 * answered at, or none and why (kept on the application as `noReply` for staff). A sender
 * whose domain our server saw fail DMARC/SPF is not even filed under that address: a forged
 * `From:` must not join the application of the address it forges.
 */
export function whomToAnswer(
  email: Pick<IncomingEmail, 'from' | 'addressHeaders' | 'authHeaders'>,
  trustedAuthServIds: readonly string[],
  at: Date,
): { from: string | null; noReply: NoReply | null } {
  const r = replyRecipient(email);
  if (!r.ok) return { from: null, noReply: { code: r.code, reason: r.reason, reasonZh: r.reasonZh, at: at.toISOString() } };
  const failed = senderAuthFailure(email, r.address, trustedAuthServIds);
  if (!failed) return { from: r.address, noReply: null };
  const why = noReplyReason('SENDER_FAILED_AUTH', `${r.address} — ${failed.detail}`);
  return { from: null, noReply: { code: why.code, reason: why.reason, reasonZh: why.reasonZh, at: at.toISOString() } };
}
