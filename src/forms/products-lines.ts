/**
 * The products table when the reader could only give lines (PDF, .doc).
 *
 * A .doc (word-extractor) keeps cells tab-separated: rows are the header's number of
 * cells, ended by an empty cell or a line break. A PDF (pdf.js) gives the header wrapped
 * over many lines and each row's cells as words, a long cell wrapped over lines: there
 * the cells are told apart by what they hold (a date, a category, percents), in the order
 * of the columns.
 */
import { matchCategory } from './category';
import { normaliseDate } from './date';
import { PRODUCT_ORDER, type ProductKey, startsSection } from './fields';
import { columnOf, headerEnd, keysIn, startsHeader } from './header-lines';
import { isNoneAnswer } from './percent';
import type { RawProduct } from './product';
import { compact, joinWrapped, toHalfWidth } from './text';
import { isBlank } from './units';

// ---- .doc: tab-separated cells -------------------------------------------------------

const LINE_END = Symbol('line end');
type Piece = string | typeof LINE_END;

function tabRows(columns: Array<ProductKey | null>, rest: string[], lines: string[]): RawProduct[] {
  const n = columns.length;
  // The table ends at the first two lines in a row without a tab: paragraphs after it.
  let last = lines.length;
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]?.includes('\t') && !lines[i + 1]?.includes('\t')) {
      last = i;
      break;
    }
  }
  const pieces: Piece[] = [...rest, LINE_END];
  const lineCells: number[] = [rest.length];
  for (const line of lines.slice(0, last)) {
    const cells = line.split('\t');
    lineCells.push(cells.length);
    pieces.push(...cells, LINE_END);
  }
  const rows: string[][] = [];
  let row: string[] = [];
  let joinNext = false;
  let lineNo = 0;
  // The header row has just ended: an empty cell now is its row-end mark, not a blank cell.
  let rowJustEnded = true;
  const emit = (): void => {
    if (row.length > 0) rows.push(row);
    row = [];
  };
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? LINE_END;
    if (piece === LINE_END) {
      lineNo++;
      // A line of one cell before a tabbed line: a paragraph break inside that cell.
      const alone = row.length === 1 && lineCells[lineNo - 1] === 1;
      if (alone && (lineCells[lineNo] ?? 0) > 1) joinNext = true;
      else emit();
      rowJustEnded = false;
      continue;
    }
    if (startsSection(piece)) break;
    if (joinNext) {
      row[row.length - 1] = `${row[row.length - 1] ?? ''}\n${piece}`;
      joinNext = false;
    } else if (row.length === 0 && piece === '' && rowJustEnded) {
      rowJustEnded = false;
      continue;
    } else row.push(piece);
    rowJustEnded = false;
    if (row.length === n) {
      emit();
      rowJustEnded = true;
    }
  }
  emit();
  return rows.map((cells) => {
    const raw: RawProduct = {};
    columns.forEach((key, c) => {
      if (key) raw[key] = cells[c] ?? '';
    });
    return raw;
  });
}

// ---- PDF: words told apart by what they hold -----------------------------------------

type Kind = 'date' | 'pct' | 'none' | 'cat' | 'text';
interface Token {
  text: string;
  kind: Kind;
  /** A tab came before it: pdf.js saw a wide gap, so this starts another cell. */
  newCell: boolean;
}

const DATE_PREFIX = /^(19|20)\d{2}(?:(?:年|[.．/／\-－])(?:\d{1,2}(?:(?:月|[.．/／\-－])(?:\d{1,2}(?:日|号)?)?)?)?)?$/;
const DATE_JOIN = /^[年月日号.．/／\-－]|[年月.．/／\-－]$/;
const PCT = /^(约|大约|近|约为|约合|小于|大于|不足|超过|低于|高于|<|>|≤|≥|≈|~)?\d+(\.\d+)?%?$/;
const PCT_PREFIX = /^(约|大约|近|约为|约合|小于|大于|不足|超过|低于|高于|<|>|≤|≥|≈|~)$/;
/** A cell that plainly names a category (a product name may contain 工业, not 工业软件). */
const CATEGORY_WORD = /软件|类|AIGC|人工智能|操作系统|数据库|中间件|固件|嵌入式|信息安全|新兴平台/i;

