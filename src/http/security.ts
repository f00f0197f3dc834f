/**
 * The plugins every request passes through, in the order the staff-libraries notes (§1.4)
 * verified: security headers with a nonce'd CSP, form bodies, the session cookie, CSRF on
 * every POST (preValidation: the form body is parsed by then), rate limiting (login only).
 */
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import secureSession from '@fastify/secure-session';
import type { FastifyInstance } from 'fastify';

export interface SecurityOptions {
  /** 32 bytes. */
  sessionKey: Buffer;
  /** Set the cookie's Secure flag (the dashboard is reached over https). */
  secureCookie: boolean;
  /** Session lifetime in seconds (stateless sessions cannot be revoked: keep it short). */
  sessionSeconds: number;
}

export const SESSION_COOKIE = 'shenbao_session';

export async function registerSecurity(app: FastifyInstance, opts: SecurityOptions): Promise<void> {
  if (opts.sessionKey.length !== 32) throw new Error('dashboard session key must be 32 bytes');
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameSrc: ["'self'"],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        // Plain http on an intranet must keep working: no forced upgrade.
        upgradeInsecureRequests: null,
      },
    },
    hsts: opts.secureCookie,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(secureSession, {
    key: opts.sessionKey,
    cookieName: SESSION_COOKIE,
    expiry: opts.sessionSeconds,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookie },
  });
  await app.register(csrf, { sessionPlugin: '@fastify/secure-session' });
  await app.register(rateLimit, { global: false });
  app.addHook('preValidation', (req, reply, done) => {
    if (req.method === 'POST') app.csrfProtection(req, reply, done);
    else done();
  });
}
