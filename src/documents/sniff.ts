/**
 * What a file really is, from its first bytes — never from its extension: applicants'
 * ".doc" files are often RTF, web pages (HTML/MHT) or renamed .docx/.wps files.
 */
import type { DocumentFormat } from '../domain/document';

export type Sniffed = 'pk' | 'ole' | 'pdf' | 'rtf' | 'html' | 'mht' | 'image' | 'rar' | '7z' | 'text' | 'unknown';

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  const start = Math.min(from, bytes.length);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, Math.min(to, bytes.length) - start)).toString('latin1');
}

/** Skips a UTF-8/UTF-16 byte-order mark and leading whitespace. */
function textStart(bytes: Uint8Array): number {
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && i < 1024 && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i;
}

const IMAGE_MAGIC: number[][] = [
  [0xff, 0xd8, 0xff], // JPEG
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x49, 0x49, 0x2a, 0x00], // TIFF little-endian
  [0x4d, 0x4d, 0x00, 0x2a], // TIFF big-endian
];

function isImage(bytes: Uint8Array): boolean {
  if (IMAGE_MAGIC.some((m) => startsWith(bytes, m))) return true;
  // BMP: "BM" then the file size; the two bytes alone are too weak.
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length >= 14 && startsWith(bytes, [0, 0], 6)) return true;
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return true;
  // HEIC/HEIF from phones: ISO media box "ftyp" with an image brand.
  return ascii(bytes, 4, 8) === 'ftyp' && /^(heic|heix|hevc|mif1|msf1|avif)$/.test(ascii(bytes, 8, 12));
}

/** Plain text: no NUL or other control bytes in the first 8 KB (UTF-16 only with its BOM). */
export function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return bytes.length % 2 === 0;
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) {
    const b = bytes[i] as number;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

export function sniff(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]) || startsWith(bytes, [0x50, 0x4b, 0x07, 0x08])) {
    return 'pk';
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (ascii(bytes, 0, 1024).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar';
  if (startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (isImage(bytes)) return 'image';
  const start = textStart(bytes);
  const head = ascii(bytes, start, start + 4096);
  if (head.startsWith('{\\rtf')) return 'rtf';
  if (/^(MIME-Version|Content-Type|Content-Location|From|Subject|Date|X-[\w-]+)\s*:/i.test(head) && /^MIME-Version\s*:/im.test(head)) return 'mht';
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table|title)\b/i.test(head)) return 'html';
  if (looksLikeText(bytes)) return 'text';
  return 'unknown';
}

function extension(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/**
 * The record's `format` for a sniffed file. The name only chooses between formats the
 * content cannot tell apart (a .wps and a .doc are both OLE Word files).
 */
export function formatOf(sniffed: Sniffed, fileName: string): DocumentFormat {
  const ext = extension(fileName);
  switch (sniffed) {
    case 'pk':
      return ext === 'zip' ? 'zip' : ext === 'wps' ? 'wps' : 'docx';
    case 'ole':
    case 'rtf':
      return ext === 'wps' ? 'wps' : ext === 'docx' ? 'docx' : 'doc';
    case 'html':
    case 'mht':
      return ext === 'wps' ? 'wps' : ext === 'doc' || ext === 'docx' ? 'doc' : 'other';
    case 'pdf':
      return 'pdf';
    case 'image':
      return 'image';
    case 'rar':
      return 'rar';
    case '7z':
      return '7z';
    case 'text':
      return 'text';
    case 'unknown':
      return 'other';
  }
}

/** A best guess from the name alone, for archive members we cannot open (encrypted). */
export function formatFromName(fileName: string): DocumentFormat {
  const ext = extension(fileName);
  const byExt: Record<string, DocumentFormat> = {
    docx: 'docx', doc: 'doc', wps: 'wps', pdf: 'pdf', zip: 'zip', rar: 'rar', '7z': '7z', txt: 'text',
    jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', bmp: 'image', tif: 'image', tiff: 'image', webp: 'image', heic: 'image',
  };
  return byExt[ext] ?? 'other';
}
