/**
 * A zip's members become documents of their own (`outer.zip/inner/name.docx`); the
 * archive itself yields a record only when it is broken, empty, too large or nested
 * too deep. Encrypted members are reported, never silently skipped.
 */
import { DocumentFailure, encrypted, unreadable, unsupported } from './failure';
import { buildRecord } from './record';
import type { ArchiveMember, ReadItem } from './read';
import { formatFromName } from './sniff';
import { ARCHIVE_LIMITS, memberProblem, openZip, readEntry, readRaw, type OpenZip, type ZipEntryInfo } from './readers/zip';

const MAX_DEPTH = 1;

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

export async function expandArchive(file: string, bytes: Buffer, depth: number): Promise<ReadItem[]> {
  if (depth > MAX_DEPTH) throw unsupported('zip nested inside a zip inside a zip (please send one archive level)').as('zip');
  const zip = await openZip(bytes, ARCHIVE_LIMITS.maxEntries, 'archive').catch((err: unknown) => {
    throw err instanceof DocumentFailure ? err.as('zip') : err;
  });
  const items: ReadItem[] = [];
  try {
    // A bomb among the members is refused on its own; the other members are still read.
    let total = 0;
    for (const info of zip.entries) {
      if (info.directory || isJunk(info.name)) continue;
      const problem = memberProblem(info, total, ARCHIVE_LIMITS, 'archive');
      if (problem) {
        items.push(failed(`${file}/${sanitise(info.name)}`, await stored(zip, info), problem));
        continue;
      }
      total += info.uncompressedSize;
      items.push(await member(file, depth, zip, info));
    }
  } catch (err) {
    throw err instanceof DocumentFailure ? err.as('zip') : err;
  } finally {
    zip.zip.close();
  }
  if (items.length === 0) throw unreadable('the archive holds no files').as('zip');
  return items;
}

/**
 * A member that cannot be opened is fingerprinted by its stored (compressed or encrypted)
 * bytes: the same attachment sent twice still counts once.
 */
function stored(zip: OpenZip, info: ZipEntryInfo): Promise<Buffer> {
  return readRaw(zip, info).catch(() => Buffer.alloc(0));
}

async function member(file: string, depth: number, zip: OpenZip, info: ZipEntryInfo): Promise<ReadItem> {
  if (info.unsafe !== null) {
    const label = `${file}/${sanitise(info.name)}`;
    return failed(label, await stored(zip, info), unreadable(`unsafe path in archive (${info.unsafe})`));
  }
  const label = `${file}/${info.name}`;
  if (info.encrypted) return failed(label, await stored(zip, info), encrypted('This archive member'));
  try {
    const bytes = await readEntry(zip, info);
    const m: ArchiveMember = { file: label, bytes, depth: depth + 1 };
    return { member: m };
  } catch (err) {
    if (err instanceof DocumentFailure) return failed(label, Buffer.alloc(0), err);
    throw err;
  }
}
