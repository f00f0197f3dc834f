/**
 * The report as an Excel workbook, streamed (exceljs WorkbookWriter): rows are committed as
 * they are written, so 5,000 applications never sit in memory as a workbook. Three sheets —
 * 申报汇总 (one row per application), 产品 (one per product), 待补问题 (one per open issue) —
 * each with a frozen header, an auto-filter and widths that fit Chinese text. Dates are real
 * Excel dates showing Beijing wall time (exceljs writes a Date's UTC fields; see wallDate).
 */
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import {
  ISSUE_COLUMNS, PRODUCT_COLUMNS, SUMMARY_COLUMNS, displayWidth, issueLinesOf, productLines, wallDate, type Column,
} from './columns';
import type { ReportRow } from './rows';

export const SHEET_NAMES = { summary: '申报汇总', products: '产品', issues: '待补问题' } as const;

export interface XlsxOptions {
  timeZone?: string;
  /** Called after every `every` summary rows with (done, total): the CLI's progress bar. */
  onProgress?: (done: number, total: number) => void;
  every?: number;
}

const MAX_WIDTH = 60;
const DATE_FORMAT = 'yyyy-mm-dd hh:mm';

/** Widest line of the header and every value (CJK counts 2), plus padding, capped. */
function widthOf<T>(c: Column<T>, items: readonly T[]): number {
  if (c.kind === 'date') return Math.max(displayWidth(c.header), DATE_FORMAT.length) + 2;
  let w = displayWidth(c.header);
  for (const item of items) {
    const v = c.value(item);
    if (v === null) continue;
    const text = String(v);
    // A string is at most twice its length wide: most values cannot widen the column.
    if (text.length * 2 <= w) continue;
    for (const line of text.split('\n')) if (line.length * 2 > w) w = Math.max(w, displayWidth(line));
    if (w >= MAX_WIDTH) return MAX_WIDTH;
  }
  return Math.min(MAX_WIDTH, w + 2);
}

function cell<T>(c: Column<T>, item: T, timeZone: string): string | number | Date | null {
  const v = c.value(item);
  if (v === null || v === '') return null;
  return c.kind === 'date' ? wallDate(String(v), timeZone) : v;
}

async function writeSheet<T>(
  wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: ReadonlyArray<Column<T>>, items: readonly T[],
  timeZone: string, progress?: (done: number) => void,
): Promise<void> {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  // One style object per column, given to every cell of it: exceljs caches a style's id by
  // object identity, while a cell's default style is a fresh copy it would serialise again
  // for each of the 300,000 cells of a 5,000-application report (most of the write time).
  const styles: Partial<ExcelJS.Style>[] = columns.map((c) =>
    c.kind === 'date' ? { numFmt: DATE_FORMAT, alignment: { vertical: 'top' } }
      : c.kind === 'wrap' ? { alignment: { wrapText: true, vertical: 'top' } } : { alignment: { vertical: 'top' } });
  ws.columns = columns.map((c, n) => ({ key: String(n), width: widthOf(c, items), style: styles[n] }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  items.forEach((item, i) => {
    const row = ws.addRow(columns.map((c) => cell(c, item, timeZone)));
    for (let n = 0; n < columns.length; n++) row.getCell(n + 1).style = styles[n] as Partial<ExcelJS.Style>;
    row.commit();
    progress?.(i + 1);
  });
  ws.commit();
}

/** Writes the workbook to `out` and resolves when it is complete (the stream is ended). */
export async function writeXlsx(rows: readonly ReportRow[], out: Writable, opts: XlsxOptions = {}): Promise<void> {
  const timeZone = opts.timeZone ?? 'Asia/Shanghai';
  const every = opts.every ?? 250;
  // Loaded on first use: exceljs costs ~0.2 s of start-up that no other command should pay
  // (a require, not import(): jest runs without --experimental-vm-modules).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stream } = require('exceljs') as typeof ExcelJS;
  const wb = new stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'shenbao';
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('error', reject);
  });
  await writeSheet(wb, SHEET_NAMES.summary, SUMMARY_COLUMNS, rows, timeZone, (done) => {
    if (opts.onProgress && (done % every === 0 || done === rows.length)) opts.onProgress(done, rows.length);
  });
  await writeSheet(wb, SHEET_NAMES.products, PRODUCT_COLUMNS, productLines(rows), timeZone);
  await writeSheet(wb, SHEET_NAMES.issues, ISSUE_COLUMNS, issueLinesOf(rows), timeZone);
  await wb.commit();
  await finished;
}
