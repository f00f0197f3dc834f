/**
 * The `deep` worker: a thin BullMQ Worker around src/intake/deep (the slow looks at a folded
 * email's scans, after its receipt). One job at a time: it shares the document pool with the
 * intake, whose receipts come first. A job that fails for good leaves the scans without a
 * seal (no warning, as for a scan that could not be rendered): logged, nothing lost.
 */
import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config/env';
import { deepenMessage, type DeepDeps, type DeepResult } from '../src/intake/deep';
import { DEEP_QUEUE, type DeepJobData } from '../src/queues/deep';
import { recoveryOptions } from '../src/queues/recovery';
import { bullOptions } from '../src/queues/connection';
import type { RedisScope } from '../src/store/redis';
import { closeWithin } from './close-within';

export interface DeepWorkerOptions {
  config: Pick<Config, 'redis'>;
  scope: RedisScope;
  deps: Omit<DeepDeps, 'logger'>;
  logger: Logger;
  concurrency?: number;
  lockDurationMs?: number;
}

export interface DeepWorker {
  worker: Worker<DeepJobData, DeepResult>;
  close(graceMs: number): Promise<void>;
}

export function startDeepWorker(o: DeepWorkerOptions): DeepWorker {
  const processor = (job: Job<DeepJobData>): Promise<DeepResult> =>
    deepenMessage({ ...o.deps, logger: o.logger.child({ job: job.id, application: job.data.applicationId }) }, job.data);
  const worker = new Worker<DeepJobData, DeepResult>(DEEP_QUEUE, processor, {
    ...bullOptions(o.config, 'worker', o.scope),
    concurrency: o.concurrency ?? 1,
    ...recoveryOptions(o.lockDurationMs),
  });
  worker.on('error', (err) => o.logger.error({ err }, 'deep worker error'));
  worker.on('failed', (job, err) => {
    if (job) o.logger.warn({ job: job.id, application: job.data.applicationId, attemptsMade: job.attemptsMade, reason: err.message }, 'deep job failed');
  });
  return {
    worker,
    async close(graceMs: number): Promise<void> {
      if (!(await closeWithin(worker, graceMs))) o.logger.warn({ graceMs }, 'deep: job in hand not finished in time; released to the queue');
    },
  };
}
