/**
 * A document's original bytes (download, or inline preview of a PDF or image) and an email's
 * raw .eml. The request names an application number and a sha256, both validated; the bytes
 * come only out of the raw email that application recorded as carrying the document.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Application } from '../../domain/application';
import { originalDocument } from '../../documents/original';
import type { DashboardContext } from '../context';
import { attachment, downloadName, inline, previewable, typeOf } from '../download';
import { safeFileName } from '../safe-names';
import { validId, validSha256 } from '../params';

const notFound = (reply: FastifyReply) => reply.code(404).type('text/plain; charset=utf-8').send('未找到 / not found');

async function load(ctx: DashboardContext, id: string, sha: string): Promise<Application | null> {
  if (!validId(id) || !validSha256(sha)) return null;
  return ctx.applications.get(id);
}

export function registerDocuments(app: FastifyInstance, ctx: DashboardContext): void {
  const serve = (preview: boolean) => async (req: { params: unknown }, reply: FastifyReply) => {
    const { id, sha } = req.params as { id: string; sha: string };
    const stored = await load(ctx, id, sha);
    const doc = stored?.documents.find((d) => d.sha256 === sha);
    if (!stored || !doc) return notFound(reply);
    if (preview && !previewable(doc.file)) return reply.code(415).type('text/plain; charset=utf-8').send('此类文件不能预览，请下载 / no preview for this type');
    for (const e of stored.emails) {
      if (!e.rawSha256 || !e.documents.includes(sha) || !(await ctx.rawMail.has(e.rawSha256))) continue;
      const found = await originalDocument(await ctx.rawMail.get(e.rawSha256), sha, doc.file);
      if (!found) continue;
      const name = downloadName(doc.file);
      return (preview ? inline(reply, name, typeOf(doc.file)) : attachment(reply, name, typeOf(doc.file))).send(found.bytes);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send('原始邮件中找不到此文件 / the original email is not kept');
  };
  app.get('/applications/:id/documents/:sha', serve(false));
  app.get('/applications/:id/documents/:sha/preview', serve(true));

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
