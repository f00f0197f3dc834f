/** GET /applications/:id — one application: form, documents, emails, issues, sent emails, audit trail, actions. */
import type { FastifyInstance } from 'fastify';
import { judge } from '../../rules/judge';
import { pageData, type DashboardContext } from '../context';
import { detailView } from '../detail-view';
import { validId } from '../params';

export function registerApplication(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/applications/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const stored = validId(id) ? await ctx.applications.get(id) : null;
    if (!stored) return reply.code(404).view('not-found.eta', pageData(ctx, req, reply, { title: '未找到', what: `申报 ${id}` }));
    if (stored.mergedInto) {
      return reply.view('merged.eta', pageData(ctx, req, reply, { title: stored.id, id: stored.id, into: stored.mergedInto, company: stored.companyName ?? '' }));
    }
    await ctx.cache.refresh();
    const audit = await ctx.audit.list(stored.id);
    const duplicates = ctx.cache.entries().map((e) => e.judged.app).filter((x) => x.possibleDuplicateOf === stored.id).map((x) => x.id);
    const view = detailView(stored, judge(stored, ctx.campaign), ctx.cache.sentFor(stored.id), audit, ctx.campaign, duplicates);
    return reply.view('application.eta', pageData(ctx, req, reply, { title: `${view.id} ${view.company}`, a: view }));
  });
}
