/**
 * `shenbao rebuild --yes` after the store is lost: a real worker folds a mixed set of emails
 * and sends their receipts; staff take every kind of action through StaffActions as serve
 * does (waive — completing the application: one more email —, correct, note, change a kind,
 * merge two applications, move an email, resend a receipt; with the worker stopped, a status
 * email planned and suppressed), and one more email arrives after the merge (it must find the
 * merged application); the report (JSON, byte for byte but for generatedAt), the stored
 * applications and indexes, every audit trail and the sent log with its texts are taken; then
 * every key of the test's namespace is dropped (its FLUSHALL), rebuild runs from the mailbox
 * and STORAGE_DIR alone, and all of them are the same while not one email reaches the SMTP
 * sink. Then a rebuild interrupted just after a staff line's write, before its cursor (the
 * one line a crash can leave done but not counted), resumed: the same again. A last rebuild
 * (resume at the end) changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeEmail, fixtureEmail } from '../../../scripts/demo';
import { loadCampaign } from '../../../src/config/campaign';
import { fixedClock } from '../../../src/domain/clock';
import { replayOrder } from '../../../src/intake/rebuild';
import { Outbox } from '../../../src/notify/outbox';
import { APP_KEYS, ApplicationStore } from '../../../src/store/applications';
import { AuditLog, RECENT_AUDIT_LIMIT } from '../../../src/store/audit';
import { INTAKE_KEYS, IntakeLog } from '../../../src/store/intake-log';
import { Journal, type JournalLine } from '../../../src/store/journal';
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
    const all = await apps.all();
    const byAddress = (a: string) => all.find((x) => x.addresses.includes(a))?.id ?? '';
    const gid = byAddress(`li-${tag}@guanggu-tech.cn`);
    expect(gid).not.toBe('');
    const ok = (r: { ok: boolean }, what: string) => expect([what, r]).toEqual([what, expect.objectContaining({ ok: true })]);
    ok(await staff.waive(gid, { code: 'TOO_FEW_USER_REPORTS', reason: '一份用户报告即可（测试）' }, 'staff'), 'waive');
    ok(await staff.correct(gid, { path: 'caseSummary', value: `案例（更正 ${tag}）`, reason: '扫描件看错' }, 'staff'), 'correct');
    ok(await staff.note(gid, '已电话确认', 'staff'), 'note');
    // The application with the most emails (the 3-part split): one document's kind changed, its last email moved.
    const split = [...all].sort((a, b) => b.emails.length - a.emails.length)[0];
    expect(split?.emails.length).toBeGreaterThanOrEqual(2);
    const doc = split?.documents.find((d) => d.kind !== 'registrationForm' && d.kind !== 'userReport');
    expect(doc).toBeDefined();
    ok(await staff.setKind(split?.id ?? '', { sha256: doc?.sha256 ?? '', kind: 'userReport', reason: '其实是用户报告' }, 'staff'), 'set-kind');
    const [n1, n3] = [byAddress(`n1-${tag}@qq.com`), byAddress(`n3-${tag}@qq.com`)];
    expect(new Set([n1, n3, gid, split?.id]).size).toBe(4);
    ok(await staff.merge(n1, n3, '同一企业', 'staff'), 'merge');
    ok(await staff.moveEmail(split?.id ?? '', (split?.emails.length ?? 0) - 1, n1, '发错了', 'staff'), 'move');
    // After the merge, the merged-away sender writes again: the email joins the merged application.
    await c.append([{ raw: await composeEmail({ from: `n3-${tag}@qq.com`, subject: '补充材料', text: '附件', files: FILES.slice(2), messageId: `<n3b-${tag}@qq.com>` }), at: at('2023-07-16T10:00:00+08:00') }]);
    await c.observer.settle(messages.length + 1, 60_000, 2000);
    const receipt = (await new SentLog(c.observer.redis).list({ state: 'sent' })).find((r) => r.key.startsWith(`${gid}:`));
    expect(receipt).toBeDefined();
    ok(await staff.resend(receipt?.key ?? '', '申请人说没收到', 'staff'), 'resend');
    await c.observer.settle(messages.length + 1, 60_000, 2000);
    expect(await worker.stop()).toBe(0);
    // With no worker to send it: a status email planned, then suppressed before it goes out.
    const status = await staff.sendStatus(gid, 'staff');
    ok(status, 'send-status');
    ok(await staff.suppress(status.ok ? status.planned[0]?.key ?? '' : '', '不必发送', 'staff'), 'suppress');
    await outbox.close();
    expect((await apps.get(n1))?.emails.map((e) => e.messageId)).toContain(`<n3b-${tag}@qq.com>`);

    // The JSON report as bytes, but for the one generatedAt (the report's own clock).
    const report = async () => {
      const r = await cli(['report', '--format', 'json', '--redis-prefix', c.prefix, '--now', '2023-07-16T16:00:00+08:00'], env);
      expect(r.code).toBe(0);
      expect(r.stdout.match(/"generatedAt":/g)).toHaveLength(1);
      return r.stdout.replace(/"generatedAt":\s*"[^"]*"/, '"generatedAt":""');
    };
    // What the dashboard shows beside the report: every application as stored, the indexes, audit trails, the sent log with texts.
    const audit = new AuditLog(c.observer.redis);
    const store = async () => {
      const stored = await apps.all();
      return {
        apps: stored,
        byCompany: await c.observer.redis.hgetall(APP_KEYS.byCompany),
        byAddress: await c.observer.redis.hgetall(APP_KEYS.byAddress),
        trails: await Promise.all(stored.map(async (a) => [a.id, await audit.list(a.id)] as const)),
        recent: await audit.recent(RECENT_AUDIT_LIMIT),
        sentLog: await new SentLog(c.observer.redis).list({ limit: 100_000 }),
      };
    };
    const before = await report();
    expect((JSON.parse(before) as { applications: unknown[] }).applications.length).toBeGreaterThanOrEqual(5);
    const storeBefore = await store();
    expect(storeBefore.recent.map((e) => e.action).sort()).toEqual(['correct', 'merge', 'merged-into', 'move-email-in', 'move-email-out', 'note', 'resend', 'send-status', 'set-kind', 'suppress', 'waive']);
    expect(storeBefore.sentLog.filter((r) => r.state === 'suppressed')).toHaveLength(1);
    expect(storeBefore.sentLog.some((r) => r.key.endsWith(':resend:1') && r.state === 'sent')).toBe(true);
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
    process.stdout.write(`rebuild: ${messages.length + 1} messages, ${summary.folded} folded, ${summary.staffReplayed} staff actions replayed, ${summary.sentRestored} sent records restored, ${(took / 1000).toFixed(1)} s\n`);
    expect(summary).toMatchObject({ folded: messages.length + 1, staffReplayed: 9, staffNotReplayed: [], staffDiverged: [], plannedNotSent: [], missing: [] });
    // The suppressed status email has no sent copy: its record comes back from the journal.
    expect(summary.sentRestored).toBe(recordsBefore.length - 1);
    expect(await new SentLog(c.observer.redis).all()).toEqual(recordsBefore);

    expect(await report()).toBe(before);
    expect(await store()).toEqual(storeBefore);
    // Sending nothing: not one message reached the sink during the rebuild.
    expect((await readSink()).length).toBe(sentBefore);

    // Interrupted after the resend's entry was written, before the cursor passed it: the resumed run must not write it twice.
    const journalFile = path.join(env.STORAGE_DIR, 'journal', 'events.jsonl');
    const full = fs.readFileSync(journalFile, 'utf8');
    const lines = full.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as JournalLine);
    expect(replayOrder(lines)).toHaveLength(lines.length); // no retried fold: the cursor counts file lines
    const cut = lines.findIndex((l) => l.type === 'staff' && l.audit.action === 'resend');
    expect(cut).toBeGreaterThan(0);
    expect(await dropPrefix({ redis: { url: stackEnv().redisUrl } }, c.prefix)).toBeGreaterThan(0);
    fs.writeFileSync(journalFile, `${full.split('\n').slice(0, cut + 1).join('\n')}\n`);
    expect((await cli(['rebuild', '--yes', '--redis-prefix', c.prefix, '--now', NOW], env)).code).toBe(0);
    fs.writeFileSync(journalFile, full);
    await c.observer.redis.set(INTAKE_KEYS.rebuildCursor, String(cut));
    const resumed = await cli(['rebuild', '--yes', '--redis-prefix', c.prefix, '--now', NOW], env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ resumedAt: cut, folded: 0, staffReplayed: lines.length - cut - 1, staffNotReplayed: [], staffDiverged: [] });
    expect(await report()).toBe(before);
    expect(await store()).toEqual(storeBefore);
    expect((await readSink()).length).toBe(sentBefore);

    // Run again (as after an interruption): it resumes at its cursor and changes nothing.
    const again = await cli(['rebuild', '--yes', '--redis-prefix', c.prefix, '--now', NOW], env);
    expect(again.code).toBe(0);
    expect(await report()).toBe(before);
    expect(await store()).toEqual(storeBefore);
    expect((await readSink()).length).toBe(sentBefore);
  } catch (err) {
    const pending = await c.observer.outbound.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
    process.stderr.write(`pending: ${JSON.stringify(pending.map((j) => [j.name, (j.data as { email: { key: string; to: string } }).email.key, (j.data as { email: { to: string } }).email.to, j.delay, j.failedReason]))}\n`);
    process.stderr.write(c.logs());
    throw err;
  }
});
