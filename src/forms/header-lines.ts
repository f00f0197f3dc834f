/**
 * The products table's header in lines of text: one line of a .doc, or many lines of a
 * PDF, where each narrow header cell wraps (`产品收入` / `占企业主` / `营业务收` …).
 */
import { HEADER_VOCABULARY, PRODUCT_LABELS, type ProductKey } from './fields';
import { leadingLabel } from './labels';
import { compact, toHalfWidth } from './text';

const MAX_HEADER_LINES = 30;
const FOLDED_VOCABULARY = toHalfWidth(HEADER_VOCABULARY, true);

/** The product column a header text names, if any. */
export function columnOf(text: string): ProductKey | null {
  return leadingLabel(PRODUCT_LABELS, text)?.key ?? PRODUCT_LABELS.find(text)[0]?.key ?? null;
}

/** The product columns a header text names, in the order it names them. */
export function keysIn(text: string): ProductKey[] {
  return PRODUCT_LABELS.mentioned(compact(text));
}

function isHeaderPiece(token: string): boolean {
  // Without a footnote mark (`细分类别1`, `细分类别[1]`).
  const t = toHalfWidth(compact(token), true).replace(/(?<=\p{Script=Han})\[?\d{1,2}\]?(?=[(（]|$)/u, '');
  if (t === '' || FOLDED_VOCABULARY.includes(t) || /^\[?\d\]?$/.test(t)) return true;
  // A header in other words than the template's, but never a label with its value.
  const label = leadingLabel(PRODUCT_LABELS, t);
  return label !== null && label.end === t.length && !/[:：]$/.test(t);
}

/** A line made only of pieces of the header. */
export function isHeaderLine(line: string): boolean {
  return line.split(/\s+/).every(isHeaderPiece);
}

/** A line that may start the header: a column word first, or several column words. */
export function startsHeader(line: string): boolean {
  const first = line.split('\t')[0] ?? '';
  return leadingLabel(PRODUCT_LABELS, first) !== null || /^(序号|编号)/.test(compact(line)) || PRODUCT_LABELS.find(line).length >= 2;
}

/** Where a header starting at line i ends (exclusive), or -1 when no header of 3+ columns starts there. */
export function headerEnd(lines: string[], i: number): number {
  if (!startsHeader(lines[i] ?? '')) return -1;
  let end = i + 1;
  while (end < lines.length && end - i < MAX_HEADER_LINES && isHeaderLine(lines[end] ?? '')) end++;
  return keysIn(lines.slice(i, end).join('')).length >= 3 ? end : -1;
}
