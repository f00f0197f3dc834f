/**
 * Whom we answer, from raw emails built here (not with our parser): From lists, groups,
 * Sender, several From headers, and our server's verdicts written by mailauth (a local
 * resolver, no DNS) or by hand (RFC 8601 / RFC 7208).
 */
import { authServIdOf, senderAuthFailure } from '../../../src/mail/auth-results';
import { readEmail } from '../../../src/mail/read-email';
import { replyRecipient, whomToAnswer } from '../../../src/mail/recipient';
import { OURS, viaOurMx } from './our-mx';

const AT = new Date('2023-07-10T02:00:00Z');


function message(headers: string[], body = 'body'): Buffer {
  return Buffer.from(`${[...headers, 'To: sb@xiehui.example', 'Subject: 申报材料', 'Message-ID: <m1@x.example>', 'Date: Mon, 10 Jul 2023 10:00:00 +0800'].join('\r\n')}\r\n\r\n${body}\r\n`);
}


describe('replyRecipient on raw From/Sender', () => {
  const cases: [string, string[], string][] = [
    ['one mailbox', ['From: 李四 <LiSi@XingYun.com.cn>'], 'ok:lisi@xingyun.com.cn'],
    ['comment', ['From: lisi@xingyun.com.cn (李四)'], 'ok:lisi@xingyun.com.cn'],
    ['quoted dot-atom local part', ['From: "li.si"@xingyun.com.cn'], 'ok:li.si@xingyun.com.cn'],
    ['quoted local part with a blank', ['From: "li si"@xingyun.com.cn'], 'UNSAFE_ADDRESS'],
    ['list without Sender', ['From: a@victim1.example, b@victim2.example'], 'LIST'],
    ['list with Sender', ['From: a@victim1.example, b@victim2.example', 'Sender: clerk@xingyun.com.cn'], 'ok:clerk@xingyun.com.cn'],
    ['list with a list as Sender', ['From: a@victim1.example, b@victim2.example', 'Sender: c@x.example, d@y.example'], 'LIST'],
    ['group', ['From: undisclosed-recipients:;'], 'GROUP'],
    ['group with members', ['From: Team: a@x.example, b@y.example;'], 'GROUP'],
    ['two From headers', ['From: a@x.example', 'From: b@y.example'], 'SEVERAL_FROM_HEADERS'],
    ['not an address', ['From: 李四'], 'NOT_AN_ADDRESS'],
    ['encoded display name with a comma', ['From: =?UTF-8?B?5p2O5ZubLCDnjovkupQ=?= <lisi@xingyun.com.cn>'], 'ok:lisi@xingyun.com.cn'],
  ];
  it.each(cases)('%s', async (_label, headers, expected) => {
    const email = await readEmail(message(headers));
    const r = replyRecipient(email);
    expect(r.ok ? `ok:${r.address}` : r.code).toBe(expected);
    if (!r.ok) expect(r.reasonZh).toMatch(/未自动回复/);
  });

  it('names are cleaned at read: no bidi override or control reaches the subject or a display name', async () => {
    const raw = Buffer.from('From: =?UTF-8?B?' + Buffer.from('李\u202E四\u0007').toString('base64') + '?= <lisi@xingyun.com.cn>\r\nSubject: =?UTF-8?B?' + Buffer.from('申报\u202Egpj.exe\u2066\u0000').toString('base64') + '?=\r\n\r\nx\r\n');
    const email = await readEmail(raw);
    expect(email.subject).toBe('申报gpj.exe');
    expect(email.from?.name).toBe('李四');
  });
});

