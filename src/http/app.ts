/**
 * The staff dashboard as a fastify instance, built from explicit dependencies (no settings
 * are read here): `shenbao serve` listens with it, tests `inject` into it.
 */
import os from 'node:os';
import path from 'node:path';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { PreviewRenderer } from '../documents/preview';
import { RecipientRateLimit } from '../store/rate-limit';
import { registerAuth } from './auth';
import { pageData, type DashboardContext, type DashboardDeps } from './context';
import { createListCache } from './list-cache';
import { httpSourceDir } from './paths';
import { registerActions } from './routes/actions';
import { registerApplication } from './routes/application';
import { registerAssets } from './routes/assets';
import { registerDocuments } from './routes/documents';
import { registerFailed } from './routes/failed';
import { registerFederation } from './routes/federation';
import { registerList } from './routes/list';
import { registerSecurity } from './security';

export type { DashboardDeps } from './context';

export interface Dashboard {
  app: FastifyInstance;
  context: DashboardContext;
}

export async function buildDashboard(deps: DashboardDeps): Promise<Dashboard> {
  const app = deps.logger
    ? Fastify({ loggerInstance: deps.logger, trustProxy: false, bodyLimit: 1024 * 1024 })
    : Fastify({ logger: false, trustProxy: false, bodyLimit: 1024 * 1024 });
  const ctx: DashboardContext = {
    ...deps,
    cache: createListCache(deps.redis, deps.sentLog, deps.campaign),
    previews: new PreviewRenderer({ dir: deps.previewDir ?? path.join(os.tmpdir(), 'shenbao-previews') }),
    held: new RecipientRateLimit(deps.redis, { max: deps.campaign.rateLimit.perRecipientPerHour }),
  };

  await registerSecurity(app, { sessionKey: deps.sessionKey, secureCookie: deps.secureCookie, sessionSeconds: deps.sessionSeconds ?? 8 * 3600 });
  const root = path.join(httpSourceDir(), 'views');
  // autoEscape: every `<%= %>` is HTML-escaped; templates use `<%~` only for include() and the layout's body.
  await app.register(view, { engine: { eta: new Eta({ views: root, autoEscape: true, cache: true }) }, root, layout: 'layout.eta', production: true });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'dashboard: request failed');
    const text = err.code?.startsWith('FST_CSRF') ? '表单已过期，请刷新页面后重试 / the form expired (CSRF), reload the page'
      : status === 429 ? '尝试次数过多，请稍后再试 / too many attempts, try again later'
        : status >= 500 ? '服务器出错 / server error' : `请求无效 / bad request (${err.code ?? status})`;
    return reply.code(status).type('text/plain; charset=utf-8').send(text);
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).type('text/plain; charset=utf-8').send('未找到 / not found'));
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
  });

  registerAssets(app);
  registerAuth(app, { auth: deps.auth, loginLimit: deps.loginLimit ?? { max: 5, timeWindowMs: 60_000 }, page: (req, reply, data) => pageData(ctx, req, reply, data) });
  registerList(app, ctx);
  registerApplication(app, ctx);
  registerDocuments(app, ctx);
  registerFailed(app, ctx);
  registerFederation(app, ctx);
  registerActions(app, ctx);
  return { app, context: ctx };
}
