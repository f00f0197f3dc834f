/**
 * The demo (README command 1; scripts/demo.sh starts the stack first): feeds fixture emails
 * into Dovecot with 2023 arrival times (IMAP APPEND with an internal date), runs
 * `shenbao worker --now 2023-07-17T10:00:00+08:00` until every message is processed and the
 * outbox is empty, prints where the receipts are and one line per application, stops it.
 *
 * Also the toolbox of the end-to-end tests and the benchmark: append, compose, spawn a
 * worker, wait until processed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import { loadCampaign, packageRoot } from '../src/config/campaign';
import { loadConfig, type Config } from '../src/config/env';
import { QUEUES } from '../src/queues/names';
import { DEEP_QUEUE } from '../src/queues/deep';
import { judge } from '../src/rules';
import { ApplicationStore } from '../src/store/applications';
import { IntakeLog } from '../src/store/intake-log';
import { bullOptions } from '../src/queues/connection';
import { createRedis } from '../src/store/redis';

/** The project root, from scripts/ (ts-jest) or dist/scripts/ (built). */
export const ROOT = packageRoot(__dirname);
export const FIXTURE_EMAILS = path.join(ROOT, 'fixtures/emails');
export const FIXTURE_DOCUMENTS = path.join(ROOT, 'fixtures/documents');

export interface ImapAccess {
  host: string;
  port: number;
  user: string;
  password: string;
}

export function imapFromEnv(env: NodeJS.ProcessEnv = process.env): ImapAccess {
  const need = (n: string) => {
    const v = env[n];
    if (!v) throw new Error(`${n} is not set: eval "$(bash scripts/stack.sh env)"`);
    return v;
  };
  return { host: need('IMAP_HOST'), port: Number(need('IMAP_PORT')), user: need('IMAP_USER'), password: need('IMAP_PASSWORD') };
}

export interface Arriving {
  raw: Buffer;
  /** INTERNALDATE: when the mail server "received" it. */
  at: Date;
}

/** APPENDs each message with its internal date into `mailbox` (created if missing); returns the UIDs. */
export async function appendMessages(imap: ImapAccess, mailbox: string, messages: Arriving[]): Promise<number[]> {
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false });
  await client.connect();
  try {
    await client.mailboxCreate(mailbox).catch(() => undefined);
    const uids: number[] = [];
    for (const m of messages) {
      const res = await client.append(mailbox, m.raw, [], m.at);
      uids.push(res ? (res.uid ?? 0) : 0);
    }
    return uids;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Flags of every message in `mailbox`, by UID. */
export async function mailboxFlags(imap: ImapAccess, mailbox: string): Promise<Map<number, string[]>> {
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: imap.user, pass: imap.password }, logger: false });
  await client.connect();
  const lock = await client.getMailboxLock(mailbox);
  try {
    const all = await client.fetchAll('1:*', { uid: true, flags: true }, { uid: true });
    return new Map(all.map((m) => [m.uid, [...(m.flags ?? [])]]));
  } finally {
    lock.release();
    await client.logout().catch(() => client.close());
  }
}

export function fixtureEmail(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURE_EMAILS, name));
}

/** A fixture email with its Message-ID (and optionally sender) replaced: the same content as a new message. */
export function variant(raw: Buffer, opts: { messageId: string; from?: { old: string; now: string } }): Buffer {
  let text = raw.toString('latin1');
  text = text.replace(/^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*/im, `Message-ID: ${opts.messageId}`);
  if (opts.from) text = text.split(opts.from.old).join(opts.from.now);
  return Buffer.from(text, 'latin1');
}

/** A new email composed by nodemailer's MailComposer (an independent producer). */
export async function composeEmail(opts: {
  from: string;
  to?: string;
  subject: string;
  text: string;
  files: string[];
  messageId?: string;
  date?: Date;
  headers?: Record<string, string>;
}): Promise<Buffer> {
  const composer = new MailComposer({
    from: opts.from,
    to: opts.to ?? 'intake@assoc.test',
    subject: opts.subject,
    text: opts.text,
    messageId: opts.messageId ?? `<${randomBytes(8).toString('hex')}@demo.test>`,
    date: opts.date,
    headers: opts.headers,
    attachments: opts.files.map((f) => ({ filename: path.basename(f), content: fs.readFileSync(path.join(FIXTURE_DOCUMENTS, f)) })),
  });
  return composer.compile().build();
}

