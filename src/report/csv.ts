/**
 * The report as CSV for Excel on Chinese Windows: UTF-8 with a BOM (without it Excel reads
 * GBK and garbles every name), RFC 4180 quoting with CRLF between records, and any cell that
 * a spreadsheet would take as a formula (= + - @, or a leading tab/CR) neutralised with a
 * leading apostrophe: a company named `=HYPERLINK(…)` stays text.
 */
import { SUMMARY_COLUMNS, wallText, type CellValue, type Column } from './columns';
import type { ReportRow } from './rows';

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: neutralised, then quoted when it holds a quote, comma or line break. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cellText<T>(c: Column<T>, row: T, timeZone: string): string {
  const v: CellValue = c.value(row);
  if (v === null || v === '') return '';
  if (c.kind === 'date') return wallText(String(v), timeZone);
  return String(v);
}

/** The whole report (sheet 1's columns), header first, with a BOM; dates as Beijing wall time `2023-07-17 10:00`. */
export function toCsv(rows: readonly ReportRow[], timeZone = 'Asia/Shanghai'): string {
  const out = [SUMMARY_COLUMNS.map((c) => csvField(c.header)).join(',')];
  for (const row of rows) out.push(SUMMARY_COLUMNS.map((c) => csvField(cellText(c, row, timeZone))).join(','));
  return `${BOM}${out.join('\r\n')}\r\n`;
}
