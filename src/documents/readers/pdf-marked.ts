/**
 * Marked-content /ActualText, which pdf.js's text layer ignores. LibreOffice draws every
 * Wingdings check box with one glyph (text U+F0A8, a box) and says which boxes are
 * ticked only as `/Span <</ActualText <FEFF F0FE>>> BDC … EMC` around the glyph.
 *
 * pdf.js (includeMarkedContent) does report where each BDC begins and ends, in content
 * order, but without its properties; the properties come from reading the page's content
 * stream ourselves. The two lists are paired in order, and only when their tags agree one
 * for one (a form XObject's marked content, which we do not read, makes them differ).
 */
import { isName, isOp, PdfLexer, textOf, type PdfValue } from './pdf-syntax';
import type { TextItem } from './pdf-lines';

/** One BDC of a content stream: its tag and, if it has one, its replacement text. */
export interface MarkedSpan {
  tag: string;
  actualText: string | null;
}

/** What pdf.js's getTextContent({ includeMarkedContent: true }) yields: text or marks. */
export interface MarkedItem extends TextItem {
  type?: string;
  tag?: string | null;
  /** pdf.js: the item (often an empty one) begins a new line. */
  hasEOL?: boolean;
}

/** Content streams of forms are small; past this many operators we stop looking. */
const MAX_OPERATORS = 2_000_000;

/** Every BDC in `content`, in order. Null when the stream cannot be read to its end. */
export function markedSpans(content: Buffer): MarkedSpan[] | null {
  const lexer = new PdfLexer(content, 0, false);
  const spans: MarkedSpan[] = [];
  let operands: PdfValue[] = [];
  for (let n = 0; n < MAX_OPERATORS; n++) {
    const start = lexer.pos;
    const v = lexer.value();
    if (v === undefined) return lexer.broken ? null : spans;
    if (lexer.pos === start) return null;
    if (!isOp(v)) {
      if (operands.length < 64) operands.push(v);
      continue;
    }
    if (v.op === 'BDC') {
      const [tag, props] = operands.slice(-2);
      // A named property list (/Span /P0 BDC) lives in the page resources: no ActualText read.
      const actual = props instanceof Map ? textOf(props.get('ActualText')) : null;
      spans.push({ tag: isName(tag) ? tag.name : '', actualText: actual });
    } else if (v.op === 'ID' && !lexer.skipInlineImage()) return null;
    operands = [];
  }
  return null;
}

/**
 * Text items with ActualText spans applied: the first non-blank text item inside a span
 * carries its ActualText, the span's other non-blank items are dropped. Marks are dropped. If the marks do
 * not pair with `spans` tag for tag, the text items are returned unchanged.
 */
export function applyActualText(items: MarkedItem[], spans: MarkedSpan[] | null): TextItem[] {
  const text = items.filter((i) => i.type === undefined);
  const begins = items.filter((i) => i.type === 'beginMarkedContentProps');
  if (!spans || begins.length !== spans.length || begins.some((b, k) => (b.tag ?? '') !== spans[k]?.tag)) return text;
  if (!spans.some((s) => s.actualText !== null)) return text;
  const out: TextItem[] = [];
  // Open marks, innermost last; a span with ActualText replaces everything inside it.
  const open: { actual: string | null; shown: boolean }[] = [];
  let k = 0;
  for (const item of items) {
    if (item.type === 'beginMarkedContentProps') open.push({ actual: spans[k++]?.actualText ?? null, shown: false });
    else if (item.type === 'beginMarkedContent') open.push({ actual: null, shown: false });
    else if (item.type === 'endMarkedContent') open.pop();
    else if (item.type === undefined) {
      const span = open.find((o) => o.actual !== null);
      // Blank items are gaps pdf.js infers from positions (it puts one just inside a span
      // that starts after a gap): they are layout, not the span's text.
      if (!span || (item.str ?? '').trim() === '') out.push(item);
      else if (!span.shown) {
        span.shown = true;
        out.push({ ...item, str: span.actual ?? '' });
      }
    }
  }
  return out;
}
