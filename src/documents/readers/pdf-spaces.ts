/**
 * Spaces at the end of a wrapped line, which pdf.js's text layer drops: LibreOffice wraps
 * `市场部 经理` at the space and draws `市场部 ` on one line, `经理` on the next; pdf.js
 * gives `市场部` and `经理`, and the form reader cannot tell the value had a space.
 *
 * We decode the page's text-showing operators ourselves (fonts' /ToUnicode maps) and note
 * after how many non-blank characters a show ended with a space; pdf.js's items are
 * counted the same way, and an item that ends a line where a show ended with a space gets
 * a trailing space back. If the two counts of the page differ, nothing is changed.
 */
import type { PdfObjects } from './pdf-objects';
import { isBytes, isName, isOp, isRef, PdfLexer, type PdfValue } from './pdf-syntax';
import type { MarkedItem } from './pdf-marked';

interface FontCodes {
  width: 1 | 2;
  unicode: Map<number, string> | null;
}

const MAX_OPERATORS = 2_000_000;
/** A form page's content is tens of kilobytes; a drawing-heavy page is not worth the pass. */
const MAX_CONTENT_BYTES = 1 << 20;

/** Non-blank characters as both sides count them. */
function weight(s: string): number {
  return [...s.normalize('NFKC').replace(/\s/gu, '')].length;
}

function parseToUnicode(cmap: Buffer): { width: 1 | 2 | null; map: Map<number, string> } {
  const lexer = new PdfLexer(cmap);
  const map = new Map<number, string>();
  const utf16 = (b: Buffer): string => Buffer.from(b.subarray(0, b.length & ~1)).swap16().toString('utf16le');
  const codeOf = (b: Buffer): number => b.reduce((n, x) => n * 256 + x, 0);
  let width: 1 | 2 | null = null;
  let section = '';
  let args: PdfValue[] = [];
  for (let n = 0; n < 200_000; n++) {
    const v = lexer.next();
    if (v === undefined) break;
    if (!isOp(v)) {
      args.push(v);
      if (section === 'bfchar' && args.length === 2) {
        const [src, dst] = args;
        if (isBytes(src) && isBytes(dst)) map.set(codeOf(src.bytes), utf16(dst.bytes));
        args = [];
      } else if (section === 'bfrange' && args.length === 3) {
        const [lo, hi, dst] = args;
        if (isBytes(lo) && isBytes(hi)) {
          const a = codeOf(lo.bytes);
          const z = Math.min(codeOf(hi.bytes), a + 0xffff);
          for (let c = a; c <= z; c++) {
            const d = Array.isArray(dst) ? dst[c - a] : dst;
            if (!isBytes(d)) continue;
            if (Array.isArray(dst)) map.set(c, utf16(d.bytes));
            else {
              // The last UTF-16 unit counts up through the range.
              const base = Buffer.from(d.bytes);
              const last = base.length - 2;
              if (last < 0) continue;
              base.writeUInt16BE((base.readUInt16BE(last) + c - a) & 0xffff, last);
              map.set(c, utf16(base));
            }
          }
        }
        args = [];
      } else if (section === 'codespacerange' && args.length === 2) {
        const [lo] = args;
        if (width === null && isBytes(lo) && (lo.bytes.length === 1 || lo.bytes.length === 2)) width = lo.bytes.length;
        args = [];
      }
      continue;
    }
    const m = /^begin(bfchar|bfrange|codespacerange)$/.exec(v.op);
    section = m?.[1] ?? (v.op.startsWith('end') ? '' : section);
    args = [];
  }
  return { width, map };
}

/** The page's fonts by resource name; null if one cannot be read. */
function pageFonts(objects: PdfObjects, pageNum: number): Map<string, FontCodes> | null {
  const fonts = objects.resolve(objects.pageResources(pageNum)?.get('Font'));
  if (!(fonts instanceof Map)) return null;
  const out = new Map<string, FontCodes>();
  let cache = fontCache.get(objects);
  if (!cache) fontCache.set(objects, (cache = new Map()));
  for (const [name, ref] of fonts) {
    const known = isRef(ref) ? cache.get(ref.ref[0]) : undefined;
    if (known) {
      out.set(name, known);
      continue;
    }
    const codes = fontCodes(objects, ref);
    if (!codes) return null;
    if (isRef(ref)) cache.set(ref.ref[0], codes);
    out.set(name, codes);
  }
  return out;
}

/** Fonts are shared by the pages of a document: their ToUnicode maps are read once. */
const fontCache = new WeakMap<PdfObjects, Map<number, FontCodes>>();

