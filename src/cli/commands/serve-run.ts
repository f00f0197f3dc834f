/**
 * The body of `shenbao serve`, loaded only when serve runs: fastify and its plugins cost half a
 * second of start-up that `report`, `check` and `--help` should not pay.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Campaign } from '../../config/campaign';
import type { Config } from '../../config/env';
import type { Clock } from '../../domain/clock';
import { buildDashboard } from '../../http/app';
import { checkHealth, registerHealthRoute } from '../../http/ops';
import { createLogger } from '../../metrics/logger';
import { Outbox } from '../../notify/outbox';
import { ApplicationStore } from '../../store/applications';
import { AuditLog } from '../../store/audit';
import { IntakeLog } from '../../store/intake-log';
import { Journal } from '../../store/journal';
import { OpsState } from '../../store/ops-state';
import { RawMailStore } from '../../store/raw-mail';
import { createRedis } from '../../store/redis';
import { SentLog } from '../../store/sent-log';
import { StaffActions } from '../../store/staff-actions';
import { intakeJobId, openIntakeQueue } from '../../queues/intake';
import { endAfterShutdown } from '../end-after-shutdown';
import { untilSignal } from '../until-signal';

export interface ServeRun {
  config: Config;
  campaign: Campaign;
  clock: Clock;
  opts: { redisPrefix?: string; loginAttempts: number };
}

export async function runServe({ config, campaign, clock, opts }: ServeRun): Promise<void> {
  const logger = createLogger(config.logLevel);
  const startedAt = Date.now(); // wall clock: health ages are real seconds
  if (!config.http.sessionKey) logger.warn('DASHBOARD_SESSION_KEY is not set: a random key is used, so sessions end when serve restarts');
  const scope = { prefix: opts.redisPrefix };
  const redis = createRedis(config, { ...scope, name: 'shenbao-serve' });
  const applications = new ApplicationStore(redis);
  const sentLog = new SentLog(redis, { now: () => clock().getTime() });
  const intakeLog = new IntakeLog(redis);
  const rawMail = new RawMailStore(config.storageDir);
  const outbox = Outbox.open(config, scope);
  const intakeQueue = openIntakeQueue(config, scope);
  const actions = new StaffActions({
    redis, apps: applications, sentLog, intakeLog, campaign, clock,
    enqueue: (planned) => outbox.enqueue(planned),
    journal: new Journal(config.storageDir),
    // A new job id: the failed job's own id may still be held by BullMQ.
    reprocess: async (failed) => {
      const { ref } = failed;
      if (!failed.sha256) throw new Error(`no raw mail kept for ${ref.mailbox}/${ref.uid}`);
      const size = (await rawMail.get(failed.sha256)).length;
      await intakeQueue.enqueue(`${intakeJobId(ref)}-again-${clock().getTime()}`, { ...ref, sha256: failed.sha256, size, internalDate: null, messageId: failed.messageId });
    },
  });
  const { app, context } = await buildDashboard({
    redis, campaign, clock, applications, sentLog, intakeLog, audit: new AuditLog(redis), rawMail, actions,
    auth: config.http.dashboard,
    sessionKey: config.http.sessionKey ? Buffer.from(config.http.sessionKey, 'hex') : randomBytes(32),
    secureCookie: config.http.dashboardUrl?.startsWith('https://') ?? false,
    loginLimit: { max: opts.loginAttempts, timeWindowMs: 60_000 },
    logger,
    previewDir: path.join(config.storageDir, 'previews'),
  });
  // No login: says only whether Redis answers and how long ago the mailbox was swept.
  const ops = new OpsState(redis);
  registerHealthRoute(app, () => checkHealth({ ops, mailbox: config.imap?.mailbox ?? null, sweepMatters: false, startedAt }));
  const warm = await context.cache.refresh();
  logger.info({ applications: warm.applicationsFetched, sent: warm.sentFetched, ms: warm.ms }, 'dashboard cache warmed');
  const address = await app.listen({ host: config.http.host, port: config.http.port });
  logger.info({ address, open: config.http.dashboard === null }, 'dashboard listening');
  process.stderr.write(`shenbao serve: ${address}${config.http.dashboard ? '' : ' (no password: this machine only)'}\n`);
  await untilSignal();
  await app.close();
  await outbox.close();
  await intakeQueue.queue.close();
  redis.disconnect();
  endAfterShutdown(config.redis);
}
