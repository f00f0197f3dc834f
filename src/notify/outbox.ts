/**
 * The outbox: planned emails become `outbound` jobs, and each job is delivered at most once
 * per idempotency key. The sent log in Redis is the guard (a job id derived from the key is
 * only a second one: BullMQ forgets ids once jobs are removed). Order of a delivery:
 *   already sent/failed/suppressed by staff? → skip;  not exactly one mailbox? → failed for good;
 *   over the recipient's, its domain's or the global hourly limit? → delay the job (listed as held);
 *   claim (another sender busy, or the claim not on the replicas? → delay);  send;
 *   record (retried until it holds: once sent, the claim is never let go).
 * 5xx: recorded as failed for good (staff see it in the sent log) and not retried.
 * 4xx / network: the claim is released and the job retried with backoff.
 */
import { DelayedError, Queue, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config, MailAddress } from '../config/env';
import { isSingleMailbox } from '../domain/mailbox';
import { oneLine } from '../domain/sanitize';
import { messageIdFor, SmtpSendError, type Mailer, type SendResult } from '../mail/smtp';
import { QUEUES } from '../queues/names';
import type { PlannedEmail } from '../domain/outgoing';
import { DEFAULT_RETRY, outboundJobOptions, type OutboundJob, type OutboundRetry } from '../queues/outbound';
import { bullOptions } from '../queues/connection';
import type { RedisScope } from '../store/redis';
import type { RecipientRateLimit } from '../store/rate-limit';
import type { SentCopies } from '../store/sent-copies';
import type { SentLog } from '../store/sent-log';

export type { OutboundJob } from '../queues/outbound';

/** Producer side: `enqueue` from intake, scheduler, digest. */
export class Outbox {
  private constructor(readonly queue: Queue<OutboundJob>, private readonly retry: OutboundRetry) {}

  static open(config: Pick<Config, 'redis'>, scope: RedisScope = {}, retry: OutboundRetry = DEFAULT_RETRY): Outbox {
    const queue = new Queue<OutboundJob>(QUEUES.outbound, bullOptions(config, 'producer', scope));
    queue.on('error', () => undefined); // connection errors surface on the add() that needs it
    return new Outbox(queue, retry);
  }

