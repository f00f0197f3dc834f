/**
 * What the `intake` and `outbound` jobs share: a job id that makes adding idempotent, retries
 * with exponential backoff and jitter, finished jobs kept a week (the newest `keepCompleted`)
 * and failed ones a month, for staff.
 */
import type { JobsOptions } from 'bullmq';

export interface JobRetry {
  attempts: number;
  /** First backoff (ms); doubles each attempt, with jitter. */
  backoffMs: number;
}

export function retryingJobOptions(jobId: string, retry: JobRetry, keepCompleted: number): JobsOptions {
  return {
    jobId,
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.5 },
    removeOnComplete: { age: 7 * 24 * 3600, count: keepCompleted },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
