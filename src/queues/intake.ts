/**
 * The `intake` queue's job: one message found in the mailbox. The job names where the message
 * is and where its bytes are (the raw store, by sha256); never the bytes, never settings.
 * Beside outbound.ts: the job type, its id and its options, and the producer the mailbox
 * watcher (and staff's "reprocess") add with.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Config } from '../config/env';
import type { RedisScope } from '../store/redis';
import { bullOptions } from './connection';
import type { MessageRef } from '../store/intake-log';
import { QUEUES } from './names';
import { retryingJobOptions, type JobRetry } from './retry';

export interface IntakeJobData {
  mailbox: string;
  uidValidity: string;
  uid: number;
  sha256: string;
  size: number;
  /** IMAP INTERNALDATE, ISO: the arrival time rules.md asks for. */
  internalDate: string | null;
  messageId: string | null;
}

/** BullMQ job ids must not contain ':' nor be all digits: mailbox, UIDVALIDITY and uid. */
export function intakeJobId(ref: MessageRef): string {
  return `msg-${ref.mailbox.replace(/[^A-Za-z0-9_.-]/g, '_')}-${ref.uidValidity}-${ref.uid}`;
}

export type IntakeRetry = JobRetry;
export const DEFAULT_INTAKE_RETRY: IntakeRetry = { attempts: 5, backoffMs: 10_000 };

export function intakeJobOptions(jobId: string, retry: IntakeRetry = DEFAULT_INTAKE_RETRY): JobsOptions {
  return retryingJobOptions(jobId, retry, 10_000);
}

export interface IntakeQueue {
  queue: Queue<IntakeJobData>;
  /** Idempotent while the job exists (same jobId); the intake record is the lasting guard. */
  enqueue(jobId: string, data: IntakeJobData): Promise<void>;
}

/** Producer: what the mailbox watcher enqueues with. */
export function openIntakeQueue(config: Pick<Config, 'redis'>, scope: RedisScope, retry: IntakeRetry = DEFAULT_INTAKE_RETRY): IntakeQueue {
  const queue = new Queue<IntakeJobData>(QUEUES.intake, bullOptions(config, 'producer', scope));
  queue.on('error', () => undefined); // surfaces on the add() that needs the connection
  return {
    queue,
    async enqueue(jobId: string, data: IntakeJobData): Promise<void> {
      await queue.add('message', data, intakeJobOptions(jobId, retry));
    },
  };
}
