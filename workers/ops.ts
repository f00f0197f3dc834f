/**
 * The worker's operations wiring: metrics fed from BullMQ events and the parser, the watcher's
 * last successful sweep recorded in Redis, and the /healthz + /metrics server. Kept out of
 * workers/index.ts so the service's assembly stays readable.
 *
 * Ops times are wall-clock (`now`, default Date.now): a health age or a latency is measured
 * in real seconds also when shenbao's domain clock is shifted with `--now`.
 */
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { DocumentParser } from '../src/documents';
import { startOpsServer, type OpsServer } from '../src/http/ops';
import type { HealthReport } from '../src/metrics/health';
import { RECEIPT_KINDS, type ShenbaoMetrics } from '../src/metrics/registry';
import type { DeliverOutcome, OutboundJob } from '../src/notify/outbox';
import type { ProcessResult } from '../src/intake/process-message';
import type { IntakeJobData } from '../src/queues/intake';
import type { OpsState } from '../src/store/ops-state';

type Now = () => number;

/** The parser, timed: every email read and every document parse is observed. */
export function timedParser(parser: DocumentParser, metrics: ShenbaoMetrics, now: Now = Date.now): DocumentParser {
  const timed = async <T>(what: 'email' | 'document', run: () => Promise<T>): Promise<T> => {
    const start = now();
    try {
      return await run();
    } finally {
      metrics.parseSeconds.observe({ what }, (now() - start) / 1000);
    }
  };
  return {
    parse: (file, bytes, budget, stage) => timed('document', () => parser.parse(file, bytes, budget, stage)),
    readEmail: (raw, opts) => timed('email', () => parser.readEmail(raw, opts)),
    close: () => parser.close(),
  };
}

/** Counts what the watcher hands to the intake queue. */
export function countingEnqueue<D>(enqueue: (jobId: string, data: D) => Promise<void>, metrics: ShenbaoMetrics, mailbox: string) {
  return async (jobId: string, data: D): Promise<void> => {
    await enqueue(jobId, data);
    metrics.emailsReceived.inc({ mailbox });
  };
}

export function observeIntake(worker: Worker<IntakeJobData, ProcessResult>, metrics: ShenbaoMetrics, now: Now = Date.now): void {
  worker.on('completed', (job, result) => {
    metrics.emailsProcessed.inc({ outcome: result.outcome });
    if (job.processedOn) metrics.intakeSeconds.observe((now() - job.processedOn) / 1000);
  });
  worker.on('failed', (job) => {
    // finishedOn is set only when BullMQ gives the job up (no retry left).
    metrics.emailsFailed.inc({ final: job && typeof job.finishedOn === 'number' ? 'true' : 'false' });
  });
}

export function observeSender(worker: Worker<OutboundJob, DeliverOutcome>, metrics: ShenbaoMetrics, now: Now = Date.now): void {
  worker.on('completed', (job, outcome) => {
    if (outcome.status !== 'sent') return;
    const { kind } = job.data.email;
    metrics.emailsSent.inc({ kind, status: 'sent' });
    // plannedAt of an email the intake planned is when the watcher found the email (workers/intake.ts).
    if (RECEIPT_KINDS.has(kind)) metrics.receiptLatencySeconds.observe({ kind }, Math.max(0, now() - job.data.plannedAt) / 1000);
  });
  worker.on('failed', (job) => {
    if (job && typeof job.finishedOn === 'number') metrics.emailsSent.inc({ kind: job.data.email.kind, status: 'failed' });
  });
}

/** Records each successful sweep; a failed write is logged, never thrown into the watcher. */
export function sweepRecorder(ops: OpsState, mailbox: string, logger: Logger, now: Now = Date.now): () => void {
  return () => {
    ops.recordSweep(mailbox, now()).catch((err: unknown) => logger.warn({ err }, 'ops: could not record the mailbox sweep'));
  };
}

export async function startWorkerOps(o: {
  at: { host: string; port: number };
  health: () => Promise<HealthReport>;
  metrics: ShenbaoMetrics;
  logger: Logger;
}): Promise<OpsServer> {
  const server = await startOpsServer({ health: o.health, metrics: () => o.metrics.render() }, o.at);
  o.logger.info({ url: server.url }, 'ops: /healthz and /metrics listening');
  return server;
}
