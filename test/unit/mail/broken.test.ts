/**
 * Broken and hostile messages give a result, never an exception: the peer corpus of mailparser's
 * own odd inputs, and messages mailparser refuses (which go through our raw fallback reader).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGE_PROBLEM_FILE } from '../../../src/mail/fallback';
import { readEmail } from '../../../src/mail/read-email';
import { leafParts, splitMultipart, transferDecode } from '../../../src/mail/raw-mime';

const CORPUS = join(__dirname, '../../../../shared/corpus/mailparser');

describe('peer corpus (mailparser test files)', () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.eml')) : [];
  if (files.length === 0) {
    it('is absent here (../shared/corpus/mailparser)', () => {
      expect(existsSync(CORPUS)).toBe(false);
    });
    return;
  }
  it.each(files)('%s is read without throwing', async (file) => {
    const email = await readEmail(readFileSync(join(CORPUS, file)));
    expect(typeof email.subject).toBe('string');
    expect(Array.isArray(email.attachments)).toBe(true);
  });

  it('delivery-status.eml is a delivery report', async () => {
    const email = await readEmail(readFileSync(join(CORPUS, 'delivery-status.eml')));
    expect(email.automatic).toEqual({ reason: 'delivery report' });
  });
});

describe('messages mailparser refuses', () => {
  it('a 3 MB header inside a part: headers, text and the named part still read, with a problem', async () => {
    const raw = Buffer.from(
      'From: =?utf-8?B?5byg5Lyf?= <zhangwei@yunfan-soft.cn>\r\nSubject: =?utf-8?B?55Sz5oql?=\r\nMessage-ID: <big.1@yunfan-soft.cn>\r\n' +
        'Received: from a by mx.wsia.org.cn; Thu, 20 Jul 2023 10:00:00 +0800\r\n' +
        'Content-Type: multipart/mixed; boundary="XX"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n正文\r\n--XX\r\n' +
        `X-Big: ${'a'.repeat(3 * 1024 * 1024)}\r\n` +
        'Content-Type: application/pdf; name="=?utf-8?B?55m76K6w6KGoLnBkZg==?="\r\nContent-Disposition: attachment; filename*=utf-8\'\'%E7%99%BB%E8%AE%B0%E8%A1%A8.pdf\r\n' +
        'Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--XX--\r\n',
    );
    const email = await readEmail(raw);
    expect(email.subject).toBe('申报');
    expect(email.from).toEqual({ address: 'zhangwei@yunfan-soft.cn', name: '张伟' });
    expect(email.messageId).toBe('<big.1@yunfan-soft.cn>');
    expect(email.receivedHeaderAt?.toISOString()).toBe('2023-07-20T02:00:00.000Z');
    expect(email.text).toBe('正文');
    expect(email.attachments.map((a) => [a.filename, a.content.toString('latin1')])).toEqual([['登记表.pdf', '%PDF-1.4\n']]);
    expect(email.problems).toHaveLength(1);
    expect(email.problems[0]?.file).toBe(MESSAGE_PROBLEM_FILE);
    expect(email.problems[0]?.reasonZh).toMatch(/邮件格式损坏/);
    expect(email.problems[0]?.reason).toMatch(/the email is malformed/);
  });

  it('more than 1000 parts', async () => {
    let parts = '';
    for (let i = 0; i < 1100; i++) parts += `--YY\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`;
    const raw = Buffer.from(`From: a@yunfan-soft.cn\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary="YY"\r\n\r\n${parts}--YY--\r\n`);
    const email = await readEmail(raw);
    expect(email.subject).toBe('many');
    expect(email.problems.map((p) => p.file)).toEqual([MESSAGE_PROBLEM_FILE]);
  });

  it('an empty input and a headers-only input', async () => {
    expect((await readEmail(Buffer.alloc(0))).subject).toBe('');
    const headersOnly = await readEmail(Buffer.from('Subject: only headers\r\nFrom: a@b.cn'));
    expect(headersOnly.subject).toBe('only headers');
  });

  it('binary garbage', async () => {
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
    const email = await readEmail(garbage);
    expect(email.attachments).toEqual([]);
  });
});

describe('damaged fixtures (deterministic fuzz)', () => {
  const dir = join(__dirname, '../../../fixtures/emails');
  const sources = ['11-raw-8bit-gbk', '14-forwarded-rfc822', '15-qq-large-attachment-link', '17-html-only-inline-logo', '19-dsn-bounce', '34-tnef-winmail'].map(
    (n) => readFileSync(join(dir, `${n}.eml`)),
  );
  let seed = 20230720;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const variants: Array<[number, Buffer]> = [];
  for (let i = 0; i < 60; i++) {
    const src = sources[i % sources.length] as Buffer;
    let b = Buffer.from(src);
    const at = Math.floor(random() * b.length);
    if (i % 4 === 0) b = b.subarray(0, at); // cut short
    else if (i % 4 === 1) for (let k = 0; k < 20; k++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256); // flipped bytes
    else if (i % 4 === 2) b = Buffer.concat([b.subarray(0, at), b.subarray(at + Math.floor(random() * 5000))]); // a hole
    else b = Buffer.concat([b.subarray(0, at % 3000), Buffer.from('\r\n--'), b.subarray(at % 3000)]); // a stray delimiter
    variants.push([i, b]);
  }
  it.each(variants)('variant %i resolves to an email', async (_i, b) => {
    const email = await readEmail(b);
    expect(typeof email.subject).toBe('string');
    for (const a of email.attachments) expect(a.filename).not.toBe('');
  });
});

describe('raw MIME reader', () => {
  it('splits a multipart whose closing boundary is missing', () => {
    const body = Buffer.from('preamble\r\n--b\r\nA: 1\r\n\r\none\r\n--b\r\nA: 2\r\n\r\ntwo\r\n');
    expect(splitMultipart(body, 'b').map((c) => c.toString())).toEqual(['A: 1\r\n\r\none', 'A: 2\r\n\r\ntwo']);
  });

  it('decodes base64 with stray bytes and quoted-printable with soft breaks', () => {
    expect(transferDecode(Buffer.from('5rWL!!\r\n6K+V\xff'), 'base64').toString()).toBe('测试');
    expect(transferDecode(Buffer.from('=E6=B5=8B=\r\n=E8=AF=95 ok'), 'quoted-printable').toString()).toBe('测试 ok');
  });

  it('decodes only the parts asked for', () => {
    const raw = Buffer.from(
      'Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n\r\nhi\r\n' +
        '--q\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--q--\r\n',
    );
    expect(leafParts(raw, (type) => type === 'text/plain').map((p) => p.content.toString())).toEqual(['hi']);
    expect(leafParts(raw).map((p) => p.contentType.type)).toEqual(['text/plain', 'application/zip']);
  });
});
