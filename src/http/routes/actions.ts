/**
 * Every staff action: a POST (CSRF-checked by the security hook) that calls StaffActions
 * with the logged-in user's name, then redirects back (303) with a flash message. A refusal
 * comes back as the Chinese message it carries; nothing is changed then.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ActionResult, MailActionResult } from '../../store/staff-actions';
import { staffName } from '../auth';
import { flash, type DashboardContext } from '../context';
import { validId } from '../params';

type Body = Record<string, string | undefined>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : -1);

/** Where to go back to: the application's page or the failed list, never elsewhere. */
function backTo(v: unknown): string {
  const s = str(v);
  return s === '/failed' || /^\/applications\/[A-Za-z0-9]{1,20}-\d{1,8}$/.test(s) ? s : '/';
}

function describe(result: ActionResult | MailActionResult, done: string): string {
  if (!result.ok) return result.messageZh;
  const parts = [done];
  if (result.verdict) parts.push(result.verdict.complete ? '申报现已材料齐全' : `尚有 ${result.verdict.issues.length} 项待补问题`);
  if (result.planned.length > 0) parts.push(`将发送 ${result.planned.length} 封邮件`);
  return parts.join('；');
}

export function registerActions(app: FastifyInstance, ctx: DashboardContext): void {
  const finish = (req: FastifyRequest, reply: FastifyReply, result: ActionResult | MailActionResult, done: string, back: string) => {
    if (result.ok) {
      for (const id of [result.app?.id, 'other' in result ? result.other?.app.id : undefined]) if (id) ctx.cache.invalidate(id);
    }
    flash(req, result.ok ? 'ok' : 'error', describe(result, done));
    return reply.redirect(back, 303);
  };

  /** An action on one application: `/applications/:id/<name>`. */
  const onApp = (name: string, done: string, run: (id: string, b: Body, by: string) => Promise<ActionResult>) => {
    app.post(`/applications/:id/${name}`, async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!validId(id)) return reply.code(404).send('未找到 / not found');
      const by = staffName(req, ctx.auth) ?? '';
      const result = await run(id, (req.body ?? {}) as Body, by);
      return finish(req, reply, result, done, `/applications/${encodeURIComponent(id)}`);
    });
  };
  const a = ctx.actions;
  onApp('waive', '已豁免该问题', (id, b, by) => a.waive(id, { code: str(b.code), file: str(b.file) || undefined, path: str(b.path) || undefined, reason: str(b.reason) }, by));
  onApp('unwaive', '已撤销豁免', (id, b, by) => a.unwaive(id, int(b.index), str(b.reason), by));
  onApp('correct', '已保存更正', (id, b, by) => a.correct(id, { path: str(b.path), value: str(b.value), reason: str(b.reason) }, by));
  onApp('kind', '已更改文件类型', (id, b, by) => a.setKind(id, { sha256: str(b.sha256), kind: str(b.kind), reason: str(b.reason) }, by));
  onApp('note', '已保存备注', (id, b, by) => a.note(id, str(b.text), by));
  onApp('merge', '已合并', (id, b, by) => a.merge(id, str(b.other).trim().toUpperCase(), str(b.reason), by));
  onApp('move-email', '已移动邮件', (id, b, by) => a.moveEmail(id, int(b.index), str(b.to).trim().toUpperCase(), str(b.reason), by));
  onApp('send-status', '已安排发送状态邮件', (id, _b, by) => a.sendStatus(id, by));

  app.post('/sent/resend', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const result = await a.resend(str(b.key), str(b.reason), staffName(req, ctx.auth) ?? '');
    return finish(req, reply, result, '已安排重新发送', backTo(b.back));
  });
  app.post('/sent/suppress', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const result = await a.suppress(str(b.key), str(b.reason), staffName(req, ctx.auth) ?? '');
    return finish(req, reply, result, '已取消发送', backTo(b.back));
  });
  app.post('/failed/reprocess', async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const result = await a.reprocess(str(b.key), staffName(req, ctx.auth) ?? '');
    return finish(req, reply, result, '已重新放入受理队列', '/failed');
  });
}
