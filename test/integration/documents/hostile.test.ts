/**
 * Hostile documents in one `shenbao parse` batch with ordinary ones: a 1 GB zip bomb, a
 * docx bomb, zips nested three deep, an encrypted member with a GBK name, a PDF whose
 * content stream keeps pdf.js busy past the time limit. Each ends as a coded record and
 * the ordinary documents in the same batch are still read. Made at test time by Python's
 * zipfile, Info-ZIP `zip` and a small PDF writer; needs the built dist/.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import { byFile, runParse, type ParseRun } from './run-parse';
import { SLOW_PDF_PY } from './slow-pdf';

const UNIT_FIXTURES = path.resolve(__dirname, '../../unit/documents/fixtures');

const MAKE = String.raw`
import sys, zipfile, zlib, os
out = sys.argv[1]
os.chdir(out)
# 1 GB of zeros (about 1 MB compressed) next to an ordinary note.
with zipfile.ZipFile('bomb.zip', 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open('zeros.bin', 'w', force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(1024):
            f.write(chunk)
    z.writestr('说明.txt', '请见附件。')
# A .docx whose document.xml unpacks to 200 MB.
with zipfile.ZipFile('form.docx') as src, zipfile.ZipFile('docx-bomb.docx', 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    for item in src.infolist():
        if item.filename != 'word/document.xml':
            z.writestr(item, src.read(item))
    with z.open('word/document.xml', 'w', force_zip64=True) as f:
        f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
        para = b'<w:p><w:r><w:t>x</w:t></w:r></w:p>' * 30000
        for _ in range(200):
            f.write(para)
        f.write(b'</w:body></w:document>')
${SLOW_PDF_PY}`;

let dir: string;
let run: ParseRun;

function zip(cwd: string, args: string[]): void {
  execFileSync('zip', ['-q', ...args], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-hostile-'));
  for (const f of ['form.docx', 'form.pdf']) fs.copyFileSync(path.join(UNIT_FIXTURES, f), path.join(dir, f));
  execFileSync('python3', ['-c', MAKE, dir]);
  // Zips three deep: nested.zip ⊃ inner.zip ⊃ deeper.zip ⊃ note.txt
  const nest = path.join(dir, 'nest');
  fs.mkdirSync(nest);
  fs.writeFileSync(path.join(nest, 'note.txt'), '三层压缩包');
  zip(nest, ['deeper.zip', 'note.txt']);
  fs.copyFileSync(path.join(dir, 'form.docx'), path.join(nest, 'form.docx'));
  zip(nest, ['inner.zip', 'form.docx', 'deeper.zip']);
  zip(nest, ['../nested.zip', 'inner.zip']);
  // One member encrypted (zip -P) under a GBK name, one in the clear.
  const secret = path.join(dir, 'secret');
  fs.mkdirSync(secret);
  fs.copyFileSync(path.join(dir, 'form.docx'), Buffer.concat([Buffer.from(`${secret}/`), iconv.encode('登记表.docx', 'gbk')]));
  fs.writeFileSync(path.join(secret, 'readme.txt'), '密码另行发送');
  execFileSync('sh', ['-c', 'zip -q -P 123456 ../secret.zip "$(ls | grep -v readme)" && zip -q ../secret.zip readme.txt'], {
    cwd: secret,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
  });
  const files = ['form.docx', 'bomb.zip', 'docx-bomb.docx', 'slow.pdf', 'nested.zip', 'secret.zip', 'form.pdf'].map((f) => path.join(dir, f));
  run = await runParse(['--compact', '--timeout', '8000', ...files], 300_000);
}, 320_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('hostile documents in a batch', () => {
  it('exits 0 and still reads the ordinary documents', () => {
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });
    const records = byFile(run.records);
    expect(records.get('form.docx')).toMatchObject({ format: 'docx', textLayer: true, error: null, kind: 'registrationForm' });
    expect(records.get('form.pdf')).toMatchObject({ format: 'pdf', textLayer: true, error: null, kind: 'registrationForm' });
  });

  it('refuses the 1 GB zip bomb member as TOO_LARGE and reads its sibling', () => {
    const records = byFile(run.records);
    expect(records.get('bomb.zip/zeros.bin')?.error?.code).toBe('TOO_LARGE');
    expect(records.get('bomb.zip/说明.txt')).toMatchObject({ format: 'text', error: null });
  });

  it('refuses the docx bomb before mammoth inflates it', () => {
    expect(byFile(run.records).get('docx-bomb.docx')).toMatchObject({ format: 'docx', error: { code: 'TOO_LARGE' } });
  });

  it('stops the PDF that keeps pdf.js busy at the time limit (or the memory cap)', () => {
    const slow = byFile(run.records).get('slow.pdf');
    expect(slow?.format).toBe('pdf');
    expect(['TIMEOUT', 'TOO_LARGE']).toContain(slow?.error?.code);
  });

  it('opens a zip inside a zip one level and gives the level below a coded record', () => {
    const records = byFile(run.records);
    expect(records.get('nested.zip/inner.zip/form.docx')).toMatchObject({ format: 'docx', error: null, kind: 'registrationForm' });
    expect(records.get('nested.zip/inner.zip/deeper.zip')).toMatchObject({ format: 'zip', error: { code: 'UNSUPPORTED_FORMAT' } });
    expect(run.records.filter((r) => r.file.startsWith('nested.zip')).map((r) => r.file).sort()).toEqual([
      'nested.zip/inner.zip/deeper.zip',
      'nested.zip/inner.zip/form.docx',
    ]);
  });

  it('reports an encrypted member under its decoded GBK name and reads the clear one', () => {
    const records = byFile(run.records);
    expect(records.get('secret.zip/登记表.docx')).toMatchObject({ format: 'docx', error: { code: 'ENCRYPTED' }, kind: 'registrationForm' });
    expect(records.get('secret.zip/readme.txt')).toMatchObject({ format: 'text', error: null });
  });
});
