/**
 * Recovering Chinese text that mailparser damages: raw 8-bit GBK headers (older Foxmail,
 * Outlook), raw GBK file names (arrive as latin1 mojibake) and text bodies with no charset.
 * Unlabelled 8-bit bytes are UTF-8 when they are valid UTF-8, else GB18030 (a superset of
 * GB2312 and GBK: the usual charset of unlabelled Chinese mail).
 */
import iconv from 'iconv-lite';
import { decodeUnlabelled, GBK_FAMILY, isUtf8 } from '../domain/charset';

export { decodeUnlabelled } from '../domain/charset';

/** The label as iconv-lite knows it: no RFC 2231 language, gb2312 read as its superset. */
function effectiveLabel(charset: string): string {
  const lowered = charset.trim().toLowerCase();
  // RFC 2231 `utf-8*zh`: the language after the star is not part of the label.
  const label = lowered.includes('*') ? lowered.slice(0, lowered.indexOf('*')) : lowered;
  // gb2312-labelled mail routinely holds GBK-only characters: read it as the superset.
  return GBK_FAMILY.test(label) ? 'gb18030' : label;
}

/** Decodes with iconv-lite, else with the platform (ICU knows ISO-2022-JP, iconv-lite does not); null if neither knows the label. */
function decodeKnown(bytes: Buffer, label: string): string | null {
  if (iconv.encodingExists(label)) return iconv.decode(bytes, label);
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Bytes in a named charset; unknown labels fall back to the unlabelled rule. A label that lies
 * (Outlook Express and Discourse send UTF-8 labelled gb2312 or Big5) shows as U+FFFD in its
 * reading: valid UTF-8 bytes are then read as UTF-8.
 */
export function decodeCharset(bytes: Buffer, charset: string): string {
  const effective = effectiveLabel(charset);
  if (effective === 'utf-8' || effective === 'utf8') return decodeUnlabelled(bytes);
  const text = decodeKnown(bytes, effective);
  if (text === null) return decodeUnlabelled(bytes);
  if (hasHighBytesIn(bytes) && isUtf8(bytes) && (text.includes('\ufffd') || (CJK_MULTIBYTE.test(effective) && utf8Chars(bytes) >= 4))) {
    return bytes.toString('utf8');
  }
  return text;
}

/**
 * Multibyte UTF-8 characters in valid UTF-8 bytes. GBK or Big5 text of four characters or more
 * that also validates as UTF-8 is all but unknown (联通, two characters, is the famous exception),
 * while UTF-8 that a gb2312 label misreads reads cleanly as GBK (浣犲ソ for 你好): valid UTF-8 wins.
 */
function utf8Chars(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if (b >= 0xc0) n++;
  return n;
}

/**
 * Multibyte East Asian charsets. Raw 8-bit header bytes in a message whose body declares one of
 * these are first read in it (a Big5 subject is not GBK); single-byte labels say nothing about
 * header bytes (old Foxmail labels GBK mail us-ascii or iso-8859-1).
 */
const CJK_MULTIBYTE = /^(gb18030|big5|big5-hkscs|x-big5|cp950|ms950|windows-950|csbig5|shift_jis|shift-jis|sjis|x-sjis|cp932|ms932|windows-31j|euc-jp|x-euc-jp|euc-kr|ks_c_5601-1987|cp949|windows-949|uhc)$/;

export function isCjkMultibyte(charset: string | null | undefined): boolean {
  return !!charset && CJK_MULTIBYTE.test(effectiveLabel(charset));
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

/**
 * Raw 8-bit header bytes in the charset the message declares for its body, when that is a
 * multibyte East Asian charset: first as they are (not valid UTF-8), then undoing one
 * Latin-1 → UTF-8 pass (a relay that re-encoded the bytes: `¤j¸É` is Big5 大補). Null when the
 * declared charset does not read them cleanly, so the unlabelled rule (UTF-8, else GB18030) applies.
 */
function inDeclared(value: Buffer, declared: string | null | undefined): string | null {
  if (!declared || !isCjkMultibyte(declared) || !hasHighBytesIn(value)) return null;
  const label = effectiveLabel(declared);
  const clean = (s: string | null): s is string => s !== null && !s.includes('\ufffd') && CJK.test(s);
  if (!isUtf8(value)) {
    const text = decodeKnown(value, label);
    return clean(text) ? text : null;
  }
  const asUtf8 = value.toString('utf8');
  if (/[\u0100-\uffff]/.test(asUtf8)) return null;
  const text = decodeKnown(Buffer.from(asUtf8, 'latin1'), label);
  return clean(text) ? text : null;
}

/**
 * A raw header value (bytes) → text: 8-bit bytes recovered, encoded words decoded. `declared` is
 * the charset the message declares for its body: the first guess for raw 8-bit header bytes.
 */
export function headerText(value: Buffer, declared?: string | null): string {
  return decodeEncodedWords(inDeclared(value, declared) ?? decodeUnlabelled(value)).trim();
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
