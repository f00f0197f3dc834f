/**
 * The TNEF (winmail.dat) reader on streams built here record by record after MS-OXTNEF, and
 * readEmail on an Outlook-style message that carries one. The real winmail.dat files of the wild
 * corpus are in wild-corpus.test.ts.
 */
import iconv from 'iconv-lite';
import { readTnef } from '../../../src/mail/tnef';
import { readEmail } from '../../../src/mail/read-email';

function record(level: number, id: number, type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head[0] = level;
  head.writeUInt32LE(((type << 16) | id) >>> 0, 1);
  head.writeUInt32LE(data.length, 5);
  const sum = Buffer.alloc(2);
  sum.writeUInt16LE(data.reduce((n, b) => (n + b) & 0xffff, 0));
  return Buffer.concat([head, data, sum]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function padded(b: Buffer): Buffer {
  return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
}

/** attAttachment MAPI properties: PR_ATTACH_METHOD (a PT_LONG, to be skipped) then the long name. */
function attachmentProps(longName: Buffer, unicode: boolean, extra: Buffer[] = []): Buffer {
  const method = Buffer.concat([Buffer.from([0x03, 0x00, 0x05, 0x37]), u32(1)]);
  const name = Buffer.concat([Buffer.from([unicode ? 0x1f : 0x1e, 0x00, 0x07, 0x37]), u32(1), u32(longName.length), padded(longName)]);
  return Buffer.concat([u32(2 + extra.length), method, name, ...extra]);
}

const SIGNATURE = Buffer.from('789f3e22', 'hex');
const KEY = Buffer.from([0x01, 0x00]);
const VERSION = record(1, 0x9006, 0x0008, u32(0x00010000));
const CP936 = record(1, 0x9007, 0x0006, Buffer.concat([u32(936), u32(0)]));
const docx = Buffer.from('PK\x03\x04 pretend docx bytes', 'latin1');
const pdf = Buffer.from('%PDF-1.4 pretend scan', 'latin1');

function attachment(title: string, data: Buffer, props: Buffer | null): Buffer {
  return Buffer.concat([
    record(2, 0x9002, 0x0006, Buffer.alloc(14)),
    record(2, 0x8010, 0x0001, Buffer.concat([iconv.encode(title, 'cp936'), Buffer.from([0])])),
    record(2, 0x800f, 0x0006, data),
    ...(props ? [record(2, 0x9005, 0x0006, props)] : []),
  ]);
}

function stream(...parts: Buffer[]): Buffer {
  return Buffer.concat([SIGNATURE, KEY, VERSION, CP936, ...parts]);
}

describe('readTnef', () => {
  it('names each file by PR_ATTACH_LONG_FILENAME, 8-bit in the message code page (936) or UTF-16', () => {
    const t = readTnef(
      stream(
        attachment('优秀软~1.DOC', docx, attachmentProps(Buffer.concat([iconv.encode('优秀软件产品登记表.docx', 'cp936'), Buffer.from([0])]), false)),
        attachment('盖章扫~1.PDF', pdf, attachmentProps(Buffer.from('登记表盖章扫描件.pdf\0', 'utf16le'), true)),
      ),
    );
    expect(t.damaged).toBe(false);
    expect(t.files.map((f) => [f.name, f.content.toString('latin1')])).toEqual([
      ['优秀软件产品登记表.docx', docx.toString('latin1')],
      ['登记表盖章扫描件.pdf', pdf.toString('latin1')],
    ]);
  });

  it('falls back to the 8.3 title when there is no long name', () => {
    const t = readTnef(stream(attachment('REPORT~1.PDF', pdf, null)));
    expect(t.files.map((f) => f.name)).toEqual(['REPORT~1.PDF']);
  });

  it('a stream with only the message body has no files and is not damaged', () => {
    const body = record(1, 0x9003, 0x0006, Buffer.concat([u32(1), Buffer.from([0x1e, 0x00, 0x00, 0x10]), u32(1), u32(4), Buffer.from('hi\0\0')]));
    expect(readTnef(stream(body))).toEqual({ files: [], damaged: false, unopened: [] });
  });

  it('a truncated stream keeps the files before the break and says it is damaged', () => {
    const whole = stream(attachment('A.PDF', pdf, null), attachment('B.PDF', pdf, null));
    const t = readTnef(whole.subarray(0, whole.length - 5));
    expect(t.damaged).toBe(true);
    expect(t.files.map((f) => f.name)).toEqual(['A.PDF']);
  });

  it('bytes that are not TNEF, or records of no known level, are damaged', () => {
    expect(readTnef(Buffer.from('not a tnef stream')).damaged).toBe(true);
    // The shape of fixtures/emails/34-tnef-winmail.eml: signature, key, 64 zero bytes, a GBK name.
    const stub = Buffer.concat([SIGNATURE, KEY, Buffer.alloc(64), iconv.encode('优秀软件产品登记表.docx', 'gbk')]);
    expect(readTnef(stub)).toEqual({ files: [], damaged: true, unopened: [] });
  });

  it('an attached Outlook item (PT_OBJECT data, no attAttachData) is listed as not opened', () => {
    const obj = Buffer.concat([Buffer.from([0x0d, 0x00, 0x01, 0x37]), u32(1), u32(20), padded(Buffer.alloc(20))]);
    const props = attachmentProps(Buffer.from('会议邀请\0', 'utf16le'), true, [obj]);
    const t = readTnef(stream(record(2, 0x9002, 0x0006, Buffer.alloc(14)), record(2, 0x9005, 0x0006, props)));
    expect(t.files).toEqual([]);
    expect(t.unopened).toEqual(['会议邀请']);
  });
});

describe('readEmail with winmail.dat', () => {
  function outlookMail(tnef: Buffer): Buffer {
    return Buffer.from(
      'From: =?utf-8?B?5byg5Lyf?= <zhangwei@yunfan-soft.cn>\r\nSubject: =?utf-8?B?55Sz5oql5p2Q5paZ?=\r\n' +
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
        '--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplease see attached\r\n' +
        '--b1\r\nContent-Type: application/ms-tnef; name="winmail.dat"\r\nContent-Disposition: attachment; filename="winmail.dat"\r\n' +
        `Content-Transfer-Encoding: base64\r\n\r\n${tnef.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--b1--\r\n`,
      'latin1',
    );
  }

  it('the files inside become attachments named as attached in Outlook; no problem', async () => {
    const tnef = stream(attachment('优秀软~1.DOC', docx, attachmentProps(Buffer.concat([iconv.encode('优秀软件产品登记表.docx', 'cp936'), Buffer.from([0])]), false)));
    const email = await readEmail(outlookMail(tnef));
    expect(email.attachments.map((a) => [a.filename, a.size, a.content.equals(docx)])).toEqual([['优秀软件产品登记表.docx', docx.length, true]]);
    expect(email.problems).toEqual([]);
  });

  it('a damaged winmail.dat is a problem, with the files read before the damage kept', async () => {
    const whole = stream(attachment('A.PDF', pdf, null), attachment('B.PDF', pdf, null));
    const email = await readEmail(outlookMail(whole.subarray(0, whole.length - 5)));
    expect(email.attachments.map((a) => a.filename)).toEqual(['A.PDF']);
    expect(email.problems.map((p) => p.file)).toEqual(['winmail.dat']);
    expect(email.problems[0]?.reasonZh).toContain('winmail.dat');
  });
});
