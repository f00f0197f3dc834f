/**
 * What every archive reader (zip, rar, 7z) gives the archive expander: its members as
 * listed, before anything is unpacked, and a way to unpack one member into memory. The
 * limits (src/documents/readers/zip.ts ARCHIVE_LIMITS) are judged on the listing, so a
 * bomb is refused before it is inflated; readers also stop at the declared size.
 */
export interface ArchiveEntry {
  /** decoded, `/`-separated, as the archive names it (never used as a host path) */
  name: string;
  /** why the name is unsafe (absolute, `..`), or null */
  unsafe: string | null;
  directory: boolean;
  /** a symbolic or hard link: never a document, never followed */
  link: boolean;
  encrypted: boolean;
  compressedSize: number;
  uncompressedSize: number;
}

export interface OpenedArchive<E extends ArchiveEntry = ArchiveEntry> {
  format: 'zip' | 'rar' | '7z';
  entries: E[];
  /** the member's bytes; throws a DocumentFailure for a damaged or oversized member */
  read(entry: E): Promise<Buffer>;
  /** bytes that fingerprint a member that cannot be opened (the same member sent twice counts once) */
  fingerprint(entry: E): Promise<Buffer>;
  close(): void;
}

/** The same objections as yauzl.validateFileName, for names from any archive format. */
export function pathProblem(name: string): string | null {
  if (name.includes('\\')) return `invalid characters in fileName: ${name}`;
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) return `absolute path: ${name}`;
  if (name.split('/').includes('..')) return `invalid relative path: ${name}`;
  return null;
}
