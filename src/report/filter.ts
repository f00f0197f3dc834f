/**
 * Which rows staff asked for, and in which order. Pure, shared by `shenbao report` and the
 * dashboard's list, so both show the same applications for the same filter.
 */
import type { CategoryCode } from '../domain/form';
import type { IssueCode } from '../rules/issue-codes';
import { zonedDate } from '../rules/zoned-time';
import { rowErrors, type ReportRow } from './rows';

export const STATUS_FILTERS = ['complete', 'incomplete', 'onTime', 'late', 'closed'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export interface RowFilter {
  /**
   * Completeness (complete/incomplete) and deadline (onTime/late/closed) statuses. Within one
   * of those two groups any listed status matches; across the groups all must match
   * (`['incomplete', 'onTime']` = incomplete and on time).
   */
  status?: readonly StatusFilter[];
  /** Only rows with this open issue. */
  issue?: IssueCode;
  /** Only rows with a product in this category. */
  category?: CategoryCode;
  /** Text search in number, company, contact (name, phone, email), product names and addresses; case and width insensitive. */
  q?: string;
  /** First arrival on or after / on or before: a date YYYY-MM-DD in `timeZone`, or an ISO instant. */
  arrivedFrom?: string;
  arrivedTo?: string;
}

const fold = (s: string): string => s.normalize('NFKC').toLowerCase();

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function arrivalMatches(row: ReportRow, from: string | undefined, to: string | undefined, timeZone: string): boolean {
  if (from === undefined && to === undefined) return true;
  const at = new Date(row.firstArrivedAt);
  const day = zonedDate(at, timeZone);
  if (from !== undefined && (DATE_ONLY.test(from) ? day < from : at.getTime() < Date.parse(from))) return false;
  if (to !== undefined && (DATE_ONLY.test(to) ? day > to : at.getTime() > Date.parse(to))) return false;
  return true;
}

function searchText(row: ReportRow): string {
  return fold([row.id, row.company, row.contactName, row.contactPhone, row.contactEmail, ...row.products.map((p) => p.name), ...row.addresses]
    .filter((s): s is string => !!s).join('\n'));
}

/** The rows matching every part of `filter` (an empty filter keeps all), order kept. */
export function filterRows(rows: readonly ReportRow[], filter: RowFilter = {}, timeZone = 'Asia/Shanghai'): ReportRow[] {
  const status = new Set(filter.status ?? []);
  const completeness = ['complete', 'incomplete'].filter((s) => status.has(s as StatusFilter));
  const deadlines = ['onTime', 'late', 'closed'].filter((s) => status.has(s as StatusFilter));
  const q = filter.q?.trim() ? fold(filter.q.trim()) : null;
  return rows.filter((row) => {
    if (completeness.length > 0 && !completeness.includes(row.complete ? 'complete' : 'incomplete')) return false;
    if (deadlines.length > 0 && !deadlines.includes(row.deadline)) return false;
    if (filter.issue && !row.issues.some((i) => i.code === filter.issue)) return false;
    if (filter.category && !row.products.some((p) => p.category === filter.category)) return false;
    if (!arrivalMatches(row, filter.arrivedFrom, filter.arrivedTo, timeZone)) return false;
    if (q !== null && !searchText(row).includes(q)) return false;
    return true;
  });
}

export const SORT_KEYS = ['id', 'company', 'firstArrivedAt', 'updatedAt', 'issues', 'deadline', 'complete'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });
const DEADLINE_ORDER = { onTime: 0, late: 1, closed: 2 } as const;

function compare(a: ReportRow, b: ReportRow, key: SortKey): number {
  switch (key) {
    case 'id': return collator.compare(a.id, b.id);
    case 'company':
      // Rows without a company name sort after every named one, whatever the direction.
      return collator.compare(a.company ?? '', b.company ?? '');
    case 'firstArrivedAt': return Date.parse(a.firstArrivedAt) - Date.parse(b.firstArrivedAt);
    case 'updatedAt': return Date.parse(a.updatedAt) - Date.parse(b.updatedAt);
    case 'issues': return rowErrors(a).length - rowErrors(b).length;
    case 'deadline': return DEADLINE_ORDER[a.deadline] - DEADLINE_ORDER[b.deadline];
    case 'complete': return Number(a.complete) - Number(b.complete);
  }
}

/** A sorted copy; ties keep the application number order (ascending), so pages are stable. */
export function sortRows(rows: readonly ReportRow[], key: SortKey = 'id', direction: SortDirection = 'asc'): ReportRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (key === 'company' && (a.company === null) !== (b.company === null)) return a.company === null ? 1 : -1;
    return sign * compare(a, b, key) || collator.compare(a.id, b.id);
  });
}
