/**
 * The report's columns, once for CSV, xlsx and HTML: Chinese header, the value of a row,
 * and how it is shown. Dates are ISO instants here; each writer shows them as Beijing wall
 * time (text in CSV/HTML, a real Excel date in xlsx).
 */
import { offsetMs, wallClock } from '../rules/zoned-time';
import { duplicatePhrase, noReplyPhrase, SEVERITY_ZH } from './phrases';
import { rowErrors, rowWarnings, type ReportIssue, type ReportRow, type ReportWaived } from './rows';

export type ColumnKind = 'text' | 'wrap' | 'number' | 'date';
export type CellValue = string | number | null;

export interface Column<T> {
  header: string;
  kind: ColumnKind;
  value: (row: T) => CellValue;
}

const product = (n: number, field: 'name' | 'categoryZh' | 'releaseDate') => (r: ReportRow): CellValue => r.products[n]?.[field] ?? null;

const lines = (xs: readonly string[]): string => xs.join('\n');
/**
 * Each distinct phrase once, a repeated one with its count (two download links:
 * `发来下载链接而非附件（×2）`), in first-seen order: the report's cells and the dashboard's tags.
 * The issue sheet keeps every issue on its own line.
 */
export function countedPhrases(issues: readonly ReportIssue[]): string[] {
  // Most rows have one issue or none (33 ms of a 5,000-application report went into the Map otherwise).
  if (issues.length < 2) return issues.map((i) => i.phrase);
  const counts = new Map<string, number>();
  for (const i of issues) counts.set(i.phrase, (counts.get(i.phrase) ?? 0) + 1);
  return [...counts].map(([phrase, n]) => (n === 1 ? phrase : `${phrase}（×${n}）`));
}

export const issueLines = (issues: readonly ReportIssue[]): string => lines(countedPhrases(issues));
/** cross-checks.md §4: what is missing (errors) and what to look at (warnings, 请核对) in columns of their own. */
export const waivedLines = (waived: readonly ReportWaived[]): string =>
  lines(waived.map((w) => (w.reason ? `${w.phrase}（理由：${w.reason}）` : w.phrase)));

const ID: Column<ReportRow> = { header: '申报编号', kind: 'text', value: (r) => r.id };
const COMPANY: Column<ReportRow> = { header: '企业名称', kind: 'text', value: (r) => r.company };
const CONTACT: ReadonlyArray<Column<ReportRow>> = [
  { header: '联系人', kind: 'text', value: (r) => r.contactName },
  { header: '联系电话', kind: 'text', value: (r) => r.contactPhone },
  { header: '联系邮箱', kind: 'text', value: (r) => r.contactEmail },
];
const DEADLINE: Column<ReportRow> = { header: '截止状态', kind: 'text', value: (r) => r.deadlineZh };
const COMPLETE: Column<ReportRow> = { header: '是否齐全', kind: 'text', value: (r) => r.completeZh };

/** An application's column on a sheet whose lines each belong to one application (sheets 2 and 3). */
const ofRow = <T extends { row: ReportRow }>(c: Column<ReportRow>): Column<T> => ({ ...c, value: (line) => c.value(line.row) });

/** Sheet 1 / the CSV: one row per application. */
export const SUMMARY_COLUMNS: ReadonlyArray<Column<ReportRow>> = [
  ID,
  COMPANY,
  ...CONTACT,
  ...[0, 1, 2].flatMap((n): Column<ReportRow>[] => [
    { header: `产品${n + 1}名称`, kind: 'text', value: product(n, 'name') },
    { header: `产品${n + 1}类别`, kind: 'text', value: product(n, 'categoryZh') },
    { header: `产品${n + 1}发布时间`, kind: 'text', value: product(n, 'releaseDate') },
  ]),
  { header: '首次来件时间', kind: 'date', value: (r) => r.firstArrivedAt },
  DEADLINE,
  COMPLETE,
  { header: '待补问题', kind: 'wrap', value: (r) => issueLines(rowErrors(r)) },
  { header: '问题数', kind: 'number', value: (r) => rowErrors(r).length },
  { header: '请核对', kind: 'wrap', value: (r) => issueLines(rowWarnings(r)) },
  { header: '已豁免', kind: 'wrap', value: (r) => waivedLines(r.waived) },
  { header: '用户使用报告数', kind: 'number', value: (r) => r.userReports },
  { header: '文件数', kind: 'number', value: (r) => r.documents },
  { header: '来信数', kind: 'number', value: (r) => r.emailsReceived },
  { header: '已发邮件数', kind: 'number', value: (r) => r.emails },
  { header: '最近回执时间', kind: 'date', value: (r) => r.lastReceiptAt },
  { header: '最近提醒时间', kind: 'date', value: (r) => r.lastReminderAt },
  { header: '发送失败数', kind: 'number', value: (r) => r.failedSends },
  { header: '最近活动时间', kind: 'date', value: (r) => r.updatedAt },
  { header: '工作人员备注', kind: 'wrap', value: (r) => lines(r.notes) },
  { header: '可能重复', kind: 'text', value: (r) => duplicatePhrase(r.possibleDuplicateOf) || null },
  { header: '未自动回复', kind: 'text', value: (r) => noReplyPhrase(r.noReplyEmails) || null },
];

