/**
 * The `outbound` queue's job: one planned email (src/domain/outgoing), as planned.
 */
import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { PlannedEmail } from '../domain/outgoing';

export interface OutboundJob {
  email: PlannedEmail;
  /** When it was planned (ms), for staff and logs. */
  plannedAt: number;
}

/** BullMQ ids may not contain ':' nor be all digits: a hash of the key, prefixed. */
export function outboundJobId(key: string): string {
  return `mail-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

export interface OutboundRetry {
  attempts: number;
  /** First backoff (ms); doubles each attempt, with jitter. */
  backoffMs: number;
}

export const DEFAULT_RETRY: OutboundRetry = { attempts: 5, backoffMs: 30_000 };

export function outboundJobOptions(key: string, retry: OutboundRetry = DEFAULT_RETRY): JobsOptions {
  return {
    jobId: outboundJobId(key),
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
