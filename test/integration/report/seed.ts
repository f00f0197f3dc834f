/**
 * Realistic applications for the report's integration test and benchmark, folded from emails
 * by the real rules (newApplication + foldEmail) and written with ApplicationStore, plus
 * sent-log records claimed and marked as the outbox does.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Campaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import type { DocumentKind, DocumentRecord } from '../../../src/domain/document';
import type { CategoryCode, Product, RegistrationForm } from '../../../src/domain/form';
import { emptyOverlay } from '../../../src/domain/staff';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { ApplicationStore } from '../../../src/store/applications';
import { SentLog } from '../../../src/store/sent-log';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

export function doc(file: string, kind: DocumentKind, over: Partial<DocumentRecord> = {}): DocumentRecord {
  return { file, format: /\.(jpe?g|png)$/i.test(file) ? 'image' : /\.pdf$/i.test(file) ? 'pdf' : 'docx', kind, textLayer: !/\.(jpe?g|png)$/i.test(file), form: null, error: null, sha256: sha(`${file}|${over.sha256 ?? ''}`), size: 1000, ...over };
}

const CATS: CategoryCode[] = ['basic', 'industrial', 'support', 'application', 'ai', 'other'];

export function product(name: string, category: CategoryCode, over: Partial<Product> = {}): Product {
  return { name, releaseDate: '2022-05-01', releaseDateText: '2022年5月1日', category, categoryText: null, domain: '智慧政务', revenueSharePercent: 35, marketSharePercent: '无', exportSharePercent: 0, ...over };
}

export function form(company: string, contact: { name: string; phone: string; email: string }, products: Product[], over: Partial<RegistrationForm> = {}): RegistrationForm {
  return {
    company: { name: company, legalRepresentative: '王五', website: 'www.example.com.cn', address: '武汉市东湖新技术开发区光谷大道 1 号', postalCode: '430074', mainBusiness: ['application'], contact: { ...contact, position: '市场部经理' } },
    products, productSummary: '数据中台产品，自主研发，服务政务与企业客户。', caseSummary: '服务于武汉市某区政务数据共享平台建设。', ...over,
  };
}

export interface EmailSpec {
  at: string;
  from: string;
  documents: DocumentRecord[];
  subject?: string;
}

export function foldApp(id: string, emails: EmailSpec[], campaign: Campaign): Application {
  let app = newApplication(id, new Date(emails[0]?.at ?? '2023-07-01T00:00:00Z'));
  emails.forEach((e, n) => {
    app = foldEmail(app, { messageId: `<${id}-${n}@mail.example.cn>`, from: e.from, subject: e.subject ?? '申报材料', arrival: { at: new Date(e.at), source: 'internalDate' }, documents: e.documents, links: [] }, campaign);
  });
  return app;
}

/**
 * Application number `n` of a benchmark-sized call: 3 products, 2–3 emails, most with a few
 * open issues (too few user reports, a field left blank, an unreadable attachment), some complete,
 * some late, some with staff notes and waivers.
 */
export function realisticApp(n: number, campaign: Campaign): Application {
  const id = `${campaign.idPrefix}-${String(n).padStart(4, '0')}`;
  const company = `武汉第${n}号软件科技有限公司`;
  const from = `contact${n}@company${n}.com.cn`;
  const products = [0, 1, 2].map((k) => product(`${company.slice(0, 6)}智能平台 V${k + 1}.0`, CATS[(n + k) % CATS.length] as CategoryCode,
    k === 2 && n % 3 === 0 ? { domain: null } : {}));
  const f = form(company, { name: `联系人${n}`, phone: `027-8765${String(n % 10000).padStart(4, '0')}`, email: from }, products);
  if (n % 4 === 0) f.company.postalCode = null;
  const day = 1 + (n % 28);
  const first = `2023-07-${String(Math.min(day, 20)).padStart(2, '0')}T${String(8 + (n % 10)).padStart(2, '0')}:15:00+08:00`;
  const reports = n % 5 === 0 ? 3 : n % 3;
  const emails: EmailSpec[] = [
    { at: n % 17 === 0 ? '2023-07-24T10:00:00+08:00' : first, from, documents: [doc(`${n}/优秀软件产品登记表.docx`, 'registrationForm', { form: f }), doc(`${n}/登记表盖章.jpg`, 'registrationForm', { textLayer: false, format: 'image' })] },
    { at: first.replace(':15:00', ':45:00'), from, documents: [doc(`${n}/软件著作权登记证书.pdf`, 'copyrightProof'), ...Array.from({ length: reports }, (_, r) => doc(`${n}/用户使用报告${r + 1}.pdf`, 'userReport'))] },
  ];
  if (n % 7 === 0) emails.push({ at: '2023-07-19T16:00:00+08:00', from, documents: [doc(`${n}/补充材料.rar`, 'other', { format: 'rar', error: { code: 'UNSUPPORTED_FORMAT', message: 'rar is not supported', messageZh: '不支持 RAR 压缩包' } })] });
  const app = foldApp(id, emails, campaign);
  if (n % 10 === 0) {
    app.staff = { ...emptyOverlay(), notes: [{ by: 'staff', at: '2023-07-21T02:00:00Z', text: `已电话联系${company}，周一补交用户报告` }], waivers: n % 20 === 0 ? [{ code: 'TOO_FEW_USER_REPORTS', by: 'staff', at: '2023-07-21T02:00:00Z', reason: '两份报告即可' }] : [] };
  }
  return app;
}

