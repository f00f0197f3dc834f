import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as iconv from 'iconv-lite';
import { DocumentFailure } from '../../../src/documents/failure';
import { ARCHIVE_LIMITS, checkLimits, decodeEntryName, openZip, readEntry } from '../../../src/documents/readers/zip';

/** Zips made by Info-ZIP `zip` in the C locale: names are stored as raw bytes, without the UTF-8 flag. */
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-zip-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function makeZip(name: string, files: Array<[Buffer, string]>, extraArgs: string[] = []): Buffer {
  const src = fs.mkdtempSync(path.join(dir, 'src-'));
  for (const [rel, content] of files) {
    const parts = [Buffer.from(src + '/'), rel];
    const full = Buffer.concat(parts);
    const slash = rel.lastIndexOf(0x2f);
    if (slash > 0) fs.mkdirSync(Buffer.concat([Buffer.from(src + '/'), rel.subarray(0, slash)]), { recursive: true });
    fs.writeFileSync(full, content);
  }
  const out = path.join(dir, name);
  execFileSync('zip', ['-qr', ...extraArgs, out, '.'], { cwd: src, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' } });
  return fs.readFileSync(out);
}

const gbk = (s: string): Buffer => iconv.encode(s, 'gbk');

describe('zip member names', () => {
  it('decodes GBK names without the UTF-8 flag (Windows zippers), UTF-8 ones (macOS) and folders', async () => {
    const zip = makeZip('names.zip', [
      [gbk('报名表.docx'), 'a'],
      [Buffer.from('用户使用报告.pdf', 'utf8'), 'b'],
      [Buffer.concat([gbk('材料'), Buffer.from('/'), gbk('软件著作权登记证书.pdf')]), 'c'],
    ]);
    const open = await openZip(zip, 100);
    const names = open.entries.map((e) => e.name).sort();
    expect(names).toEqual(['报名表.docx', '材料/', '材料/软件著作权登记证书.pdf', '用户使用报告.pdf'].sort());
    expect(open.entries.every((e) => (e.entry.generalPurposeBitFlag & 0x800) === 0)).toBe(true);
    const member = open.entries.find((e) => e.name === '材料/软件著作权登记证书.pdf');
    if (!member) throw new Error('member missing');
    expect((await readEntry(open, member)).toString()).toBe('c');
    open.zip.close();
  });

  it('prefers the UTF-8 flag, then valid UTF-8, then GB18030', () => {
    const utf8 = Buffer.from('登记表.docx', 'utf8');
    expect(decodeEntryName(utf8, 0x800)).toBe('登记表.docx');
    expect(decodeEntryName(utf8, 0)).toBe('登记表.docx');
    expect(decodeEntryName(gbk('登记表.docx'), 0)).toBe('登记表.docx');
    expect(decodeEntryName(Buffer.from('plain.pdf'), 0)).toBe('plain.pdf');
  });

  it('marks encrypted members (zip -P) and unsafe paths', async () => {
    const zip = makeZip('secret.zip', [[gbk('登记表.docx'), 'secret']], ['-P', '123456']);
    const open = await openZip(zip, 100);
    expect(open.entries.map((e) => [e.name, e.encrypted, e.unsafe])).toEqual([['登记表.docx', true, null]]);
    open.zip.close();
  });
});

describe('zip limits', () => {
  it('refuses a zip bomb by its compression ratio before inflating it', async () => {
    const src = path.join(dir, 'zeros');
    fs.mkdirSync(src);
    execFileSync('sh', ['-c', 'dd if=/dev/zero bs=1M count=20 2>/dev/null > zeros.bin && zip -q -9 ../bomb.zip zeros.bin'], { cwd: src });
    const open = await openZip(fs.readFileSync(path.join(dir, 'bomb.zip')), 100);
    const failure = (() => {
      try {
        checkLimits(open.entries, ARCHIVE_LIMITS, 'archive');
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(failure).toBeInstanceOf(DocumentFailure);
    expect((failure as DocumentFailure).code).toBe('TOO_LARGE');
    open.zip.close();
  });

  it('refuses archives with too many entries and reports damaged ones as UNREADABLE', async () => {
    const many = makeZip(
      'many.zip',
      Array.from({ length: 12 }, (_, i) => [Buffer.from(`f${i}.txt`), 'x'] as [Buffer, string]),
    );
    await expect(openZip(many, 10)).rejects.toMatchObject({ code: 'TOO_LARGE' });
    const truncated = many.subarray(0, many.length - 30);
    await expect(openZip(truncated, 100)).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});

describe('zip with stray bytes after its end record (unzip, Python and Word read it)', () => {
  it('is opened as if the stray bytes were not there; a cut-off zip stays UNREADABLE', async () => {
    const zip = makeZip('tail.zip', [[Buffer.from('a.txt'), 'hello']]);
    const padded = Buffer.concat([zip, Buffer.from('\n')]);
    const open = await openZip(padded, 100);
    expect(open.entries.map((e) => e.name)).toEqual(['a.txt']);
    expect(open.bytes.equals(zip)).toBe(true);
    expect((await readEntry(open, open.entries[0]!)).toString()).toBe('hello');
    open.zip.close();
    await expect(openZip(zip.subarray(0, zip.length - 5), 100)).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});
