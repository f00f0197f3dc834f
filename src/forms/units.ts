/**
 * The document as a flat run of text units, the same for every format: a .docx table cell
 * is one unit (its paragraphs joined by `\n`); a line of a PDF or .doc is one unit, or
 * several when its cells are tab-separated. Footnotes of the template (the category
 * definitions) and page markers are dropped: they are not the applicant's answers.
 */
import type { Cell, DocumentContent } from '../domain/content';
import { headerEnd } from './header-lines';
import { joinSpreadLabel } from './labels';

export interface Unit {
  text: string;
  /** Paragraphs of a table cell, or the single line. */
  paragraphs: string[];
  /** Row number across the document (a table row, or a line). */
  row: number;
  col: number;
  /** From a line of text (PDF, .doc, plain paragraphs) rather than a table cell. */
  fromLine: boolean;
  /** The line had tab-separated cells. */
  tabbed: boolean;
}

/** The template's footnote on 细分类别: `基础软件：指能够…` (PDF: preceded by its number). */
const FOOTNOTE = /^\s*(?:(\[?\d{1,2}\]?)\s*)?(基础软件|工业软件|支撑软件|应用软件|人工智能类软件|其他软件)\s*[:：]\s*指/;
const SENTENCE_END = /[。；;.]\s*(?:(↑)\s*)?$/;
const PAGE_MARKER = /^\s*(--\s*\d+\s*of\s*\d+\s*--|第\s*\d+\s*页(\s*(?:[,，/]\s*)?共\s*\d+\s*页)?|-\s*\d+\s*-)\s*$/i;

/**
 * Lines without the template's footnotes (and their wrapped continuations), page markers,
 * and the products header repeated at the top of a new page (LibreOffice repeats it).
 */
export function withoutNoise(lines: string[]): string[] {
  const kept: string[] = [];
  let inFootnote = false;
  let continuation = 0;
  let headerSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (PAGE_MARKER.test(line)) continue;
    const end = headerEnd(lines, i);
    if (end > 0) {
      if (!headerSeen) kept.push(...lines.slice(i, end));
      headerSeen = true;
      i = end - 1;
      continue;
    }
    if (FOOTNOTE.test(line)) {
      inFootnote = !SENTENCE_END.test(line);
      continuation = 0;
      continue;
    }
    if (inFootnote && continuation < 3) {
      continuation++;
      inFootnote = !SENTENCE_END.test(line);
      continue;
    }
    inFootnote = false;
    kept.push(line);
  }
  return kept;
}

function cellUnit(cell: Cell, row: number, col: number): Unit {
  const paragraphs = withoutNoise(cell.paragraphs);
  return { text: paragraphs.join('\n'), paragraphs, row, col, fromLine: false, tabbed: false };
}

export function toUnits(content: DocumentContent): Unit[] {
  const units: Unit[] = [];
  let row = 0;
  let lines: string[] = [];
  // Readers give a PDF one paragraph per line: filter noise over the whole run of lines.
  const flushLines = (): void => {
    for (const line of withoutNoise(lines)) {
      row++;
      const pieces = joinSpreadLabel(line).split('\t');
      const tabbed = pieces.length > 1;
      pieces.forEach((piece, col) => units.push({ text: piece, paragraphs: [piece], row, col, fromLine: true, tabbed }));
    }
    lines = [];
  };
  for (const block of content.blocks) {
    if (block.type === 'paragraph') {
      lines.push(...block.text.split(/\r?\n/));
      continue;
    }
    flushLines();
    for (const cells of block.rows) {
      row++;
      cells.forEach((cell, col) => units.push(cellUnit(cell, row, col)));
    }
  }
  flushLines();
  return units;
}

/** Content made of lines only (a PDF or .doc): tables were flattened by the reader. */
export function isLineContent(content: DocumentContent): boolean {
  return !content.blocks.some((b) => b.type === 'table');
}

export function isBlank(text: string): boolean {
  return /^[\s\u00a0\u3000_＿]*$/.test(text);
}
