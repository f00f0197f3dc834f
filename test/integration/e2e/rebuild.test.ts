/**
 * `shenbao rebuild --yes` after the store is lost: a real worker folds a mixed set of emails
 * and sends their receipts, staff waive an issue (completing the application: one more email),
 * the report is taken; then every key of the test's namespace is dropped (its FLUSHALL),
 * rebuild runs from the mailbox and STORAGE_DIR alone, and the report is the same (but for
 * generatedAt) while not one email reaches the SMTP sink. A second rebuild (resume) changes nothing.
 */
import path from 'node:path';
import { composeEmail, fixtureEmail } from '../../../scripts/demo';
import { loadCampaign } from '../../../src/config/campaign';
import { fixedClock } from '../../../src/domain/clock';
import { Outbox } from '../../../src/notify/outbox';
import { ApplicationStore } from '../../../src/store/applications';
import { IntakeLog } from '../../../src/store/intake-log';
import { Journal } from '../../../src/store/journal';
import { dropPrefix } from '../../../src/store/redis';
import { SentLog } from '../../../src/store/sent-log';
import { StaffActions } from '../../../src/store/staff-actions';
import { compiledPath, runCli } from '../helpers/child';
import { readSink } from '../helpers/sink';
import { stackEnv } from '../helpers/stack';
import { at, openCase, type Case } from './harness';

jest.setTimeout(300_000);

let c: Case;
afterAll(async () => c && c.close());

const cli = (args: string[], env: Record<string, string>) => runCli(args, { ...process.env, ...env });

// Before the first reminder (07-17 09:00): the outbox settles (no email held back by the hourly limit).
const NOW = '2023-07-16T14:00:00+08:00';