export interface WorkerChild {
  child: ChildProcess;
  logFile: string;
  /** SIGTERM, wait for exit; resolves the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `bin/shenbao worker …` (the launcher users and the image run) with the stack's environment plus `env`. */
export function spawnWorker(args: string[], env: Record<string, string>, logFile: string): WorkerChild {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(path.join(ROOT, 'bin/shenbao'), ['worker', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    logFile,
    exited,
    async stop(timeoutMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(t);
      return r.code;
    },
  };
}

/** Reads the store of one worker namespace (prefix): processed count, queue backlog, applications. */
export class Observer {
  readonly redis;
  readonly apps;
  readonly log;
  readonly outbound;
  readonly intake;
  readonly deep;
  /** `redisUrl`, or the settings of a Cluster or Sentinel deployment (test/integration/cluster.test.ts). */
  constructor(redisUrl: string | Pick<Config, 'redis'>, prefix: string) {
    const config = typeof redisUrl === 'string' ? { redis: { url: redisUrl } } : redisUrl;
    this.redis = createRedis(config, { prefix, name: 'shenbao-observer' });
    this.apps = new ApplicationStore(this.redis);
    this.log = new IntakeLog(this.redis);
    this.outbound = new Queue(QUEUES.outbound, bullOptions(config, 'producer', { prefix }));
    this.intake = new Queue(QUEUES.intake, bullOptions(config, 'producer', { prefix }));
    this.deep = new Queue(DEEP_QUEUE, bullOptions(config, 'producer', { prefix }));
  }

  async processed(): Promise<number> {
    return (await this.log.doneCount()) + (await this.log.failed()).length;
  }

  async pendingOutbound(): Promise<number> {
    const c = await this.outbound.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  /** Scans still to be looked at after their receipts (src/intake/deep.ts). */
  async pendingDeep(): Promise<number> {
    const c = await this.deep.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  /** Waits until `n` messages are processed and the outbox stayed empty for `quietMs`. */
  async settle(n: number, timeoutMs: number, quietMs = 1500): Promise<void> {
    const until = Date.now() + timeoutMs;
    let quietSince: number | null = null;
    for (;;) {
      const done = (await this.processed()) >= n;
      const empty = (await this.pendingOutbound()) === 0 && (await this.pendingDeep()) === 0;
      if (done && empty) {
        quietSince ??= Date.now();
        if (Date.now() - quietSince >= quietMs) return;
      } else quietSince = null;
      if (Date.now() > until) throw new Error(`not settled within ${timeoutMs} ms: processed ${await this.processed()}/${n}, outbound pending ${await this.pendingOutbound()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async close(): Promise<void> {
    await this.outbound.close();
    await this.intake.close();
    await this.deep.close();
    this.redis.disconnect();
  }
}

/** Sink files written at or after `sinceMs` (the sink names them <n>-<epoch ms>.eml). */
export function sinkFilesSince(dir: string, sinceMs: number): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => /^\d+-\d+\.eml$/.test(n) && Number(n.split('-')[1]?.replace('.eml', '')) >= sinceMs)
    .sort()
    .map((n) => path.join(dir, n));
}

function headerOf(raw: string, name: string): string {
  const m = new RegExp(`^${name}:([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)`, 'im').exec(raw);
  const v = (m?.[1] ?? '').replace(/\r?\n[ \t]/g, ' ').trim();
  // Decode RFC 2047 UTF-8 words (what our own emails use) for a readable listing.
  return v.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_s, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
  );
}

async function main(): Promise<void> {
  const imap = imapFromEnv();
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const sinkDir = process.env.SMTP_SINK_DIR ?? '';
  const stackDir = process.env.STACK_DIR ?? path.join(ROOT, '.stack');
  const now = process.env.DEMO_NOW ?? '2023-07-17T10:00:00+08:00';
  const run = `demo-${Date.now().toString(36)}`;
  const mailbox = `Demo-${run}`;
  const at = (iso: string) => new Date(iso);
  loadConfig(process.env, { require: ['imap', 'smtp', 'mailFrom'] }); // same one-line check as the worker

  const guanggu = await composeEmail({
    from: '"李娜" <lina@guanggu-tech.cn>',
    subject: '申报优秀软件产品-武汉光谷数智科技有限公司',
    text: '您好，附件为我司申报材料：登记表、软件著作权登记证书和一份用户使用报告，其余材料稍后补交。',
    files: ['forms/f25-guanggu-company.docx', 'other/copyright-certificate-guanggu.docx', 'other/core-user-report-1.docx'],
  });
  const feed: { label: string; raw: Buffer; at: Date }[] = [
    { label: '云帆 1/3: form + stamped scan', raw: fixtureEmail('02-split-1of3.eml'), at: at('2023-07-12T10:05:00+08:00') },
    { label: '云帆 2/3: certificate + report 1', raw: fixtureEmail('03-split-2of3.eml'), at: at('2023-07-13T11:20:00+08:00') },
    { label: '云帆 3/3: reports 2 and 3', raw: fixtureEmail('04-split-3of3.eml'), at: at('2023-07-14T09:45:00+08:00') },
    { label: '光谷: form, certificate, 1 report (nodemailer)', raw: guanggu, at: at('2023-07-14T15:30:00+08:00') },
    { label: 'QQ large-attachment link instead of files', raw: fixtureEmail('15-qq-large-attachment-link.eml'), at: at('2023-07-15T16:00:00+08:00') },
    { label: 'out-of-office reply (answered by nothing)', raw: fixtureEmail('18-out-of-office.eml'), at: at('2023-07-16T09:00:10+08:00') },
    { label: 'mailing list (answered by nothing)', raw: fixtureEmail('20-list-mail.eml'), at: at('2023-07-16T08:00:00+08:00') },
  ];

  const started = Date.now();
  process.stdout.write(`\n== shenbao demo: ${feed.length} emails into IMAP folder "${mailbox}", worker clock ${now}\n`);
  await appendMessages(imap, mailbox, feed.map(({ raw, at: when }) => ({ raw, at: when })));
  for (const f of feed) process.stdout.write(`   appended  ${f.at.toISOString().slice(0, 16)}Z  ${f.label}\n`);

  const logFile = path.join(stackDir, `${run}-worker.log`);
  const worker = spawnWorker(['--now', now, '--redis-prefix', run, '--sweep-ms', '2000', '--tick-ms', '3000'], { IMAP_MAILBOX: mailbox, STORAGE_DIR: path.join(stackDir, 'storage') }, logFile);
  const obs = new Observer(redisUrl, run);
  try {
    await obs.settle(feed.length, 100_000);
    // One more scheduler tick after the last application was saved: reminders that fell due.
    await new Promise((r) => setTimeout(r, 3500));
    await obs.settle(feed.length, 20_000);
  } catch (err) {
    process.stdout.write(`!! ${(err as Error).message}; worker log: ${logFile}\n`);
    await worker.stop();
    await obs.close();
    process.exitCode = 1;
    return;
  }
  const code = await worker.stop();

  const sent = sinkFilesSince(sinkDir, started);
  process.stdout.write(`\n== ${sent.length} emails sent, kept by the SMTP sink in ${sinkDir}\n`);
  for (const f of sent) {
    const raw = fs.readFileSync(f, 'latin1');
    const envelope = JSON.parse(fs.readFileSync(f.replace(/\.eml$/, '.json'), 'utf8')) as { rcptTo: string[] };
    process.stdout.write(`   ${path.basename(f)}  to ${envelope.rcptTo.join(',')}  ${headerOf(raw, 'Subject')}\n`);
  }
  const campaign = loadCampaign(process.env.CAMPAIGN_FILE || undefined);
  const apps = await obs.apps.all();
  const automatic = await obs.log.automatic();
  process.stdout.write(`\n== ${apps.length} applications (clock ${now})\n`);
  for (const app of apps) {
    const v = judge(app, campaign);
    const codes = [...new Set(v.issues.map((i) => i.code))].join(', ') || '—';
    process.stdout.write(`   ${app.id}  ${(app.companyName ?? `(no form yet) ${app.addresses[0] ?? ''}`).padEnd(22)}  ${v.complete ? 'complete  ' : 'incomplete'}  ${v.deadline.status}  emails ${app.emails.length}  open: ${codes}\n`);
  }
  process.stdout.write(`   ${automatic.length} automatic messages recorded, not answered: ${automatic.map((a) => a.reason).join('; ')}\n`);
  // The staff's view of the same store: the report as a workbook and as CSV (the same command staff run).
  process.stdout.write(`\n== staff report (shenbao report --redis-prefix ${run})\n`);
  for (const file of ['report.xlsx', 'report.csv']) {
    const out = path.join(stackDir, `${run}-${file}`);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/shenbao.js'), 'report', '--redis-prefix', run, '--now', now, '--out', out], { encoding: 'utf8' });
    process.stdout.write(r.status === 0 ? `   ${out}\n` : `   !! report ${file} failed (${r.status}): ${r.stderr.trim()}\n`);
    if (r.status !== 0) process.exitCode = 1;
  }
  const keep = process.env.DEMO_KEEP_STACK === '1';
  process.stdout.write(keep
    ? `   the dashboard on this data: eval "$(STACK_DIR=${stackDir} bash scripts/stack.sh env)" && STORAGE_DIR=${path.join(stackDir, 'storage')} npx shenbao serve --redis-prefix ${run} --now ${now}   (then open http://127.0.0.1:8080/; STACK_DIR=${stackDir} bash scripts/stack.sh stop ends the stack)\n`
    : '   DEMO_KEEP_STACK=1 npm run demo keeps the stack, and prints how to open the dashboard on it\n');
  process.stdout.write(`\n== worker exited with ${code} after SIGTERM; log ${logFile}; took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  await obs.close();
  if (code !== 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
