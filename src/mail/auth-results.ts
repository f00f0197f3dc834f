/**
 * Backscatter (issue 8 §1): a spammer writes with someone else's address in `From:`; answering
 * it mails a stranger. Where OUR receiving server checked the message and wrote the verdict in
 * `Authentication-Results:` (RFC 8601) or `Received-SPF:` (RFC 7208 §9.1), a DMARC `fail` for
 * the From domain (or, with no DMARC verdict, an SPF `fail` for that domain) means we do not
 * answer. Pure: no DNS here, we only read what our server wrote.
 *
 * Only headers whose authserv-id (Received-SPF: `receiver=`) is listed in the campaign
 * (`mail.trustedAuthServIds`) count: anyone can write such headers into the message they
 * send. None listed (the default) = no suppression. Our server adds its header on top, above
 * whatever the sender wrote, so among trusted headers the topmost one with a verdict decides:
 * a forged `dmarc=pass` further down cannot overrule our server's `fail`.
 */
import parseDkimHeaders from 'mailauth/lib/parse-dkim-headers';
import type { IncomingEmail } from '../domain/email';

export interface AuthFailure {
  method: 'dmarc' | 'spf';
  domain: string;
  authservId: string;
  /** `dmarc=fail header.from=bank.example` — for staff. */
  detail: string;
}

type Verdict = 'fail' | 'pass' | null;

const lower = (s: string) => s.trim().toLowerCase();

/** The authserv-id: the first token, after any comment (RFC 8601 §2.2). */
export function authServIdOf(value: string): string {
  let i = 0;
  let depth = 0;
  for (; i < value.length; i++) {
    const c = value[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && c !== ' ' && c !== '\t') break;
  }
  let end = i;
  while (end < value.length && !' \t;('.includes(value[end] ?? ' ')) end++;
  return lower(value.slice(i, end).replace(/^"|"$/g, ''));
}

const domainOf = (s: string | undefined): string => {
  const v = lower(s ?? '').replace(/^<|>$/g, '');
  return v.includes('@') ? v.slice(v.lastIndexOf('@') + 1) : v;
};

interface MethodResult {
  value?: unknown;
  header?: { from?: unknown };
  smtp?: { mailfrom?: unknown };
}

function results(parsed: Record<string, unknown>, method: string): MethodResult[] {
  const r = parsed[method];
  const all = Array.isArray(r) ? r : r ? [r] : [];
  return all.filter((x): x is MethodResult => typeof x === 'object' && x !== null);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One trusted Authentication-Results header's verdict on `domain`. */
function arVerdict(parsed: Record<string, unknown>, domain: string): { verdict: Verdict; method: 'dmarc' | 'spf'; detail: string } | null {
  const dmarc = results(parsed, 'dmarc').filter((d) => !str(d.header?.from) || domainOf(str(d.header?.from)) === domain);
  const dmarcSays = dmarc.map((d) => lower(str(d.value)));
  if (dmarcSays.includes('fail')) return { verdict: 'fail', method: 'dmarc', detail: `dmarc=fail header.from=${domain}` };
  if (dmarcSays.includes('pass')) return { verdict: 'pass', method: 'dmarc', detail: `dmarc=pass header.from=${domain}` };
  const spf = results(parsed, 'spf').filter((s) => domainOf(str(s.smtp?.mailfrom)) === domain);
  const spfSays = spf.map((s) => lower(str(s.value)));
  if (spfSays.includes('fail')) return { verdict: 'fail', method: 'spf', detail: `spf=fail smtp.mailfrom=${domain}` };
  if (spfSays.includes('pass')) return { verdict: 'pass', method: 'spf', detail: `spf=pass smtp.mailfrom=${domain}` };
  return null;
}

/** `Received-SPF: fail (comment) client-ip=…; envelope-from=…; receiver=…` → its parts. */
export function parseReceivedSpf(value: string): { result: string; keys: Map<string, string> } {
  const result = lower(/^\s*([a-z]+)/i.exec(value)?.[1] ?? '');
  // Comments out (not nested in practice), then `key=value` pairs separated by `;`.
  const rest = value.replace(/\([^()]*\)/g, ' ');
  const keys = new Map<string, string>();
  for (const part of rest.split(/[\s;]+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) keys.set(lower(part.slice(0, eq)), part.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  return { result, keys };
}

/**
 * Did our server find that `address`'s domain failed DMARC (or SPF without DMARC)? Null when
 * it did not say so, or when no authserv-id is trusted.
 */
export function senderAuthFailure(
  email: Pick<IncomingEmail, 'authHeaders'>,
  address: string,
  trustedAuthServIds: readonly string[],
): AuthFailure | null {
  const trusted = new Set(trustedAuthServIds.map(lower).filter(Boolean));
  if (trusted.size === 0 || !email.authHeaders) return null;
  const domain = domainOf(address);
  for (const value of email.authHeaders.authenticationResults) {
    const id = authServIdOf(value);
    if (!trusted.has(id)) continue;
    const v = arVerdict(parseDkimHeaders(`Authentication-Results: ${value}`).parsed, domain);
    if (v?.verdict === 'fail') return { method: v.method, domain, authservId: id, detail: `${id}: ${v.detail}` };
    if (v?.verdict === 'pass') return null;
  }
  for (const value of email.authHeaders.receivedSpf) {
    const { result, keys } = parseReceivedSpf(value);
    const receiver = lower(keys.get('receiver') ?? '');
    if (!trusted.has(receiver)) continue;
    const about = domainOf(keys.get('envelope-from') ?? '');
    if (about !== domain) continue;
    if (result === 'fail') return { method: 'spf', domain, authservId: receiver, detail: `${receiver}: Received-SPF fail envelope-from=${domain}` };
    if (result === 'pass') return null;
  }
  return null;
}
