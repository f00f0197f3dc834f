/**
 * `shenbao check <message.eml> [--received <ISO>] [--now <ISO>]`: judges one email alone,
 * offline, and prints the verdict as JSON. Exit 0 whatever the email holds.
 */
import { promises as fs } from 'node:fs';
import { Command } from 'commander';
import { createDocumentParser, DEFAULT_TIMEOUT_MS } from '../../documents';
import { analyseEmail } from '../../intake/analyse';
import { checkAnalysedEmail } from '../../intake/check';
import { instantOption, loadSettings } from '../settings';

interface CheckOptions {
  received?: string;
  now?: string;
  compact?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('judge one email alone, offline: documents, issues, completeness and deadline, as JSON')
    .argument('<message.eml>', 'the raw email (RFC 5322 bytes, as saved by a mail client)')
    .option('--received <ISO>', 'when the email arrived at the mailbox (default: its first Received: header, else its Date:)')
    .option('--now <ISO>', 'the clock (default: SHENBAO_NOW, else the system clock)')
    .option('--compact', 'print the JSON on one line')
    .action(async (file: string, opts: CheckOptions) => {
      const received = instantOption('--received', opts.received);
      const { campaign, clock } = loadSettings([], { SHENBAO_NOW: opts.now });
      let raw: Buffer;
      try {
        raw = await fs.readFile(file);
      } catch (err) {
        process.stderr.write(`shenbao check: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
        process.exitCode = 1;
        return;
      }
      const parser = createDocumentParser({ timeoutMs: DEFAULT_TIMEOUT_MS });
      try {
        const analysed = await analyseEmail(raw, { parser }, { receivedOverride: received, limits: campaign.limits.perEmail, now: clock() });
        const result = checkAnalysedEmail(analysed, campaign, clock());
        process.stdout.write(`${JSON.stringify(result, null, opts.compact ? undefined : 2)}\n`);
      } finally {
        await parser.close();
      }
    });
}
