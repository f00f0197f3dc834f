/**
 * An email that arrives after the association's deadline gets the late notice, one after
 * the federation's the closed notice (each judged by its own arrival, INTERNALDATE).
 */
import { fixtureEmail } from '../../../scripts/demo';
import { at, openCase, sleep, type Case } from './harness';

jest.setTimeout(150_000);

let c: Case;
afterAll(async () => c && c.close());

test('late and closed emails get their notices', async () => {
  c = openCase('late-closed');
  await c.append([
    { raw: fixtureEmail('28-late-0725.eml'), at: at('2023-07-25T10:00:05+08:00') },
    { raw: fixtureEmail('29-closed-0802.eml'), at: at('2023-08-02T09:00:05+08:00') },
  ]);
  try {
    const worker = c.startWorker('2023-08-03T10:00:00+08:00');
    await c.observer.settle(2, 120_000);
    await sleep(2500);
    const sent = await c.sent();
    const late = sent.filter((m) => (m.mail.subject ?? '').includes('已过协会报送截止日期'));
    const closed = sent.filter((m) => (m.mail.subject ?? '').includes('征集已截止'));
    expect(late).toHaveLength(1);
    expect(closed).toHaveLength(1);
    expect(late[0]?.header('in-reply-to')).toBe('<20230725100000.late@yunfan-soft.cn>');
    expect(closed[0]?.header('in-reply-to')).toBe('<20230802090000.closed@yunfan-soft.cn>');
    // No ordinary receipt, no reminder: the call is over for these.
    expect(sent.filter((m) => /截止提醒/.test(m.mail.subject ?? ''))).toHaveLength(0);
    expect(sent.filter((m) => (m.mail.subject ?? '').startsWith('Re: ')).length).toBe(2);
    expect(await worker.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
