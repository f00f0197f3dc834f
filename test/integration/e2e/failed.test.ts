/**
 * A message that cannot be processed (its bytes are neither in the file store nor in the
 * mailbox any more) is retried, then listed for staff as failed — not dropped, and not
 * blocking the mail behind it.
 */
import { fixtureEmail } from '../../../scripts/demo';
import { QUEUES } from '../../../src/queues/names';
import { intakeJobOptions } from '../../../src/queues/intake';
import { at, openCase, sleep, type Case } from './harness';
import { Queue } from 'bullmq';
import { bullOptions } from '../../../src/queues/connection';
import { stackEnv, waitFor } from '../helpers/stack';

jest.setTimeout(120_000);

let c: Case;
afterAll(async () => c && c.close());

test('a message failing every attempt is listed for staff; the next one is answered', async () => {
  c = openCase('failed');
  await c.append([{ raw: fixtureEmail('03-split-2of3.eml'), at: at('2023-07-17T09:40:05+08:00') }]);
  const worker = c.startWorker('2023-07-18T11:00:00+08:00');
  try {
    // What the watcher would have enqueued for a message that has since vanished.
    const queue = new Queue(QUEUES.intake, bullOptions({ redis: { url: stackEnv().redisUrl } }, 'producer', { prefix: c.prefix }));
    await queue.add('message', { mailbox: c.mailbox, uidValidity: '1', uid: 999, sha256: 'f'.repeat(64), size: 10, internalDate: null, messageId: '<gone@example.test>' }, intakeJobOptions('msg-gone-1-999', { attempts: 3, backoffMs: 200 }));
    await queue.close();

    const failed = await waitFor('the failed message listed', async () => {
      const f = await c.observer.log.failed();
      return f.length > 0 ? f : null;
    }, 60_000, 200);
    expect(failed[0]).toMatchObject({ ref: { uid: 999 }, messageId: '<gone@example.test>', attempts: 3 });
    expect(failed[0]?.error).toMatch(/neither in the file store nor in the mailbox/);
    await c.observer.settle(2, 60_000);
    await sleep(1000);
    expect((await c.sent()).filter((m) => m.header('in-reply-to') === '<20230717094000.2@yunfan-soft.cn>')).toHaveLength(1);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
  expect(await worker.stop()).toBe(0);
});