describe('senderAuthFailure: only our server is believed', () => {
  it('authServIdOf reads the first token after comments', () => {
    expect(authServIdOf(' (c) MX.Shenbao.Test 1; spf=pass')).toBe(OURS);
    expect(authServIdOf('mx.shenbao.test;dmarc=fail')).toBe(OURS);
  });

  it('DMARC fail at our server: no answer, not even filed under the forged address', async () => {
    const raw = await viaOurMx(message(['From: ceo@bank.example']), '203.0.113.9', 'ceo@bank.example');
    const email = await readEmail(raw);
    const answer = whomToAnswer(email, [OURS], AT);
    expect(answer.from).toBeNull();
    expect(answer.noReply).toMatchObject({ code: 'SENDER_FAILED_AUTH', at: AT.toISOString() });
    expect(answer.noReply?.reasonZh).toContain('DMARC');
    // The same headers, but the campaign trusts nobody (the default): answered.
    expect(whomToAnswer(email, [], AT)).toEqual({ from: 'ceo@bank.example', noReply: null });
    expect(whomToAnswer(email, ['mx.other.example'], AT).from).toBe('ceo@bank.example');
  });

  it('DMARC pass (sent from the SPF address): answered', async () => {
    const email = await readEmail(await viaOurMx(message(['From: ceo@bank.example']), '192.0.2.1', 'ceo@bank.example'));
    expect(whomToAnswer(email, [OURS], AT)).toEqual({ from: 'ceo@bank.example', noReply: null });
  });

  it('no DMARC record: an SPF fail for the From domain decides', async () => {
    const email = await readEmail(await viaOurMx(message(['From: x@nodmarc.example']), '203.0.113.9', 'x@nodmarc.example'));
    expect(senderAuthFailure(email, 'x@nodmarc.example', [OURS])).toMatchObject({ method: 'spf', domain: 'nodmarc.example' });
    // SPF failed for another domain (the bounce address), not for the From domain: no verdict on From.
    expect(senderAuthFailure(email, 'x@other.example', [OURS])).toBeNull();
  });

  it('a forged "pass" below our "fail" changes nothing; a forged "fail" below our "pass" neither', async () => {
    const forgedPass = `Authentication-Results: ${OURS}; dmarc=pass header.from=bank.example`;
    const spoof = await readEmail(await viaOurMx(message([forgedPass, 'From: ceo@bank.example']), '203.0.113.9', 'ceo@bank.example'));
    expect(whomToAnswer(spoof, [OURS], AT).noReply?.code).toBe('SENDER_FAILED_AUTH');
    const forgedFail = `Authentication-Results: ${OURS}; dmarc=fail header.from=bank.example`;
    const real = await readEmail(await viaOurMx(message([forgedFail, 'From: ceo@bank.example']), '192.0.2.1', 'ceo@bank.example'));
    expect(whomToAnswer(real, [OURS], AT).noReply).toBeNull();
  });

  it('hand-written RFC 8601 and RFC 7208 headers', async () => {
    const ar = await readEmail(message([`Authentication-Results: ${OURS} (our MX);\r\n spf=fail (${OURS}: not permitted) smtp.mailfrom=hr@corp.example;\r\n dmarc=fail (p=quarantine) header.from=corp.example`, 'From: HR <hr@corp.example>']));
    expect(senderAuthFailure(ar, 'hr@corp.example', [OURS])).toMatchObject({ method: 'dmarc', domain: 'corp.example' });
    const spf = await readEmail(message([`Received-SPF: fail (${OURS}: domain of hr@corp.example does not designate 203.0.113.9) client-ip=203.0.113.9; envelope-from="hr@corp.example"; receiver=${OURS};`, 'From: hr@corp.example']));
    expect(senderAuthFailure(spf, 'hr@corp.example', [OURS])).toMatchObject({ method: 'spf' });
    const other = await readEmail(message([`Received-SPF: fail client-ip=203.0.113.9; envelope-from=hr@corp.example; receiver=mx.elsewhere.example;`, 'From: hr@corp.example']));
    expect(senderAuthFailure(other, 'hr@corp.example', [OURS])).toBeNull();
    const softfail = await readEmail(message([`Authentication-Results: ${OURS}; dmarc=none header.from=corp.example; spf=softfail smtp.mailfrom=corp.example`, 'From: hr@corp.example']));
    expect(senderAuthFailure(softfail, 'hr@corp.example', [OURS])).toBeNull();
  });

  it('a hostile 8 KB Authentication-Results claiming our id is read quickly', async () => {
    const junk = `Authentication-Results: ${OURS}; ${'dmarc=fail ("a\\"b" (c '.repeat(400)}`;
    const t = Date.now();
    const email = await readEmail(message([junk, 'From: a@x.example']));
    whomToAnswer(email, [OURS], AT);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
