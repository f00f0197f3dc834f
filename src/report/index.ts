/**
 * The staff completeness report, pure: judged applications + sent records → rows → filter /
 * sort → JSON, CSV, xlsx or HTML. Used by `shenbao report` and the dashboard.
 *
 *   reportRows(items: Judged[], sentByApp: Map<appId, SentRecord[]>, campaign?): ReportRow[]
 *   groupSentByApp(records: SentRecord[]): Map<appId, SentRecord[]>
 *   filterRows(rows, filter: RowFilter, timeZone?): ReportRow[]     sortRows(rows, key?, direction?): ReportRow[]
 *   toCsv(rows, timeZone?): string (BOM, CRLF)                       toHtml(rows, meta): string
 *   toJson(rows, meta): ReportJson                                    writeXlsx(rows, out: Writable, opts?): Promise<void>
 */
export { reportRows, reportRow, rowErrors, rowWarnings, groupSentByApp, type ReportRow, type ReportProduct, type ReportIssue, type ReportWaived, type ReportSent, type ReportDocument, type ReportEmail, type SentInfo } from './rows';
export { filterRows, sortRows, STATUS_FILTERS, SORT_KEYS, type RowFilter, type StatusFilter, type SortKey, type SortDirection } from './filter';
export { ISSUE_LABELS_ZH, DEADLINE_ZH, CATEGORY_ZH, COMPLETE_ZH, issuePhrase, duplicatePhrase, noReplyPhrase } from './phrases';
export { clean } from './clean';
export { toCsv, csvField } from './csv';
export { toHtml, escapeHtml, type HtmlMeta } from './html';
export { toJson, jsonChunks, type ReportJson, type ReportMeta, type FailedMail } from './json';
export { writeXlsx, SHEET_NAMES, type XlsxOptions } from './xlsx';
export { SUMMARY_COLUMNS, PRODUCT_COLUMNS, ISSUE_COLUMNS, countedPhrases, wallText, wallDate, displayWidth, type Column } from './columns';
