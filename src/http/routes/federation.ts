/**
 * GET /federation.zip — streamed with yazl: the summary workbook first, then each document,
 * taken out of its raw email only when the zip reaches it. When the browser goes away the
 * zip stops asking and whatever stream is open is destroyed (staff-libraries notes §3).
 */
import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ZipFile } from 'yazl';
import { documentFinder, type DocumentFinder } from '../../documents/original';
import { writeXlsx } from '../../report';
import type { DashboardContext } from '../context';
import { attachment } from '../download';
import { packageFiles } from '../federation';
import { wallTime } from '../format';

export function registerFederation(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/federation.zip', async (req, reply) => {
    await ctx.cache.refresh();
    const complete = ctx.cache.entries().filter((e) => e.judged.verdict.complete);
    const { files, notes } = packageFiles(complete.map((e) => e.judged));
    const zip = new ZipFile();
    const open = new Set<Readable>();
    let aborted = false;
    reply.raw.on('close', () => {
      if (reply.raw.writableFinished) return;
      aborted = true;
      for (const s of open) s.destroy();
    });
    const track = <S extends Readable>(s: S): S => {
      open.add(s);
      s.on('close', () => open.delete(s));
      return s;
    };
    zip.addReadStreamLazy('申报汇总.xlsx', { mtime: ctx.clock() }, (cb) => {
      const out = track(new PassThrough());
      writeXlsx(complete.map((e) => e.row), out, { timeZone: ctx.campaign.timeZone }).catch((err: unknown) => out.destroy(err as Error));
      cb(null, out);
    });
    for (const n of notes) zip.addBuffer(Buffer.from(`\ufeff${n.text}`, 'utf8'), n.path, { mtime: ctx.clock() });
    // The documents of one email are asked for one after another: open each email once.
    let current: { raw: string; finder: Promise<DocumentFinder> } | null = null;
    for (const f of files) {
      zip.addReadStreamLazy(f.path, { compress: f.compress, mtime: new Date(f.arrivedAt) }, (cb) => {
        if (aborted) return cb(new Error('client went away'), Readable.from([]));
        if (current?.raw !== f.rawSha256) current = { raw: f.rawSha256, finder: ctx.rawMail.get(f.rawSha256).then(documentFinder) };
        current.finder
          .then((finder) => finder.find(f.sha256, f.file))
          .then((found) => {
            if (!found) throw new Error(`${f.applicationId}: ${f.file} not found in its raw email`);
            cb(null, track(Readable.from([found.bytes])));
          })
          .catch((err: unknown) => {
            req.log.error({ err, file: f.path }, 'federation package: a document could not be read');
            cb(err, Readable.from([]));
          });
      });
    }
    zip.on('error', (err: Error) => {
      req.log.error({ err }, 'federation package: zip failed');
      (zip.outputStream as Readable).destroy(err);
    });
    zip.end();
    req.log.info({ applications: complete.length, files: files.length }, 'federation package');
    const stamp = wallTime(ctx.clock(), ctx.campaign.timeZone).slice(0, 10);
    return attachment(reply, `申报材料-联合会-${stamp}.zip`, 'application/zip').send(zip.outputStream);
  });
}