function fontCodes(objects: PdfObjects, ref: PdfValue): FontCodes | null {
  const font = objects.resolve(ref);
  if (!(font instanceof Map)) return null;
  const subtype = font.get('Subtype');
  const composite = isName(subtype) && subtype.name === 'Type0';
  const tu = font.get('ToUnicode');
  const stream = isRef(tu) ? objects.get(tu.ref[0], () => true)?.data : null;
  if (!stream) return composite ? null : { width: 1, unicode: null };
  const { width, map } = parseToUnicode(stream);
  return { width: width ?? (composite ? 2 : 1), unicode: map };
}

function isFormXObject(objects: PdfObjects, pageNum: number, name: PdfValue | undefined): boolean {
  const all = objects.resolve(objects.pageResources(pageNum)?.get('XObject'));
  if (!isName(name) || !(all instanceof Map)) return true;
  const ref = all.get(name.name);
  const dict = ref && 'ref' in (ref as object) ? objects.get((ref as { ref: [number, number] }).ref[0])?.value : null;
  const subtype = dict instanceof Map ? dict.get('Subtype') : undefined;
  return !(isName(subtype) && subtype.name === 'Image');
}

function decode(font: FontCodes, bytes: Buffer): string {
  let s = '';
  for (let i = 0; i + font.width <= bytes.length; i += font.width) {
    const code = font.width === 2 ? bytes.readUInt16BE(i) : (bytes[i] as number);
    s += font.unicode ? font.unicode.get(code) ?? '\ufffd' : String.fromCharCode(code);
  }
  return s;
}

/**
 * Character counts (non-blank, NFKC) at which a text-showing operator of the page ended
 * with a blank, and the page's total count; null when the content cannot be decoded.
 */
export function showEndings(objects: PdfObjects, pageNum: number, content: Buffer): { ends: Set<number>; total: number } | null {
  if (content.length > MAX_CONTENT_BYTES) return null;
  const fonts = pageFonts(objects, pageNum);
  if (!fonts) return null;
  const lexer = new PdfLexer(content, 0, false);
  const ends = new Set<number>();
  let total = 0;
  let font: FontCodes | undefined;
  let operands: PdfValue[] = [];
  for (let n = 0; n < MAX_OPERATORS; n++) {
    const start = lexer.pos;
    const v = lexer.value();
    if (v === undefined) return lexer.broken ? null : { ends, total };
    if (lexer.pos === start) return null;
    if (!isOp(v)) {
      if (operands.length < 64) operands.push(v);
      continue;
    }
    const last = operands[operands.length - 1];
    if (v.op === 'Tf') {
      const name = operands[operands.length - 2];
      font = isName(name) ? fonts.get(name.name) : undefined;
      if (!font) return null;
    } else if (v.op === 'Tj' || v.op === "'" || v.op === '"' || v.op === 'TJ') {
      if (!font) return null;
      const parts = v.op === 'TJ' ? (Array.isArray(last) ? last : []) : [last];
      const f = font;
      const text = parts.map((p) => (isBytes(p) ? decode(f, p.bytes) : '')).join('');
      total += weight(text);
      if (/\s$/u.test(text) && total > 0) ends.add(total);
    } else if (v.op === 'Do' && isFormXObject(objects, pageNum, last)) return null; // its text: pdf.js's only
    else if (v.op === 'ID' && !lexer.skipInlineImage()) return null;
    operands = [];
  }
  return null;
}

/** pdf.js's items, with a trailing space on an item that ends its line where a show ended with one. */
export function restoreLineEndSpaces(items: MarkedItem[], endings: { ends: Set<number>; total: number } | null): MarkedItem[] {
  if (!endings || endings.ends.size === 0) return items;
  const text = items.filter((i) => i.type === undefined);
  if (text.reduce((n, i) => n + weight(i.str ?? ''), 0) !== endings.total) return items;
  // Whether the next text item after each one starts a new line (pdf.js marks it hasEOL).
  const endsLine: boolean[] = new Array<boolean>(items.length).fill(true);
  for (let k = items.length - 2, eol = true; k >= 0; k--) {
    const next = items[k + 1];
    if (next?.type === undefined) eol = next?.hasEOL === true;
    endsLine[k] = eol;
  }
  let count = 0;
  return items.map((item, k) => {
    if (item.type !== undefined || !item.str) return item;
    count += weight(item.str);
    return endsLine[k] && endings.ends.has(count) && /\S$/u.test(item.str) ? { ...item, str: item.str + ' ' } : item;
  });
}