  /** Adds one job per email; an email whose job still exists is not added again. */
  async enqueue(planned: readonly PlannedEmail[], now: number = Date.now()): Promise<string[]> {
    if (planned.length === 0) return [];
    const jobs = await this.queue.addBulk(planned.map((email) => ({
      name: email.kind,
      data: { email: { ...email }, plannedAt: now },
      opts: outboundJobOptions(email.key, this.retry),
    })));
    return jobs.map((j) => j.id ?? '');
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

export interface DeliverDeps {
  mailer: Mailer;
  sentLog: SentLog;
  rateLimit: RecipientRateLimit;
  from: MailAddress;
  /** Campaign id, sent in the loop header. */
  loopId: string;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The file store's copy of every email finished with (what `shenbao rebuild` restores the sent log from). */
  copies?: SentCopies;
}

/** Copies the sent log's record of `key` to the file store; a failed copy is logged, the send stands. */
async function keepCopy(deps: DeliverDeps, key: string): Promise<void> {
  if (!deps.copies) return;
  const record = await deps.sentLog.get(key);
  if (record) await deps.copies.put(record).catch((err: unknown) => deps.log?.warn({ err, key }, 'outbox: could not copy the sent record to the file store'));
}

export type DeliverOutcome =
  | { status: 'sent'; messageId: string; attempt: number }
  | { status: 'already-sent' | 'already-failed'; messageId: string }
  /** Staff suppressed it: it never goes out. */
  | { status: 'suppressed'; messageId: string }
  /** store-unconfirmed: the claim did not reach the Redis replicas in time (sent log's WAIT). */
  | { status: 'deferred'; reason: 'rate-limit' | 'claimed-elsewhere' | 'store-unconfirmed'; retryAt: number };

/** RFC 3834: receipts and notices answer a message; reminders and digests do not. */
export function autoSubmittedFor(email: Pick<PlannedEmail, 'kind' | 'inReplyTo'>): 'auto-replied' | 'auto-generated' {
  return email.inReplyTo || /receipt|notice/i.test(email.kind) ? 'auto-replied' : 'auto-generated';
}

/**
 * Delivers one planned email at most once. Returns what happened, or throws SmtpSendError:
 * permanent (recorded as failed) or transient (claim released, try again later).
 */
export async function deliver(deps: DeliverDeps, email: PlannedEmail): Promise<DeliverOutcome> {
  const known = await deps.sentLog.get(email.key);
  if (known?.state === 'sent') return { status: 'already-sent', messageId: known.messageId };
  if (known?.state === 'failed') return { status: 'already-failed', messageId: known.messageId };
  if (known?.state === 'suppressed') return { status: 'suppressed', messageId: known.messageId };
  if (known) await deps.rateLimit.release(email.key);

  // Defence in depth (issue 8 §1): exactly one mailbox, whatever planned it. Refused for good.
  if (!isSingleMailbox(email.to)) return refuse(deps, email, known?.messageId);

  // The staff digest goes to the association's own address: the limits guard the public's
  // inboxes, and a flood of applicant mail must not hold back the digest that reports it.
  if (email.kind !== 'digest') {
    const slot = await deps.rateLimit.take(email.to, email.key, email.kind);
    if (!slot.allowed) return { status: 'deferred', reason: 'rate-limit', retryAt: slot.retryAt };
  }

  const claim = await deps.sentLog.claim(email.key, {
    messageId: known?.messageId || messageIdFor(email.key, deps.from.address),
    to: email.to,
    subject: email.subject,
    kind: email.kind,
    text: email.text,
    html: email.html,
    inReplyTo: email.inReplyTo,
    references: email.references,
  });
  if (claim.outcome === 'busy') return { status: 'deferred', reason: 'claimed-elsewhere', retryAt: claim.retryAt };
  if (claim.outcome === 'unconfirmed') return { status: 'deferred', reason: 'store-unconfirmed', retryAt: claim.retryAt };
  if (claim.outcome === 'sent') return { status: 'already-sent', messageId: claim.record.messageId };
  if (claim.outcome === 'failed') return { status: 'already-failed', messageId: claim.record.messageId };
  if (claim.outcome === 'suppressed') return { status: 'suppressed', messageId: claim.record.messageId };

  // Renewed while the server takes its time, so only a dead sender's claim runs out.
  const heartbeat = setInterval(() => void deps.sentLog.renewClaim(email.key, claim.token).catch(() => undefined), deps.sentLog.renewEveryMs);
  try {
    let result: SendResult;
    try {
      result = await deps.mailer.send({
        messageId: claim.messageId,
        from: deps.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        inReplyTo: email.inReplyTo,
        references: email.references,
        autoSubmitted: autoSubmittedFor(email),
        loopId: deps.loopId,
      });
    } catch (err) {
      if (!(err instanceof SmtpSendError)) {
        await deps.sentLog.markFailed(email.key, `internal: ${String(err)}`, false, claim.token);
        throw err;
      }
      await deps.sentLog.markFailed(email.key, err.message, err.permanent, claim.token);
      if (err.permanent) await keepCopy(deps, email.key);
      deps.log?.warn({ key: email.key, to: email.to, permanent: err.permanent, code: err.responseCode ?? err.code, reason: err.message }, 'email not sent');
      throw err;
    }
    // The email is out: from here nothing may release the claim, or a retry sends it again.
    await recordSent(deps, email.key, { accepted: result.accepted, response: result.response });
    await keepCopy(deps, email.key);
    deps.log?.info({ key: email.key, to: email.to, messageId: claim.messageId, attempt: claim.attempt }, 'email sent');
    return { status: 'sent', messageId: claim.messageId, attempt: claim.attempt };
  } finally {
    clearInterval(heartbeat);
  }
}

/** How long a sent email's `sent` mark is tried (Redis away, a failover) while its claim is kept alive. */
export const RECORD_SENT_WITHIN_MS = 5 * 60_000;

/**
 * Marks a sent email sent, again and again until the mark holds (written, and on the replicas
 * when there are some). Redis failing here — a failover's few seconds of READONLY/NOREPLICAS,
 * a restart — must not end in the claim being released or running out: either lets a retry or
 * another worker send the email a second time. The caller's heartbeat keeps the claim alive.
 */
async function recordSent(deps: DeliverDeps, key: string, info: { accepted: string[]; response: string }): Promise<void> {
  const deadline = Date.now() + RECORD_SENT_WITHIN_MS;
  for (let pause = 100; ; pause = Math.min(pause * 2, 5_000)) {
    let problem: unknown;
    try {
      if (await deps.sentLog.markSent(key, info)) return;
      problem = 'not on the replicas yet';
    } catch (err) {
      problem = err;
    }
    if (Date.now() + pause > deadline) {
      throw new Error(`sent, but could not record it as sent within ${RECORD_SENT_WITHIN_MS / 1000} s: ${String(problem)}`);
    }
    deps.log?.warn({ key, err: problem }, 'outbox: email sent, recording it again');
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Records an email to something that is not exactly one mailbox as failed for good, and says so. */
async function refuse(deps: DeliverDeps, email: PlannedEmail, messageId: string | undefined): Promise<never> {
  const reason = `refused: recipient is not exactly one mailbox (${oneLine(email.to, 120)})`;
  const claim = await deps.sentLog.claim(email.key, {
    messageId: messageId || messageIdFor(email.key, deps.from.address),
    to: oneLine(email.to, 254),
    subject: email.subject,
    kind: email.kind,
    text: email.text,
    html: email.html,
  });
  if (claim.outcome === 'claimed' || claim.outcome === 'unconfirmed') {
    await deps.sentLog.markFailed(email.key, reason, true, claim.outcome === 'claimed' ? claim.token : '');
    await keepCopy(deps, email.key);
  }
  deps.log?.warn({ key: email.key, reason }, 'email not sent');
  throw new SmtpSendError(reason, true, null, 'EENVELOPE');
}

/** How long an email waits before asking a server that was away again (the recovery after an outage). */
export const SERVER_AWAY_WAIT_MS = 10_000;

const AWAY_CODES = new Set(['ECONNECTION', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

/** The SMTP server itself is unavailable, whatever the email: unreachable, or 421 (service not available). */
export function serverAway(err: SmtpSendError): boolean {
  return !err.permanent && (err.responseCode === 421 || (err.responseCode === null && err.code !== null && AWAY_CODES.has(err.code)));
}

/**
 * The `outbound` job processor: deliver, and translate outcomes to BullMQ — deferred → the
 * job moves to delayed (not an attempt); permanent → UnrecoverableError; transient → thrown
 * for BullMQ's backoff, and recorded as failed for good when it was the last attempt.
 */
export function outboundProcessor(deps: DeliverDeps): (job: Job<OutboundJob>, token?: string) => Promise<DeliverOutcome> {
  return async (job, token) => {
    const { email } = job.data;
    let outcome: DeliverOutcome;
    try {
      outcome = await deliver(deps, email);
    } catch (err) {
      if (err instanceof SmtpSendError && err.permanent) throw new UnrecoverableError(`permanent: ${err.message}`);
      // The server is away (down, refusing connections, 421): no fault of this email, so no
      // attempt is used up — BullMQ's backoff (30 s … 4 min) would answer up to 4 min after the
      // server is back, and a long outage would fail every email for good. Asked again in 10 s.
      if (err instanceof SmtpSendError && serverAway(err)) {
        deps.log?.info({ key: email.key, code: err.responseCode ?? err.code }, 'email waits for the SMTP server');
        await job.moveToDelayed(Date.now() + SERVER_AWAY_WAIT_MS, token);
        throw new DelayedError();
      }
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (lastAttempt) {
        await deps.sentLog.markFailed(email.key, `gave up after ${job.attemptsMade + 1} attempts: ${err instanceof Error ? err.message : String(err)}`, true);
        await keepCopy(deps, email.key);
      }
      throw err;
    }
    if (outcome.status === 'deferred') {
      deps.log?.info({ key: email.key, to: email.to, reason: outcome.reason, retryAt: new Date(outcome.retryAt).toISOString() }, 'email delayed');
      await job.moveToDelayed(outcome.retryAt, token);
      throw new DelayedError();
    }
    return outcome;
  };
}
