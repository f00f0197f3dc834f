/**
 * The `intake` worker: a thin BullMQ Worker around src/intake/process-message. A message
 * that still fails on its last attempt is listed for staff and marked failed in IMAP
 * (never dropped: the raw .eml stays in the file store).
 */
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../src/config/env';
import { processMessage, type IntakeDeps, type IntakeMessage, type ProcessResult } from '../src/intake/process-message';
import { actionFor, markMessage, type ImapSession, type ProcessedSetting } from '../src/mail/imap';
import type { IntakeJobData } from '../src/mail/mailbox-watcher';
import { QUEUES } from '../src/queues/names';
import { recoveryOptions, stalledForGood } from '../src/queues/recovery';
import { messageKey, type IntakeLog, type MessageRef } from '../src/store/intake-log';
import { bullOptions, type RedisScope } from '../src/store/redis';
import { closeWithin } from './close-within';

export interface IntakeRetry {
  attempts: number;
  backoffMs: number;
}
export const DEFAULT_INTAKE_RETRY: IntakeRetry = { attempts: 5, backoffMs: 10_000 };

export function intakeJobOptions(jobId: string, retry: IntakeRetry = DEFAULT_INTAKE_RETRY): JobsOptions {
  return {
    jobId,
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/** Producer: what the mailbox watcher enqueues with. */
export function openIntakeQueue(config: Pick<Config, 'redis'>, scope: RedisScope, retry: IntakeRetry = DEFAULT_INTAKE_RETRY) {
  const queue = new Queue<IntakeJobData>(QUEUES.intake, bullOptions(config, 'producer', scope));
  queue.on('error', () => undefined); // surfaces on the add() that needs the connection
  return {
    queue,
    async enqueue(jobId: string, data: IntakeJobData): Promise<void> {
      await queue.add('message', data, intakeJobOptions(jobId, retry));
    },
  };
}

export interface IntakeWorkerOptions {
  config: Pick<Config, 'redis'>;
  scope: RedisScope;
  deps: Omit<IntakeDeps, 'markDone'>;
  imap: ImapSession;
  processed: ProcessedSetting;
  redis: Redis;
  log: IntakeLog;
  logger: Logger;
  concurrency?: number;
  lockDurationMs?: number;
  /**
   * Enqueues a job's planned emails stamped with when the watcher found the email (the job's
   * creation): the receipt latency metric counts from there. Absent: deps.enqueue.
   */
  enqueueFoundAt?: (planned: Parameters<IntakeDeps['enqueue']>[0], foundAt: number) => Promise<unknown>;
}

export interface IntakeWorker {
  worker: Worker<IntakeJobData, ProcessResult>;
  /** Waits for the jobs in hand up to `graceMs`, then closes forcibly (the job returns to the queue). */
  close(graceMs: number): Promise<void>;
}

export function startIntakeWorker(o: IntakeWorkerOptions): IntakeWorker {
  const mark = (ref: MessageRef, outcome: 'done' | 'failed') =>
    o.imap.use((c) => markMessage(c, ref.mailbox, ref.uidValidity, ref.uid, actionFor(o.processed, outcome)));
  const refetch = (msg: IntakeMessage) =>
    o.imap.use(async (c) => {
      const lock = await c.getMailboxLock(msg.mailbox);
      try {
        if (!c.mailbox || String(c.mailbox.uidValidity) !== msg.uidValidity) return null;
        const dl = await c.download(String(msg.uid), undefined, { uid: true });
        if (!dl.content) return null;
        const stored = await o.deps.raw.putStream(dl.content);
        return stored.sha256 === msg.sha256 ? o.deps.raw.get(stored.sha256) : null;
      } finally {
        lock.release();
      }
    });
  const deps: IntakeDeps = { ...o.deps, refetch, markDone: (ref) => mark(ref, 'done') };

  const processor = async (job: Job<IntakeJobData>): Promise<ProcessResult> => {
    const ref: MessageRef = { mailbox: job.data.mailbox, uidValidity: job.data.uidValidity, uid: job.data.uid };
    // Every line about this message names it (its Message-ID, and the job id: mailbox, UIDVALIDITY, uid).
    const logger = o.logger.child({ messageId: job.data.messageId, job: job.id });
    const enqueueFoundAt = o.enqueueFoundAt;
    const enqueue: IntakeDeps['enqueue'] = enqueueFoundAt ? (planned) => enqueueFoundAt(planned, job.timestamp) : deps.enqueue;
    try {
      return await processMessage({ ...deps, logger, enqueue }, job.data);
    } catch (err) {
      const attempts = job.attemptsMade + 1;
      if (attempts >= (job.opts.attempts ?? 1)) {
        logger.error({ err, message: messageKey(ref) }, 'intake: message failed for good; listed for staff');
        await o.log.markFailed({ ref, messageId: job.data.messageId, sha256: job.data.sha256, error: err instanceof Error ? err.message : String(err), attempts, at: o.deps.clock().toISOString() });
        await mark(ref, 'failed').catch((e: unknown) => logger.warn({ err: e }, 'intake: could not mark the failed message in IMAP'));
      }
      throw err;
    }
  };

  const worker = new Worker<IntakeJobData, ProcessResult>(QUEUES.intake, processor, {
    ...bullOptions(o.config, 'worker', o.scope),
    concurrency: o.concurrency ?? 2,
    ...recoveryOptions(o.lockDurationMs),
  });
  worker.on('error', (err) => o.logger.error({ err }, 'intake worker error'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    o.logger.warn({ job: job.id, messageId: job.data.messageId, attemptsMade: job.attemptsMade, reason: err.message }, 'intake job failed');
    // Failed by the stalled check (its worker died too often): listed and flagged like any other.
    if (stalledForGood(err)) {
      const ref: MessageRef = { mailbox: job.data.mailbox, uidValidity: job.data.uidValidity, uid: job.data.uid };
      void o.log.markFailed({ ref, messageId: job.data.messageId, sha256: job.data.sha256, error: err.message, attempts: job.attemptsMade, at: o.deps.clock().toISOString() })
        .then(() => mark(ref, 'failed'))
        .catch((e: unknown) => o.logger.warn({ err: e }, 'intake: could not list the stalled message'));
    }
  });

  return {
    worker,
    async close(graceMs: number): Promise<void> {
      if (!(await closeWithin(worker, graceMs))) o.logger.warn({ graceMs }, 'intake: job in hand not finished in time; released to the queue');
    },
  };
}
