/**
 * How soon a crashed worker's jobs are taken again (issue 9: every receipt out within 30 s of
 * a SIGKILL). BullMQ holds a lock per active job, renewed every `lockRenewTime`; a job whose
 * lock is gone is moved back to wait by the stalled check, which a live worker runs every
 * `stalledInterval` (and once at start-up). The check only moves a job it already saw active at
 * the check before, so after a crash the job waits at most
 *     lockDuration (the lock runs out) + stalledInterval (the next check)  = 10 s + 5 s = 15 s,
 * plus a few seconds for a restarted worker to be up: within the 30 s, where BullMQ's defaults
 * (30 s lock, 30 s interval) took up to 60 s (measured 25 s late receipts, 65 s for a backlog).
 *
 * Why not shorter: the lock must outlive the longest pause of the event loop that holds it, or a
 * live job counts as stalled and runs twice at once (harmless — the intake record and the sent
 * log make both idempotent — but wasted). Documents and MIME are read in worker processes, so
 * the loop only waits on I/O; 10 s leaves 5 s of pause between two renewals. A Redis restart
 * also stalls every job whose lock could not be renewed: `maxStalledCount` 10 lets a job live
 * through that and repeated kills (BullMQ's default, 1, failed a job the second time its worker
 * died, and a job failed that way is never seen by our processor: the message would be lost).
 */
import type { WorkerOptions } from 'bullmq';

export const JOB_LOCK_MS = 10_000;

export type RecoveryOptions = Required<Pick<WorkerOptions, 'lockDuration' | 'lockRenewTime' | 'stalledInterval' | 'maxStalledCount'>>;

/** Worker options for a job lock of `lockMs` (tests shorten it with --job-lock-ms). */
export function recoveryOptions(lockMs: number = JOB_LOCK_MS): RecoveryOptions {
  return {
    lockDuration: lockMs,
    lockRenewTime: Math.floor(lockMs / 2),
    stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
    maxStalledCount: 10,
  };
}

/** BullMQ's message for a job failed by the stalled check: no processor saw that failure. */
export function stalledForGood(err: Error): boolean {
  return /stalled more than allowable limit/i.test(err.message);
}
