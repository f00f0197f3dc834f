/** GET /failed — mails the intake gave up on (reprocess), emails that could not be delivered (5xx; resend), emails held back by a sending limit. */
import type { FastifyInstance } from 'fastify';
import { messageKey } from '../../store/intake-log';
import { applicationOfKey } from '../../store/dashboard-cache';
import { pageData, type DashboardContext } from '../context';
import { LIMIT_SCOPE_ZH, sentKindZh, wallTime } from '../format';
import { validId } from '../params';

export function registerFailed(app: FastifyInstance, ctx: DashboardContext): void {
  const tz = ctx.campaign.timeZone;
  app.get('/failed', async (req, reply) => {
    await ctx.cache.refresh();
    const mails = (await ctx.intakeLog.failed())
      .sort((a, b) => b.at.localeCompare(a.at))
      .map((f) => ({ key: messageKey(f.ref), mailbox: f.ref.mailbox, uid: f.ref.uid, messageId: f.messageId ?? '', error: f.error, attempts: f.attempts, at: wallTime(f.at, tz) }));
    const undeliverable = ctx.cache.allSent().filter((r) => r.state === 'failed').map((r) => {
      const id = applicationOfKey(r.key);
      return {
        key: r.key, to: r.to, subject: r.subject, kindZh: sentKindZh(r.kind), error: r.lastError ?? '', at: wallTime(r.updatedAt, tz),
        app: validId(id) ? id : null,
      };
    });
    // Held back by a sending limit (issue 8 §1): not failed, they go out at retryAt by themselves.
    const held = (await ctx.held.held(200)).map((h) => {
      const id = applicationOfKey(h.key);
      return { to: h.to, kindZh: sentKindZh(h.kind), scopeZh: LIMIT_SCOPE_ZH[h.scope] ?? h.scope, heldAt: wallTime(h.heldAt, tz), retryAt: wallTime(h.retryAt, tz), app: validId(id) ? id : null };
    });
    const heldCount = await ctx.held.heldCount();
    return reply.view('failed.eta', pageData(ctx, req, reply, { title: '失败与无法投递', mails, undeliverable, held, heldCount }));
  });
}
