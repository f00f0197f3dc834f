/**
 * Three emails from one company make one application: each email gets its receipt (same
 * application number), the application ends complete, and no reminder goes out for it —
 * even though the worker starts after the reminder fell due (07-17 09:00) and the first
 * email (slow: its scan is OCR'd) is folded after the two others.
 */
import { fixtureEmail } from '../../../scripts/demo';
import { loadCampaign } from '../../../src/config/campaign';
import { judge } from '../../../src/rules';
import { at, openCase, sleep, subjects, type Case } from './harness';

jest.setTimeout(150_000);

let c: Case;
afterAll(async () => c && c.close());

test('three emails from one company make one application', async () => {
  c = openCase('one-company');
  await c.append([
    { raw: fixtureEmail('02-split-1of3.eml'), at: at('2023-07-12T09:30:05+08:00') },
    { raw: fixtureEmail('03-split-2of3.eml'), at: at('2023-07-13T09:40:05+08:00') },
    { raw: fixtureEmail('04-split-3of3.eml'), at: at('2023-07-14T09:50:05+08:00') },
  ]);
  try {
    const worker = c.startWorker('2023-07-17T10:00:00+08:00');
    await c.observer.settle(3, 120_000);
    await sleep(3000); // several scheduler ticks after the last fold
    expect((await c.sent()).filter((m) => (m.mail.subject ?? '').includes('截止提醒'))).toHaveLength(0);
    const apps = await c.observer.apps.all();
    expect(apps).toHaveLength(1);
    expect(apps[0]?.companyName).toBe('武汉云帆软件有限公司');
    // In arrival order, whatever order the two intake jobs finished in (the scan of the
    // first email is OCR'd and usually finishes last).
    expect(apps[0]?.emails.map((e) => e.messageId)).toEqual(['<20230717093000.1@yunfan-soft.cn>', '<20230717094000.2@yunfan-soft.cn>', '<20230717095000.3@yunfan-soft.cn>']);
    const receipts = (await c.sent()).filter((m) => (m.mail.subject ?? '').startsWith('Re: '));
    expect(receipts).toHaveLength(3);
    expect(subjects(receipts).every((s) => s.endsWith(`[${c.loopId}-0001]`))).toBe(true);
    expect(new Set(receipts.map((m) => m.header('in-reply-to')))).toEqual(
      new Set(['<20230717093000.1@yunfan-soft.cn>', '<20230717094000.2@yunfan-soft.cn>', '<20230717095000.3@yunfan-soft.cn>']),
    );
    expect(await worker.stop()).toBe(0);
    // Judged as a whole after all three: complete.
    const app = apps[0];
    if (!app) throw new Error('no application');
    expect(judge(app, loadCampaign()).complete).toBe(true);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
