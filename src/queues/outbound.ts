/**
 * The `outbound` queue's job: one planned email (src/domain/outgoing), as planned.
 */
import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { PlannedEmail } from '../domain/outgoing';
import { retryingJobOptions, type JobRetry } from './retry';

export interface OutboundJob {
  email: PlannedEmail;
  /** When it was planned (ms), for staff and logs. */
  plannedAt: number;
}

/** BullMQ ids may not contain ':' nor be all digits: a hash of the key, prefixed. */
export function outboundJobId(key: string): string {
  return `mail-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

export type OutboundRetry = JobRetry;

export const DEFAULT_RETRY: OutboundRetry = { attempts: 5, backoffMs: 30_000 };

export function outboundJobOptions(key: string, retry: OutboundRetry = DEFAULT_RETRY): JobsOptions {
  return retryingJobOptions(outboundJobId(key), retry, 5000);
}
