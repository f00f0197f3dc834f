/**
 * A document's original bytes (download), its preview image (a PDF page rendered to PNG, or a
 * JPEG/PNG checked by its bytes) and an email's raw .eml. The request names an application
 * number and a sha256, both validated; the bytes come only out of the raw email that
 * application recorded as carrying the document, and a rendered page only from the preview
 * cache under the document's own sha256.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Application } from '../../domain/application';
import { originalDocument } from '../../documents/original';
import { MAX_PREVIEW_PAGE } from '../../documents/preview';
import type { DashboardContext } from '../context';
import { attachment, downloadName, previewImage, typeOf } from '../download';
import { sendNoPreview } from '../no-preview';
import { safeFileName } from '../safe-names';
import { validId, validSha256 } from '../params';

const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('未找到 / not found');

async function load(ctx: DashboardContext, id: string, sha: string): Promise<Application | null> {
  if (!validId(id) || !validSha256(sha)) return null;
  return ctx.applications.get(id);
}

/** `?page=` as a page number, 1 when absent; null when it is not one we render. */
function pageOf(query: unknown): number | null {
  const raw = (query as Record<string, unknown> | undefined)?.page;
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw)) return null;
  const page = Number(raw);
  return page >= 1 && page <= MAX_PREVIEW_PAGE ? page : null;
}

export function registerDocuments(app: FastifyInstance, ctx: DashboardContext): void {
  /** The document's bytes out of the first kept raw email that carried it. */
  async function original(stored: Application, sha: string, file: string): Promise<Buffer | null> {
    for (const e of stored.emails) {
      if (!e.rawSha256 || !e.documents.includes(sha) || !(await ctx.rawMail.has(e.rawSha256))) continue;
      const found = await originalDocument(await ctx.rawMail.get(e.rawSha256), sha, file);
      if (found) return found.bytes;
    }
    return null;
  }

  app.get('/applications/:id/documents/:sha', async (req, reply) => {
    const { id, sha } = req.params as { id: string; sha: string };
    const stored = await load(ctx, id, sha);
    const doc = stored?.documents.find((d) => d.sha256 === sha);
    if (!stored || !doc) return notFound(reply);
    const bytes = await original(stored, sha, doc.file);
    if (!bytes) return reply.code(404).type('text/plain; charset=utf-8').send('原始邮件中找不到此文件 / the original email is not kept');
    return attachment(reply, downloadName(doc.file), typeOf(doc.file)).send(bytes);
  });

  app.get('/applications/:id/documents/:sha/preview', async (req, reply) => {
    const { id, sha } = req.params as { id: string; sha: string };
    const stored = await load(ctx, id, sha);
    const doc = stored?.documents.find((d) => d.sha256 === sha);
    if (!stored || !doc) return notFound(reply);
    const page = pageOf(req.query);
    if (page === null) return sendNoPreview(reply, 'bad-page');
    const name = `${downloadName(doc.file).replace(/\.[^.]*$/, '')}-p${page}`;
    const hit = await ctx.previews.cached(sha, page);
    if (hit) return previewImage(reply, `${name}.png`, hit.type).send(hit.bytes);
    const bytes = await original(stored, sha, doc.file);
    if (!bytes) return sendNoPreview(reply, 'not-kept');
    const preview = await ctx.previews.preview(sha, bytes, page);
    if (!preview.ok) {
      req.log.info({ id, sha, page, reason: preview.reason, detail: preview.detail }, 'dashboard: no preview');
      return sendNoPreview(reply, preview.reason);
    }
    return previewImage(reply, `${name}.${preview.type === 'image/png' ? 'png' : 'jpg'}`, preview.type).send(preview.bytes);
  });

  app.get('/applications/:id/emails/:file', async (req, reply) => {
    const { id, file } = req.params as { id: string; file: string };
    const sha = file.replace(/\.eml$/, '');
    const stored = await load(ctx, id, sha);
    const email = stored?.emails.find((e) => e.rawSha256 === sha);
    if (!stored || !email || !(await ctx.rawMail.has(sha))) return notFound(reply);
    const name = safeFileName(`${stored.id}-${email.subject || 'email'}`, 90) + '.eml';
    return attachment(reply, name, 'message/rfc822').send(await ctx.rawMail.get(sha));
  });
}
