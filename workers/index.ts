/**
 * `shenbao worker`, assembled: the mailbox watcher, the intake worker (concurrency 2), the
 * outbound (send-mail) worker and the scheduler, over one Redis. start() returns a handle
 * whose stop() is the SIGTERM path: stop fetching, finish or release the jobs in hand
 * within `graceMs`, then close workers, queues, IMAP and Redis, in that order.
 */
import pino, { type Logger } from 'pino';
import type { Campaign } from '../src/config/campaign';
import type { ConfigWith } from '../src/config/env';
import { createDocumentParser, type DocumentParser } from '../src/documents';
import type { Clock } from '../src/domain/clock';
import { ImapSession, actionFor, handledKeywords } from '../src/mail/imap';
import { MailboxWatcher } from '../src/mail/mailbox-watcher';
import { Outbox } from '../src/notify/outbox';
import type { PlannedEmail } from '../src/notify/plan';
import { ApplicationStore } from '../src/store/applications';
import { indexTtlSeconds } from '../src/store/bounded';
import { IntakeLog } from '../src/store/intake-log';
import { RawMailStore } from '../src/store/raw-mail';
import { createRedis, type RedisScope } from '../src/store/redis';
import { DEFAULT_INTAKE_RETRY, openIntakeQueue, startIntakeWorker, type IntakeRetry } from './intake';
import { startScheduler } from './scheduler';
import { startSendMailWorker } from './send-mail';

export interface ServiceOptions {
  config: ConfigWith<'imap' | 'smtp' | 'mailFrom'>;
  campaign: Campaign;
  clock: Clock;
  scope?: RedisScope;
  logger?: Logger;
  /** Tests shorten these. */
  sweepIntervalMs?: number;
  tickMs?: number;
  intakeRetry?: IntakeRetry;
  maxMessageBytes?: number;
  /** BullMQ lock of a job in hand: after a crash, the job is retried once this expires. */
  jobLockMs?: number;
  /** The watcher lease: after a crash, another worker starts polling once this expires. */
  leaseTtlMs?: number;
  parser?: DocumentParser;
}

export interface Service {
  stop(graceMs?: number): Promise<void>;
  /** Resolves when everything is up (queues created, schedulers upserted). */
  readonly logger: Logger;
}

/** How long the scheduler's start-up pass waits for the watcher's first sweep. */
const FIRST_PASS_WAIT_MS = 20_000;

export async function startService(o: ServiceOptions): Promise<Service> {
  const { config, campaign, clock } = o;
  const scope = o.scope ?? {};
  const logger = o.logger ?? pino({ level: config.logLevel }, pino.destination(2));
  const redis = createRedis(config, { ...scope, name: 'shenbao-worker-store' });
  // Indexes built from applicant input expire at the campaign's end + retentionDays (domain time).
  const retention = { indexTtlSeconds: () => indexTtlSeconds(campaign, clock()) };
  const apps = new ApplicationStore(redis, retention);
  const log = new IntakeLog(redis, retention);
  const raw = new RawMailStore(config.storageDir);
  const parser = o.parser ?? createDocumentParser({ concurrency: 2 });
  const outbox = Outbox.open(config, scope);
  const enqueueMail = (planned: PlannedEmail[]) => outbox.enqueue(planned);
  const imap = new ImapSession(config.imap, logger);
  const intakeQueue = openIntakeQueue(config, scope, o.intakeRetry ?? DEFAULT_INTAKE_RETRY);

  const sender = startSendMailWorker({
    config,
    campaign: { id: campaign.idPrefix, ...campaign.rateLimit },
    scope,
    log: logger.child({ component: 'send-mail' }),
    lockDurationMs: o.jobLockMs,
    clock,
  });
  const intake = startIntakeWorker({
    config,
    scope,
    deps: { redis, apps, log, raw, parser, campaign, clock, enqueue: enqueueMail, logger: logger.child({ component: 'intake' }) },
    imap,
    processed: campaign.processed,
    redis,
    log,
    logger: logger.child({ component: 'intake' }),
    concurrency: 2,
    lockDurationMs: o.jobLockMs,
  });
  const watcher = new MailboxWatcher({
    redis,
    imap: config.imap,
    mailbox: config.imap.mailbox,
    log,
    raw,
    logger: logger.child({ component: 'watcher' }),
    enqueue: intakeQueue.enqueue,
    handledKeywords: handledKeywords(campaign.processed),
    failedAction: actionFor(campaign.processed, 'failed'),
    sweepIntervalMs: o.sweepIntervalMs,
    maxMessageBytes: o.maxMessageBytes,
    leaseTtlMs: o.leaseTtlMs,
  });
  watcher.start();
  // The scheduler's first pass is its catch-up: let the watcher hand over what waited in the
  // mailbox first (bounded: a slow or refused mailbox must not hold reminders back).
  await Promise.race([watcher.firstPass, new Promise((resolve) => setTimeout(resolve, FIRST_PASS_WAIT_MS).unref())]);
  const scheduler = await startScheduler({
    config,
    scope,
    campaign,
    clock,
    apps,
    redis,
    enqueue: enqueueMail,
    staffEmail: config.staffEmail,
    dashboardUrl: config.http.dashboardUrl,
    logger: logger.child({ component: 'scheduler' }),
    tickMs: o.tickMs,
    intakePending: async () => {
      const counts = await intakeQueue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
  });
  logger.info({ mailbox: config.imap.mailbox, now: clock().toISOString(), prefix: scope.prefix ?? 'shenbao' }, 'worker started');

  let stopping: Promise<void> | null = null;
  return {
    logger,
    stop(graceMs = 30_000): Promise<void> {
      stopping ??= (async () => {
        logger.info({ graceMs }, 'worker stopping');
        await watcher.stop();
        await intake.close(graceMs);
        await scheduler.close(graceMs);
        await sender.close(graceMs);
        await intakeQueue.queue.close();
        await outbox.close();
        await imap.close();
        await parser.close();
        redis.disconnect();
        logger.info('worker stopped');
      })();
      return stopping;
    },
  };
}