function kindOf(text: string): Kind {
  const t = toHalfWidth(text, true);
  if (DATE_PREFIX.test(t) && normaliseDate(t) !== null) return 'date';
  if (isNoneAnswer(t)) return 'none';
  if (PCT.test(t)) return 'pct';
  if (CATEGORY_WORD.test(t) && matchCategory(t) !== null) return 'cat';
  return 'text';
}

function tokenize(lines: string[]): Token[] {
  const cells = lines
    .map((line) => line.trim().split('\t').map((cell) => cell.split(/\s+/).filter((w) => w !== '')))
    // A line answering 无 in every cell is no product.
    .filter((cs) => !(cs.flat().length > 1 && cs.flat().every((w) => isNoneAnswer(w))));
  const words: string[] = [];
  const tabbed = new Set<number>();
  for (const line of cells) {
    line.forEach((cell, c) => {
      if (c > 0 && cell.length > 0) tabbed.add(words.length);
      words.push(...cell);
    });
  }
  const tokens: Token[] = [];
  for (let i = 0; i < words.length; i++) {
    const newCell = tabbed.has(i);
    let text = words[i] ?? '';
    const folded = (s: string): string => toHalfWidth(s, true);
    if (/^(19|20)\d{2}/.test(folded(text))) {
      // `2022 年 5 月` / `10 日`: pdf.js splits a date into words, even over lines.
      while (i + 1 < words.length) {
        const next = words[i + 1] ?? '';
        const joined = folded(text + next);
        if (!DATE_PREFIX.test(joined) || !(DATE_JOIN.test(folded(text)) || DATE_JOIN.test(folded(next)))) break;
        text += next;
        i++;
      }
    } else if (PCT_PREFIX.test(text) && PCT.test(folded(text + (words[i + 1] ?? '')))) {
      text += words[++i] ?? '';
    }
    if (/^\d+(\.\d+)?$/.test(folded(text)) && /^[%％]$/.test(words[i + 1] ?? '')) text += words[++i] ?? '';
    tokens.push({ text, kind: kindOf(text), newCell });
  }
  return tokens;
}

type ColumnType = 'text' | 'date' | 'cat' | 'pct';
const TYPE: Record<ProductKey, ColumnType> = {
  name: 'text', releaseDate: 'date', category: 'cat', domain: 'text',
  revenueSharePercent: 'pct', marketSharePercent: 'pct', exportSharePercent: 'pct',
};

