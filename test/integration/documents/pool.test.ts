/**
 * The worker pool's isolation, through the public API: a document that overruns the time
 * limit or the heap cap ends as a coded record, its worker is replaced, and the documents
 * around it are read. Loads the built worker (dist/); inputs are made by Python's zipfile
 * and a small PDF writer, next to a LibreOffice .docx.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDocumentParser } from '../../../src/documents';
import { assertBuilt } from './run-parse';
import { SLOW_PDF_PY } from './slow-pdf';

const FORM = fs.readFileSync(path.resolve(__dirname, '../../unit/documents/fixtures/form.docx'));

const MAKE = String.raw`
import sys, zipfile, zlib, os
os.chdir(sys.argv[1])
${SLOW_PDF_PY}# A .docx within the size limits whose 60 MB of paragraphs need far more than a 64 MB heap.
with zipfile.ZipFile('form.docx') as src, zipfile.ZipFile('big.docx', 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for item in src.infolist():
        if item.filename != 'word/document.xml':
            z.writestr(item, src.read(item))
    with z.open('word/document.xml', 'w') as f:
        f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
        para = b'<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % ('优秀软件产品登记表'.encode() * 4)
        for _ in range(600_000):
            f.write(para)
        f.write(b'</w:body></w:document>')
`;

let dir: string;
let slow: Buffer;
let big: Buffer;

beforeAll(() => {
  assertBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-pool-'));
  fs.writeFileSync(path.join(dir, 'form.docx'), FORM);
  execFileSync('python3', ['-c', MAKE, dir]);
  slow = fs.readFileSync(path.join(dir, 'slow.pdf'));
  big = fs.readFileSync(path.join(dir, 'big.docx'));
}, 60_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('document pool isolation', () => {
  it('gives a document that overruns the time limit a TIMEOUT record and keeps reading the others', async () => {
    const parser = createDocumentParser({ concurrency: 2, timeoutMs: 2000 });
    try {
      const started = Date.now();
      const [a, b, c] = await Promise.all([parser.parse('slow.pdf', slow), parser.parse('登记表.docx', FORM), parser.parse('again.docx', FORM)]);
      expect(a).toEqual([expect.objectContaining({ file: 'slow.pdf', format: 'pdf', error: expect.objectContaining({ code: 'TIMEOUT' }) })]);
      expect(a[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(b).toEqual([expect.objectContaining({ file: '登记表.docx', error: null, textLayer: true })]);
      expect(c).toEqual([expect.objectContaining({ error: null })]);
      expect(Date.now() - started).toBeLessThan(30_000);
      // The terminated worker is replaced: the pool still reads.
      expect(await parser.parse('after.docx', FORM)).toEqual([expect.objectContaining({ error: null })]);
    } finally {
      await parser.close();
    }
  }, 60_000);

  it('gives a document that exhausts the heap cap a TOO_LARGE record and keeps reading the others', async () => {
    const parser = createDocumentParser({ concurrency: 2, timeoutMs: 60_000, maxMemoryMb: 64 });
    try {
      const [a, b] = await Promise.all([parser.parse('big.docx', big), parser.parse('登记表.docx', FORM)]);
      expect(a).toEqual([expect.objectContaining({ file: 'big.docx', format: 'docx', error: expect.objectContaining({ code: 'TOO_LARGE' }) })]);
      expect(b).toEqual([expect.objectContaining({ error: null })]);
      expect(await parser.parse('after.docx', FORM)).toEqual([expect.objectContaining({ error: null })]);
    } finally {
      await parser.close();
    }
  }, 120_000);

  it('replaces a worker process grown past recycleRssMb between documents, and every document is read', async () => {
    // 1 MB: every process is past it after each document, so each one is replaced.
    const parser = createDocumentParser({ concurrency: 1, recycleRssMb: 1 });
    try {
      const records = await Promise.all(['a.docx', 'b.docx', 'c.docx', 'd.docx'].map((n) => parser.parse(n, FORM)));
      expect(records.flat()).toEqual(['a.docx', 'b.docx', 'c.docx', 'd.docx'].map((file) => expect.objectContaining({ file, error: null, textLayer: true })));
      const reading = await parser.readEmail(Buffer.from('From: a@b.test\r\nSubject: x\r\n\r\nhi\r\n'), { maxForwardDepth: 3, timeoutMs: 10_000 });
      expect('email' in reading ? reading.email.subject : reading.failure).toBe('x');
    } finally {
      await parser.close();
    }
  }, 60_000);
});
