/**
 * The real Redis of the loopback stack seeded with applications folded by the real rules from
 * documents whose bytes sit in a real raw email (composed by nodemailer's MailComposer, kept in
 * a RawMailStore): downloads, previews and the federation package take real bytes out of a real
 * .eml. One hostile company and one hostile file name included. The dashboard itself runs as
 * `shenbao serve` (serve.ts): fastify's cookie plugins load ESM-only packages, which jest on
 * Node 20 cannot (neither inject nor @fastify/cookie load in-process under jest).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import MailComposer from 'nodemailer/lib/mail-composer';
import { ZipFile } from 'yazl';
import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import type { DocumentKind, DocumentRecord } from '../../../src/domain/document';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { ApplicationStore } from '../../../src/store/applications';
import { IntakeLog } from '../../../src/store/intake-log';
import { RawMailStore } from '../../../src/store/raw-mail';
import { RecipientRateLimit } from '../../../src/store/rate-limit';
import { createRedis } from '../../../src/store/redis';
import { SentLog } from '../../../src/store/sent-log';
import { form, product } from '../../unit/rules/helpers';
import { cleanPrefix, stackConfig, uniquePrefix } from '../helpers/stack';

export const campaign = loadCampaign();
export const HOSTILE_COMPANY = '<script>alert(1)</script>软件有限公司';
export const HOSTILE_FILE = '"><img src=x onerror=alert(1)>.pdf';
/** A download link as a hostile applicant could write it (links.ts keeps `'()*` and brackets in a URL). */
export const HOSTILE_LINK = "https://pan.baidu.com/s/1x'><svg/onload=alert(9)>";
/** A sender's display name as it lands in a noReply reason (issue 8): applicant text. */
export const HOSTILE_DISPLAY_NAME = '"<img src=x onerror=alert(8)>" 列表';
/** The held-back email's recipient and the instant it was held (10:00 Beijing). */
export const HELD_TO = '<b>held</b>@limit.test';
export const HELD_AT = Date.parse('2023-07-12T02:00:00Z');

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0stamped scan'), randomBytes(64)]);
export const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
/** A real PDF (LibreOffice-made fixture): pdftoppm renders its first page for the preview. */
export const REAL_PDF = fs.readFileSync(path.join(__dirname, '../../../fixtures/documents/other/core-copyright-certificate.pdf'));
export const DOCX = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('word/document.xml form bytes')]);

