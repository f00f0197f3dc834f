/**
 * Recovery after a SIGKILL is ≤ 30 s with the worker's own lock settings (src/queues/recovery.ts,
 * no --job-lock-ms / --lease-ms): a 30-email backlog, the worker killed twice with jobs in hand
 * and started again at once. Measured: for each kill, the time until every message the dead
 * worker held has its receipt at the SMTP sink; and the whole backlog's time. Printed.
 */
import path from 'node:path';
import { composeEmail, spawnWorker, type WorkerChild } from '../../../scripts/demo';
import { at, openCase, sleep, type Case } from './harness';

jest.setTimeout(300_000);

let c: Case;
afterAll(async () => c && c.close());

const FILES = ['forms/core-form.docx', 'other/core-copyright-certificate.pdf', 'other/core-user-report-1.docx'];
const N = 30;

test('SIGKILL twice in a 30-email backlog: each dead worker\'s jobs answered within 30 s', async () => {
  c = openCase('recovery');
  const tag = c.loopId.toLowerCase();
  const messages = await Promise.all(Array.from({ length: N }, async (_, i) => ({
    raw: await composeEmail({ from: `r${i}-${tag}@firm${i}-${tag}.cn`, subject: `申报材料 ${i}`, text: '附件', files: FILES, messageId: `<m${i}-${tag}@firm${i}.cn>` }),
    at: at(`2023-07-15T10:${String(i).padStart(2, '0')}:00+08:00`),
  })));
  await c.append(messages);
  let n = 0;
  // The worker's defaults for locks and the watcher lease: only the test's namespace and folders.
  const start = (): WorkerChild => {
    const w = spawnWorker(
      ['--now', '2023-07-16T10:00:00+08:00', '--redis-prefix', c.prefix, '--sweep-ms', '1000', '--tick-ms', '1000'],
      { IMAP_MAILBOX: c.mailbox, CAMPAIGN_FILE: path.join(c.dir, 'campaign.yaml'), STORAGE_DIR: path.join(c.dir, 'storage'), LOG_LEVEL: 'info' },
      path.join(c.dir, `worker-${++n}.log`),
    );
    c.workers.push(w);
    return w;
  };
  const answered = async (): Promise<Set<string>> => new Set((await c.sent()).map((m) => m.header('in-reply-to')).filter((id) => id !== ''));
  try {
    const t0 = Date.now();
    let worker = start();
    const kills: { at: number; held: string[]; answeredAfter: number | null }[] = [];
    const track = async () => {
      const done = await answered();
      for (const k of kills) if (k.answeredAfter === null && k.held.every((id) => done.has(id))) k.answeredAfter = Date.now() - k.at;
      return done;
    };
    for (let kill = 0; kill < 2; kill++) {
      // Kill once jobs are in hand and a few receipts are out (the second time: from the restarted worker).
      const before = (await track()).size;
      const until = Date.now() + 90_000;
      while (Date.now() < until) {
        const active = await c.observer.intake.getActive();
        if (active.length > 0 && (await track()).size >= before + 3) break;
        await sleep(50);
      }
      const held = (await c.observer.intake.getActive()).map((j) => String((j.data as { messageId: string }).messageId));
      process.stdout.write(`kill ${kill + 1}: ${held.length} jobs in hand, ${(await answered()).size} answered, ${Date.now() - t0} ms in\n`);
      expect(held.length).toBeGreaterThan(0);
      kills.push({ at: Date.now(), held, answeredAfter: null });
      worker.child.kill('SIGKILL');
      await worker.exited;
      worker = start();
    }
    while (kills.some((k) => k.answeredAfter === null)) {
      await track();
      if (Date.now() - (kills[0]?.at ?? 0) > 180_000) throw new Error('jobs of a killed worker not answered within 180 s');
      await sleep(100);
    }
    const recoveries = kills.map((k) => k.answeredAfter ?? Infinity);
    await c.observer.settle(N, 180_000, 2000);
    const total = Date.now() - t0;
    const sent = await c.sent();
    const receipts = sent.filter((m) => m.header('in-reply-to') !== '');
    process.stdout.write(`crash recovery: kills 2, held jobs answered after ${recoveries.map((r) => `${(r / 1000).toFixed(1)} s`).join(', ')}; `
      + `backlog of ${N} fully answered in ${(total / 1000).toFixed(1)} s\n`);
    expect(Math.max(...recoveries)).toBeLessThanOrEqual(30_000);
    expect(receipts).toHaveLength(N);
    expect(new Set(sent.map((m) => m.header('message-id'))).size).toBe(sent.length);
    expect(await c.observer.log.doneCount()).toBe(N);
    expect(await c.observer.log.failed()).toEqual([]);
    expect(await worker.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
