/**
 * RAR and 7z open like zip: members by their decoded names, folders and links skipped,
 * encrypted members (or an archive whose names are encrypted) reported, the same limits.
 * The RARs are libarchive's real WinRAR files in ../shared/corpus/archives (read in place);
 * the 7z files are fixtures made by Debian's 7zz (fixtures/make-documents/make-documents-7z.py).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandArchive } from '../../../src/documents/archive';
import type { ReadItem } from '../../../src/documents/read';
import { parseListing } from '../../../src/documents/readers/sevenzip';
import { ARCHIVE_LIMITS } from '../../../src/documents/readers/zip';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus', 'archives');
const DOCS = path.join(ROOT, 'fixtures', 'documents');

interface Seen {
  file: string;
  bytes?: string;
  error?: string;
}

function seen(items: ReadItem[]): Seen[] {
  return items.map((i) =>
    'member' in i
      ? { file: i.member.file, bytes: i.member.bytes.toString('utf8') }
      : { file: i.record.file, error: i.record.error?.code ?? 'none' },
  );
}

const corpus = (name: string): Buffer => fs.readFileSync(path.join(CORPUS, name));

describe('RAR (node-unrar-js)', () => {
  it('RAR 4: both regular files, the symlink and the folders give nothing', async () => {
    const items = seen(await expandArchive('材料_rar4.rar', corpus('材料_rar4.rar'), 0));
    expect(items).toEqual([
      { file: '材料_rar4.rar/test.txt', bytes: 'test text document\r\n' },
      { file: '材料_rar4.rar/testdir/test.txt', bytes: 'test text document\r\n' },
    ]);
  });

  it('RAR 5 (stored)', async () => {
    expect(seen(await expandArchive('材料_rar5.rar', corpus('材料_rar5.rar'), 0))).toEqual([
      { file: '材料_rar5.rar/helloworld.txt', bytes: 'hello libarchive test suite!\n' },
    ]);
  });

  it('RAR 4 Unicode names (FHD_UNICODE): the member after the link is still read, the empty leftover is no document', async () => {
    const items = seen(await expandArchive('补充材料.rar', corpus('补充材料_rar4_unicode.rar'), 0));
    expect(items).toEqual([
      { file: '补充材料.rar/表だよ/漢字長いファイル名long-filename-in-漢字.txt', bytes: 'kanji' },
      { file: '补充材料.rar/abcdefghijklmnopqrsテスト.txt', bytes: 'aaaaaaaaaaaaaaa\n' },
    ]);
  });

  it('a RAR signature followed by junk is a damaged archive (UNREADABLE, format rar)', async () => {
    const junk = Buffer.concat([Buffer.from('Rar!\x1a\x07\x00', 'latin1'), Buffer.alloc(2048, 0x5a)]);
    await expect(expandArchive('materials.rar', junk, 0)).rejects.toMatchObject({ code: 'UNREADABLE', format: 'rar' });
  });

  it('an archive inside an archive inside an archive is refused', async () => {
    await expect(expandArchive('x.rar', corpus('材料_rar5.rar'), 2)).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', format: 'rar' });
  });
});

describe('7z (7z-wasm)', () => {
  const names = (items: ReadItem[]): string[] => items.map((i) => ('member' in i ? i.member.file : `${i.record.file} ${i.record.error?.code}`));

  it('Chinese names, nested folders; the symlink and the empty folder give nothing', async () => {
    const bytes = fs.readFileSync(path.join(DOCS, 'other', 'bundle.7z'));
    const items = await expandArchive('bundle.7z', bytes, 0);
    expect(names(items).sort()).toEqual(
      [
        '优秀软件产品登记表.docx',
        '登记表（盖章扫描件）.pdf',
        '著作权/软件著作权登记证书.pdf',
        '用户使用报告/用户使用报告1.docx',
        '用户使用报告/用户使用报告2.pdf',
        '用户使用报告/用户使用报告3.docx',
      ].map((n) => `bundle.7z/云帆软件申报材料/${n}`).sort(),
    );
    // The bytes are the documents themselves (the form is the core form, byte for byte).
    const form = items.find((i) => 'member' in i && i.member.file.endsWith('登记表.docx'));
    const core = fs.readFileSync(path.join(DOCS, 'forms', 'core-form.docx'));
    expect(form && 'member' in form && form.member.bytes.equals(core)).toBe(true);
  });

  it('encrypted members are reported one by one, named', async () => {
    const items = await expandArchive('password.7z', fs.readFileSync(path.join(DOCS, 'hostile', 'password.7z')), 0);
    expect(names(items).sort()).toEqual(['password.7z/用户使用报告.pdf ENCRYPTED', 'password.7z/登记表.docx ENCRYPTED']);
    const shas = items.map((i) => ('record' in i ? i.record.sha256 : ''));
    expect(new Set(shas).size).toBe(2);
  });

  it('encrypted names: the whole archive is ENCRYPTED', async () => {
    const bytes = fs.readFileSync(path.join(DOCS, 'hostile', 'password-names.7z'));
    await expect(expandArchive('password-names.7z', bytes, 0)).rejects.toMatchObject({ code: 'ENCRYPTED', format: '7z' });
  });

  it('does not leave 7-Zip exit codes in process.exitCode', async () => {
    const before = process.exitCode;
    await expandArchive('password.7z', fs.readFileSync(path.join(DOCS, 'hostile', 'password.7z')), 0);
    expect(process.exitCode).toBe(before);
  });

  it('damaged 7z: UNREADABLE', async () => {
    const bytes = fs.readFileSync(path.join(DOCS, 'other', 'bundle.7z')).subarray(0, 4000);
    await expect(expandArchive('cut.7z', bytes, 0)).rejects.toMatchObject({ format: '7z' });
  });

  it('limits are judged on the listing: a member declared larger than the cap is TOO_LARGE, unpacked never', () => {
    const listing = [
      'Path = /archive.7z', 'Type = 7z', '', '----------',
      'Path = 材料/zeros.bin', `Size = ${ARCHIVE_LIMITS.maxEntryBytes + 1}`, 'Packed Size = 30000', 'Attributes = A -rw-r--r--', 'Encrypted = -', '',
      'Path = 材料/link.docx', 'Size = 8', 'Packed Size = ', 'Attributes = A lrwxrwxrwx', 'Encrypted = -', '',
      'Path = ../evil.docx', 'Size = 8', 'Packed Size = 8', 'Attributes = A -rw-r--r--', 'Encrypted = +', '',
    ].join('\n');
    expect(parseListing(listing)).toEqual([
      { name: '材料/zeros.bin', unsafe: null, directory: false, link: false, encrypted: false, compressedSize: 30000, uncompressedSize: ARCHIVE_LIMITS.maxEntryBytes + 1 },
      { name: '材料/link.docx', unsafe: null, directory: false, link: true, encrypted: false, compressedSize: 0, uncompressedSize: 8 },
      { name: '../evil.docx', unsafe: 'invalid relative path: ../evil.docx', directory: false, link: false, encrypted: true, compressedSize: 8, uncompressedSize: 8 },
    ]);
  });
});
