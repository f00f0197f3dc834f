/**
 * `shenbao serve`: the staff dashboard on HTTP_HOST:HTTP_PORT (default 127.0.0.1:8080). Without
 * DASHBOARD_PASSWORD it serves loopback only (else exit 2, one line). Staff actions queue
 * their emails on the outbox; a running `shenbao worker` on the same Redis sends them.
 * Stops on SIGTERM/SIGINT.
 */
import { Command, InvalidArgumentError } from 'commander';
import { listenRefusal } from '../../http/listen-check';
import { loadSettings, redisPrefixProblem, SettingsError } from '../settings';

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
      const badPrefix = redisPrefixProblem(opts.redisPrefix);
      if (badPrefix) throw new SettingsError(badPrefix);
      const refusal = listenRefusal(config.http.host, config.http.dashboard !== null);
      if (refusal) throw new SettingsError(refusal);
      const { runServe } = await import('./serve-run.js');
      await runServe({ config, campaign, clock, opts });
    });
}
