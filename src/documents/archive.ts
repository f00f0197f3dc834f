/**
 * An archive's members (zip, rar, 7z) become documents of their own
 * (`outer.zip/inner/name.docx`); the archive itself yields a record only when it is broken,
 * empty, encrypted as a whole, too large or nested too deep. Every format gets the same
 * limits (entries, sizes, ratio, depth), judged on the listing before anything is unpacked.
 * Encrypted members are reported, never silently skipped; folders and links are never
 * documents and never followed; nothing is written to a path from the archive.
 */
import { DocumentFailure, encrypted, tooLarge, unreadable, unsupported } from './failure';
import { buildRecord } from './record';
import type { ArchiveMember, ReadItem } from './read';
import { formatFromName, sniff } from './sniff';
import type { ArchiveEntry, OpenedArchive } from './readers/archive-entry';
import { LinkSkipped, openRar } from './readers/rar';
import { openSevenZip } from './readers/sevenzip';
import { ARCHIVE_LIMITS, memberProblem, openZipArchive } from './readers/zip';

const MAX_DEPTH = 1;

type ArchiveFormat = OpenedArchive['format'];

/** Mac and Windows leave these behind; they are not documents anyone sent on purpose. */
function isJunk(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return name.startsWith('__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini' || base.startsWith('~$');
}

function sanitise(name: string): string {
  return name.split('/').filter((p) => p !== '' && p !== '.' && p !== '..').join('/') || 'unnamed';
}

function failed(file: string, bytes: Buffer, failure: DocumentFailure, format = formatFromName(file)): ReadItem {
  return {
    record: buildRecord({ file, format: failure.format ?? format, content: null, textLayer: false, ocrText: null, error: failure.toError() }, bytes),
  };
}

function archiveFormat(bytes: Buffer): ArchiveFormat {
  const s = sniff(bytes);
  return s === 'rar' ? 'rar' : s === '7z' ? '7z' : 'zip';
}

function open(format: ArchiveFormat, bytes: Buffer): Promise<OpenedArchive> {
  switch (format) {
    case 'rar':
      return openRar(bytes);
    case '7z':
      return openSevenZip(bytes);
    case 'zip':
      return openZipArchive(bytes);
  }
}

/** The archive's own name in messages to applicants. */
const LABEL: Record<ArchiveFormat, string> = { zip: 'zip', rar: 'RAR', '7z': '7z' };

export async function expandArchive(file: string, bytes: Buffer, depth: number): Promise<ReadItem[]> {
  const format = archiveFormat(bytes);
  if (depth > MAX_DEPTH) throw unsupported(`${LABEL[format]} archive nested inside an archive inside an archive (please send one archive level)`).as(format);
  let archive: OpenedArchive;
  try {
    archive = await open(format, bytes);
  } catch (err) {
    throw err instanceof DocumentFailure ? err.as(format) : err;
  }
  const items: ReadItem[] = [];
  try {
    if (archive.entries.length > ARCHIVE_LIMITS.maxEntries) {
      throw tooLarge(`archive has ${archive.entries.length} entries (limit ${ARCHIVE_LIMITS.maxEntries})`);
    }
    // An empty file beside real ones is a leftover (Explorer's 新建文本文档.txt), no document;
    // an archive of nothing but empty files is reported, member by member.
    const files = archive.entries.filter((e) => !e.directory && !e.link && !isJunk(e.name));
    const skipEmpty = files.some((e) => e.uncompressedSize > 0);
    // A bomb among the members is refused on its own; the other members are still read.
    let total = 0;
    for (const info of files) {
      if (skipEmpty && info.uncompressedSize === 0) continue;
      const problem = memberProblem(info, total, ARCHIVE_LIMITS, 'archive');
      if (problem) {
        items.push(failed(`${file}/${sanitise(info.name)}`, await archive.fingerprint(info), problem));
        continue;
      }
      total += info.uncompressedSize;
      const item = await member(file, depth, archive, info);
      if (item) items.push(item);
    }
  } catch (err) {
    throw err instanceof DocumentFailure ? err.as(format) : err;
  } finally {
    archive.close();
  }
  if (items.length === 0) throw unreadable('the archive holds no files').as(format);
  return items;
}

/** One member: its bytes to be read in turn, or a coded record; null for a link found on the way. */
async function member(file: string, depth: number, archive: OpenedArchive, info: ArchiveEntry): Promise<ReadItem | null> {
  if (info.unsafe !== null) {
    const label = `${file}/${sanitise(info.name)}`;
    return failed(label, await archive.fingerprint(info), unreadable(`unsafe path in archive (${info.unsafe})`));
  }
  const label = `${file}/${info.name}`;
  if (info.encrypted) return failed(label, await archive.fingerprint(info), encrypted('This archive member'));
  try {
    const bytes = await archive.read(info);
    const m: ArchiveMember = { file: label, bytes, depth: depth + 1 };
    return { member: m };
  } catch (err) {
    if (err instanceof LinkSkipped) return null;
    if (err instanceof DocumentFailure) return failed(label, Buffer.alloc(0), err);
    throw err;
  }
}
