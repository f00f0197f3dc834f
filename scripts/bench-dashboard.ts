/**
 * `npm run bench:dashboard` (with the stack running: bash scripts/stack.sh start && eval "$(bash scripts/stack.sh env)"):
 * seeds 5,000 applications (folded by the real rules, each with a form, documents and a sent
 * receipt) under a throw-away Redis prefix, then times GET / with fastify's inject — server
 * time, in-process — cold (the cache fills), warm, with filters, search and sorting, after a
 * few applications changed (the incremental refresh), and the CSV/xlsx export. Prints figures.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCampaign } from '../src/config/campaign';
import { loadConfig } from '../src/config/env';
import { fixedClock } from '../src/domain/clock';
import type { DocumentKind, DocumentRecord } from '../src/domain/document';
import type { Product, RegistrationForm } from '../src/domain/form';
import { buildDashboard } from '../src/http/app';
import { foldEmail, newApplication } from '../src/rules/fold';
import { ApplicationStore } from '../src/store/applications';
import { AuditLog } from '../src/store/audit';
import { IntakeLog } from '../src/store/intake-log';
import { RawMailStore } from '../src/store/raw-mail';
import { createRedis, dropPrefix } from '../src/store/redis';
import { SentLog } from '../src/store/sent-log';
import { StaffActions } from '../src/store/staff-actions';

const N = Number(process.env.BENCH_APPS ?? 5000);
const campaign = loadCampaign();
const config = loadConfig(process.env);
const CATS = ['basic', 'industrial', 'support', 'application', 'ai', 'other'] as const;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
function doc(file: string, kind: DocumentKind, over: Partial<DocumentRecord> = {}): DocumentRecord {
  return { file, format: file.endsWith('.jpg') ? 'image' : file.endsWith('.pdf') ? 'pdf' : 'docx', kind, textLayer: !file.endsWith('.jpg'), form: null, error: null, sha256: sha(file + randomBytes(4).toString('hex')), size: 100_000, ...over };
}
function product(n: number, k: number): Product {
  return { name: `智慧产品${n}-${k}号平台`, releaseDate: '2022-05', releaseDateText: '2022年5月', category: CATS[(n + k) % CATS.length] ?? 'other', categoryText: null, domain: '智慧政务', revenueSharePercent: 30, marketSharePercent: 5, exportSharePercent: 0 };
}
function form(n: number): RegistrationForm {
  return {
    company: { name: `武汉第${n}号软件科技有限公司`, legalRepresentative: '王五', website: 'www.example.cn', address: `武汉市东湖新技术开发区光谷大道 ${n} 号`, postalCode: '430074', mainBusiness: ['application'],
      contact: { name: `联系人${n}`, phone: '027-87654321', email: `c${n}@company${n}.cn`, position: '市场部经理' } },
    products: [product(n, 1), ...(n % 3 === 0 ? [product(n, 2)] : [])],
    productSummary: '数据中台产品，自主研发，服务于多个行业。'.repeat(5), caseSummary: '服务于武汉市某区政务数据共享。'.repeat(5),
  };
}

async function seed(prefix: string): Promise<void> {
  const redis = createRedis(config, { prefix });
  const apps = new ApplicationStore(redis);
  const sentLog = new SentLog(redis);
  const base = Date.parse('2023-07-01T09:00:00+08:00');
  for (let start = 0; start < N; start += 500) {
    const multi = redis.multi();
    for (let n = start; n < Math.min(N, start + 500); n++) {
      const at = new Date(base + n * 240_000);
      const reports = n % 4 === 0 ? 1 : 3;
      const documents = [
        doc(`优秀软件产品登记表${n}.docx`, 'registrationForm', { form: form(n) }), doc(`盖章${n}.jpg`, 'registrationForm'), doc(`著作权证书${n}.pdf`, 'copyrightProof'),
        ...Array.from({ length: reports }, (_, k) => doc(`用户使用报告${n}-${k + 1}.pdf`, 'userReport')),
      ];
      const app = foldEmail(newApplication(`SB2023-${String(n + 1).padStart(4, '0')}`, at), {
        messageId: `<m${n}@bench.test>`, from: `c${n}@company${n}.cn`, subject: `申报材料 ${n}`, arrival: { at, source: 'internalDate' }, links: [], documents, rawSha256: sha(`raw ${n}`),
      }, campaign);
      apps.writeApplication(multi, app, at.getTime());
    }
    await multi.exec();
  }
  for (let start = 0; start < N; start += 500) {
    await Promise.all(Array.from({ length: Math.min(500, N - start) }, (_, i) => {
      const id = `SB2023-${String(start + i + 1).padStart(4, '0')}`;
      return sentLog.claim(`${id}:receipt:<m${start + i}@bench.test>`, { messageId: `<r${start + i}@shenbao>`, to: `c${start + i}@company.cn`, subject: '回执', kind: 'receipt' })
        .then(() => sentLog.markSent(`${id}:receipt:<m${start + i}@bench.test>`, { accepted: ['x'], response: '250 ok' }));
    }));
  }
  redis.disconnect();
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main(): Promise<void> {
  const prefix = `bench-dash-${randomBytes(4).toString('hex')}`;
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dash-'));
  const t0 = process.hrtime.bigint();
  await seed(prefix);
  console.log(`seeded ${N} applications + ${N} sent records in ${ms(t0).toFixed(0)} ms (prefix ${prefix})`);
  const redis = createRedis(config, { prefix });
  const applications = new ApplicationStore(redis);
  const sentLog = new SentLog(redis);
  const intakeLog = new IntakeLog(redis);
  const clock = fixedClock(new Date('2023-07-18T10:00:00+08:00'));
  const actions = new StaffActions({ redis, apps: applications, sentLog, intakeLog, campaign, clock, enqueue: async () => undefined });
  const { app, context } = await buildDashboard({
    redis, campaign, clock, applications, sentLog, intakeLog, audit: new AuditLog(redis), rawMail: new RawMailStore(storage), actions,
    auth: null, sessionKey: randomBytes(32), secureCookie: false,
  });
  try {
    const time = async (url: string): Promise<number> => {
      const t = process.hrtime.bigint();
      const res = await app.inject({ method: 'GET', url });
      const took = ms(t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      return took;
    };
    const runs = async (url: string, n = 15): Promise<string> => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) xs.push(await time(url));
      xs.sort((a, b) => a - b);
      return `median ${xs[Math.floor(n / 2)]?.toFixed(1)} ms, max ${xs[n - 1]?.toFixed(1)} ms`;
    };
    console.log(`GET / cold (cache fills: ${N} applications parsed and judged once): ${(await time('/')).toFixed(1)} ms`);
    console.log(`GET / warm:                                  ${await runs('/')}`);
    console.log(`GET /?status=incomplete&issue=TOO_FEW_USER_REPORTS: ${await runs('/?status=incomplete&issue=TOO_FEW_USER_REPORTS')}`);
    console.log(`GET /?q=第4321号 (search):                   ${await runs(`/?q=${encodeURIComponent('第4321号')}`)}`);
    console.log(`GET /?q=联系人 (search, every row matches):  ${await runs(`/?q=${encodeURIComponent('联系人')}`)}`);
    console.log(`GET /?sort=company&dir=desc&page=40:         ${await runs('/?sort=company&dir=desc&page=40')}`);
    console.log(`GET /?category=ai&from=2023-07-05&to=2023-07-10: ${await runs('/?category=ai&from=2023-07-05&to=2023-07-10')}`);
    // 10 applications change (as the worker would write them): the next request re-reads only those.
    const changed = await applications.all().then((all) => all.slice(100, 110));
    const multi = redis.multi();
    for (const a of changed) applications.writeApplication(multi, { ...a, updatedAt: new Date().toISOString() }, Date.now());
    await multi.exec();
    const t = process.hrtime.bigint();
    const stats = await context.cache.refresh();
    console.log(`refresh after 10 changes: ${ms(t).toFixed(1)} ms (${stats.applicationsFetched} fetched, ${stats.derived} re-judged)`);
    console.log(`GET /applications/SB2023-2500:               ${await runs('/applications/SB2023-2500', 9)}`);
    console.log(`GET /export.csv (all ${N}):                  ${await runs('/export.csv', 3)}`);
    console.log(`GET /export.xlsx (all ${N}):                 ${await runs('/export.xlsx', 3)}`);
    console.log(`RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`);
  } finally {
    await app.close();
    redis.disconnect();
    await dropPrefix(config, prefix);
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
