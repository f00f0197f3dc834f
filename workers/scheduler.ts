/**
 * Reminders and the staff digest (queue `schedule`), by BullMQ job schedulers in the
 * campaign's time zone:
 *   - `reminders-daily`  cron at the reminder hour (09:00 Asia/Shanghai),
 *   - `digest-daily`     cron at the digest hour,
 *   - `clock-tick`       every `tickMs` (default one minute), plus one tick when the worker starts.
 * Why the tick: BullMQ's cron runs on real time, but `--now`/SHENBAO_NOW shifts shenbao's
 * clock (demo, tests, a re-run of a past day). Each pass therefore asks the pure planners
 * what is due *by the shifted clock* (planReminders: only the latest reminder of each
 * deadline that fell due, none after the deadline — which is also the catch-up after a
 * stop; isDigestDue: past today's digest hour and not sent since). Repeats are harmless:
 * every planned email has an idempotency key the outbox sends once.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Campaign } from '../src/config/campaign';
import type { Config } from '../src/config/env';
import type { Clock } from '../src/domain/clock';
import { isDigestDue, planDigest, planReminders, type PlannedEmail } from '../src/notify/plan';
import { QUEUES } from '../src/queues/names';
import { judgeAll } from '../src/rules';
import type { ApplicationStore } from '../src/store/applications';
import { bullOptions } from '../src/queues/connection';
import type { RedisScope } from '../src/store/redis';
import { closeWithin } from './close-within';

export interface SchedulerOptions {
  config: Pick<Config, 'redis'>;
  /** DASHBOARD_URL: the digest links to the dashboard; null/absent: no link. */
  dashboardUrl?: string | null;
  scope: RedisScope;
  campaign: Campaign;
  clock: Clock;
  apps: ApplicationStore;
  redis: Redis;
  enqueue: (planned: PlannedEmail[]) => Promise<unknown>;
  staffEmail: string | null;
  logger: Logger;
  tickMs?: number;
  /** Intake jobs waiting or in hand: reminders wait for them (see below). */
  intakePending?: () => Promise<number>;
  /** How long (real time) reminders and the digest may wait for the intake to be idle; default 15 minutes. */
  maxReminderWaitMs?: number;
}

type ScheduleJob = 'tick' | 'reminders' | 'digest';
const DIGEST_LAST = 'digest:last-sent';

export interface Scheduler {
  /** One pass now (reminders and digest if due), as the tick does. */
  pass(): Promise<{ reminders: number; digest: boolean }>;
  close(graceMs: number): Promise<void>;
}

export async function startScheduler(o: SchedulerOptions): Promise<Scheduler> {
  const { campaign, logger } = o;
  const judged = async () => judgeAll(await o.apps.all(), campaign);

  // An email already taken from the mailbox but not yet folded may be the one that completes
  // an application, and the digest should count it: reminders and the digest wait until the
  // intake is idle (bounded, so a steady stream of mail cannot hold them back for long; the
  // idempotency key keeps it one reminder anyway).
  let waitingSince: number | null = null;
  const intakeSettled = async (): Promise<boolean> => {
    if (o.intakePending && (await o.intakePending()) > 0) {
      waitingSince ??= Date.now();
      if (Date.now() - waitingSince < (o.maxReminderWaitMs ?? 15 * 60_000)) return false;
    }
    waitingSince = null;
    return true;
  };
  const reminders = async (): Promise<number> => {
    if (!(await intakeSettled())) return 0;
    const planned = planReminders(await judged(), campaign, o.clock());
    if (planned.length > 0) {
      await o.enqueue(planned);
      logger.info({ count: planned.length, keys: planned.map((p) => p.key) }, 'scheduler: reminders due');
    }
    return planned.length;
  };

  const digest = async (): Promise<boolean> => {
    if (!o.staffEmail || !(await intakeSettled())) return false;
    const now = o.clock();
    const last = await o.redis.get(DIGEST_LAST);
    const lastAt = last ? new Date(last) : null;
    if (!isDigestDue(now, lastAt, campaign)) return false;
    await o.enqueue([planDigest(await judged(), campaign, now, { to: o.staffEmail, since: lastAt, dashboardUrl: o.dashboardUrl })]);
    await o.redis.set(DIGEST_LAST, now.toISOString());
    logger.info('scheduler: staff digest due');
    return true;
  };

  const pass = async () => ({ reminders: await reminders(), digest: await digest() });

  const queue = new Queue(QUEUES.schedule, bullOptions(o.config, 'producer', o.scope));
  queue.on('error', (err) => logger.warn({ err }, 'schedule queue error'));
  const tz = campaign.timeZone;
  const [rh, rm] = campaign.reminders.at.split(':').map(Number);
  await queue.upsertJobScheduler('reminders-daily', { pattern: `${rm ?? 0} ${rh ?? 9} * * *`, tz }, { name: 'reminders' });
  await queue.upsertJobScheduler('digest-daily', { pattern: `0 ${campaign.digest.hour} * * *`, tz }, { name: 'digest' });
  await queue.upsertJobScheduler('clock-tick', { every: o.tickMs ?? 60_000 }, { name: 'tick' });

  const worker = new Worker(
    QUEUES.schedule,
    async (job: Job) => {
      const name = job.name as ScheduleJob;
      if (name === 'reminders') return { reminders: await reminders() };
      if (name === 'digest') return { digest: await digest() };
      return pass();
    },
    { ...bullOptions(o.config, 'worker', o.scope), concurrency: 1 },
  );
  worker.on('error', (err) => logger.error({ err }, 'schedule worker error'));
  worker.on('failed', (job, err) => logger.warn({ job: job?.name, reason: err.message }, 'schedule job failed'));

  // Catch-up: a reminder that fell due while no worker ran goes out now (only the latest).
  await queue.add('tick', {}, { removeOnComplete: true, removeOnFail: { age: 24 * 3600 } });

  return {
    pass,
    async close(graceMs: number): Promise<void> {
      await closeWithin(worker, graceMs);
      await queue.close();
    },
  };
}
