/**
 * `npm run bench:dashboard` (with the stack running: bash scripts/stack.sh start && eval "$(bash scripts/stack.sh env)"):
 * seeds 5,000 applications and their sent records under a throw-away Redis prefix as the report
 * benchmark does (seedRealistic of test/integration/report/seed.ts: folded by the real rules),
 * then times GET / with fastify's inject — server time, in-process — cold (the cache fills), warm, with filters, search and sorting, after a
 * few applications changed (the incremental refresh), and the CSV/xlsx export. Prints figures.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCampaign } from '../src/config/campaign';
import { loadConfig } from '../src/config/env';
import { fixedClock } from '../src/domain/clock';
import { buildDashboard } from '../src/http/app';
import { ApplicationStore } from '../src/store/applications';
import { AuditLog } from '../src/store/audit';
import { IntakeLog } from '../src/store/intake-log';
import { RawMailStore } from '../src/store/raw-mail';
import { createRedis, dropPrefix } from '../src/store/redis';
import { SentLog } from '../src/store/sent-log';
import { StaffActions } from '../src/store/staff-actions';
import { seedRealistic } from '../test/integration/report/seed';

const N = Number(process.env.BENCH_APPS ?? 5000);
const campaign = loadCampaign();
const config = loadConfig(process.env);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main(): Promise<void> {
  const prefix = `bench-dash-${randomBytes(4).toString('hex')}`;
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dash-'));
  const redis = createRedis(config, { prefix });
  const t0 = process.hrtime.bigint();
  const { sent } = await seedRealistic(redis, N, campaign);
  console.log(`seeded ${N} applications + ${sent.length} sent records in ${ms(t0).toFixed(0)} ms (prefix ${prefix})`);
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
