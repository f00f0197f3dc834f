/**
 * Our receiving server's view of a message, for the recipient tests: mailauth checks SPF and
 * DMARC against a made-up zone (no DNS) and puts its Authentication-Results on top, as the
 * association's MX would before Dovecot stores the message.
 */
import { authenticate } from 'mailauth';

export const OURS = 'mx.shenbao.test';

const zone = new Map<string, string[][]>([
  ['TXT bank.example', [['v=spf1 ip4:192.0.2.1 -all']]],
  ['TXT _dmarc.bank.example', [['v=DMARC1; p=reject']]],
  ['TXT nodmarc.example', [['v=spf1 ip4:192.0.2.1 -all']]],
]);

async function resolver(name: string, rrtype: string): Promise<string[][]> {
  const v = zone.get(`${rrtype} ${name}`);
  if (v) return v;
  throw Object.assign(new Error(`no ${rrtype} ${name}`), { code: 'ENOTFOUND' });
}

/** `raw` as `mta` stores it after `ip` sent it with envelope sender `sender`: its verdict headers on top. */
export async function viaOurMx(raw: Buffer, ip: string, sender: string, mta = OURS): Promise<Buffer> {
  const r = await authenticate(raw, { ip, helo: 'client.example', sender, mta, resolver, disableArc: true, disableBimi: true } as Parameters<typeof authenticate>[1]);
  return Buffer.concat([Buffer.from(r.headers), raw]);
}
