import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check';
import { registerParse } from './commands/parse';
import { SettingsError } from './settings';
import { registerWorker } from './commands/worker';
import { registerServe } from './commands/serve';
import { registerReport } from './commands/report';
import { registerRebuild } from './commands/rebuild';

/** Exit codes (cli.md): 0 done, 1 the command failed, 2 wrong usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function buildProgram(): Command {
  const program = new Command()
    .name('shenbao')
    .description('申报邮件自动受理 — email intake for calls for applications')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerParse(program);
  registerCheck(program);
  registerWorker(program);
  registerServe(program);
  registerReport(program);
  registerRebuild(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof SettingsError) {
      process.stderr.write(`shenbao: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    throw err;
  }
}
