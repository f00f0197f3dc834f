/**
 * An incomplete application gets a receipt that lists what is missing, and nothing else
 * while the clock is before the reminder; when `--now` reaches deadline − 3 days 09:00
 * (2023-07-17 09:00 for the 2023-07-20 deadline) one reminder goes out, once.
 */
import { fixtureEmail } from '../../../scripts/demo';
import { at, openCase, sleep, subjects, type Case } from './harness';

jest.setTimeout(150_000);

let c: Case;
afterAll(async () => c && c.close());

test('incomplete: receipt lists the missing items, then one reminder at deadline − 3 days', async () => {
  c = openCase('reminder');
  // Form and stamped scan only: no copyright proof, no user reports.
  await c.append([{ raw: fixtureEmail('02-split-1of3.eml'), at: at('2023-07-12T09:30:05+08:00') }]);
  try {
    const first = c.startWorker('2023-07-14T10:00:00+08:00');
    await c.observer.settle(1, 90_000);
    await sleep(2500);
    const early = await c.sent();
    expect(subjects(early)).toEqual([`Re: 申报材料（1/3）：登记表及盖章扫描件 [${c.loopId}-0001]`]);
    const receipt = early[0]?.mail.text ?? '';
    expect(receipt).toContain('著作权');
    expect(receipt).toContain('用户使用报告');
    expect(await first.stop()).toBe(0);

    // The clock a few seconds before the reminder falls due: the scheduler's tick sends it.
    const second = c.startWorker('2023-07-17T08:59:56+08:00');
    const reminders = async () => (await c.sent()).filter((m) => (m.mail.subject ?? '').includes('截止提醒'));
    const until = Date.now() + 60_000;
    while ((await reminders()).length === 0 && Date.now() < until) await sleep(300);
    await sleep(3000); // more ticks: still one
    const after = await reminders();
    expect(after).toHaveLength(1);
    expect(after[0]?.mail.subject).toBe(`[${c.loopId}-0001] 截止提醒：距截止还有 3 天`);
    expect(after[0]?.envelope.rcptTo).toEqual(['zhangwei@yunfan-soft.cn']);
    expect((await c.sent()).length).toBe(2);
    expect(await second.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
