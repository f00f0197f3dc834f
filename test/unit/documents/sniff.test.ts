import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatOf, sniff } from '../../../src/documents/sniff';

const FIXTURES = path.join(__dirname, 'fixtures');
const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('sniff: route by content, never by extension', () => {
  it.each([
    ['form.docx', 'pk'],
    ['form.doc', 'ole'],
    ['form.wps', 'ole'],
    ['form.pdf', 'pdf'],
    ['form.rtf', 'rtf'],
    ['form-gbk-html.doc', 'html'],
    ['form-mht.doc', 'mht'],
  ])('%s (made by LibreOffice / Python) is %s', (name, expected) => {
    expect(sniff(readFileSync(path.join(FIXTURES, name)))).toBe(expected);
  });

  it('recognises magic numbers of images, archives and PDFs with leading junk', () => {
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image');
    expect(sniff(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image');
    expect(sniff(bytes('II*\u0000rest'))).toBe('image');
    expect(sniff(bytes('GIF89a..'))).toBe('image');
    expect(sniff(bytes('Rar!\u001a\u0007\u0001\u0000'))).toBe('rar');
    expect(sniff(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]))).toBe('7z');
    expect(sniff(bytes('\r\n  %PDF-1.4\n'))).toBe('pdf');
  });

  it('tells RTF, HTML, MHT and text apart after a BOM or blank lines', () => {
    expect(sniff(bytes('\u00ef\u00bb\u00bf{\\rtf1\\ansi'))).toBe('rtf');
    expect(sniff(bytes('\r\n<!DOCTYPE html><html>'))).toBe('html');
    expect(sniff(bytes('<html xmlns:o="urn:schemas-microsoft-com:office:office">'))).toBe('html');
    expect(sniff(bytes('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="x"\r\n'))).toBe('mht');
    expect(sniff(Buffer.from('优秀软件产品登记表\n企业名称：某某', 'utf8'))).toBe('text');
    expect(sniff(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff]))).toBe('unknown');
    expect(sniff(Buffer.from('y'))).toBe('text');
    expect(sniff(Buffer.alloc(0))).toBe('unknown');
  });

  it('lets the name choose only between formats the content cannot tell apart', () => {
    expect(formatOf('ole', '登记表.wps')).toBe('wps');
    expect(formatOf('ole', '登记表.doc')).toBe('doc');
    expect(formatOf('rtf', '登记表.doc')).toBe('doc');
    expect(formatOf('html', '登记表.doc')).toBe('doc');
    expect(formatOf('pk', '材料.zip')).toBe('zip');
    expect(formatOf('pk', '登记表.docx')).toBe('docx');
    expect(formatOf('pdf', 'scan.jpg')).toBe('pdf');
    expect(formatOf('image', '登记表.pdf')).toBe('image');
  });
});
