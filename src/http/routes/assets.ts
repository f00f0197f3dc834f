/** The one stylesheet, read once at start and served from memory (no static folder a URL could walk). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { httpSourceDir } from '../paths';

export function registerAssets(app: FastifyInstance): void {
  const css = readFileSync(path.join(httpSourceDir(), 'assets', 'dashboard.css'));
  app.get('/assets/dashboard.css', async (_req, reply) =>
    reply.header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(css));
}
