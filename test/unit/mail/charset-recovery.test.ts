/**
 * Raw 8-bit GBK that mailparser damages (U+FFFD subjects, latin1 mojibake file names, bodies with
 * no charset), recovered from the raw bytes. GBK bytes are written out in hex, not produced by the
 * code under test: 报名表 = b1a8c3fbb1ed, 申报材料 = c9eab1a8b2c4c1cf, 张伟 = d5c5ceb0, 您好 = c4fabac3.
 */
import { decodeCharset, decodeEncodedWords, decodeUnlabelled, headerText, repairMojibake } from '../../../src/mail/charset-recovery';
import { readEmail } from '../../../src/mail/read-email';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('charset recovery', () => {
  it('reads unlabelled bytes as UTF-8 when valid, else GB18030', () => {
    expect(decodeUnlabelled(Buffer.from('申报材料', 'utf8'))).toBe('申报材料');
    expect(decodeUnlabelled(hex('c9eab1a8b2c4c1cf'))).toBe('申报材料');
    expect(decodeUnlabelled(ascii('plain ascii'))).toBe('plain ascii');
  });

  it('reads a gb2312 label as GB18030 (GBK-only 镕 = e946, € = a2e3)', () => {
    expect(decodeCharset(hex('e946a2e3'), 'gb2312')).toBe('镕€');
    expect(decodeCharset(hex('fe9f'), 'GB18030')).toBe('䶮');
  });

  it('repairs latin1 mojibake of a raw GBK file name and leaves real latin1 alone', () => {
    const mojibake = hex('b1a8c3fbb1ed').toString('latin1') + '.docx';
    expect(mojibake).toBe('±¨Ãû±í.docx');
    expect(repairMojibake(mojibake)).toBe('报名表.docx');
    expect(repairMojibake('café.pdf')).toBe('café.pdf');
    expect(repairMojibake('报名表.docx')).toBe('报名表.docx');
    expect(repairMojibake('report.pdf')).toBe('report.pdf');
  });

  it('joins RFC 2047 words split inside a multibyte character', () => {
    // 报名表 in GBK, cut after its first three bytes: b1a8c3 | fbb1ed.
    expect(decodeEncodedWords('=?GBK?B?sajD?= =?GBK?B?+7Ht?=.docx')).toBe('报名表.docx');
    expect(decodeEncodedWords('=?gb2312?Q?=C9=EA=B1=A8?= =?gb2312?Q?=B2=C4=C1=CF?=_x')).toBe('申报材料_x');
    expect(decodeEncodedWords('Re: =?utf-8?B?55Sz5oql?= 材料')).toBe('Re: 申报 材料');
  });

  it('decodes a raw 8-bit header with encoded words after it', () => {
    expect(headerText(Buffer.concat([hex('c9eab1a8'), ascii(' =?utf-8?B?5p2Q5paZ?=')]))).toBe('申报 材料');
  });
});

describe('readEmail on raw 8-bit GBK', () => {
  const crlf = ascii('\r\n');
  const raw = Buffer.concat([
    ascii('From: '), hex('d5c5ceb0'), ascii(' <zhangwei@yunfan-soft.cn>'), crlf,
    ascii('To: shenbao@wsia.org.cn'), crlf,
    ascii('Subject: '), hex('c9eab1a8b2c4c1cf'), crlf,
    ascii('Message-ID: <gbk.1@yunfan-soft.cn>'), crlf,
    ascii('Content-Type: multipart/mixed; boundary="B"'), crlf, crlf,
    ascii('--B'), crlf,
    ascii('Content-Type: text/plain'), crlf,
    ascii('Content-Transfer-Encoding: 8bit'), crlf, crlf,
    hex('c4fabac3'), ascii(', '), hex('c9eab1a8b2c4c1cf'), crlf,
    ascii('--B'), crlf,
    ascii('Content-Type: application/octet-stream; name="'), hex('b1a8c3fbb1ed'), ascii('.docx"'), crlf,
    ascii('Content-Disposition: attachment; filename="'), hex('b1a8c3fbb1ed'), ascii('.docx"'), crlf,
    ascii('Content-Transfer-Encoding: base64'), crlf, crlf,
    ascii('UEsDBBQAAAAIAA=='), crlf,
    ascii('--B--'), crlf,
  ]);

  it('recovers subject, sender name, file name and body', async () => {
    const email = await readEmail(raw);
    expect(email.subject).toBe('申报材料');
    expect(email.from).toEqual({ address: 'zhangwei@yunfan-soft.cn', name: '张伟' });
    expect(email.attachments.map((a) => a.filename)).toEqual(['报名表.docx']);
    expect(email.text).toBe('您好, 申报材料');
  });

  it('re-decodes a body wrongly labelled utf-8 that holds GBK', async () => {
    const mislabelled = Buffer.concat([
      ascii('From: a@yunfan-soft.cn\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      hex('c4fabac3'),
      crlf,
    ]);
    expect((await readEmail(mislabelled)).text.trim()).toBe('您好');
  });

  it('recovers file names whose GBK bytes are labelled utf-8 (RFC 2047 and RFC 2231), in nested parts too', async () => {
    const mislabelled = Buffer.from(
      'From: a@yunfan-soft.cn\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary="o"\r\n\r\n' +
        '--o\r\nContent-Type: multipart/mixed; boundary="i"\r\n\r\n' +
        '--i\r\nContent-Type: text/plain\r\n\r\nhi\r\n' +
        '--i\r\nContent-Type: application/pdf; name="=?utf-8?B?sajD+7Ht?=.pdf"\r\nContent-Disposition: attachment\r\n\r\n%PDF\r\n' +
        '--i--\r\n' +
        "--o\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''%B1%A8%C3%FB%B1%ED2.pdf\r\n\r\n%PDF\r\n" +
        '--o--\r\n',
    );
    const email = await readEmail(mislabelled);
    expect(email.attachments.map((a) => a.filename)).toEqual(['报名表.pdf', '报名表2.pdf']);
  });

  it('recovers a sender name whose GBK bytes are labelled utf-8', async () => {
    // 张伟 in GBK (d5c5ceb0) in a word that claims to be UTF-8.
    const raw = Buffer.from('From: =?utf-8?B?1cXOsA==?= <zhangwei@yunfan-soft.cn>\r\nSubject: x\r\n\r\nhi\r\n');
    expect((await readEmail(raw)).from).toEqual({ address: 'zhangwei@yunfan-soft.cn', name: '张伟' });
  });

  it('leaves raw UTF-8 headers as they are', async () => {
    const utf8 = Buffer.from('From: 张伟 <zhangwei@yunfan-soft.cn>\r\nSubject: 申报材料\r\n\r\n正文\r\n', 'utf8');
    const email = await readEmail(utf8);
    expect(email.subject).toBe('申报材料');
    expect(email.from?.name).toBe('张伟');
    expect(email.text.trim()).toBe('正文');
  });
});
