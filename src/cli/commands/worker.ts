/**
 * `shenbao worker [--now <ISO>]`: the service. Runs until SIGTERM/SIGINT, then finishes or
 * releases the job in hand and stops (exit 0). A missing or malformed setting stops it at
 * start with one line (exit 2).
 */
import { Command, InvalidArgumentError } from 'commander';
import { Redis } from 'ioredis';
import type { Config, ImapConfig } from '../../config/env';
import { createImapClient } from '../../mail/imap';
import { startService } from '../../../workers';
import { loadSettings } from '../settings';

interface WorkerOptions {
  now?: string;
  redisPrefix?: string;
  sweepMs?: number;
  tickMs?: number;
  retryBackoffMs?: number;
  graceMs: number;
  jobLockMs?: number;
  leaseMs?: number;
}

const ms = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of milliseconds');
  return n;
};

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('the service: watch the mailbox, process, send receipts, schedule reminders; stops on SIGTERM/SIGINT')
    .option('--now <ISO>', 'the clock starts at this instant (default: SHENBAO_NOW, else the system clock)')
    .option('--redis-prefix <name>', 'namespace of every Redis key and queue (default: shenbao)')
    .option('--sweep-ms <ms>', 'UID sweep interval, the fallback to IDLE (default 60000)', ms)
    .option('--tick-ms <ms>', 'how often the scheduler asks what is due by the clock (default 60000)', ms)
    .option('--retry-backoff-ms <ms>', 'first backoff of a failed intake job (default 10000)', ms)
    .option('--job-lock-ms <ms>', 'lock of a job in hand; a crashed worker\'s job is retried after it (default 30000)', ms)
    .option('--lease-ms <ms>', 'mailbox watcher lease; another worker polls this long after a crash (default 30000)', ms)
    .option('--grace-ms <ms>', 'on SIGTERM, how long the job in hand may take to finish', ms, 30_000)
    .action(async (opts: WorkerOptions) => {
      const { config, campaign, clock } = loadSettings(['imap', 'smtp', 'mailFrom'], { SHENBAO_NOW: opts.now });
      if (opts.redisPrefix !== undefined && !/^[A-Za-z0-9_.-]+$/.test(opts.redisPrefix)) {
        program.error('--redis-prefix: letters, digits, _ . - only', { exitCode: 2 });
      }
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
      await new Promise<void>((resolve) => {
        const onSignal = (sig: NodeJS.Signals) => {
          service.logger.info({ signal: sig }, 'signal received');
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve();
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      await service.stop(opts.graceMs);
    });
}

/**
 * Redis and the mailbox must answer at start (exit 1 with one line otherwise: a wrong
 * password or port is a setting to fix, not something to retry forever). Once running, a
 * lost connection is retried instead.
 */
async function firstUnreachable(config: Pick<Config, 'redis'> & { imap: ImapConfig }): Promise<string | null> {
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 5000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return `Redis at REDIS_URL cannot be reached: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    redis.disconnect();
  }
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
