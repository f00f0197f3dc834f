/**
 * Web pages saved as ".doc": plain HTML, or MHT (a MIME multipart/related message whose
 * HTML part is quoted-printable or base64). Chinese Word and WPS write GBK (charset
 * gb2312) as often as UTF-8.
 */
import * as iconv from 'iconv-lite';
import { decodeUnlabelled, GBK_FAMILY, isUtf8 } from '../../domain/charset';
import type { DocumentContent } from '../../domain/content';
import { unreadable } from '../failure';
import { htmlToContent } from '../html-content';


/** Charset names as documents write them, mapped to what iconv-lite knows (GBK family → GB18030). */
export function normaliseCharset(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const n = name.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (GBK_FAMILY.test(n)) return 'gb18030';
  if (/^(utf-?8|unicode-1-1-utf-8)$/.test(n)) return 'utf8';
  return iconv.encodingExists(n) ? n : undefined;
}

/** Decodes bytes: BOM first, then the declared charset, then UTF-8 if it validates, else GB18030. */
export function decodeText(bytes: Uint8Array, declared?: string): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return iconv.decode(buf.subarray(2), 'utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return iconv.decode(buf.subarray(2), 'utf16be');
  const charset = normaliseCharset(declared);
  // A page declaring UTF-8 that is not valid UTF-8 was re-saved by a GBK tool: trust the bytes.
  if (charset && !(charset === 'utf8' && !isUtf8(bytes))) return iconv.decode(buf, charset);
  return decodeUnlabelled(buf);
}

function metaCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  const m = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head);
  return m?.[1];
}

export function readHtml(bytes: Uint8Array): DocumentContent {
  return htmlToContent(decodeText(bytes, metaCharset(bytes)));
}

interface MimePart {
  headers: Map<string, string>;
  body: Buffer;
}

function splitHeaders(raw: Buffer): MimePart {
  const text = raw.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  const headEnd = m ? m.index : text.length;
  const bodyStart = m ? m.index + m[0].length : text.length;
  const headers = new Map<string, string>();
  const unfolded = text.slice(0, headEnd).replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.subarray(bodyStart) };
}

function param(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const m = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function decodeQuotedPrintable(body: Buffer): Buffer {
  const s = body.toString('latin1').replace(/=\r?\n/g, '');
  const out = Buffer.alloc(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out[n++] = Number.parseInt(s.slice(i + 1, i + 3), 16);
      i += 2;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

function decodeBody(part: MimePart): Buffer {
  const cte = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (cte === 'base64') return Buffer.from(part.body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (cte === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const pieces = text.split(delimiter).slice(1);
  const parts: Buffer[] = [];
  for (const piece of pieces) {
    if (piece.startsWith('--')) break;
    parts.push(Buffer.from(piece.replace(/^[ \t]*\r?\n/, ''), 'latin1'));
  }
  return parts;
}

/** The first text/html part of an MHT file, decoded; nested multiparts are searched too. */
function findHtml(part: MimePart, depth = 0): { html: Buffer; charset?: string } | undefined {
  const type = part.headers.get('content-type') ?? 'text/html';
  const boundary = param(type, 'boundary');
  if (/^multipart\//i.test(type) && boundary && depth < 4) {
    for (const raw of splitMultipart(part.body, boundary)) {
      const found = findHtml(splitHeaders(raw), depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!/^text\/html/i.test(type)) return undefined;
  return { html: decodeBody(part), charset: param(type, 'charset') };
}

export function readMht(bytes: Uint8Array): DocumentContent {
  const found = findHtml(splitHeaders(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
  if (!found) throw unreadable('the web archive (MHT) has no HTML part');
  return htmlToContent(decodeText(found.html, found.charset ?? metaCharset(found.html)));
}
