/**
 * Two `shenbao worker` processes on one Redis: only one polls the mailbox (the lease), the
 * intake jobs spread over both, and each mail is processed and answered once. Emails of
 * one company processed in parallel by two processes still make one application.
 */
import fs from 'node:fs';
import { composeEmail } from '../../../scripts/demo';
import { at, openCase, sleep, type Case } from './harness';

jest.setTimeout(180_000);

let c: Case;
afterAll(async () => c && c.close());

const CORE = ['forms/core-form.docx', 'other/core-copyright-certificate.pdf', 'other/core-user-report-1.docx', 'other/core-user-report-2.pdf'];

test('two workers on one Redis process each mail once', async () => {
  c = openCase('two-workers');
  const tag = c.loopId.toLowerCase();
  const senders = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => `${s}-${tag}@yunfan-soft.cn`);
  const messages = await Promise.all(
    senders.map(async (from, i) => ({
      raw: await composeEmail({ from, subject: `申报材料 ${i + 1}`, text: '附件为申报材料', files: CORE.slice(0, 1 + (i % CORE.length)), messageId: `<m${i}-${tag}@yunfan-soft.cn>` }),
      at: at(`2023-07-1${i}T10:00:05+08:00`),
    })),
  );
  try {
    await c.append([]); // the folder must exist when a worker starts
    const one = c.startWorker('2023-07-17T08:00:00+08:00');
    const two = c.startWorker('2023-07-17T08:00:00+08:00');
    await sleep(1500);
    await c.append(messages);
    await c.observer.settle(messages.length, 120_000, 3000);
    const receipts = (await c.sent()).filter((m) => (m.mail.subject ?? '').startsWith('Re: '));
    expect(receipts.map((m) => m.envelope.rcptTo[0]).sort()).toEqual([...senders].sort());
    expect(new Set(receipts.map((m) => m.header('message-id'))).size).toBe(receipts.length);
    expect(await c.observer.log.doneCount()).toBe(messages.length);
    const apps = await c.observer.apps.all();
    expect(apps).toHaveLength(1);
    expect(apps[0]?.emails).toHaveLength(messages.length);
    // Only one of the two watched the mailbox.
    const logs = [one, two].map((w) => fs.readFileSync(w.logFile, 'utf8'));
    expect(logs.filter((l) => l.includes('watcher: new messages queued'))).toHaveLength(1);
    expect(await one.stop()).toBe(0);
    expect(await two.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
