import type { Worker } from 'bullmq';

/**
 * Closes a BullMQ worker, letting the job in hand finish for at most `graceMs`: `close()`
 * alone waits for it with no limit of its own (bullmq#2714). Past the limit the worker is
 * closed forcibly and the job goes back to the queue once its lock expires.
 * Returns false when the grace ran out.
 */
export async function closeWithin(worker: Worker, graceMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const forced = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const result = await Promise.race([worker.close(), forced]);
  clearTimeout(timer);
  if (result !== 'timeout') return true;
  await worker.close(true);
  return false;
}
