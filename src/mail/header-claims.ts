/**
 * The last step of reading an email (src/mail/read-email.ts): what the rest of shenbao must
 * judge about who sent it, taken from our own reading of the raw header block (mailparser
 * flattens a `From:` list to its first address, which is how one email used to make us
 * answer a stranger), and every applicant-supplied name cleaned of control and bidi
 * characters once, here, so that nothing downstream sees them (issue 8 §1, §4).
 */
import type { Address, IncomingEmail } from '../domain/email';
import { singleMailbox } from '../domain/mailbox';
import { cleanText } from '../domain/sanitize';
import { decodeUnlabelled } from './charset-recovery';
import type { RawHeader } from './raw-mime';

/** More copies of one header than any real email has: the rest are not looked at. */
const MAX_COPIES = 20;
/** Longer than any real Authentication-Results: cut before it is parsed. */
const MAX_AUTH_HEADER = 8 * 1024;

function values(headers: RawHeader[], key: string, max: number): string[] {
  return headers
    .filter((h) => h.key === key)
    .slice(0, MAX_COPIES)
    .map((h) => decodeUnlabelled(h.value.subarray(0, max)).trim());
}

const cleanAddress = (a: Address): Address => ({ address: cleanText(a.address), name: cleanText(a.name) });

/** `email` with the header claims added and its names cleaned (a new object). */
export function withHeaderClaims(email: IncomingEmail, headers: RawHeader[]): IncomingEmail {
  // Kept whole up to the parser's own limit plus one, so an overlong header is seen as overlong.
  const from = values(headers, 'from', 64 * 1024);
  const sender = values(headers, 'sender', 64 * 1024);
  const one = sender.length === 1 && sender[0] !== undefined ? singleMailbox(sender[0]) : null;
  return {
    ...email,
    subject: cleanText(email.subject),
    from: email.from ? cleanAddress(email.from) : null,
    replyTo: email.replyTo ? cleanAddress(email.replyTo) : null,
    to: email.to.map(cleanAddress),
    sender: one?.ok ? { address: one.address, name: cleanText(one.name ?? '') } : null,
    attachments: email.attachments.map((a) => ({ ...a, filename: cleanText(a.filename) || 'attachment' })),
    problems: email.problems.map((p) => ({ ...p, file: cleanText(p.file) })),
    addressHeaders: { from, sender },
    authHeaders: {
      authenticationResults: values(headers, 'authentication-results', MAX_AUTH_HEADER),
      receivedSpf: values(headers, 'received-spf', MAX_AUTH_HEADER),
    },
  };
}
