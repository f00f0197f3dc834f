/** The body of `shenbao rebuild` (loads the readers and imapflow only when it runs). */
import { SingleBar } from 'cli-progress';
import { createDocumentParser } from '../../documents';
import { rebuild } from '../../intake/rebuild';
import { handledKeywords, ImapSession } from '../../mail/imap';
import { IntakeMailbox } from '../../mail/intake-mailbox';
import { createLogger } from '../../metrics/logger';
import { ApplicationStore } from '../../store/applications';
import { IntakeLog } from '../../store/intake-log';
import { Journal } from '../../store/journal';
import { RawMailStore } from '../../store/raw-mail';
import { createRedis } from '../../store/redis';
import { SentCopies } from '../../store/sent-copies';
import { SentLog } from '../../store/sent-log';
import type { Settings } from '../settings';
import type { RebuildOptions } from './rebuild';

export async function runRebuild({ config, campaign, clock }: Settings<'imap'>, opts: RebuildOptions): Promise<void> {
  const logger = createLogger(config.logLevel);
  const redis = createRedis(config, { prefix: opts.redisPrefix, name: 'shenbao-rebuild' });
  const raw = new RawMailStore(config.storageDir);
  const imap = new ImapSession(config.imap, logger);
  const parser = createDocumentParser({ concurrency: 2 });
  // A bar on a terminal only: a log or a pipe gets the one summary line.
  const bar = process.stderr.isTTY ? new SingleBar({ format: '重建 rebuild [{bar}] {value}/{total} {stage}', hideCursor: true, clearOnComplete: true, stream: process.stderr }) : null;
  let stage = '';
  try {
    const summary = await rebuild({
      redis,
      apps: new ApplicationStore(redis),
      log: new IntakeLog(redis),
      sentLog: new SentLog(redis, { now: () => clock().getTime() }),
      raw,
      journal: new Journal(config.storageDir),
      copies: new SentCopies(config.storageDir),
      parser,
      campaign,
      mailbox: new IntakeMailbox(imap, campaign.processed, raw),
      mailboxName: config.imap.mailbox,
      doneKeyword: handledKeywords(campaign.processed)[0] ?? '$Shenbao-Done',
      clock,
      progress: (done, total, s) => {
        if (!bar) return;
        if (s !== stage) {
          if (stage !== '') bar.stop();
          stage = s;
          bar.start(total, done, { stage: s });
        } else bar.update(done, { stage: s });
      },
    });
    bar?.stop();
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } catch (err) {
    bar?.stop();
    process.stderr.write(`shenbao rebuild: ${err instanceof Error ? err.message : String(err)} (run it again to resume)\n`);
    process.exitCode = 1;
  } finally {
    await parser.close();
    await imap.close();
    redis.disconnect();
  }
}