export interface ProductLine {
  row: ReportRow;
  n: number;
}

/** Sheet 2: one row per product. */
export const PRODUCT_COLUMNS: ReadonlyArray<Column<ProductLine>> = [
  ...[ID, COMPANY].map(ofRow<ProductLine>),
  { header: '序号', kind: 'number', value: ({ n }) => n + 1 },
  { header: '产品名称', kind: 'text', value: ({ row, n }) => product(n, 'name')(row) },
  { header: '类别', kind: 'text', value: ({ row, n }) => product(n, 'categoryZh')(row) },
  { header: '发布时间', kind: 'text', value: ({ row, n }) => product(n, 'releaseDate')(row) },
  ...[COMPLETE, DEADLINE].map(ofRow<ProductLine>),
];

export interface IssueLine {
  row: ReportRow;
  issue: ReportIssue;
}

/** Sheet 3: one row per open issue. */
export const ISSUE_COLUMNS: ReadonlyArray<Column<IssueLine>> = [
  ...[ID, COMPANY, ...CONTACT].map(ofRow<IssueLine>),
  { header: '问题代码', kind: 'text', value: ({ issue }) => issue.code },
  { header: '类型', kind: 'text', value: ({ issue }) => SEVERITY_ZH[issue.severity] },
  { header: '问题', kind: 'text', value: ({ issue }) => issue.phrase },
  { header: '说明', kind: 'wrap', value: ({ issue }) => (issue.url ? `${issue.message}：${issue.url}` : issue.message) },
  ofRow(DEADLINE),
];

export const productLines = (rows: readonly ReportRow[]): ProductLine[] => rows.flatMap((row) => row.products.map((_, n) => ({ row, n })));
export const issueLinesOf = (rows: readonly ReportRow[]): IssueLine[] => rows.flatMap((row) => row.issues.map((issue) => ({ row, issue })));

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO instant as wall time in `timeZone`: `2023-07-17 10:00`. */
export function wallText(isoInstant: string, timeZone: string): string {
  const w = wallClock(new Date(isoInstant), timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * An ISO instant as a Date whose UTC fields are the wall time in `timeZone`: exceljs writes a
 * Date's UTC fields as the cell's serial, so Excel then shows Beijing time whatever TZ it runs in.
 */
export function wallDate(isoInstant: string, timeZone: string): Date {
  const at = Date.parse(isoInstant);
  return new Date(at + offsetAt(at, timeZone));
}

// The zone's offset per (zone, UTC quarter-hour): zones change offset only on quarter hours,
// and Intl.DateTimeFormat.formatToParts is slow enough to matter for 20,000 dates.
const offsets = new Map<string, number>();
function offsetAt(ms: number, timeZone: string): number {
  const slot = `${timeZone}|${Math.floor(ms / 900_000)}`;
  let off = offsets.get(slot);
  if (off === undefined) {
    off = offsetMs(new Date(Math.floor(ms / 900_000) * 900_000), timeZone);
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(slot, off);
  }
  return off;
}

/** Display width: CJK and other wide characters count 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x1100) w += 1;
    // A surrogate pair is one character beyond the BMP (CJK extensions, emoji): wide.
    else if (c >= 0xd800 && c <= 0xdbff) { w += 2; i++; } else {
      w += (c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff)
        || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
    }
  }
  return w;
}
