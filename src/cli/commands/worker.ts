/**
 * `shenbao worker [--now <ISO>]`: the service. Runs until SIGTERM/SIGINT, then finishes or
 * releases the job in hand and stops (exit 0). A missing or malformed setting stops it at
 * start with one line (exit 2).
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadSettings, redisPrefixProblem } from '../settings';

export interface WorkerOptions {
  now?: string;
  redisPrefix?: string;
  sweepMs?: number;
  tickMs?: number;
  retryBackoffMs?: number;
  graceMs: number;
  jobLockMs?: number;
  leaseMs?: number;
  httpPort?: number;
}

const ms = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of milliseconds');
  return n;
};

const tcpPort = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0 picks a free one)');
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
    .option('--job-lock-ms <ms>', 'lock of a job in hand; a crashed worker\'s job is taken again within this plus half of it (default 10000)', ms)
    .option('--lease-ms <ms>', 'mailbox watcher lease; another worker polls this long after a crash (default 15000)', ms)
    .option('--http-port <port>', '/healthz and /metrics on this port (default: WORKER_HTTP_PORT or METRICS_PORT; none when unset), on WORKER_HTTP_HOST (default 127.0.0.1)', tcpPort)
    .option('--grace-ms <ms>', 'on SIGTERM, how long the job in hand may take to finish', ms, 30_000)
    .action(async (opts: WorkerOptions) => {
      const { config, campaign, clock } = loadSettings(['imap', 'smtp', 'mailFrom'], {
        SHENBAO_NOW: opts.now,
        WORKER_HTTP_PORT: opts.httpPort === undefined ? undefined : String(opts.httpPort),
      });
      const badPrefix = redisPrefixProblem(opts.redisPrefix);
      if (badPrefix) program.error(badPrefix, { exitCode: 2 });
      const { runWorker } = await import('./worker-run.js');
      await runWorker({ config, campaign, clock, opts });
    });
}
