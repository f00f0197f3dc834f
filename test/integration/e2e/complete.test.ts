/**
 * A complete application gets one receipt, threaded, and no follow-up; an out-of-office
 * reply from the same person gets nothing and is recorded for staff. Both messages end up
 * flagged processed in IMAP, and the worker stops with 0 on SIGTERM.
 */
import { fixtureEmail } from '../../../scripts/demo';
import { at, openCase, sleep, subjects, type Case } from './harness';

jest.setTimeout(120_000);

let c: Case;
afterAll(async () => c && c.close());

test('complete application: one receipt, no follow-up; out-of-office: nothing', async () => {
  c = openCase('complete');
  await c.append([
    { raw: fixtureEmail('01-complete-one-email.eml'), at: at('2023-07-18T10:12:30+08:00') },
    { raw: fixtureEmail('18-out-of-office.eml'), at: at('2023-07-18T10:20:00+08:00') },
  ]);
  const worker = c.startWorker('2023-07-18T11:00:00+08:00');
  try {
    await c.observer.settle(2, 90_000);
    await sleep(2500); // a few scheduler ticks: nothing more may go out
    const sent = await c.sent();
    expect(subjects(sent)).toEqual([expect.stringContaining(`[${c.loopId}-0001]`)]);
    const [receipt] = sent;
    expect(receipt?.envelope.rcptTo).toEqual(['zhangwei@yunfan-soft.cn']);
    expect(receipt?.mail.subject).toMatch(/^Re: /);
    expect(receipt?.header('in-reply-to')).toBe('<20230718101200.1@yunfan-soft.cn>');
    expect(receipt?.header('auto-submitted')).toBe('auto-replied');
    expect(receipt?.mail.text).toContain('材料已齐全');

    const automatic = await c.observer.log.automatic();
    expect(automatic.map((a) => a.messageId)).toEqual(['<autoreply.20230717@yunfan-soft.cn>']);
    const apps = await c.observer.apps.all();
    expect(apps.map((a) => [a.id, a.companyName, a.emails.length])).toEqual([[`${c.loopId}-0001`, '武汉云帆软件有限公司', 1]]);

    const flags = await c.flags();
    expect([...flags.values()].every((f) => f.includes('$Shenbao-Done'))).toBe(true);
    expect(flags.size).toBe(2);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
  expect(await worker.stop()).toBe(0);
});
