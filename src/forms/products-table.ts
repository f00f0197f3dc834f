/**
 * The products table of a .docx: a header row found by its column words, then one
 * product per row until the summaries (or the next part) begin. Also the transposed
 * layout, where the headers run down the first column and each product is a column.
 */
import type { Cell, DocumentContent } from '../domain/content';
import { isPartBoundary, type ProductKey, SUMMARY_LABELS } from './fields';
import { columnOf } from './header-lines';
import { leadingLabel } from './labels';
import type { RawProduct } from './product';

/**
 * Cell texts by grid column: a merged cell's text fills every row it spans; the columns a
 * cell spans after its first are null (an empty cell is '').
 */
export function toGrid(rows: Cell[][]): Array<Array<string | null>> {
  const grid: Array<Array<string | null>> = [];
  const taken: boolean[][] = [];
  rows.forEach((cells, r) => {
    grid[r] ??= [];
    taken[r] ??= [];
    let c = 0;
    for (const cell of cells) {
      while (taken[r]?.[c]) c++;
      const text = cell.paragraphs.join('\n');
      for (let dr = 0; dr < Math.max(1, cell.rowspan); dr++) {
        const row = (grid[r + dr] ??= []);
        const used = (taken[r + dr] ??= []);
        for (let dc = 0; dc < Math.max(1, cell.colspan); dc++) {
          row[c + dc] = dc === 0 ? text : null;
          used[c + dc] = true;
        }
      }
      c += Math.max(1, cell.colspan);
    }
  });
  return grid.map((row) => Array.from(row, (t) => (t === undefined ? '' : t)));
}

/** Grid columns of a header row, when at least three distinct product columns are named. */
function headerColumns(row: Array<string | null>): Map<ProductKey, number[]> | null {
  const columns = new Map<ProductKey, number[]>();
  let last: ProductKey | null = null;
  row.forEach((text, c) => {
    // The columns a header cell spans stay with it.
    const key = text === null ? last : columnOf(text);
    last = key;
    if (key) columns.set(key, [...(columns.get(key) ?? []), c]);
  });
  return columns.size >= 3 ? columns : null;
}

/** A row that ends the table's products: a summary, or the next part. */
function endsProducts(row: Array<string | null>): boolean {
  return row.some((text) => text !== null && (isPartBoundary(text) || leadingLabel(SUMMARY_LABELS, text) !== null));
}

function rowProduct(row: Array<string | null>, columns: Map<ProductKey, number[]>): RawProduct {
  const raw: RawProduct = {};
  for (const [key, cols] of columns) {
    const texts = [...new Set(cols.map((c) => row[c] ?? '').filter((t) => t.trim() !== ''))];
    raw[key] = texts.join(' ');
  }
  return raw;
}

function byRows(grid: Array<Array<string | null>>): RawProduct[] | null {
  for (let r = 0; r < grid.length; r++) {
    const columns = headerColumns(grid[r] ?? []);
    if (!columns) continue;
    const products: RawProduct[] = [];
    for (const row of grid.slice(r + 1)) {
      if (endsProducts(row) || headerColumns(row)) break;
      products.push(rowProduct(row, columns));
    }
    return products;
  }
  return null;
}

function byColumns(grid: Array<Array<string | null>>): RawProduct[] | null {
  const keys = new Map<number, ProductKey>();
  grid.forEach((row, r) => {
    const key = columnOf(row[0] ?? '');
    if (key && ![...keys.values()].includes(key)) keys.set(r, key);
  });
  if (keys.size < 3) return null;
  const width = Math.max(...grid.map((row) => row.length));
  const products: RawProduct[] = [];
  for (let c = 1; c < width; c++) {
    const raw: RawProduct = {};
    for (const [r, key] of keys) raw[key] = grid[r]?.[c] ?? '';
    products.push(raw);
  }
  return products;
}

/**
 * Product rows from the document's tables, from every table with a products header (an
 * applicant may copy the table once per product); null when no table has one.
 */
export function productsFromTables(content: DocumentContent): RawProduct[] | null {
  let products: RawProduct[] | null = null;
  for (const block of content.blocks) {
    if (block.type !== 'table') continue;
    const grid = toGrid(block.rows);
    const found = byRows(grid) ?? byColumns(grid);
    if (found) products = [...(products ?? []), ...found];
  }
  return products;
}
