/**
 * The `intake` worker: a thin BullMQ Worker around src/intake/process-message. A message
 * that still fails on its last attempt (or is failed by the stalled check) is listed for staff
 * and marked failed in IMAP (never dropped: the raw .eml stays in the file store).
 */
import { DelayedError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../src/config/env';
import { processMessage, type IntakeDeps, type ProcessResult } from '../src/intake/process-message';
import type { IntakeMailbox } from '../src/mail/intake-mailbox';
import type { IntakeJobData } from '../src/queues/intake';
import { QUEUES } from '../src/queues/names';
import { recoveryOptions, stalledForGood } from '../src/queues/recovery';
import { messageKey, type IntakeLog, type MessageRef } from '../src/store/intake-log';
import { bullOptions } from '../src/queues/connection';
import type { RedisScope } from '../src/store/redis';
import { closeWithin } from './close-within';

export interface IntakeWorkerOptions {
  config: Pick<Config, 'redis'>;
  scope: RedisScope;
  /** The logger is `logger` below, named per job. */
  deps: Omit<IntakeDeps, 'markDone' | 'refetch' | 'logger'>;
  mailbox: IntakeMailbox;
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

const noSpace = (err: unknown) => ['ENOSPC', 'EDQUOT'].includes(String((err as NodeJS.ErrnoException | null)?.code));

const refOf = (d: IntakeJobData): MessageRef => ({ mailbox: d.mailbox, uidValidity: d.uidValidity, uid: d.uid });

export function startIntakeWorker(o: IntakeWorkerOptions): IntakeWorker {
  const deps: IntakeDeps = { ...o.deps, refetch: (msg) => o.mailbox.refetch(msg), markDone: (ref) => o.mailbox.mark(ref, 'done') };
  const listFailed = async (job: Job<IntakeJobData>, error: string, attempts: number, logger: Logger) => {
    const record = { ref: refOf(job.data), messageId: job.data.messageId, sha256: job.data.sha256, error, attempts, at: deps.clock().toISOString() };
    const ref = record.ref;
    await deps.journal?.append({ type: 'failed', record }).catch((e: unknown) => logger.warn({ err: e }, 'intake: could not journal the failed message'));
    await o.log.markFailed(record);
    await o.mailbox.mark(ref, 'failed').catch((e: unknown) => logger.warn({ err: e }, 'intake: could not mark the failed message in IMAP'));
  };

  const processor = async (job: Job<IntakeJobData>, token?: string): Promise<ProcessResult> => {
    // Every line about this message names it (its Message-ID, and the job id: mailbox, UIDVALIDITY, uid).
    const logger = o.logger.child({ messageId: job.data.messageId, job: job.id });
    const enqueueFoundAt = o.enqueueFoundAt;
    const enqueue: IntakeDeps['enqueue'] = enqueueFoundAt ? (planned) => enqueueFoundAt(planned, job.timestamp) : deps.enqueue;
    try {
      return await processMessage({ ...deps, logger, enqueue }, job.data);
    } catch (err) {
      // The file store is full: the message waits for space (asked again in 5 s), using up no attempt.
      if (noSpace(err)) {
        logger.warn({ err }, 'intake: the file store is full; the message waits for space');
        await job.moveToDelayed(Date.now() + 5000, token);
        throw new DelayedError();
      }
      const attempts = job.attemptsMade + 1;
      if (attempts >= (job.opts.attempts ?? 1)) {
        logger.error({ err, message: messageKey(refOf(job.data)) }, 'intake: message failed for good; listed for staff');
        await listFailed(job, err instanceof Error ? err.message : String(err), attempts, logger);
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
    // Failed by the stalled check (its workers died too often): no processor saw it, so list it here.
    if (stalledForGood(err)) void listFailed(job, err.message, job.attemptsMade, o.logger).catch((e: unknown) => o.logger.warn({ err: e }, 'intake: could not list the stalled message'));
  });

  return {
    worker,
    async close(graceMs: number): Promise<void> {
      if (!(await closeWithin(worker, graceMs))) o.logger.warn({ graceMs }, 'intake: job in hand not finished in time; released to the queue');
    },
  };
}
