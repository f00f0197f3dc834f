/**
 * The `outbound` worker: a thin BullMQ Worker around src/notify/outbox's processor.
 * `shenbao worker` starts it with the loaded Config and campaign; close() on SIGTERM.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../src/domain/clock';
import type { ConfigWith } from '../src/config/env';
import { createMailer, type Mailer } from '../src/mail/smtp';
import { outboundProcessor, type DeliverOutcome } from '../src/notify/outbox';
import { QUEUES } from '../src/queues/names';
import type { OutboundJob } from '../src/queues/outbound';
import { recoveryOptions } from '../src/queues/recovery';
import { RecipientRateLimit } from '../src/store/rate-limit';
import { bullOptions } from '../src/queues/connection';
import { createRedis, replicasToConfirm, type RedisScope } from '../src/store/redis';
import { SentCopies } from '../src/store/sent-copies';
import { SentLog } from '../src/store/sent-log';
import { closeWithin } from './close-within';

export interface SendMailWorkerOptions {
  config: ConfigWith<'smtp' | 'mailFrom'>;
  /** Campaign id (loop header) and its per-recipient hourly limit. */
  campaign: { id: string; perRecipientPerHour: number; perDomainPerHour?: number; globalPerHour?: number };
  scope?: RedisScope;
  concurrency?: number;
  /** Tests shorten these; production keeps the defaults. */
  rateWindowMs?: number;
  claimTimeoutMs?: number;
  lockDurationMs?: number;
  /** A mailer other than the pooled SMTP one built from config (e.g. wrapping it). */
  mailer?: Mailer;
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** shenbao's clock (--now): the sent log's times are shown to staff beside arrival times. */
  clock?: Clock;
  /** The process's store client (`shenbao worker` has one already); absent: one of its own, closed with the worker. */
  redis?: Redis;
}

export interface SendMailWorker {
  worker: Worker<OutboundJob, DeliverOutcome>;
  /** Waits for the jobs in hand (up to `graceMs`), then closes SMTP and its own Redis client. */
  close(graceMs?: number): Promise<void>;
}

export function startSendMailWorker(options: SendMailWorkerOptions): SendMailWorker {
  const { config, log, clock } = options;
  const redis = options.redis ?? createRedis(config, { ...options.scope, name: 'shenbao-send-mail' });
  const mailer = options.mailer ?? createMailer(config.smtp, { maxConnections: 2 });
  const processor = outboundProcessor({
    mailer,
    sentLog: new SentLog(redis, {
      claimTimeoutMs: options.claimTimeoutMs,
      waitReplicas: replicasToConfirm(config.redis),
      ...(clock ? { now: () => clock().getTime() } : {}),
    }),
    rateLimit: new RecipientRateLimit(redis, {
      max: options.campaign.perRecipientPerHour,
      perDomain: options.campaign.perDomainPerHour,
      global: options.campaign.globalPerHour,
      windowMs: options.rateWindowMs,
    }),
    from: config.mailFrom,
    loopId: options.campaign.id,
    log,
    copies: new SentCopies(config.storageDir),
  });
  const worker = new Worker<OutboundJob, DeliverOutcome>(QUEUES.outbound, processor, {
    ...bullOptions(config, 'worker', options.scope),
    concurrency: options.concurrency ?? 4,
    ...recoveryOptions(options.lockDurationMs),
  });
  worker.on('error', (err) => log?.error({ err }, 'outbound worker error'));
  worker.on('failed', (job, err) => {
    if (job) log?.warn({ key: job.data.email.key, attemptsMade: job.attemptsMade, reason: err.message }, 'outbound job failed');
  });

  return {
    worker,
    async close(graceMs = 30_000): Promise<void> {
      await closeWithin(worker, graceMs);
      mailer.close();
      if (!options.redis) redis.disconnect();
    },
  };
}
