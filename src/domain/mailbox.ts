/**
 * "Exactly one mailbox", decided by a real RFC 5322 parser (email-addresses: groups, quoted
 * local parts, comments, lists), pure. Every address shenbao writes to passes here: the
 * sender it answers, the form's contact email, each planned email and the outbox before it
 * sends (issue 8 §1). `null` from the parser means "not an address": we refuse it.
 *
 * What we answer is stricter than what RFC 5322 allows, because an address we write to must
 * mean the same thing to every program it passes through (nodemailer, the SMTP server, the
 * applicant's client): the local part must be a dot-atom once unquoted (`"john.doe"@x.cn` is
 * john.doe@x.cn; `"a,b@c"@x.cn` is refused), the domain a dotted name (no `localhost`, no
 * `[1.2.3.4]`), the lengths within RFC 5321.
 */
import { parseAddressList, parseOneAddress, type ParsedGroup, type ParsedMailbox } from 'email-addresses';
import { BIDI_CHARS, CONTROL_CHARS, LINE_SEPARATORS } from './sanitize';

/**
 * Longer than any real header with one address, or with more comments than one has: refused
 * before parsing. The parser is not linear: 900 unclosed `(` took 1 s, 20 take nothing.
 */
export const MAX_ADDRESS_HEADER = 2000;
const MAX_COMMENTS = 20;

export type MailboxProblem = 'NOT_AN_ADDRESS' | 'GROUP' | 'LIST' | 'UNSAFE_ADDRESS' | 'TOO_LONG';

export type MailboxResult = { ok: true; address: string; name: string | null } | { ok: false; problem: MailboxProblem; count?: number };

// RFC 5322 atext, plus any non-ASCII character (RFC 6532); a dot-atom is atoms joined by single dots.
const ATOM = /^[\w!#$%&'*+/=?^`{|}~\u0080-\uffff-]+$/u;
// Controls, line separators and bidi characters (src/domain/sanitize) are exactly what must not pass.
const CONTROL = new RegExp(`[${CONTROL_CHARS}${LINE_SEPARATORS}${BIDI_CHARS}]`);

function dotAtom(s: string): boolean {
  return s.length > 0 && s.split('.').every((atom) => ATOM.test(atom));
}

/** The address of one parsed mailbox, rebuilt from its parts, or why we will not write to it. */
function safeAddress(m: Pick<ParsedMailbox, 'local' | 'domain' | 'name'>): MailboxResult {
  const local = m.local;
  const domain = m.domain.toLowerCase();
  const labels = domain.split('.');
  const okDomain = labels.length >= 2 && labels.every((l) => l.length > 0 && l.length <= 63 && ATOM.test(l) && !l.startsWith('-') && !l.endsWith('-'));
  if (!dotAtom(local) || !okDomain || CONTROL.test(local) || CONTROL.test(domain)) return { ok: false, problem: 'UNSAFE_ADDRESS' };
  const address = `${local}@${domain}`;
  if (local.length > 64 || address.length > 254) return { ok: false, problem: 'TOO_LONG' };
  return { ok: true, address, name: m.name };
}

const OPTIONS = { rfc6532: true, atInDisplayName: true } as const;

// A bare ASCII address with nothing for the parser to decide (no name, quotes, comments,
// lists or groups): the common case, read without the parser, which costs ~60 µs a call
// (judging 5,000 applications spent 300 ms in it). Anything else goes to the parser.
const PLAIN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/** The same result the parser path gives for a bare ASCII address, or null when `t` is not one. */
export function plainAddress(t: string): MailboxResult | null {
  if (!PLAIN.test(t)) return null;
  const at = t.indexOf('@');
  const local = t.slice(0, at);
  // Stray dots make it no address at all to the parser: let it say so, in its words.
  if (!dotAtom(local)) return null;
  return safeAddress({ local, domain: t.slice(at + 1), name: null });
}

/**
 * The parsed address list of a header value, or null when it is not one. Refuses what is
 * too long to be a real address before the parser sees it.
 */
export function parseList(text: string): (ParsedMailbox | ParsedGroup)[] | 'TOO_LONG' | null {
  if (text.length > MAX_ADDRESS_HEADER || text.split('(').length - 1 > MAX_COMMENTS) return 'TOO_LONG';
  return parseAddressList({ input: text, ...OPTIONS });
}

/** Exactly one mailbox in `text` (a From/Sender value or a form field): its address, or why not. */
export function singleMailbox(text: string): MailboxResult {
  const t = text.trim();
  if (t === '') return { ok: false, problem: 'NOT_AN_ADDRESS' };
  const plain = plainAddress(t);
  if (plain) return plain;
  const list = parseList(t);
  if (list === 'TOO_LONG') return { ok: false, problem: 'TOO_LONG' };
  if (list === null) {
    // Not a list: perhaps still one address the list grammar refuses (it should not), else nothing.
    const one = parseOneAddress({ input: t, ...OPTIONS });
    if (one === null) return { ok: false, problem: 'NOT_AN_ADDRESS' };
    return one.type === 'group' ? { ok: false, problem: 'GROUP' } : safeAddress(one);
  }
  if (list.some((a) => a.type === 'group')) return { ok: false, problem: 'GROUP' };
  if (list.length !== 1) return { ok: false, problem: 'LIST', count: list.length };
  const [only] = list;
  return only && only.type === 'mailbox' ? safeAddress(only) : { ok: false, problem: 'NOT_AN_ADDRESS' };
}

/** Is `to` exactly one mailbox we may write to, spelled as we would spell it (the outbox's last check)? */
export function isSingleMailbox(to: string): boolean {
  const r = singleMailbox(to);
  return r.ok && r.address.toLowerCase() === to.trim().toLowerCase();
}
