/**
 * Who may see the dashboard. With DASHBOARD_USER/DASHBOARD_PASSWORD: a login form, then a
 * signed, encrypted session cookie (secure-session) holding the user name. Without a
 * password: open access, which `serve` allows only on a loopback address (checked before it
 * listens); every page says so.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface Credentials {
  user: string;
  password: string;
}

declare module '@fastify/secure-session' {
  interface SessionData {
    user: string;
    flash: { kind: 'ok' | 'error'; text: string };
  }
}

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function credentialsMatch(given: { user?: unknown; password?: unknown }, expected: Credentials): boolean {
  const user = typeof given.user === 'string' ? given.user : '';
  const password = typeof given.password === 'string' ? given.password : '';
  // Both compared every time, so a wrong user name takes as long as a wrong password.
  const okUser = sameSecret(user, expected.user);
  const okPassword = sameSecret(password, expected.password);
  return okUser && okPassword;
}

/** A local path to go back to after login; anything else (`//evil`, `http://…`) is `/`. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/';
}

/** The name audit entries carry: the logged-in user, or `local` without a password. */
export function staffName(req: FastifyRequest, auth: Credentials | null): string | null {
  if (!auth) return 'local';
  const user = req.session.get('user');
  return typeof user === 'string' ? user : null;
}

const OPEN_PATHS = new Set(['/login', '/assets/dashboard.css', '/assets/dashboard.js', '/healthz']);

export interface AuthOptions {
  auth: Credentials | null;
  /** Login attempts per IP and window before 429. */
  loginLimit: { max: number; timeWindowMs: number };
  /** The layout's data (context.pageData) around the login page's own. */
  page: (req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>) => Record<string, unknown>;
}

export function registerAuth(app: FastifyInstance, opts: AuthOptions): void {
  const { auth } = opts;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    if (OPEN_PATHS.has(path) || staffName(req, auth) !== null) return;
    if (req.method === 'GET' || req.method === 'HEAD') {
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    return reply.code(401).type('text/plain; charset=utf-8').send('请先登录 / please log in');
  });

  app.get('/login', async (req, reply) => {
    const q = req.query as { next?: string; failed?: string };
    if (!auth) return reply.redirect('/', 303);
    return reply.view('login.eta', opts.page(req, reply, { next: safeNext(q.next), failed: q.failed === '1', title: '登录' }));
  });

  app.post('/login', { config: { rateLimit: { max: opts.loginLimit.max, timeWindow: opts.loginLimit.timeWindowMs } } }, async (req, reply) => {
    const body = (req.body ?? {}) as { user?: unknown; password?: unknown; next?: unknown };
    const next = safeNext(body.next);
    if (!auth) return reply.redirect('/', 303);
    if (!credentialsMatch(body, auth)) {
      // Not the name as typed: people type their password into the wrong field, and logs are kept.
      req.log.warn({ knownUser: typeof body.user === 'string' && body.user === auth.user }, 'dashboard: login refused');
      return reply.redirect(`/login?failed=1&next=${encodeURIComponent(next)}`, 303);
    }
    // A new session at login: nothing set before it (a planted CSRF secret) survives.
    req.session.regenerate();
    req.session.set('user', auth.user);
    req.log.info({ user: auth.user }, 'dashboard: login');
    return reply.redirect(next, 303);
  });

  app.post('/logout', async (req, reply) => {
    req.session.delete();
    return reply.redirect(auth ? '/login' : '/', 303);
  });
}
