/**
 * `shenbao serve`: the staff dashboard on HTTP_HOST:HTTP_PORT (default 127.0.0.1:8080). Without
 * DASHBOARD_PASSWORD it serves loopback only (else exit 2, one line). Staff actions queue
 * their emails on the outbox; a running `shenbao worker` on the same Redis sends them.
 * Stops on SIGTERM/SIGINT.
 */
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { buildDashboard } from '../../http/app';
import { listenRefusal } from '../../http/listen-check';
import { Outbox } from '../../notify/outbox';
import { ApplicationStore } from '../../store/applications';
import { AuditLog } from '../../store/audit';
import { IntakeLog } from '../../store/intake-log';
import { RawMailStore } from '../../store/raw-mail';
import { createRedis } from '../../store/redis';
import { SentLog } from '../../store/sent-log';
import { StaffActions } from '../../store/staff-actions';
import { intakeJobId } from '../../mail/mailbox-watcher';
import { openIntakeQueue } from '../../../workers/intake';
import { loadSettings, SettingsError } from '../settings';

interface ServeOptions {
  now?: string;
  redisPrefix?: string;
  loginAttempts: number;
}

const positive = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
};

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('the staff dashboard (申报管理): list, details, corrections, exports, federation package; stops on SIGTERM/SIGINT')
    .option('--now <ISO>', 'the clock starts at this instant (default: SHENBAO_NOW, else the system clock)')
    .option('--redis-prefix <name>', 'namespace of every Redis key and queue (default: shenbao)')
    .option('--login-attempts <n>', 'login attempts allowed per minute and address before 429', positive, 5)
    .action(async (opts: ServeOptions) => {
      const { config, campaign, clock } = loadSettings([], { SHENBAO_NOW: opts.now });
      if (opts.redisPrefix !== undefined && !/^[A-Za-z0-9_.-]+$/.test(opts.redisPrefix)) throw new SettingsError('--redis-prefix: letters, digits, _ . - only');
      const refusal = listenRefusal(config.http.host, config.http.dashboard !== null);
      if (refusal) throw new SettingsError(refusal);
      const logger = pino({ level: config.logLevel }, pino.destination(2));
      if (!config.http.sessionKey) logger.warn('DASHBOARD_SESSION_KEY is not set: a random key is used, so sessions end when serve restarts');
      const scope = { prefix: opts.redisPrefix };
      const redis = createRedis(config, { ...scope, name: 'shenbao-serve' });
      const applications = new ApplicationStore(redis);
      const sentLog = new SentLog(redis);
      const intakeLog = new IntakeLog(redis);
      const rawMail = new RawMailStore(config.storageDir);
      const outbox = Outbox.open(config, scope);
      const intakeQueue = openIntakeQueue(config, scope);
      const actions = new StaffActions({
        redis, apps: applications, sentLog, intakeLog, campaign, clock,
        enqueue: (planned) => outbox.enqueue(planned),
        // A new job id: the failed job's own id may still be held by BullMQ.
        reprocess: async (ref) => {
          const failed = (await intakeLog.failed()).find((f) => f.ref.uid === ref.uid && f.ref.mailbox === ref.mailbox && f.ref.uidValidity === ref.uidValidity);
          if (!failed?.sha256) throw new Error(`no raw mail kept for ${ref.mailbox}/${ref.uid}`);
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
      });
      const warm = await context.cache.refresh();
      logger.info({ applications: warm.applicationsFetched, sent: warm.sentFetched, ms: warm.ms }, 'dashboard cache warmed');
      const address = await app.listen({ host: config.http.host, port: config.http.port });
      logger.info({ address, open: config.http.dashboard === null }, 'dashboard listening');
      process.stderr.write(`shenbao serve: ${address}${config.http.dashboard ? '' : ' (no password: this machine only)'}\n`);
      await new Promise<void>((resolve) => {
        const onSignal = () => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve();
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      await app.close();
      await outbox.close();
      await intakeQueue.queue.close();
      redis.disconnect();
    });
}
