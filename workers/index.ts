/**
 * `shenbao worker`, assembled: the mailbox watcher, the intake worker (concurrency 2), the
 * outbound (send-mail) worker and the scheduler, over one Redis. start() returns a handle
 * whose stop() is the SIGTERM path: stop fetching, finish or release the jobs in hand
 * within `graceMs`, then close workers, queues, IMAP and Redis, in that order.
 */
import type { Logger } from 'pino';
import type { Campaign } from '../src/config/campaign';
import type { ConfigWith } from '../src/config/env';
import { createDocumentParser, type DocumentParser } from '../src/documents';
import type { Clock } from '../src/domain/clock';
import { ImapSession, actionFor, handledKeywords } from '../src/mail/imap';
import { IntakeMailbox } from '../src/mail/intake-mailbox';
import { MailboxWatcher, type WatcherState } from '../src/mail/mailbox-watcher';
import { createLogger } from '../src/metrics/logger';
import { createMetrics, type ShenbaoMetrics } from '../src/metrics/registry';
import { Outbox } from '../src/notify/outbox';
import type { PlannedEmail } from '../src/notify/plan';
import { ApplicationStore } from '../src/store/applications';
import { indexTtlSeconds } from '../src/store/bounded';
import { IntakeLog } from '../src/store/intake-log';
import { Journal } from '../src/store/journal';
import { OpsState } from '../src/store/ops-state';
import { RecipientRateLimit } from '../src/store/rate-limit';
import { RawMailStore } from '../src/store/raw-mail';
import { createRedis, type RedisScope } from '../src/store/redis';
import { DEFAULT_INTAKE_RETRY, openIntakeQueue, type IntakeRetry } from '../src/queues/intake';
import { startIntakeWorker } from './intake';
import { openDeepQueue } from '../src/queues/deep';
import { startDeepWorker } from './deep';
import { checkHealth } from '../src/http/ops';
import { countingEnqueue, observeIntake, observeSender, startWorkerOps, sweepRecorder, timedParser } from './ops';
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
  /** /healthz and /metrics (default: config.ops; port null: no server). */
  opsAt?: { host: string; port: number } | null;
}

export interface Service {
  stop(graceMs?: number): Promise<void>;
  /** Resolves when everything is up (queues created, schedulers upserted). */
  readonly logger: Logger;
  /** This process's metrics (its own prom-client Registry). */
  readonly metrics: ShenbaoMetrics;
  /** `http://host:port` of /healthz and /metrics, when served. */
  readonly opsUrl: string | null;
}

/** How long the scheduler's start-up pass waits for the watcher's first sweep. */
const FIRST_PASS_WAIT_MS = 20_000;

export async function startService(o: ServiceOptions): Promise<Service> {
  const { config, campaign, clock } = o;
  const scope = o.scope ?? {};
  const logger = o.logger ?? createLogger(config.logLevel);
  const startedAt = Date.now(); // wall clock: health ages are real seconds (workers/ops.ts)
  const redis = createRedis(config, { ...scope, name: 'shenbao-worker-store' });
  // Indexes built from applicant input expire at the campaign's end + retentionDays (domain time).
  const retention = { indexTtlSeconds: () => indexTtlSeconds(campaign, clock()) };
  const apps = new ApplicationStore(redis, retention);
  const log = new IntakeLog(redis, retention);
  const raw = new RawMailStore(config.storageDir);
  const outbox = Outbox.open(config, scope);
  const enqueueMail = (planned: PlannedEmail[]) => outbox.enqueue(planned);
  const imap = new ImapSession(config.imap, logger);
  const intakeQueue = openIntakeQueue(config, scope, o.intakeRetry ?? DEFAULT_INTAKE_RETRY);
  // The slow looks at scans, after the receipt (src/intake/deep.ts).
  const deepQueue = openDeepQueue(config, scope);
  const opsState = new OpsState(redis);
  const held = new RecipientRateLimit(redis, { max: campaign.rateLimit.perRecipientPerHour });
  let watchedBy: { readonly state: WatcherState } = { state: 'starting' };
  // The sweep age is the mailbox's (any worker's sweep): a standby worker reports the holder's.
  const health = () => checkHealth({ ops: opsState, mailbox: config.imap.mailbox, watcher: watchedBy, sweepMatters: true, startedAt });
  const metrics = createMetrics({
    health,
    mailbox: config.imap.mailbox,
    queueCounts: async () => ({
      intake: await intakeQueue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'),
      outbound: await outbox.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed'),
    }),
    heldBack: () => held.heldCount(),
  });
  // Up first, so a port in use stops the start before any worker takes a job.
  const opsAt = o.opsAt !== undefined ? o.opsAt : config.ops.port === null ? null : { host: config.ops.host, port: config.ops.port };
  const ops = opsAt
    ? await startWorkerOps({
      at: opsAt,
      metrics,
      logger,
      health,
    }).catch(async (err: unknown) => {
      await Promise.all([intakeQueue.queue.close(), outbox.close()]);
      redis.disconnect();
      throw err;
    })
    : null;
  const parser = timedParser(o.parser ?? createDocumentParser({ concurrency: 2 }), metrics);

  const sender = startSendMailWorker({
    config,
    campaign: { id: campaign.idPrefix, ...campaign.rateLimit },
    scope,
    log: logger.child({ component: 'send-mail' }),
    lockDurationMs: o.jobLockMs,
    clock,
    redis,
  });
  const intakeMailbox = new IntakeMailbox(imap, campaign.processed, raw);
  const deep = startDeepWorker({
    config,
    scope,
    deps: { redis, apps, raw, parser, campaign, clock, refetch: (job) => intakeMailbox.refetch(job) },
    logger: logger.child({ component: 'deep' }),
    lockDurationMs: o.jobLockMs,
  });
  const intake = startIntakeWorker({
    config,
    scope,
    deps: { redis, apps, log, raw, parser, campaign, clock, enqueue: enqueueMail, journal: new Journal(config.storageDir), deep: (job) => deepQueue.enqueue(job) },
    mailbox: intakeMailbox,
    log,
    logger: logger.child({ component: 'intake' }),
    concurrency: 2,
    lockDurationMs: o.jobLockMs,
    enqueueFoundAt: (planned, foundAt) => outbox.enqueue(planned, foundAt),
  });
  observeIntake(intake.worker, metrics);
  observeSender(sender.worker, metrics);
  const watcher = new MailboxWatcher({
    redis,
    imap: config.imap,
    mailbox: config.imap.mailbox,
    log,
    raw,
    logger: logger.child({ component: 'watcher' }),
    enqueue: countingEnqueue(intakeQueue.enqueue, metrics, config.imap.mailbox),
    onSweep: sweepRecorder(opsState, config.imap.mailbox, logger),
    handledKeywords: handledKeywords(campaign.processed),
    failedAction: actionFor(campaign.processed, 'failed'),
    sweepIntervalMs: o.sweepIntervalMs,
    maxMessageBytes: o.maxMessageBytes,
    leaseTtlMs: o.leaseTtlMs,
  });
  watchedBy = watcher;
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
    metrics,
    opsUrl: ops?.url ?? null,
    stop(graceMs = 30_000): Promise<void> {
      stopping ??= (async () => {
        logger.info({ graceMs }, 'worker stopping');
        await ops?.close();
        await watcher.stop();
        await intake.close(graceMs);
        await deep.close(graceMs);
        await scheduler.close(graceMs);
        await sender.close(graceMs);
        await intakeQueue.queue.close();
        await deepQueue.queue.close();
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
