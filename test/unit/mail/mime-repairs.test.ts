/**
 * What readEmail repairs in real mail before or beside mailparser: the body's declared charset
 * for raw 8-bit headers, labels that lie about UTF-8, blank lines before the headers, named
 * inline text parts, delimiters glued to a line's end, and Apple Mail's inline photos.
 */
import iconv from 'iconv-lite';
import { decodeCharset, headerText } from '../../../src/mail/charset-recovery';
import { declaredCharset, repairGluedBoundaries, skipLeadingBlankLines } from '../../../src/mail/raw-mime';
import { readEmail } from '../../../src/mail/read-email';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('the declared charset reads raw 8-bit headers first', () => {
  const big5 = iconv.encode('申報優秀軟體產品', 'big5');
  it('Big5 bytes in a big5 message are Big5, not GBK', () => {
    expect(headerText(big5, 'big5')).toBe('申報優秀軟體產品');
    expect(headerText(big5, null)).not.toBe('申報優秀軟體產品');
  });
  it('undoes one Latin-1 → UTF-8 pass of Big5 bytes', () => {
    expect(headerText(Buffer.from(big5.toString('latin1'), 'utf8'), 'big5')).toBe('申報優秀軟體產品');
  });
  it('real UTF-8 and undeclared GBK keep the unlabelled rule', () => {
    expect(headerText(Buffer.from('申报材料 café', 'utf8'), 'big5')).toBe('申报材料 café');
    expect(headerText(iconv.encode('申报材料', 'gbk'), 'us-ascii')).toBe('申报材料');
    expect(headerText(iconv.encode('申报材料', 'gbk'), null)).toBe('申报材料');
  });
  it('a message declares the charset of its first text part', () => {
    const raw = bytes('Content-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--x\r\nContent-Type: text/plain; charset=Big5\r\n\r\nhi\r\n--x--\r\n');
    expect(declaredCharset(raw)).toBe('Big5');
    expect(declaredCharset(bytes('Subject: x\r\n\r\nbody'))).toBeNull();
  });
  it('readEmail: a raw Big5 subject and From name of a charset=big5 message', async () => {
    const raw = Buffer.concat([
      bytes('From: '), iconv.encode('張偉', 'big5'), bytes(' <zw@yunfan-soft.com.hk>\r\nSubject: '), big5,
      bytes('\r\nContent-Type: text/plain; charset=big5\r\n\r\n'), iconv.encode('您好', 'big5'), bytes('\r\n'),
    ]);
    const email = await readEmail(raw);
    expect(email.subject).toBe('申報優秀軟體產品');
    expect(email.from).toEqual({ address: 'zw@yunfan-soft.com.hk', name: '張偉' });
  });
});

describe('a label that lies', () => {
  it('UTF-8 bytes labelled gb2312 or Big5 are read as UTF-8', () => {
    expect(decodeCharset(Buffer.from('你好！我公司', 'utf8'), 'gb2312')).toBe('你好！我公司');
    expect(decodeCharset(Buffer.from('您好！ 你今天好吗？', 'utf8'), 'Big5')).toBe('您好！ 你今天好吗？');
  });
  it('true GBK and Big5 stay as labelled', () => {
    expect(decodeCharset(iconv.encode('登记表', 'gbk'), 'gb2312')).toBe('登记表');
    expect(decodeCharset(iconv.encode('登記表', 'big5'), 'big5')).toBe('登記表');
  });
  it('ISO-2022-JP, which iconv-lite does not know, is decoded', () => {
    expect(decodeCharset(Buffer.from('1b24422546253925481b2842', 'hex'), 'ISO-2022-JP')).toBe('テスト');
  });
});

describe('blank lines before the headers', () => {
  it('are skipped when a header field follows', async () => {
    expect(skipLeadingBlankLines(bytes('\r\nFrom: a@b.cn\r\n\r\nx')).toString('latin1')).toBe('From: a@b.cn\r\n\r\nx');
    const email = await readEmail(bytes('\nFrom: Zhang <zw@yunfan-soft.cn>\nSubject: hi\n\nbody\n'));
    expect(email.from).toEqual({ address: 'zw@yunfan-soft.cn', name: 'Zhang' });
    expect(email.subject).toBe('hi');
  });
  it('a message that is only a body stays one', () => {
    const raw = bytes('\r\njust text, no headers\r\n');
    expect(skipLeadingBlankLines(raw)).toBe(raw);
  });
});

describe('a named inline text part', () => {
  it('is a file (RFC 2231 continuations), and the body part is not', async () => {
    const raw = bytes(
      'From: a@yunfan-soft.cn\r\nSubject: s\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
        '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n' +
        "--b\r\nContent-Type: text/plain\r\nContent-Disposition: inline;\r\n filename*0*=utf-8''%E7%94%A8%E6%88%B7;\r\n filename*1*=%E6%8A%A5%E5%91%8A;\r\n filename*2=.txt\r\n\r\nreport text\r\n--b--\r\n",
    );
    const email = await readEmail(raw);
    expect(email.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([['用户报告.txt', 'report text']]);
  });
});

describe('a delimiter glued to the end of a line', () => {
  const boundary = '----=_NextPart_01D826A7.ABA809A0';
  const raw = bytes(
    `From: a@139.com\r\nSubject: s\r\nContent-Type: multipart/related; boundary="${boundary}"\r\n\r\n` +
      `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>hi</body></html>--${boundary}\r\n` +
      `Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--${boundary}--\r\n`,
  );
  it('gets a line break before it', () => {
    expect(repairGluedBoundaries(raw).toString('latin1')).toContain(`</html>\r\n--${boundary}\r\n`);
  });
  it('so the part after it is found', async () => {
    const email = await readEmail(raw);
    expect(email.attachments.map((a) => a.filename)).toEqual(['a.pdf']);
  });
  it('short boundaries and delimiters in the middle of text are left alone', () => {
    const short = bytes('Content-Type: multipart/mixed; boundary="a"\r\n\r\n--a\r\n\r\nx--a\r\n--a--\r\n');
    expect(repairGluedBoundaries(short)).toBe(short);
    const prose = bytes(`Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\n\r\nsee --${boundary} here\r\n--${boundary}--\r\n`);
    expect(repairGluedBoundaries(prose)).toBe(prose);
  });
});

describe("Apple Mail's inline photo", () => {
  it('is a file when the HTML does not show it, and a signature image when it does and is small', async () => {
    const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(20 * 1024, 7)]);
    const mail = (html: string): Buffer =>
      bytes(
        'From: a@yunfan-soft.cn\r\nSubject: s\r\nContent-Type: multipart/related; boundary="r"\r\n\r\n' +
          `--r\r\nContent-Type: text/html\r\n\r\n${html}\r\n` +
          `--r\r\nContent-Type: image/jpeg; name="IMG_0001.jpg"\r\nContent-Disposition: inline; filename="IMG_0001.jpg"\r\nContent-ID: <img1@apple>\r\nContent-Transfer-Encoding: base64\r\n\r\n${jpeg.toString('base64')}\r\n--r--\r\n`,
      );
    expect((await readEmail(mail('<br>'))).attachments.map((a) => a.filename)).toEqual(['IMG_0001.jpg']);
    expect((await readEmail(mail('<img src="cid:img1@apple">'))).attachments).toEqual([]);
  });
});