/** Writes applications in transactions of `batch`. */
export async function writeApps(redis: Redis, apps: readonly Application[], batch = 250): Promise<void> {
  const store = new ApplicationStore(redis);
  for (let i = 0; i < apps.length; i += batch) {
    const multi = redis.multi();
    for (const app of apps.slice(i, i + batch)) store.writeApplication(multi, app, Date.parse(app.updatedAt));
    await multi.exec();
  }
}

export interface SentSpec {
  key: string;
  kind: string;
  to: string;
  at: number;
  outcome: 'sent' | 'failed' | 'claimed';
  text?: string;
}

/**
 * A benchmark-sized call written to Redis (bench-report, bench-dashboard): applications 1…n of
 * realisticApp and their sent records (two receipts each, a reminder for every second one, a
 * follow-up failed for good for every 50th).
 */
export async function seedRealistic(redis: Redis, n: number, campaign: Campaign): Promise<{ apps: Application[]; sent: SentSpec[] }> {
  const apps = Array.from({ length: n }, (_, i) => realisticApp(i + 1, campaign));
  await writeApps(redis, apps);
  const text = '您好，我们已收到贵单位的申报材料。'.repeat(60);
  const sent: SentSpec[] = apps.flatMap((a, i): SentSpec[] => {
    const to = a.addresses[0] ?? 'x@example.cn';
    const at = Date.parse(a.emails[0]?.arrivedAt ?? a.createdAt) + 5000;
    return [
      { key: `${a.id}:receipt:r1`, kind: 'receipt', to, at, outcome: 'sent', text },
      { key: `${a.id}:receipt:r2`, kind: 'receipt', to, at: at + 1800_000, outcome: 'sent', text },
      ...(i % 2 === 0 ? [{ key: `${a.id}:reminder:2023-07-20-3d`, kind: 'reminder', to, at: Date.parse('2023-07-17T01:00:00Z'), outcome: 'sent', text } as SentSpec] : []),
      ...(i % 50 === 0 ? [{ key: `${a.id}:followUp:2023-07-18`, kind: 'followUp', to, at: Date.parse('2023-07-18T01:00:00Z'), outcome: 'failed', text } as SentSpec] : []),
    ];
  });
  await writeSent(redis, sent);
  return { apps, sent };
}

/** Sent-log records as the outbox leaves them (claim, then sent or failed for good). */
export async function writeSent(redis: Redis, specs: readonly SentSpec[], concurrency = 200): Promise<void> {
  for (let i = 0; i < specs.length; i += concurrency) {
    await Promise.all(specs.slice(i, i + concurrency).map(async (s) => {
      const log = new SentLog(redis, { now: () => s.at });
      const claim = await log.claim(s.key, { messageId: `<${s.key}@shenbao.test>`, to: s.to, subject: '回执', kind: s.kind, ...(s.text ? { text: s.text, html: `<p>${s.text}</p>` } : {}) } as Parameters<SentLog['claim']>[1]);
      if (claim.outcome !== 'claimed') throw new Error(`seed: ${s.key} already ${claim.outcome}`);
      if (s.outcome === 'sent') await log.markSent(s.key, { accepted: [s.to], response: '250 ok' });
      if (s.outcome === 'failed') await log.markFailed(s.key, '550 5.1.1 no such user', true, claim.token);
    }));
  }
}
