/**
 * Recovering Chinese text that mailparser damages: raw 8-bit GBK headers (older Foxmail,
 * Outlook), raw GBK file names (arrive as latin1 mojibake) and text bodies with no charset.
 * Unlabelled 8-bit bytes are UTF-8 when they are valid UTF-8, else GB18030 (a superset of
 * GB2312 and GBK: the usual charset of unlabelled Chinese mail).
 */
import iconv from 'iconv-lite';
import { decodeUnlabelled, GBK_FAMILY, isUtf8 } from '../domain/charset';

export { decodeUnlabelled } from '../domain/charset';

/** Bytes in a named charset; unknown labels fall back to the unlabelled rule. */
export function decodeCharset(bytes: Buffer, charset: string): string {
  const lowered = charset.trim().toLowerCase();
  // RFC 2231 `utf-8*zh`: the language after the star is not part of the label.
  const label = lowered.includes('*') ? lowered.slice(0, lowered.indexOf('*')) : lowered;
  // gb2312-labelled mail routinely holds GBK-only characters: read it as the superset.
  const effective = GBK_FAMILY.test(label) ? 'gb18030' : label;
  if (effective === 'utf-8' || effective === 'utf8') return decodeUnlabelled(bytes);
  if (!iconv.encodingExists(effective)) return decodeUnlabelled(bytes);
  return iconv.decode(bytes, effective);
}

/**
 * RFC 2047 encoded words (`=?GBK?B?…?=`, `=?gb2312?Q?…?=`). Adjacent words are joined before
 * decoding, so a multibyte character split across two words survives.
 */
export function decodeEncodedWords(text: string): string {
  const word = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  const flush = (): void => {
    if (pending) out += decodeCharset(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };
  for (let m = word.exec(text); m; m = word.exec(text)) {
    const between = text.slice(last, m.index);
    const charset = (m[1] ?? '').split('*')[0] ?? '';
    const bytes = (m[2] ?? '').toUpperCase() === 'B' ? Buffer.from(m[3] ?? '', 'base64') : decodeQ(m[3] ?? '');
    // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
    if (pending !== null && /^\s*$/.test(between)) {
      const open: { charset: string; bytes: Buffer[] } = pending;
      if (open.charset.toLowerCase() === charset.toLowerCase()) {
        open.bytes.push(bytes);
      } else {
        flush();
        pending = { charset, bytes: [bytes] };
      }
    } else {
      flush();
      out += between;
      pending = { charset, bytes: [bytes] };
    }
    last = m.index + m[0].length;
  }
  flush();
  return out + text.slice(last);
}

function decodeQ(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(s.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/** A raw header value (bytes) → text: 8-bit bytes recovered, encoded words decoded. */
export function headerText(value: Buffer): string {
  return decodeEncodedWords(decodeUnlabelled(value)).trim();
}

export function hasHighBytesIn(value: Buffer): boolean {
  return value.some((b) => b >= 0x80);
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

/**
 * A name mailparser read from raw 8-bit bytes as latin1 (`±¨Ãû±í.docx`) back to Chinese
 * (`报名表.docx`). Only when every code point fits in a byte, some are ≥ 0x80, and the bytes
 * read cleanly as UTF-8 or as GB18030 with Chinese in it; a genuine latin1 name (`café.pdf`)
 * is left alone.
 */
export function repairMojibake(name: string): string {
  if (!/[\u0080-\u00ff]/.test(name) || /[\u0100-\uffff]/.test(name)) return name;
  const bytes = Buffer.from(name, 'latin1');
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const gb = iconv.decode(bytes, 'gb18030');
  if (!gb.includes('\ufffd') && CJK.test(gb)) return gb;
  return name;
}
