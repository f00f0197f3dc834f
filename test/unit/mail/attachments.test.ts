/** Which parts are files (signature images are not), their names, forwarded and TNEF parts. */
import { fileNameOf, forwardedPrefix, isDecorativeImage, isTnef, SIGNATURE_IMAGE_BYTES, TINY_IMAGE_BYTES } from '../../../src/mail/attachments';
import { readEmail } from '../../../src/mail/read-email';

const png = { contentType: 'image/png', size: 40 * 1024 };

describe('isDecorativeImage', () => {
  it('an inline image in multipart/related that the HTML does not show is a file (Apple Mail, iOS Mail)', () => {
    expect(isDecorativeImage({ ...png, cid: 'logo@x', related: true, contentDisposition: 'inline' }, '')).toBe(false);
    expect(isDecorativeImage({ ...png, cid: 'logo@x', related: true, contentDisposition: 'inline' }, '<img src="cid:other@x">')).toBe(false);
  });
  it('an image the HTML shows is a file when it is large (a photographed page pasted into the body)', () => {
    const photo = { contentType: 'image/jpeg', size: SIGNATURE_IMAGE_BYTES + 1, cid: 'p@x', related: true, contentDisposition: 'inline' };
    expect(isDecorativeImage(photo, '<img src="cid:p@x">')).toBe(false);
    expect(isDecorativeImage({ ...photo, size: SIGNATURE_IMAGE_BYTES }, '<img src="cid:p@x">')).toBe(true);
  });
  it('an inline image referenced by cid: from the HTML is a signature image', () => {
    expect(isDecorativeImage({ ...png, cid: 'logo@x', contentDisposition: 'inline' }, '<img src="cid:logo@x">')).toBe(true);
  });
  it('a tiny image not explicitly attached is decoration', () => {
    expect(isDecorativeImage({ contentType: 'image/gif', size: 43 }, '')).toBe(true);
  });
  it('an image attached as a file counts, however small', () => {
    expect(isDecorativeImage({ ...png, filename: '盖章页.png', contentDisposition: 'attachment' }, '')).toBe(false);
    expect(isDecorativeImage({ contentType: 'image/png', size: TINY_IMAGE_BYTES - 1, contentDisposition: 'attachment' }, '')).toBe(false);
  });
  it('an inline image with a cid that the HTML does not show, outside related, counts', () => {
    expect(isDecorativeImage({ ...png, cid: 'scan@x', contentDisposition: 'inline', filename: '扫描件.png' }, '<p>hi</p>')).toBe(false);
  });
  it('a PDF is never decoration', () => {
    expect(isDecorativeImage({ contentType: 'application/pdf', size: 10, cid: 'a', related: true }, '')).toBe(false);
  });
});

describe('names', () => {
  it('strips a sender path and repairs GBK mojibake', () => {
    expect(fileNameOf({ contentType: 'application/pdf', size: 1, filename: 'C:\\Users\\zw\\Desktop\\登记表.pdf' }, 0)).toBe('登记表.pdf');
    expect(fileNameOf({ contentType: 'application/pdf', size: 1, filename: '\u00b5\u00c7\u00bc\u00c7\u00b1\u00ed.pdf' }, 0)).toBe('登记表.pdf');
  });
  it('names an unnamed part by its type', () => {
    expect(fileNameOf({ contentType: 'application/pdf', size: 1 }, 2)).toBe('未命名附件3.pdf');
    expect(fileNameOf({ contentType: 'application/x-unknown', size: 1 }, 0)).toBe('未命名附件1.bin');
  });
  it('prefixes forwarded files with the attachment name, else the subject, else 转发邮件.eml', () => {
    expect(forwardedPrefix({ contentType: 'message/rfc822', size: 1, filename: '申报材料.eml' }, '主题')).toBe('申报材料.eml');
    expect(forwardedPrefix({ contentType: 'message/rfc822', size: 1, filename: '申报材料' }, '主题')).toBe('申报材料.eml');
    expect(forwardedPrefix({ contentType: 'message/rfc822', size: 1 }, '申报/材料')).toBe('申报_材料.eml');
    expect(forwardedPrefix({ contentType: 'message/rfc822', size: 1 }, '')).toBe('转发邮件.eml');
  });
  it('knows winmail.dat', () => {
    expect(isTnef({ contentType: 'application/ms-tnef', size: 1 })).toBe(true);
    expect(isTnef({ contentType: 'application/octet-stream', size: 1, filename: 'WINMAIL.DAT' })).toBe(true);
    expect(isTnef({ contentType: 'application/pdf', size: 1, filename: 'a.pdf' })).toBe(false);
  });
});

describe('forwarded messages', () => {
  function forwardChain(levels: number): Buffer {
    let inner =
      'From: a@yunfan-soft.cn\r\nSubject: inner\r\nContent-Type: multipart/mixed; boundary="in"\r\n\r\n' +
      '--in\r\nContent-Type: text/plain\r\n\r\nhttps://pan.baidu.com/s/1inner\r\n' +
      '--in\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--in--\r\n';
    for (let i = 1; i <= levels; i++) {
      inner =
        `From: a@yunfan-soft.cn\r\nSubject: fwd${i}\r\nContent-Type: multipart/mixed; boundary="l${i}"\r\n\r\n` +
        `--l${i}\r\nContent-Type: text/plain\r\n\r\nlevel ${i}\r\n` +
        `--l${i}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${inner}\r\n--l${i}--\r\n`;
    }
    return Buffer.from(inner);
  }

  it('opens forwarded emails with nested names and merges their links', async () => {
    const email = await readEmail(forwardChain(2));
    expect(email.attachments.map((a) => a.filename)).toEqual(['fwd1.eml/inner.eml/a.pdf']);
    expect(email.links).toEqual([{ url: 'https://pan.baidu.com/s/1inner', kind: 'baidu-pan' }]);
    expect(email.problems).toEqual([]);
  });

  it('opens at most maxForwardDepth levels', async () => {
    expect((await readEmail(forwardChain(3))).attachments.map((a) => a.filename)).toEqual(['fwd2.eml/fwd1.eml/inner.eml/a.pdf']);
    const tooDeep = await readEmail(forwardChain(4));
    expect(tooDeep.attachments).toEqual([]);
    expect(tooDeep.problems.map((p) => p.file)).toEqual(['fwd3.eml/fwd2.eml/fwd1.eml/inner.eml']);
    const shallow = await readEmail(forwardChain(2), { maxForwardDepth: 1 });
    expect(shallow.problems.map((p) => p.file)).toEqual(['fwd1.eml/inner.eml']);
  });
});
