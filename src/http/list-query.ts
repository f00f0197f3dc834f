/**
 * The list's query string (status, issue, category, arrival dates, search, sort, page) read
 * into a RowFilter the report's filterRows understands, and written back for links (sorting,
 * paging, exports of the same filter). Unknown values are dropped, never passed on. Pure.
 */
import { CATEGORY_CODES, type CategoryCode } from '../domain/form';
import { SORT_KEYS, STATUS_FILTERS, type RowFilter, type SortDirection, type SortKey, type StatusFilter } from '../report';
import { ISSUE_CODES, type IssueCode } from '../rules/issue-codes';

export const PAGE_SIZE = 50;

export interface ListQuery {
  status: StatusFilter[];
  issue: IssueCode | null;
  category: CategoryCode | null;
  from: string | null;
  to: string | null;
  q: string;
  sort: SortKey;
  dir: SortDirection;
  page: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const first = (v: unknown): string | undefined => (Array.isArray(v) ? first(v[0]) : typeof v === 'string' ? v : undefined);
const all = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(all) : typeof v === 'string' ? v.split(',') : []);
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | null => (v !== undefined && (list as readonly string[]).includes(v) ? (v as T) : null);

export function parseListQuery(query: unknown): ListQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  const page = Number(first(q.page));
  const from = first(q.from)?.trim();
  const to = first(q.to)?.trim();
  return {
    status: [...new Set(all(q.status).filter((s): s is StatusFilter => (STATUS_FILTERS as readonly string[]).includes(s)))],
    issue: oneOf(ISSUE_CODES, first(q.issue)),
    category: oneOf(CATEGORY_CODES, first(q.category)),
    from: from && DATE.test(from) ? from : null,
    to: to && DATE.test(to) ? to : null,
    q: (first(q.q) ?? '').trim().slice(0, 200),
    sort: oneOf(SORT_KEYS, first(q.sort)) ?? 'id',
    dir: first(q.dir) === 'desc' ? 'desc' : 'asc',
    page: Number.isInteger(page) && page >= 1 ? Math.min(page, 100_000) : 1,
  };
}

export function rowFilter(l: ListQuery): RowFilter {
  const f: RowFilter = {};
  if (l.status.length > 0) f.status = l.status;
  if (l.issue) f.issue = l.issue;
  if (l.category) f.category = l.category;
  if (l.q) f.q = l.q;
  if (l.from) f.arrivedFrom = l.from;
  if (l.to) f.arrivedTo = l.to;
  return f;
}

/** `?status=incomplete&issue=…` for `l` with `change` applied; page 1 and default sort are left out. */
export function listQueryString(l: ListQuery, change: Partial<ListQuery> = {}): string {
  const v = { ...l, ...change };
  const p = new URLSearchParams();
  if (v.status.length > 0) p.set('status', v.status.join(','));
  if (v.issue) p.set('issue', v.issue);
  if (v.category) p.set('category', v.category);
  if (v.from) p.set('from', v.from);
  if (v.to) p.set('to', v.to);
  if (v.q) p.set('q', v.q);
  if (v.sort !== 'id') p.set('sort', v.sort);
  if (v.dir !== 'asc') p.set('dir', v.dir);
  if (v.page > 1) p.set('page', String(v.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}
