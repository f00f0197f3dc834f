/**
 * The `deep` queue's job: the slow looks at one folded email's scans that its receipt did not
 * wait for (cross-checks.md §6; src/intake/deep.ts). Added by the intake once the email is
 * folded and its receipt enqueued; like the intake job it names where the bytes are (the raw
 * store, by sha256), never the bytes.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Config } from '../config/env';
import type { RedisScope } from '../store/redis';
import { bullOptions } from './connection';
import type { MessageRef } from '../store/intake-log';
import { intakeJobId } from './intake';
import { QUEUES } from './names';
import { retryingJobOptions, type JobRetry } from './retry';

export const DEEP_QUEUE = QUEUES.deep;

export interface DeepJobData extends MessageRef {
  /** The raw .eml in the file store. */
  sha256: string;
  internalDate: string | null;
  /** The application it was folded into (followed through a staff merge). */
  applicationId: string;
  /** When it was folded (the intake record's `at`): a reprocessed message is looked at again. */
  foldedAt: string;
}

/** One per fold of a message: a retried intake job adds the same job again, to no effect. */
export function deepJobId(d: DeepJobData): string {
  return `deep-${intakeJobId(d)}-${Date.parse(d.foldedAt)}`;
}

export const DEFAULT_DEEP_RETRY: JobRetry = { attempts: 3, backoffMs: 10_000 };

export function deepJobOptions(d: DeepJobData, retry: JobRetry = DEFAULT_DEEP_RETRY): JobsOptions {
  return retryingJobOptions(deepJobId(d), retry, 10_000);
}

export interface DeepQueue {
  queue: Queue<DeepJobData>;
  enqueue(data: DeepJobData): Promise<void>;
}

export function openDeepQueue(config: Pick<Config, 'redis'>, scope: RedisScope, retry: JobRetry = DEFAULT_DEEP_RETRY): DeepQueue {
  const queue = new Queue<DeepJobData>(DEEP_QUEUE, bullOptions(config, 'producer', scope));
  queue.on('error', () => undefined); // surfaces on the add() that needs the connection
  return {
    queue,
    async enqueue(data: DeepJobData): Promise<void> {
      await queue.add('scans', data, deepJobOptions(data, retry));
    },
  };
}
