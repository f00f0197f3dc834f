/**
 * One end-to-end case on the loopback stack: its own Redis namespace, its own IMAP folder,
 * its own campaign file (a unique application-number prefix, which is also the loop header
 * of every email it sends, so the shared SMTP sink can be filtered), and `shenbao worker`
 * child processes started from the built dist/.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendMessages, imapFromEnv, mailboxFlags, Observer, spawnWorker, ROOT, type Arriving, type WorkerChild } from '../../../scripts/demo';
import { LOOP_HEADER } from '../../../src/mail/smtp';
import { readSink, type SinkMessage } from '../helpers/sink';
import { cleanPrefix, stackEnv, uniquePrefix } from '../helpers/stack';

export interface Case {
  prefix: string;
  mailbox: string;
  /** Campaign idPrefix: application numbers are `${loopId}-0001`…; the loop header of our emails. */
  loopId: string;
  dir: string;
  observer: Observer;
  workers: WorkerChild[];
  append(messages: Arriving[]): Promise<number[]>;
  startWorker(now: string, extra?: string[]): WorkerChild;
  /** Emails this case's workers sent, except the staff digest. */
  sent(): Promise<SinkMessage[]>;
  flags(): Promise<Map<number, string[]>>;
  logs(): string;
  close(): Promise<void>;
}

export function openCase(label: string): Case {
  const env = stackEnv();
  const prefix = uniquePrefix(label);
  const loopId = `T${randomBytes(4).toString('hex').toUpperCase()}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shenbao-e2e-${label}-`));
  const campaignFile = path.join(dir, 'campaign.yaml');
  const base = fs.readFileSync(path.join(ROOT, 'campaigns/2023.yaml'), 'utf8');
  if (!/^idPrefix: SB2023$/m.test(base)) throw new Error('campaigns/2023.yaml: idPrefix line not found');
  fs.writeFileSync(campaignFile, base.replace(/^idPrefix: SB2023$/m, `idPrefix: ${loopId}`));
  const mailbox = `E2E-${prefix}`;
  const imap = imapFromEnv();
  const observer = new Observer(env.redisUrl, prefix);
  const workers: WorkerChild[] = [];
  let n = 0;
  return {
    prefix,
    mailbox,
    loopId,
    dir,
    observer,
    workers,
    append: (messages) => appendMessages(imap, mailbox, messages),
    startWorker(now, extra = []) {
      const w = spawnWorker(
        ['--now', now, '--redis-prefix', prefix, '--sweep-ms', '1000', '--tick-ms', '1000', '--retry-backoff-ms', '500', '--job-lock-ms', '4000', '--lease-ms', '4000', ...extra],
        { IMAP_MAILBOX: mailbox, CAMPAIGN_FILE: campaignFile, STORAGE_DIR: path.join(dir, 'storage'), LOG_LEVEL: 'info' },
        path.join(dir, `worker-${++n}.log`),
      );
      workers.push(w);
      return w;
    },
    sent: () => readSink((m) => m.header(LOOP_HEADER) === loopId && !m.envelope.rcptTo.includes(env.staffEmail)),
    flags: () => mailboxFlags(imap, mailbox),
    logs: () =>
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.log'))
        .map((f) => `--- ${f}\n${fs.readFileSync(path.join(dir, f), 'utf8').slice(-6000)}`)
        .join('\n'),
    async close() {
      for (const w of workers) await w.stop(20_000);
      await observer.close();
      await cleanPrefix(prefix);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const at = (iso: string): Date => new Date(iso);
export const subjects = (ms: SinkMessage[]): string[] => ms.map((m) => m.mail.subject ?? '');
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
