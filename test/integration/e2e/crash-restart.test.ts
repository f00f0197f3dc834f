/**
 * A worker killed with SIGKILL in the middle of its work, then started again, loses no
 * message and sends nothing twice: every message is processed once, every receipt goes
 * out once (one Message-ID per reason), every message ends flagged processed.
 */
import { composeEmail, fixtureEmail, variant } from '../../../scripts/demo';
import { at, openCase, sleep, type Case } from './harness';

jest.setTimeout(180_000);

let c: Case;
afterAll(async () => c && c.close());

const CORE = ['forms/core-form.docx', 'other/core-copyright-certificate.pdf', 'other/core-user-report-1.docx'];

test('SIGKILL mid-job, restart: nothing lost, nothing sent twice', async () => {
  c = openCase('crash');
  const tag = c.loopId.toLowerCase();
  const messages = [
    // The stamped scan is OCR'd: a slow job to be killed in.
    { raw: variant(fixtureEmail('01-complete-one-email.eml'), { messageId: `<slow-${tag}@yunfan-soft.cn>` }), at: at('2023-07-15T10:00:05+08:00') },
    { raw: await composeEmail({ from: `wang-${tag}@yunfan-soft.cn`, subject: '补充材料', text: '附件', files: CORE, messageId: `<b-${tag}@yunfan-soft.cn>` }), at: at('2023-07-15T11:00:05+08:00') },
    { raw: await composeEmail({ from: `li-${tag}@yunfan-soft.cn`, subject: '补充材料二', text: '附件', files: CORE.slice(1), messageId: `<c-${tag}@yunfan-soft.cn>` }), at: at('2023-07-15T12:00:05+08:00') },
    { raw: fixtureEmail('15-qq-large-attachment-link.eml'), at: at('2023-07-15T13:00:05+08:00') },
  ];
  await c.append(messages);
  try {
    const first = c.startWorker('2023-07-16T10:00:00+08:00');
    // Kill while a job is in hand.
    const until = Date.now() + 60_000;
    while ((await c.observer.intake.getActiveCount()) === 0 && Date.now() < until) await sleep(50);
    expect(await c.observer.intake.getActiveCount()).toBeGreaterThan(0);
    await sleep(300);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const doneAtKill = await c.observer.processed();
    expect(doneAtKill).toBeLessThan(messages.length);

    const second = c.startWorker('2023-07-16T10:00:00+08:00');
    await c.observer.settle(messages.length, 120_000, 3000);
    const sent = await c.sent();
    const receipts = sent.filter((m) => (m.mail.subject ?? '').startsWith('Re: '));
    expect(receipts).toHaveLength(messages.length);
    // Nothing twice: one copy per Message-ID and per answered message.
    expect(new Set(sent.map((m) => m.header('message-id'))).size).toBe(sent.length);
    expect(new Set(receipts.map((m) => m.header('in-reply-to'))).size).toBe(messages.length);
    expect(await c.observer.log.doneCount()).toBe(messages.length);
    expect(await c.observer.log.failed()).toEqual([]);
    const flags = await c.flags();
    expect([...flags.values()].filter((f) => f.includes('$Shenbao-Done'))).toHaveLength(messages.length);
    // 云帆 (two emails with its form), li- (no form: known by its sender) and the QQ sender.
    expect((await c.observer.apps.all()).map((a) => a.emails.length).sort()).toEqual([1, 1, 2]);
    expect(await second.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
