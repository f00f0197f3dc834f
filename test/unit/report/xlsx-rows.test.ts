/**
 * writeXlsx writes the data rows' XML itself (src/report/xlsx.ts): it must be what exceljs
 * writes for the same cells through its own row API, byte for byte, in every part of the
 * workbook (only docProps/core.xml differs: it holds the time of writing). This guards the
 * two exceljs internals it uses (a sheet's XML stream and the style table) across upgrades.
 */
import { PassThrough, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import * as yauzl from 'yauzl';
import { emptyOverlay } from '../../../src/domain/staff';
import { SHEET_NAMES, reportRows, writeXlsx, type ReportRow } from '../../../src/report';
import {
  ISSUE_COLUMNS, PRODUCT_COLUMNS, SUMMARY_COLUMNS, issueLinesOf, productLines, wallDate, type Column,
} from '../../../src/report/columns';
import { completeDocuments, doc, form, formDoc, product, productDocuments, scan } from '../rules/helpers';
import { app, judged, sent } from './build';

/** The workbook as exceljs's row API writes it: every cell through addRow, its column's style, commit. */
async function throughExceljs(rows: readonly ReportRow[], out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'shenbao';
  const finished = new Promise<void>((resolve) => out.once('finish', resolve));
  const sheet = <T>(name: string, columns: ReadonlyArray<Column<T>>, items: readonly T[], widths: number[]): void => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    const styles: Partial<ExcelJS.Style>[] = columns.map((c) =>
      c.kind === 'date' ? { numFmt: 'yyyy-mm-dd hh:mm', alignment: { vertical: 'top' } }
        : c.kind === 'wrap' ? { alignment: { wrapText: true, vertical: 'top' } } : { alignment: { vertical: 'top' } });
    ws.columns = columns.map((c, n) => ({ key: String(n), width: widths[n], style: styles[n] }));
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    const header = ws.addRow(columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    for (const item of items) {
      const row = ws.addRow(columns.map((c) => {
        const v = c.value(item);
        if (v === null || v === '') return null;
        return c.kind === 'date' ? wallDate(String(v), 'Asia/Shanghai') : v;
      }));
      columns.forEach((_, n) => { row.getCell(n + 1).style = styles[n] as Partial<ExcelJS.Style>; });
      row.commit();
    }
    ws.commit();
  };
  sheet(SHEET_NAMES.summary, SUMMARY_COLUMNS, rows, await widthsOf(rows, 0));
  sheet(SHEET_NAMES.products, PRODUCT_COLUMNS, productLines(rows), await widthsOf(rows, 1));
  sheet(SHEET_NAMES.issues, ISSUE_COLUMNS, issueLinesOf(rows), await widthsOf(rows, 2));
  await wb.commit();
  await finished;
}

/** The widths writeXlsx chose (read back), so the reference differs from it only in how rows are written. */
const written = new Map<readonly ReportRow[], Buffer>();
async function widthsOf(rows: readonly ReportRow[], sheet: number): Promise<number[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(written.get(rows) as unknown as ArrayBuffer);
  const ws = wb.worksheets[sheet] as ExcelJS.Worksheet;
  return ws.columns.map((c) => c.width ?? 0);
}

async function bytesOf(write: (out: Writable) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

/** Every part of the zip by name, uncompressed. */
function partsOf(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err) return reject(err);
      const parts = new Map<string, string>();
      file.on('entry', (entry: yauzl.Entry) => file.openReadStream(entry, (e, stream) => {
        if (e) return reject(e);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => { parts.set(entry.fileName, Buffer.concat(chunks).toString('utf8')); file.readEntry(); });
      }));
      file.on('end', () => resolve(parts));
      file.on('error', reject);
      file.readEntry();
    });
  });
}

describe('writeXlsx rows', () => {
  const two = form([product('云帆智能客服', { category: 'ai', releaseDate: '2022-03-01' }), product('云帆工业网关', { category: 'industrial' })],
    {}, { name: '武汉云帆<科技>&"有限"公司\'' });
  const a = app('SB2023-0001', '2023-07-17T17:25:00+08:00', [formDoc('登记表.docx', two), scan(), doc('用户使用报告-云帆智能客服.pdf', 'userReport'), ...productDocuments(['云帆工业网关'])]);
  a.staff = { ...emptyOverlay(), notes: [{ by: 'wang', at: '2023-07-18T01:00:00Z', text: '周一补报告\n<b>第二行</b>' }], waivers: [{ code: 'MISSING_COPYRIGHT_PROOF', by: 'wang', at: '2023-07-18T01:00:00Z', reason: '证书在办理中' }] };
  const b = app('SB2023-0002', '2023-07-10T10:00:00+08:00', completeDocuments());
  const rows = reportRows(judged(a, b), new Map([['SB2023-0001', [sent('SB2023-0001:receipt:x', 'receipt', { sentAt: Date.parse('2023-07-17T09:25:10Z') })]]]));
  // A value exceljs would escape or drop that clean() would not let through: the writer must agree with exceljs on it too.
  const raw: ReportRow[] = [{ ...(rows[0] as ReportRow), company: 'A\u0001B\u007fC & <D>' }, ...rows.slice(1)];

  it.each([['two applications', rows], ['raw control characters', raw], ['no application', [] as ReportRow[]]])('%s: every part as exceljs writes it', async (_, input) => {
    const ours = await bytesOf((out) => writeXlsx(input, out));
    written.set(input, ours);
    const theirs = await bytesOf((out) => throughExceljs(input, out));
    const [mine, reference] = await Promise.all([partsOf(ours), partsOf(theirs)]);
    expect([...mine.keys()]).toEqual([...reference.keys()]);
    for (const [name, xml] of reference) if (name !== 'docProps/core.xml') expect({ name, xml: mine.get(name) }).toEqual({ name, xml });
    expect((mine.get('xl/worksheets/sheet1.xml') ?? '').includes('<row r="2" spans="1:')).toBe(input.length > 0);
  });
});
