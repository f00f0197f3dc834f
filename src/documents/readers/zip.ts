/**
 * ZIP archives, kept in memory (nothing from an archive is ever written to disk).
 * Names without the UTF-8 flag are decoded as UTF-8 when they validate (macOS) and
 * as GB18030 otherwise (Windows zippers in China write GBK). Limits guard against
 * bombs: entry count, total and per-entry size, compression ratio.
 */
import * as yauzl from 'yauzl';
import * as zlib from 'node:zlib';
import { asFailure, type DocumentFailure, tooLarge, unreadable } from '../failure';
import { decodeUnlabelled } from '../../domain/charset';
import type { ArchiveEntry, OpenedArchive } from './archive-entry';

export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxEntryBytes: number;
  /** uncompressed/compressed, checked for entries above `ratioFloorBytes` */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const ARCHIVE_LIMITS: ZipLimits = {
  maxEntries: 500,
  maxTotalBytes: 200 * 1024 * 1024,
  maxEntryBytes: 100 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipEntryInfo extends ArchiveEntry {
  entry: yauzl.Entry;
}

export interface OpenZip {
  zip: yauzl.ZipFile;
  entries: ZipEntryInfo[];
  /** the bytes opened: the file itself, or without the stray bytes after its end (see withoutTrailingBytes) */
  bytes: Buffer;
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
/** Bytes after the end record that are forgiven (unzip, Python's zipfile and Word read such files). */
const MAX_TRAILING_BYTES = 64 * 1024;

/**
 * A zip whose end-of-central-directory record is followed by stray bytes (a transfer that
 * appended a newline, a tool that padded the file) up to its declared comment: yauzl refuses
 * it ("Invalid comment length"), unzip, Python and Word read it. The same bytes cut at the
 * end of the record's comment, or null when there is no such record near the end.
 */
export function withoutTrailingBytes(bytes: Buffer): Buffer | null {
  const from = Math.max(0, bytes.length - EOCD_SIZE - 0xffff - MAX_TRAILING_BYTES);
  for (let i = bytes.length - EOCD_SIZE; i >= from; i--) {
    if (bytes.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
    const end = i + EOCD_SIZE + bytes.readUInt16LE(i + 20);
    if (end < bytes.length && bytes.length - end <= MAX_TRAILING_BYTES) return bytes.subarray(0, end);
    return null;
  }
  return null;
}

/** Info-ZIP Unicode Path extra field (0x7075): a UTF-8 name valid when its CRC matches the raw name. */
function unicodePath(entry: yauzl.Entry): string | undefined {
  for (const field of entry.extraFields) {
    if (field.id !== 0x7075 || field.data.length < 6 || field.data[0] !== 1) continue;
    if (field.data.readUInt32LE(1) !== zlib.crc32(entry.fileNameRaw)) continue;
    return field.data.subarray(5).toString('utf8');
  }
  return undefined;
}

export function decodeEntryName(raw: Buffer, flags: number, entry?: yauzl.Entry): string {
  if ((flags & 0x800) !== 0) return raw.toString('utf8');
  const unicode = entry ? unicodePath(entry) : undefined;
  if (unicode !== undefined) return unicode;
  if (raw.every((b) => b < 0x80)) return raw.toString('latin1');
  return decodeUnlabelled(raw);
}

function describe(entry: yauzl.Entry): ZipEntryInfo {
  const decoded = decodeEntryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry).replace(/\\/g, '/');
  return {
    name: decoded,
    unsafe: yauzl.validateFileName(decoded),
    directory: decoded.endsWith('/'),
    // A Unix symlink (mode 0120000 in the high half of the external attributes): never followed.
    link: (entry.externalFileAttributes >>> 16 & 0o170000) === 0o120000,
    encrypted: entry.isEncrypted(),
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    entry,
  };
}

/** Reads the central directory only (no inflating); refuses absurd entry counts up front. */
export async function openZip(original: Buffer, maxEntries: number, what = 'archive'): Promise<OpenZip> {
  let zip: yauzl.ZipFile;
  let bytes = original;
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true };
  try {
    zip = await yauzl.fromBufferPromise(bytes, options);
  } catch (err) {
    const cut = /comment length/i.test(String(err)) ? withoutTrailingBytes(bytes) : null;
    if (!cut) throw asFailure(err, (d) => unreadable(`damaged ${what} (${d})`));
    bytes = cut;
    zip = await yauzl.fromBufferPromise(bytes, options).catch((again: unknown) => {
      throw asFailure(again, (d) => unreadable(`damaged ${what} (${d})`));
    });
  }
  if (zip.entryCount > maxEntries) {
    zip.close();
    throw tooLarge(`${what} has ${zip.entryCount} entries (limit ${maxEntries})`);
  }
  const entries: ZipEntryInfo[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(describe(entry));
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: unknown) => reject(asFailure(err, (d) => unreadable(`damaged ${what} (${d})`))));
    zip.readEntry();
  });
  return { zip, entries, bytes };
}

/** The zip as an archive of documents (src/documents/archive.ts). */
export async function openZipArchive(bytes: Buffer): Promise<OpenedArchive<ZipEntryInfo>> {
  const open = await openZip(bytes, ARCHIVE_LIMITS.maxEntries, 'archive');
  return {
    format: 'zip',
    entries: open.entries,
    read: (info) => readEntry(open, info),
    fingerprint: (info) => readRaw(open, info).catch(() => Buffer.alloc(0)),
    close: () => open.zip.close(),
  };
}

/** What is wrong with one member by the limits, given what the members before it unpack to. */
export function memberProblem(info: ArchiveEntry, totalBefore: number, limits: ZipLimits, what: string): DocumentFailure | null {
  if (info.uncompressedSize > limits.maxEntryBytes) return tooLarge(`${what} member ${info.name} unpacks to ${info.uncompressedSize} bytes`);
  const ratio = info.uncompressedSize / Math.max(1, info.compressedSize);
  if (info.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
    return tooLarge(`${what} member ${info.name} has compression ratio ${Math.round(ratio)}:1 (a zip bomb?)`);
  }
  if (totalBefore + info.uncompressedSize > limits.maxTotalBytes) return tooLarge(`${what} unpacks to more than ${limits.maxTotalBytes} bytes`);
  return null;
}

/** Declared sizes can be trusted: yauzl fails a member whose real size differs. */
export function checkLimits(entries: ZipEntryInfo[], limits: ZipLimits, what: string): void {
  if (entries.length > limits.maxEntries) throw tooLarge(`${what} has ${entries.length} entries (limit ${limits.maxEntries})`);
  let total = 0;
  for (const info of entries) {
    const problem = memberProblem(info, total, limits, what);
    if (problem) throw problem;
    total += info.uncompressedSize;
  }
}

/** The stored bytes of a member as they are (still encrypted/compressed): its fingerprint when it cannot be opened. */
export async function readRaw(open: OpenZip, info: ZipEntryInfo): Promise<Buffer> {
  const stream = await open.zip.openReadStreamPromise(info.entry, { decodeFileData: false });
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Inflates one member into memory; yauzl checks the real size against the declared one. */
export async function readEntry(open: OpenZip, info: ZipEntryInfo): Promise<Buffer> {
  try {
    const stream = await open.zip.openReadStreamPromise(info.entry);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > info.uncompressedSize) throw tooLarge(`member ${info.name} is larger than declared`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  } catch (err) {
    throw asFailure(err, (d) => unreadable(`member ${info.name} is damaged (${d})`));
  }
}
