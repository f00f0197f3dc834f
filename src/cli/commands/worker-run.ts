/**
 * The body of `shenbao worker`, loaded only when the worker runs (BullMQ, imapflow and the
 * readers are a quarter of a second of start-up the other commands should not pay).
 */
import type { Campaign } from '../../config/campaign';
import type { ConfigWith, Config, ImapConfig } from '../../config/env';
import type { Clock } from '../../domain/clock';
import { createImapClient } from '../../mail/imap';
import { startService } from '../../../workers';
import { redisProblem } from '../../store/redis';
import { endAfterShutdown } from '../end-after-shutdown';
import { untilSignal } from '../until-signal';
import type { WorkerOptions } from './worker';

export interface WorkerRun {
  config: ConfigWith<'imap' | 'smtp' | 'mailFrom'>;
  campaign: Campaign;
  clock: Clock;
  opts: WorkerOptions;
}

export async function runWorker({ config, campaign, clock, opts }: WorkerRun): Promise<void> {
  const unreachable = await firstUnreachable(config);
  if (unreachable) {
    process.stderr.write(`shenbao worker: ${unreachable}\n`);
    process.exitCode = 1;
    return;
  }
  const service = await startService({
    config,
    campaign,
    clock,
    scope: { prefix: opts.redisPrefix },
    sweepIntervalMs: opts.sweepMs,
    tickMs: opts.tickMs,
    jobLockMs: opts.jobLockMs,
    leaseTtlMs: opts.leaseMs,
    intakeRetry: opts.retryBackoffMs ? { attempts: 5, backoffMs: opts.retryBackoffMs } : undefined,
  });
  service.logger.info({ signal: await untilSignal() }, 'signal received');
  await service.stop(opts.graceMs);
  endAfterShutdown(config.redis);
}

/**
 * Redis and the mailbox must answer at start (exit 1 with one line otherwise: a wrong
 * password or port is a setting to fix, not something to retry forever). Once running, a
 * lost connection is retried instead.
 */
async function firstUnreachable(config: Pick<Config, 'redis'> & { imap: ImapConfig }): Promise<string | null> {
  const redis = await redisProblem(config);
  if (redis) return redis;
  const imap = createImapClient(config.imap, false);
  imap.on('error', () => undefined);
  try {
    await imap.connect();
    const box = await imap.status(config.imap.mailbox, { messages: true }).catch(() => false as const);
    if (box === false) return `IMAP_MAILBOX "${config.imap.mailbox}" does not exist for ${config.imap.user}`;
  } catch (err) {
    const e = err as { message?: string; responseText?: string; authenticationFailed?: boolean };
    return `the mailbox at ${config.imap.host}:${config.imap.port} cannot be used: ${e.authenticationFailed ? 'login refused (IMAP_USER / IMAP_PASSWORD)' : (e.responseText ?? e.message ?? String(err))}`;
  } finally {
    await imap.logout().catch(() => imap.close());
  }
  return null;
}
