/**
 * `shenbao rebuild --yes`: after Redis was lost, recreates every application, document record,
 * intake record and sent-log entry from the mailbox and the file store (STORAGE_DIR: raw mail,
 * journal, sent copies), sending nothing (src/intake/rebuild.ts). Stop the workers first.
 * Resumable: run it again after an interruption. Exit 0 done, 1 a server failed, 2 usage.
 */
import { Command } from 'commander';
import { loadSettings, redisPrefixProblem, SettingsError } from '../settings';

export interface RebuildOptions {
  yes?: boolean;
  now?: string;
  redisPrefix?: string;
}

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('重建 after a lost Redis: applications, documents and the sent log rebuilt from the mailbox and STORAGE_DIR, sending nothing')
    .option('--yes', 'really rebuild (stop every worker first)')
    .option('--now <ISO>', 'the clock for messages the journal does not know (default: SHENBAO_NOW, else the system clock)')
    .option('--redis-prefix <name>', 'namespace of every Redis key (default: shenbao)')
    .action(async (opts: RebuildOptions) => {
      if (!opts.yes) throw new SettingsError('rebuild writes the store from the mailbox and STORAGE_DIR: stop every worker, then run shenbao rebuild --yes');
      const badPrefix = redisPrefixProblem(opts.redisPrefix);
      if (badPrefix) throw new SettingsError(badPrefix);
      const settings = loadSettings(['imap'], { SHENBAO_NOW: opts.now });
      const { runRebuild } = await import('./rebuild-run.js');
      await runRebuild(settings, opts);
    });
}
