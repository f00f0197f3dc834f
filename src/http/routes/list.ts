/** GET /: counts, filters, search, sorting and paging over the cached list; exports of the same filter. */
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { CATEGORY_CODES } from '../../domain/form';
import { CATEGORY_ZH, filterRows, ISSUE_LABELS_ZH, countedPhrases, rowErrors, rowWarnings, sortRows, toCsv, writeXlsx, type ReportRow } from '../../report';
import { ISSUE_CODES } from '../../rules/issue-codes';
import { pageData, type DashboardContext } from '../context';
import { attachment } from '../download';
import { wallTime } from '../format';
import { listQueryString, PAGE_SIZE, parseListQuery, rowFilter, type ListQuery } from '../list-query';

const SORTS = [
  ['id', '申报编号'], ['company', '企业名称'], ['firstArrivedAt', '首次来件'], ['updatedAt', '最近活动'], ['issues', '问题数'],
] as const;

async function counts(ctx: DashboardContext, rows: readonly ReportRow[]) {
  const failedMails = await ctx.intakeLog.failedCount();
  const undeliverable = ctx.cache.failedSentCount();
  const held = await ctx.held.heldCount();
  return {
    received: rows.length,
    complete: rows.filter((r) => r.complete).length,
    incomplete: rows.filter((r) => !r.complete).length,
    late: rows.filter((r) => r.deadline === 'late').length,
    closed: rows.filter((r) => r.deadline === 'closed').length,
    failedMails,
    undeliverable,
    held,
  };
}

async function selected(ctx: DashboardContext, l: ListQuery): Promise<{ all: ReportRow[]; rows: ReportRow[] }> {
  await ctx.cache.refresh();
  const all = ctx.cache.entries().map((e) => e.row);
  return { all, rows: sortRows(filterRows(all, rowFilter(l), ctx.campaign.timeZone), l.sort, l.dir) };
}

export function registerList(app: FastifyInstance, ctx: DashboardContext): void {
  const tz = ctx.campaign.timeZone;
  app.get('/', async (req, reply) => {
    const l = parseListQuery(req.query);
    const { all, rows } = await selected(ctx, l);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const page = Math.min(l.page, pages);
    const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((r) => ({
      ...r,
      errorCount: rowErrors(r).length,
      errorTags: countedPhrases(rowErrors(r)),
      warningTags: countedPhrases(rowWarnings(r)),
      firstArrivedText: wallTime(r.firstArrivedAt, tz),
      updatedText: wallTime(r.updatedAt, tz),
    }));
    const qs = (change: Partial<ListQuery>) => listQueryString(l, change);
    return reply.view('list.eta', pageData(ctx, req, reply, {
      title: '申报列表',
      counts: await counts(ctx, all),
      l,
      rows: shown,
      total: rows.length,
      page,
      pages,
      prev: page > 1 ? qs({ page: page - 1 }) : null,
      next: page < pages ? qs({ page: page + 1 }) : null,
      exportQs: qs({ page: 1 }),
      sorts: SORTS.map(([key, label]) => ({
        label,
        active: l.sort === key,
        dir: l.sort === key ? l.dir : null,
        href: qs({ sort: key, dir: l.sort === key && l.dir === 'asc' ? 'desc' : 'asc', page: 1 }),
      })),
      issues: ISSUE_CODES.map((code) => ({ code, label: ISSUE_LABELS_ZH[code] })),
      categories: CATEGORY_CODES.map((code) => ({ code, label: CATEGORY_ZH[code] })),
      quick: {
        incomplete: listQueryString(parseListQuery({}), { status: ['incomplete'] }),
        noReports: listQueryString(parseListQuery({}), { issue: 'TOO_FEW_USER_REPORTS' }),
      },
    }));
  });

  app.get('/export.csv', async (req, reply) => {
    const { rows } = await selected(ctx, parseListQuery(req.query));
    return attachment(reply, '申报汇总.csv', 'text/csv; charset=utf-8').send(toCsv(rows, tz));
  });

  app.get('/export.xlsx', async (req, reply) => {
    const { rows } = await selected(ctx, parseListQuery(req.query));
    const out = new PassThrough();
    writeXlsx(rows, out, { timeZone: tz }).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    return attachment(reply, '申报汇总.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(out);
  });
}