async function zipOf(entries: Record<string, Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, bytes] of Object.entries(entries)) zip.addBuffer(bytes, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

async function compose(from: string, subject: string, files: Record<string, Buffer>): Promise<Buffer> {
  return new MailComposer({
    from, to: 'intake@assoc.test', subject, text: '请查收申报材料。', messageId: `<${randomBytes(6).toString('hex')}@seed.test>`,
    attachments: Object.entries(files).map(([filename, content]) => ({ filename, content })),
  }).compile().build();
}

function record(file: string, kind: DocumentKind, bytes: Buffer, over: Partial<DocumentRecord> = {}): DocumentRecord {
  const format = /\.pdf$/i.test(file) ? 'pdf' : /\.jpe?g$/i.test(file) ? 'image' : 'docx';
  return { file, format, kind, textLayer: format !== 'image', form: null, error: null, sha256: sha(bytes), size: bytes.length, ...over };
}

export interface Seeded {
  prefix: string;
  redis: Redis;
  storage: string;
  /** A random storage folder holding the raw mail. */
  /** The complete application with the hostile company name and documents in a real .eml. */
  hostile: Application;
  /** 武汉云帆: incomplete, missing user reports; a failed receipt. */
  yunfan: Application;
  /** A second application of 云帆's, from a personal address (to merge). */
  yunfanQq: Application;
  raw: Buffer;
  rawSha256: string;
  bytes: { scan: Buffer; proof: Buffer; report1: Buffer; member: Buffer; hostileFile: Buffer; form: Buffer };
  close(): Promise<void>;
}

export interface SeedOptions {
  /** Filler applications (for paging). */
  filler?: number;
  /**
   * Issue 8's protections as they would have decided: 云帆's QQ application held apart as a
   * possible duplicate of 云帆, the hostile application's email unanswered (a list From
   * with a hostile display name) and with a reused Message-ID, one email held back by the
   * per-recipient limit. Off by default: noReply changes whom the other suites' actions write to.
   */
  protections?: boolean;
}

export async function seedStore(label: string, opts: SeedOptions = {}): Promise<Seeded> {
  const config = stackConfig([]);
  const prefix = uniquePrefix(label);
  const redis = createRedis(config, { prefix });
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-http-'));
  const rawMail = new RawMailStore(storage);
  const applications = new ApplicationStore(redis);
  const sentLog = new SentLog(redis);
  const intakeLog = new IntakeLog(redis);

  const bytes = { form: DOCX, scan: JPEG, proof: REAL_PDF, report1: pdf('report 1'), member: pdf('report in zip'), hostileFile: pdf('hostile name') };
  const report2 = pdf('report 2');
  const archive = await zipOf({ 'inner/用户使用报告3.pdf': bytes.member });
  const raw = await compose('lisi@hostile.test', '申报材料', {
    '优秀软件产品登记表.docx': bytes.form, '登记表盖章.jpg': bytes.scan, '软件著作权登记证书.pdf': bytes.proof,
    '用户使用报告1.pdf': bytes.report1, '用户使用报告2.pdf': report2, '报告.zip': archive, [HOSTILE_FILE]: bytes.hostileFile,
  });
  const stored = await rawMail.put(raw);
  const hostileForm = form([product('<b>恶意</b>产品')], {}, { name: HOSTILE_COMPANY, contact: { name: '李四', phone: '027-87654321', email: 'lisi@hostile.test', position: '经理' } });
  const at = '2023-07-10T10:00:00+08:00';
  const hostile = foldEmail(newApplication('SB2023-0001', new Date(at)), {
    messageId: '<h1@seed.test>', from: 'lisi@hostile.test', subject: '申报材料 <img src=x onerror=alert(2)>', arrival: { at: new Date(at), source: 'internalDate' },
    links: [], rawSha256: stored.sha256,
    documents: [
      record('优秀软件产品登记表.docx', 'registrationForm', bytes.form, { form: hostileForm }),
      record('登记表盖章.jpg', 'registrationForm', bytes.scan),
      record('软件著作权登记证书.pdf', 'copyrightProof', bytes.proof),
      record('用户使用报告1.pdf', 'userReport', bytes.report1),
      record('用户使用报告2.pdf', 'userReport', report2),
      record('报告.zip/inner/用户使用报告3.pdf', 'userReport', bytes.member),
      record(HOSTILE_FILE, 'other', bytes.hostileFile),
    ],
  }, campaign);

  const yunfanForm = form([product('云帆智慧园区平台')], {}, { name: '武汉云帆科技有限公司', contact: { name: '王芳', phone: '13800000000', email: 'wangfang@yunfan.test', position: '经理' } });
  const yunfanDocs = [record('登记表.docx', 'registrationForm', Buffer.from('yunfan form'), { form: yunfanForm }), record('盖章.jpg', 'registrationForm', Buffer.from('yunfan scan'), { textLayer: false, format: 'image' }), record('证书.pdf', 'copyrightProof', Buffer.from('yunfan proof'))];
  const yunfan = foldEmail(newApplication('SB2023-0002', new Date('2023-07-11T09:00:00+08:00')), {
    messageId: '<y1@seed.test>', from: 'wangfang@yunfan.test', subject: '云帆申报', arrival: { at: new Date('2023-07-11T09:00:00+08:00'), source: 'internalDate' }, links: [], documents: yunfanDocs,
  }, campaign);
  const yunfanQq = foldEmail(newApplication('SB2023-0003', new Date('2023-07-12T09:00:00+08:00')), {
    messageId: '<y2@seed.test>', from: '12345@qq.com', subject: '补充用户报告', arrival: { at: new Date('2023-07-12T09:00:00+08:00'), source: 'internalDate' }, links: [],
    documents: [1, 2, 3].map((n) => record(`云帆用户报告${n}.pdf`, 'userReport', Buffer.from(`yunfan report ${n}`))),
  }, campaign);
  const filler = Array.from({ length: opts.filler ?? 0 }, (_, n) => {
    const when = new Date(Date.parse('2023-07-13T09:00:00+08:00') + n * 60_000);
    const f = form([product(`填充产品${n}`)], {}, { name: `填充企业${String(n).padStart(3, '0')}有限公司` });
    return foldEmail(newApplication(`SB2023-${String(n + 100).padStart(4, '0')}`, when), {
      // The first also sent two download links, one hostile (the detail page shows them to staff as text).
      messageId: `<f${n}@seed.test>`, from: `f${n}@filler.test`, subject: '申报', arrival: { at: when, source: 'internalDate' }, links: n === 0 ? [{ url: HOSTILE_LINK, kind: 'baidu-pan' }, { url: 'https://pan.baidu.com/s/1second', kind: 'baidu-pan' }] : [],
      // Only the stamped scan missing: the fillers never match a user-report filter.
      documents: [
        record(`登记表${n}.docx`, 'registrationForm', Buffer.from(`filler ${n}`), { form: f }),
        record(`证书${n}.pdf`, 'copyrightProof', Buffer.from(`filler proof ${n}`)),
        ...[1, 2, 3].map((k) => record(`报告${n}-${k}.pdf`, 'userReport', Buffer.from(`filler report ${n}-${k}`))),
      ],
    }, campaign);
  });
  if (opts.protections) {
    yunfanQq.possibleDuplicateOf = yunfan.id;
    const e = hostile.emails[0];
    if (!e) throw new Error('seed: the hostile application has no email');
    e.noReply = { code: 'LIST', reason: `From is a mailing list: ${HOSTILE_DISPLAY_NAME}`, reasonZh: `发件人是邮件列表：${HOSTILE_DISPLAY_NAME}`, at: '2023-07-10T02:00:00.000Z' };
    e.messageIdReused = true;
    const limit = new RecipientRateLimit(redis, { max: 1, now: () => HELD_AT });
    await limit.take(HELD_TO, 'SB2023-0002:followUp:first', 'followUp');
    const held = await limit.take(HELD_TO, 'SB2023-0002:followUp:second', 'followUp');
    if (held.allowed) throw new Error('seed: the second email was not held back');
  }
  const multi = redis.multi();
  for (const a of [hostile, yunfan, yunfanQq, ...filler]) applications.writeApplication(multi, a, Date.parse(a.updatedAt));
  await multi.exec();

  // 云帆's receipt bounced for good (5xx); one mail the intake gave up on.
  const key = 'SB2023-0002:receipt:<y1@seed.test>';
  await sentLog.claim(key, { messageId: '<r1@shenbao>', to: 'wangfang@yunfan.test', subject: '回执 <b>x</b>', kind: 'receipt' });
  await sentLog.markFailed(key, '550 5.1.1 mailbox unavailable', true);
  await intakeLog.markFailed({ ref: { mailbox: 'INBOX', uidValidity: '1', uid: 7 }, messageId: '<bad@x>', sha256: null, error: 'mailparser <exploded>', attempts: 5, at: '2023-07-12T01:00:00Z' });

  return {
    prefix, redis, storage, hostile, yunfan, yunfanQq, raw, rawSha256: stored.sha256, bytes,
    async close() {
      redis.disconnect();
      await cleanPrefix(prefix);
      fs.rmSync(storage, { recursive: true, force: true });
    },
  };
}