test('FLUSH, rebuild: the same report, nothing sent', async () => {
  compiledPath('src/cli/commands/rebuild-run.ts');
  c = openCase('rebuild');
  const tag = c.loopId.toLowerCase();
  const env = { IMAP_MAILBOX: c.mailbox, CAMPAIGN_FILE: path.join(c.dir, 'campaign.yaml'), STORAGE_DIR: path.join(c.dir, 'storage'), LOG_LEVEL: 'warn' };
  const FILES = ['forms/core-form.docx', 'other/core-copyright-certificate.pdf', 'other/core-user-report-1.docx'];
  const messages = [
    { raw: fixtureEmail('02-split-1of3.eml'), at: at('2023-07-12T10:05:00+08:00') },
    { raw: fixtureEmail('03-split-2of3.eml'), at: at('2023-07-13T11:20:00+08:00') },
    { raw: fixtureEmail('04-split-3of3.eml'), at: at('2023-07-14T09:45:00+08:00') },
    { raw: await composeEmail({ from: `li-${tag}@guanggu-tech.cn`, subject: '申报材料', text: '附件', files: ['forms/f25-guanggu-company.docx', 'other/copyright-certificate-guanggu.docx', 'other/core-user-report-1.docx'], messageId: `<g-${tag}@guanggu-tech.cn>` }), at: at('2023-07-14T15:30:00+08:00') },
    { raw: fixtureEmail('15-qq-large-attachment-link.eml'), at: at('2023-07-15T16:00:00+08:00') },
    { raw: fixtureEmail('18-out-of-office.eml'), at: at('2023-07-16T09:00:10+08:00') },
    ...Array.from({ length: 4 }, (_, i) => ({ raw: Buffer.from('') as Buffer, at: at(`2023-07-15T1${i}:30:00+08:00`), i })),
  ];
  for (const m of messages) {
    if ('i' in m) m.raw = await composeEmail({ from: `n${m.i}-${tag}@qq.com`, subject: `申报 ${m.i}`, text: '附件', files: FILES.slice(m.i % 2), messageId: `<n${m.i}-${tag}@qq.com>` });
  }
  await c.append(messages);
  try {
    const worker = c.startWorker(NOW);
    await c.observer.settle(messages.length, 120_000, 2000);

    // A staff action, as serve does it (with the journal): waive the missing user reports of 光谷.
    const campaign = loadCampaign(env.CAMPAIGN_FILE);
    const apps = new ApplicationStore(c.observer.redis);
    const outbox = Outbox.open({ redis: { url: stackEnv().redisUrl } }, { prefix: c.prefix });
    const staff = new StaffActions({
      redis: c.observer.redis, apps, sentLog: new SentLog(c.observer.redis), intakeLog: new IntakeLog(c.observer.redis), campaign,
      clock: fixedClock(new Date('2023-07-16T15:00:00+08:00')), enqueue: (p) => outbox.enqueue(p), journal: new Journal(env.STORAGE_DIR),
    });
    const guanggu = (await apps.all()).find((a) => a.addresses.includes(`li-${tag}@guanggu-tech.cn`));
    expect(guanggu).toBeDefined();
    const waived = await staff.waive(guanggu?.id ?? '', { code: 'TOO_FEW_USER_REPORTS', reason: '一份用户报告即可（测试）' }, 'staff');
    expect(waived.ok).toBe(true);
    await outbox.close();
    await c.observer.settle(messages.length, 60_000, 2000);
    expect(await worker.stop()).toBe(0);

    const report = async () => {
      const r = await cli(['report', '--format', 'json', '--redis-prefix', c.prefix, '--now', '2023-07-16T16:00:00+08:00'], env);
      expect(r.code).toBe(0);
      const { generatedAt: _g, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
      return rest;
    };
    const before = await report();
    expect((before.applications as unknown[]).length).toBeGreaterThanOrEqual(5);
    const sentBefore = (await readSink()).length;
    const recordsBefore = await new SentLog(c.observer.redis).all();
    expect(recordsBefore.length).toBeGreaterThanOrEqual((await c.sent()).length);

    expect(await dropPrefix({ redis: { url: stackEnv().redisUrl } }, c.prefix)).toBeGreaterThan(0);
    expect((await cli(['rebuild', '--redis-prefix', c.prefix], env)).code).toBe(2);
    const t0 = Date.now();
    const rebuilt = await cli(['rebuild', '--yes', '--redis-prefix', c.prefix, '--now', NOW], env);
    const took = Date.now() - t0;
    expect(rebuilt.code).toBe(0);
    const summary = JSON.parse(rebuilt.stdout) as { folded: number; staffReplayed: number; sentRestored: number; plannedNotSent: string[]; missing: string[] };
    process.stdout.write(`rebuild: ${messages.length} messages, ${summary.folded} folded, ${summary.staffReplayed} staff action replayed, ${summary.sentRestored} sent records restored, ${(took / 1000).toFixed(1)} s\n`);
    expect(summary).toMatchObject({ folded: messages.length, staffReplayed: 1, plannedNotSent: [], missing: [] });
    expect(summary.sentRestored).toBe(recordsBefore.length);
    expect(await new SentLog(c.observer.redis).all()).toEqual(recordsBefore);

    expect(await report()).toEqual(before);
    // Sending nothing: not one message reached the sink during the rebuild.
    expect((await readSink()).length).toBe(sentBefore);

    // Run again (as after an interruption): it resumes at its cursor and changes nothing.
    const again = await cli(['rebuild', '--yes', '--redis-prefix', c.prefix, '--now', NOW], env);
    expect(again.code).toBe(0);
    expect(await report()).toEqual(before);
    expect((await readSink()).length).toBe(sentBefore);
  } catch (err) {
    const pending = await c.observer.outbound.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
    process.stderr.write(`pending: ${JSON.stringify(pending.map((j) => [j.name, (j.data as { email: { key: string; to: string } }).email.key, (j.data as { email: { to: string } }).email.to, j.delay, j.failedReason]))}\n`);
    process.stderr.write(c.logs());
    throw err;
  }
});
