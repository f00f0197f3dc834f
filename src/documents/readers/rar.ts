/**
 * RAR (WinRAR, RAR 4 and RAR 5) through node-unrar-js: the official unrar code compiled to
 * WebAssembly, all in memory, nothing written to disk. Its `extract()` of every file stops
 * for good at the first symbolic or hard link (a TypeError, and the extractor is dead), and
 * a header says nothing of links, so members are extracted one by one and a member whose
 * extraction fails without an unrar reason is taken for a link: skipped, with a new extractor
 * for the members after it. Sizes are checked on the listing before anything is unpacked.
 * No password is given: encrypted names then fail the listing with ERAR_MISSING_PASSWORD
 * (reported ENCRYPTED), and encrypted members are never extracted (their header says so).
 */
import { createExtractorFromData, type Extractor, type FileHeader } from 'node-unrar-js';
import { DocumentFailure, encrypted, tooLarge, unreadable } from '../failure';
import { pathProblem, type ArchiveEntry, type OpenedArchive } from './archive-entry';

export interface RarEntry extends ArchiveEntry {
  header: FileHeader;
}

function failureOf(err: unknown, what: string): DocumentFailure {
  const reason = (err as { reason?: unknown }).reason;
  if (reason === 'ERAR_MISSING_PASSWORD' || reason === 'ERAR_BAD_PASSWORD') return encrypted(what);
  const detail = err instanceof Error ? err.message : String(err);
  if (reason === 'ERAR_NO_MEMORY') return tooLarge(`${what} needs too much memory to unpack`);
  return unreadable(`damaged RAR ${what === 'The archive' ? 'archive' : 'member'} (${detail.slice(0, 160)})`);
}

function describe(header: FileHeader): RarEntry {
  const name = header.name.replace(/\\/g, '/');
  return {
    name,
    unsafe: pathProblem(name),
    directory: header.flags.directory,
    link: false,
    encrypted: header.flags.encrypted,
    compressedSize: header.packSize,
    uncompressedSize: header.unpSize,
    header,
  };
}

export async function openRar(bytes: Buffer): Promise<OpenedArchive<RarEntry>> {
  // A Buffer may be a view into a shared pool: unrar needs exactly this file's bytes.
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  const open = (): Promise<Extractor<Uint8Array>> => createExtractorFromData({ data });
  let extractor: Extractor<Uint8Array>;
  let entries: RarEntry[];
  try {
    extractor = await open();
    const list = extractor.getFileList();
    if (list.arcHeader.flags.volume) throw unreadable('a part of a multi-volume RAR archive (please send one archive)');
    entries = [...list.fileHeaders].map(describe);
  } catch (err) {
    throw err instanceof DocumentFailure ? err : failureOf(err, 'The archive');
  }
  return {
    format: 'rar',
    entries,
    async read(entry) {
      let files: Array<{ fileHeader: FileHeader; extraction?: Uint8Array }>;
      try {
        files = [...extractor.extract({ files: [entry.header.name] }).files];
      } catch (err) {
        if ((err as { reason?: unknown }).reason !== undefined) throw failureOf(err, 'This archive member');
        // No unrar reason: a link (see above). The extractor cannot go on; the next member gets a new one.
        extractor = await open();
        entry.link = true;
        throw new LinkSkipped();
      }
      const data = files[0]?.extraction;
      if (!data) throw unreadable(`member ${entry.name} could not be unpacked`);
      if (data.length > entry.uncompressedSize) throw tooLarge(`member ${entry.name} is larger than declared`);
      return Buffer.from(data.buffer, data.byteOffset, data.length);
    },
    fingerprint(entry) {
      // No raw member bytes come out of unrar: the header's facts stand for them.
      const h = entry.header;
      return Promise.resolve(Buffer.from(`rar\0${h.name}\0${h.crc}\0${h.packSize}\0${h.unpSize}\0${h.time}`));
    },
    close() {
      // Every iterator was exhausted above (the library's README: otherwise its objects leak).
    },
  };
}

/** Thrown by read() for a member that turned out to be a link: it yields no record. */
export class LinkSkipped extends Error {
  constructor() {
    super('archive member is a link');
    this.name = 'LinkSkipped';
  }
}