function typedRows(columns: ProductKey[], tokens: Token[]): RawProduct[] {
  const types = columns.map((k) => TYPE[k]);
  const rows: RawProduct[] = [];
  let row: RawProduct = {};
  let ci = -1;
  const place = (j: number, text: string): void => {
    const key = columns[j] as ProductKey;
    row[key] = row[key] ? joinWrapped(row[key] ?? '', text) : text;
    ci = j;
  };
  const newRow = (): void => {
    if (Object.keys(row).length > 0) rows.push(row);
    row = {};
    ci = -1;
  };
  const after = (from: number, ok: (j: number) => boolean): number => {
    for (let j = from; j < types.length; j++) if (ok(j)) return j;
    return -1;
  };
  const placeTyped = (type: ColumnType, text: string): void => {
    let j = after(ci + 1, (c) => types[c] === type);
    if (j < 0) {
      newRow();
      j = after(0, (c) => types[c] === type);
    }
    if (j >= 0) place(j, text);
  };
  /** A date comes before any percent: columns run in order, so a new row has begun. */
  // For each token: is the next date before the next percent, and how long is the run of
  // percents starting here (computed once, from the end: documents can be long).
  const n = tokens.length;
  const dateFirst: boolean[] = new Array<boolean>(n + 1).fill(false);
  const pctRun: number[] = new Array<number>(n + 1).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    const kind = tokens[k]?.kind;
    const isPct = kind === 'pct' || kind === 'none';
    pctRun[k] = isPct ? (pctRun[k + 1] ?? 0) + 1 : 0;
    dateFirst[k] = kind === 'date' ? true : isPct ? false : (dateFirst[k + 1] ?? false);
  }
  const dateBeforePercent = (k: number): boolean => dateFirst[k + 1] ?? false;
  const dateCol = types.indexOf('date');
  const placeText = (token: Token, k: number): void => {
    if (ci >= 0 && dateCol >= 0 && ci > dateCol && types[ci] === 'text' && dateBeforePercent(k)) {
      newRow();
      return place(Math.max(0, types.indexOf('text')), token.text);
    }
    if (ci >= 0 && types[ci] === 'text' && !token.newCell) return place(ci, token.text);
    if (ci >= 0 && types[ci] === 'cat' && /^(类)?(软件|件)$/.test(token.text)) return place(ci, token.text);
    const fitsCategory = matchCategory(token.text) !== null;
    const ok = (c: number): boolean => types[c] === 'text' || (types[c] === 'cat' && fitsCategory);
    let j = after(ci + 1, ok);
    if (j < 0) {
      newRow();
      j = after(0, ok);
    }
    if (j >= 0) place(j, token.text);
  };
  tokens.forEach((token, k) => {
    if (token.kind === 'date') return placeTyped('date', token.text);
    // A number before the date is a wrapped piece of the name (`平台Ｖ３.` / `０`).
    const beforeDate = ci < dateCol && types[Math.max(ci, 0)] === 'text' && !token.newCell && dateBeforePercent(k);
    if (token.kind === 'pct' && beforeDate && ci >= 0) return place(ci, token.text);
    if (token.kind === 'pct') return placeTyped('pct', token.text);
    if (token.kind === 'none') {
      // 无 fills a text cell only when more 无/numbers follow than percent cells remain.
      const runLength = pctRun[k] ?? 0;
      const pctLeft = types.filter((t, c) => c > ci && t === 'pct').length;
      const nextCol = ci + 1;
      if (runLength > pctLeft && nextCol < types.length && types[nextCol] !== 'pct') return place(nextCol, token.text);
      return placeTyped('pct', token.text);
    }
    if (token.kind === 'cat') {
      // Still in the name, with the date to come: a name like `某某应用软件`.
      const inName = !token.newCell && ci < dateCol && types[Math.max(ci, 0)] === 'text' && dateBeforePercent(k);
      if (!inName && after(ci + 1, (c) => types[c] === 'cat') >= 0) return placeTyped('cat', token.text);
    }
    placeText(token, k);
  });
  newRow();
  return rows;
}

// ---- finding the header --------------------------------------------------------------

export function productsFromLines(lines: string[]): RawProduct[] | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!startsHeader(line)) continue;
    // .doc: the header's cells are tab-separated, each naming a column.
    const cells = line.split('\t');
    if (cells.length > 1) {
      let n = 0;
      while (n < cells.length && (columnOf(cells[n] ?? '') !== null || /^(序号|编号)$/.test(compact(cells[n] ?? '')))) n++;
      const columns = cells.slice(0, n).map((c) => columnOf(c));
      if (new Set(columns.filter((c) => c !== null)).size >= 3) {
        return tabRows(columns, cells.slice(n), lines.slice(i + 1));
      }
    }
    // PDF: the header may wrap over many lines.
    const end = headerEnd(lines, i);
    if (end < 0) continue;
    const found = keysIn(lines.slice(i, end).join(''));
    const firstLine = keysIn(line);
    const columns = found.every((k) => firstLine.includes(k)) ? firstLine : PRODUCT_ORDER.filter((k) => found.includes(k));
    const data: string[] = [];
    for (const l of lines.slice(end)) {
      if (startsSection(l)) break;
      if (!isBlank(l)) data.push(l);
    }
    return typedRows(columns, tokenize(data));
  }
  return null;
}
