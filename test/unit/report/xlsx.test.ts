import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { emptyOverlay } from '../../../src/domain/staff';
import { SHEET_NAMES, displayWidth, reportRows, writeXlsx } from '../../../src/report';
import { completeDocuments, doc, form, formDoc, product, productDocuments, scan } from '../rules/helpers';
import { app, judged, sent } from './build';

async function workbookOf(rows: Parameters<typeof writeXlsx>[0]): Promise<{ wb: ExcelJS.Workbook; bytes: number; progress: number[] }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const progress: number[] = [];
  await writeXlsx(rows, out, { every: 1, onProgress: (done) => progress.push(done) });
  const wb = new ExcelJS.Workbook();
  const buf = Buffer.concat(chunks);
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return { wb, bytes: buf.length, progress };
}

const header = (ws: ExcelJS.Worksheet): string[] => (ws.getRow(1).values as unknown[]).slice(1).map(String);
const col = (ws: ExcelJS.Worksheet, name: string): number => header(ws).indexOf(name) + 1;

describe('writeXlsx', () => {
  const two = form([product('云帆智能客服', { category: 'ai', releaseDate: '2022-03-01' }), product('云帆工业网关', { category: 'industrial' })],
    {}, { name: '武汉云帆科技有限公司' });
  // per product (cross-checks.md §3): 云帆智能客服 has one report and no certificate, 云帆工业网关 everything
  const a = app('SB2023-0001', '2023-07-17T17:25:00+08:00', [formDoc('登记表.docx', two), scan(), doc('用户使用报告-云帆智能客服.pdf', 'userReport'), ...productDocuments(['云帆工业网关'])]);
  a.staff = { ...emptyOverlay(), notes: [{ by: 'wang', at: '2023-07-18T01:00:00Z', text: '周一补报告' }], waivers: [{ code: 'MISSING_COPYRIGHT_PROOF', by: 'wang', at: '2023-07-18T01:00:00Z', reason: '证书在办理中' }] };
  const b = app('SB2023-0002', '2023-07-10T10:00:00+08:00', completeDocuments());
  const rows = reportRows(judged(a, b), new Map([['SB2023-0001', [sent('SB2023-0001:receipt:x', 'receipt', { sentAt: Date.parse('2023-07-17T09:25:10Z') })]]]));

  it('three sheets: applications, products, open issues', async () => {
    const { wb, progress } = await workbookOf(rows);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET_NAMES.summary, SHEET_NAMES.products, SHEET_NAMES.issues]);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['申报汇总', '产品', '待补问题']);
    const [summary, products, issues] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(summary.rowCount).toBe(3);
    expect(products.rowCount).toBe(1 + 2 + 1);
    expect(issues.rowCount).toBe(1 + 1);
    expect(progress).toEqual([1, 2]);
  });

  it('cells: values, Chinese labels, issue phrases wrapped, waived apart, notes', async () => {
    const { wb } = await workbookOf(rows);
    const ws = wb.getWorksheet('申报汇总') as ExcelJS.Worksheet;
    const r = ws.getRow(2);
    expect(r.getCell(col(ws, '申报编号')).value).toBe('SB2023-0001');
    expect(r.getCell(col(ws, '企业名称')).value).toBe('武汉云帆科技有限公司');
    expect(r.getCell(col(ws, '产品1名称')).value).toBe('云帆智能客服');
    expect(r.getCell(col(ws, '产品1类别')).value).toBe('人工智能类软件');
    expect(r.getCell(col(ws, '产品2类别')).value).toBe('工业软件');
    expect(r.getCell(col(ws, '产品3名称')).value).toBeNull();
    expect(r.getCell(col(ws, '是否齐全')).value).toBe('材料不全');
    expect(r.getCell(col(ws, '待补问题')).value).toBe('“云帆智能客服”用户使用报告不足（1/3）');
    expect(r.getCell(col(ws, '待补问题')).alignment?.wrapText).toBe(true);
    expect(r.getCell(col(ws, '已豁免')).value).toBe('“云帆智能客服”著作权证明不足（0/1）（理由：证书在办理中）');
    expect(r.getCell(col(ws, '请核对')).value).toBeNull();
    expect(r.getCell(col(ws, '问题数')).value).toBe(1);
    expect(r.getCell(col(ws, '工作人员备注')).value).toBe('周一补报告');
    expect(ws.getRow(3).getCell(col(ws, '是否齐全')).value).toBe('材料齐全');
    const issues = wb.getWorksheet('待补问题') as ExcelJS.Worksheet;
    expect(issues.getRow(2).getCell(col(issues, '问题代码')).value).toBe('TOO_FEW_USER_REPORTS');
    expect(issues.getRow(2).getCell(col(issues, '类型')).value).toBe('需补正');
    expect(String(issues.getRow(2).getCell(col(issues, '说明')).value)).toContain('仅收到 1 份');
  });

  it('dates are real Excel dates showing Beijing wall time', async () => {
    const { wb } = await workbookOf(rows);
    const ws = wb.getWorksheet('申报汇总') as ExcelJS.Worksheet;
    const arrived = ws.getRow(2).getCell(col(ws, '首次来件时间'));
    expect(arrived.value).toBeInstanceOf(Date);
    // exceljs reads the serial back as a Date whose UTC fields are the wall time shown: 17:25 Beijing.
    expect((arrived.value as Date).toISOString()).toBe('2023-07-17T17:25:00.000Z');
    expect(arrived.numFmt).toBe('yyyy-mm-dd hh:mm');
    const serial = 25569 + (arrived.value as Date).getTime() / 86_400_000;
    expect(serial).toBeCloseTo(45124 + (17 * 60 + 25) / 1440, 8);
    expect((ws.getRow(2).getCell(col(ws, '最近回执时间')).value as Date).toISOString()).toBe('2023-07-17T17:25:10.000Z');
    expect(ws.getRow(2).getCell(col(ws, '最近提醒时间')).value).toBeNull();
  });

  it('frozen header, auto-filter over the header, widths fitting Chinese (CJK = 2, capped at 60)', async () => {
    const { wb } = await workbookOf(rows);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const last = ws.getRow(1).cellCount;
      expect(ws.autoFilter).toBe(`A1:${ws.getColumn(last).letter}1`);
      expect(ws.getRow(1).font?.bold).toBe(true);
    }
    const ws = wb.getWorksheet('申报汇总') as ExcelJS.Worksheet;
    expect(ws.getColumn(col(ws, '企业名称')).width).toBe(2 * '武汉云帆科技有限公司'.length + 2);
    expect(ws.getColumn(col(ws, '首次来件时间')).width).toBe(18);
    const issues = wb.getWorksheet('待补问题') as ExcelJS.Worksheet;
    expect(issues.getColumn(col(issues, '说明')).width).toBe(60);
  });

  it('an empty report is still a workbook with headers', async () => {
    const { wb } = await workbookOf([]);
    expect(wb.worksheets).toHaveLength(3);
    expect(header(wb.worksheets[0] as ExcelJS.Worksheet)[0]).toBe('申报编号');
  });
});

describe('displayWidth', () => {
  it('counts CJK, full-width forms and characters beyond the BMP as 2, ASCII as 1', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('武汉云帆')).toBe(8);
    expect(displayWidth('ＡＢ（1/3）')).toBe(2 + 2 + 2 + 3 + 2);
    expect(displayWidth('𠀀a')).toBe(3);
    expect(displayWidth('')).toBe(0);
  });
});
