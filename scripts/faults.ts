/**
 * Fault injection on the real stack (issue 9 §1): `npm run test:faults` (the full run, ≥ 300
 * emails) and test/integration/faults.test.ts (the CI-sized one) both call runFaults().
 *
 * A mixed stream of emails (the fixture emails with unique senders and Message-IDs, composed
 * ones with fixture documents, one whose sender the SMTP server refuses with 550) goes through a
 * clean run first (one worker, no faults: the reference), then through the fault run, appended
 * in batches while the faults happen: SIGKILLs of the worker at random moments (restarted at
 * once), a second worker on the same Redis and one of the two killed, Redis killed and started
 * again (AOF), Dovecot restarted, the SMTP server down then answering 421 then back, the file
 * store full (a tmpfs filled up) then freed. Then: every email in exactly one application,
 * each application equal to the clean run's, every email sent once (Message-IDs counted at the
 * SMTP sink), the 550 failed once and listed, and the recovery after each fault cleared.
 *
 * It restarts the servers of the stack it runs on: use a stack of your own
 * (STACK_DIR=/tmp/stack-faults bash scripts/stack.sh start). The disk fault mounts a tmpfs (root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { appendMessages, imapFromEnv, Observer, ROOT, spawnWorker, type WorkerChild } from './demo';
import { buildStream, campaignFile, sinkMessageIds } from './mail-stream';
import { outboundJobId } from '../src/queues/outbound';
import type { MessageRef } from '../src/store/intake-log';
import { SentLog } from '../src/store/sent-log';
import { dropPrefix } from '../src/store/redis';
import type { Application } from '../src/domain/application';
import { loadCampaign } from '../src/config/campaign';
import { judge } from '../src/rules';
import { prng } from '../test/integration/helpers/prng';

export interface FaultsOptions {
  emails: number;
  kills: number;
  smtpDownMs: number;
  smtp421Ms: number;
  diskFullMs: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface FaultsResult {
  faults: { name: string; recoveryMs: number }[];
  emails: number;
  lost: string[];
  duplicates: string[];
  notInOneApplication: string[];
  /** Applications unlike a clean fold of the same emails in the same order (the check). */
  differentFromClean: string[];
  /** Applications unlike the clean run's, which folded in its own order (shown, not a failure: see below). */
  differentFromCleanOrder: string[];
  unsent: string[];
  /** The email the SMTP server refused with 550: failed for good (its job done with, not waiting), listed for staff. `attempts` counts claims, also those that found the server away. */
  refused550: { state: string; attempts: number; lastError: string | null; listed: boolean; jobState: string } | null;
  unexpectedExits: number;
  maxRecoveryMs: number;
  tookMs: number;
}

const NOW = '2023-07-16T14:00:00+08:00';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What an application is, whatever its number: emails, company, documents, verdict. */
function canonical(apps: Application[], campaignPath: string): Map<string, string> {
  const campaign = loadCampaign(campaignPath);
  const out = new Map<string, string>();
  for (const app of apps.filter((a) => !a.mergedInto)) {
    const v = judge(app, campaign);
    const key = app.emails.map((e) => e.messageId ?? '').sort().join(' ');
    out.set(key, JSON.stringify({
      company: app.companyName,
      documents: app.documents.map((d) => `${d.sha256}:${d.kind}`).sort(),
      complete: v.complete,
      deadline: v.deadline.status,
      issues: v.issues.map((i) => i.code).sort(),
      duplicate: Boolean(app.possibleDuplicateOf),
    }));
  }
  return out;
}

function stack(...args: string[]): void {
  execFileSync('bash', [path.join(ROOT, 'scripts/stack.sh'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Run {
  prefix: string;
  mailbox: string;
  loopId: string;
  campaign: string;
  storage: string;
  observer: Observer;
  workers: WorkerChild[];
  unexpected: number;
  start(): WorkerChild;
}

function openRun(kind: string, dir: string, tag: string, storage: string): Run {
  const loopId = `${kind}${tag.toUpperCase()}`;
  const prefix = `t-faults-${kind.toLowerCase()}-${tag}`;
  const run: Run = {
    prefix, loopId, storage,
    mailbox: `Faults-${kind}-${tag}`,
    campaign: campaignFile(dir, loopId),
    observer: new Observer(process.env.REDIS_URL ?? '', prefix),
    workers: [],
    unexpected: 0,
    start() {
      const w = spawnWorker(['--now', NOW, '--redis-prefix', prefix, '--sweep-ms', '1000', '--tick-ms', '2000', '--retry-backoff-ms', '1000'],
        { IMAP_MAILBOX: run.mailbox, CAMPAIGN_FILE: run.campaign, STORAGE_DIR: storage, LOG_LEVEL: 'info' },
        path.join(dir, `${kind}-worker-${run.workers.length + 1}.log`));
      (w as WorkerChild & { expected?: boolean }).expected = false;
      void w.exited.then(() => { if (!(w as WorkerChild & { expected?: boolean }).expected) run.unexpected++; });
      run.workers.push(w);
      return w;
    },
  };
  return run;
}

const alive = (run: Run) => run.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);

async function kill(w: WorkerChild): Promise<void> {
  (w as WorkerChild & { expected?: boolean }).expected = true;
  w.child.kill('SIGKILL');
  await w.exited;
}

/** Retries a probe of Redis while it is down. */
async function soft<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch {
    return fallback;
  }
}

export async function runFaults(o: FaultsOptions): Promise<FaultsResult> {
  const out = o.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const log = (l: string) => out(`${new Date().toISOString().slice(11, 23)} ${l}`);
  const rnd = prng(o.seed ?? 20230716);
  const tag = randomBytes(3).toString('hex');
  const stackDir = process.env.STACK_DIR ?? '';
  if (!stackDir || !process.env.SMTP_SINK_DIR) throw new Error('run on a stack of your own: STACK_DIR=… bash scripts/stack.sh start && eval "$(bash scripts/stack.sh env)"');
  const dir = fs.mkdtempSync(path.join(stackDir, `faults-${tag}-`));
  fs.chmodSync(dir, 0o755);
  const imap = imapFromEnv();
  const started = Date.now();
  const stream = await buildStream(o.emails, tag, rnd);
  log(`faults: ${stream.length} emails, seed ${o.seed ?? 20230716}, in ${dir}`);

  // ---- the clean run: the reference.
  const clean = openRun('C', dir, tag, path.join(dir, 'clean-store'));
  await appendMessages(imap, clean.mailbox, stream);
  clean.start();
  await clean.observer.settle(stream.length, 30 * 60_000, 3000);
  for (const w of clean.workers) await w.stop(30_000);
  const reference = canonical(await clean.observer.apps.all(), clean.campaign);
  log(`faults: clean run done (${reference.size} applications) after ${((Date.now() - started) / 1000).toFixed(0)} s`);

  // ---- the fault run: its file store on a tmpfs that can be filled.
  const store = path.join(dir, 'store');
  fs.mkdirSync(store);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512m', 'tmpfs', store]);
  const run = openRun('F', dir, tag, store);
  const faults: { name: string; recoveryMs: number }[] = [];
  const control = path.join(stackDir, 'smtp-control.json');
  const sinkCount = () => fs.readdirSync(process.env.SMTP_SINK_DIR ?? '').filter((n) => n.endsWith('.eml')).length;
  try {
    // The stream arrives over the run: a first part, then a part before each fault, so every
    // fault meets work in flight (downloads, parses, folds, sends), never an idle service.
    let appended = 0;
    const appendUpTo = async (n: number) => {
      const slice = stream.slice(appended, Math.min(stream.length, n));
      if (slice.length === 0) return;
      await appendMessages(imap, run.mailbox, slice);
      appended += slice.length;
    };
    const appendNext = () => appendUpTo(stream.length);
    await appendUpTo(Math.ceil(stream.length * 0.1));
    run.start();

    const plan = [...Array.from({ length: o.kills }, () => 'kill'), 'two-workers', 'redis', 'dovecot', 'smtp', 'disk'];
    for (let i = plan.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [plan[i], plan[j]] = [plan[j] ?? '', plan[i] ?? ''];
    }
    const processed = () => soft(() => run.observer.processed(), -1);
    /** Time from `clearedAt` until the held jobs are done and work moved on (or nothing was left to do). */
    const recovery = async (clearedAt: number, held: MessageRef[]): Promise<number> => {
      const p0 = await processed();
      const s0 = sinkCount();
      for (;;) {
        const p = await processed();
        const heldDone = (await Promise.all(held.map((r) => soft(async () => (await run.observer.log.done(r)) !== null, false)))).every(Boolean);
        const pending = await soft(() => run.observer.pendingOutbound(), 1);
        const idle = p >= appended && pending === 0;
        if (heldDone && (p > p0 || sinkCount() > s0 || idle)) return Date.now() - clearedAt;
        if (Date.now() - clearedAt > 180_000) return Date.now() - clearedAt;
        if (alive(run).length === 0) run.start();
        await sleep(100);
      }
    };
    const heldNow = async (): Promise<MessageRef[]> =>
      (await soft(() => run.observer.intake.getActive(), [])).map((j) => { const d = j.data as MessageRef; return { mailbox: d.mailbox, uidValidity: d.uidValidity, uid: d.uid }; });

    for (const [n, fault] of plan.entries()) {
      // The next part of the stream, then the fault at a random moment while it is worked on.
      const part = appended + Math.ceil((stream.length - appended) / (plan.length - n + 1));
      // The disk fault's part arrives while the disk is full: it must wait in the mailbox.
      if (fault !== 'disk') await appendUpTo(part);
      await sleep(300 + Math.floor(rnd() * 2000));
      let ms = 0;
      // A kill is worth it only with work in hand (a download, a parse, a fold or a send).
      if (fault === 'kill') {
        const busyBy = Date.now() + 15_000;
        while (Date.now() < busyBy && (await soft(() => run.observer.intake.getActiveCount(), 0)) + (await soft(() => run.observer.outbound.getActiveCount(), 0)) === 0) await sleep(20);
      }
      if (fault === 'kill') {
        const held = await heldNow();
        const victim = alive(run)[0];
        if (victim) await kill(victim);
        run.start();
        ms = await recovery(Date.now(), held);
      } else if (fault === 'two-workers') {
        run.start();
        const p = await processed();
        const wait = Date.now() + 60_000;
        while ((await processed()) < p + 3 && Date.now() < wait) await sleep(100);
        const held = await heldNow();
        const both = alive(run);
        const victim = both[Math.floor(rnd() * both.length)];
        if (victim) await kill(victim);
        ms = await recovery(Date.now(), held);
      } else if (fault === 'redis') {
        stack('down', 'redis');
        await sleep(3000);
        stack('up', 'redis');
        ms = await recovery(Date.now(), []);
      } else if (fault === 'dovecot') {
        stack('down', 'dovecot');
        await sleep(3000);
        stack('up', 'dovecot');
        ms = await recovery(Date.now(), []);
      } else if (fault === 'smtp') {
        stack('down', 'smtp');
        await sleep(o.smtpDownMs);
        fs.writeFileSync(control, JSON.stringify({ rules: [{ match: '.', code: 421, message: '4.3.2 Service not available (faults)' }] }));
        stack('up', 'smtp');
        await sleep(o.smtp421Ms);
        fs.rmSync(control, { force: true });
        ms = await recovery(Date.now(), []);
      } else if (fault === 'disk') {
        const filler = path.join(store, 'filler');
        const fd = fs.openSync(filler, 'w');
        const chunk = Buffer.alloc(1 << 20);
        try {
          for (;;) fs.writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        } finally {
          fs.closeSync(fd);
        }
        await appendUpTo(part);
        await sleep(o.diskFullMs);
        const during = await processed();
        fs.rmSync(filler);
        log(`faults: disk full for ${o.diskFullMs / 1000} s with ${appended - during} message(s) waiting`);
        ms = await recovery(Date.now(), []);
      }
      faults.push({ name: fault, recoveryMs: ms });
      log(`faults: ${n + 1}/${plan.length} ${fault}: recovered after ${(ms / 1000).toFixed(1)} s (processed ${await processed()}/${appended})`);
    }
    await appendNext();
    if (alive(run).length === 0) run.start();
    await run.observer.settle(stream.length, 30 * 60_000, 5000);

    // ---- the checks.
    const refs = new Map<string, MessageRef>();
    const done = await run.observer.redis.hgetall('intake:done');
    for (const v of Object.values(done)) {
      const rec = JSON.parse(v) as { ref: MessageRef; messageId: string | null };
      if (rec.messageId) refs.set(rec.messageId, rec.ref);
    }
    const lost = stream.filter((m) => !refs.has(m.messageId)).map((m) => m.messageId);
    const apps = await run.observer.apps.all();
    const live = apps.filter((a) => !a.mergedInto);
    const folded = Object.values(done).map((v) => JSON.parse(v) as { messageId: string; outcome: string }).filter((r) => r.outcome === 'folded');
    const notInOne = folded.filter((r) => live.filter((a) => a.emails.some((e) => e.messageId === r.messageId)).length !== 1).map((r) => r.messageId);
    const mine = canonical(apps, run.campaign);
    const differs = (a: Map<string, string>, b: Map<string, string>) => [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
    // Which application a stranger's email (another company's form, another domain) joins
    // depends on which of the company's emails was folded first, and a fault changes the order
    // in which emails finish (a killed worker's jobs are folded after the ones that followed):
    // the strict reference is therefore a clean fold of the same emails in the same order — the
    // fault run's journal replayed by `shenbao rebuild` into a fresh namespace, sending nothing.
    // The comparison with the clean run (its own order) is printed beside it.
    const replayPrefix = `${run.prefix}-replay`;
    const replayed = spawnSync(process.execPath, [path.join(ROOT, 'bin/shenbao.js'), 'rebuild', '--yes', '--redis-prefix', replayPrefix, '--now', NOW], {
      env: { ...process.env, IMAP_MAILBOX: run.mailbox, CAMPAIGN_FILE: run.campaign, STORAGE_DIR: store, LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 20 * 60_000,
    });
    if (replayed.status !== 0) throw new Error(`the replay of the fault run failed: ${replayed.stderr}`);
    const replayObserver = new Observer(process.env.REDIS_URL ?? '', replayPrefix);
    const sameOrder = canonical(await replayObserver.apps.all(), run.campaign);
    await replayObserver.close();
    await dropPrefix({ redis: { url: process.env.REDIS_URL ?? '' } }, replayPrefix);
    const differentFromClean = differs(sameOrder, mine);
    const differentFromCleanOrder = differs(reference, mine);
    const ids = sinkMessageIds(process.env.SMTP_SINK_DIR ?? '', run.loopId);
    const duplicates = [...ids].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    const sentLog = new SentLog(run.observer.redis);
    const records = await sentLog.all();
    const unsent = records.filter((r) => r.state !== 'sent' && !r.to.startsWith('reject-')).map((r) => `${r.key} ${r.state} ${r.lastError ?? ''}`);
    const refused = records.find((r) => r.to.startsWith(`reject-${tag}`));
    const listed = (await sentLog.list({ state: 'failed' })).some((r) => r.key === refused?.key);
    const jobState = refused ? String(await run.observer.outbound.getJobState(outboundJobId(refused.key))) : 'none';
    const maxRecoveryMs = Math.max(0, ...faults.map((f) => f.recoveryMs));
    const result: FaultsResult = {
      faults, emails: stream.length, lost, duplicates, notInOneApplication: notInOne, differentFromClean, differentFromCleanOrder, unsent,
      refused550: refused ? { state: refused.state, attempts: refused.attempts, lastError: refused.lastError, listed, jobState } : null,
      unexpectedExits: run.unexpected, maxRecoveryMs, tookMs: Date.now() - started,
    };
    log(`faults: injected ${faults.length} (${plan.join(', ')}), emails ${stream.length}, lost ${lost.length}, duplicates ${duplicates.length}, `
      + `not in exactly one application ${notInOne.length}, different from a clean fold in the same order ${differentFromClean.length} `
      + `(from the clean run in its own order ${differentFromCleanOrder.length}), unsent ${unsent.length}, `
      + `550 ${refused ? `${refused.state} (${refused.attempts} claim(s), job ${jobState})${listed ? ', listed for staff' : ''}` : 'not seen'}, `
      + `max recovery ${(maxRecoveryMs / 1000).toFixed(1)} s, unexpected worker exits ${run.unexpected}, took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return result;
  } finally {
    fs.rmSync(control, { force: true });
    stack('up', 'smtp');
    stack('up', 'redis');
    stack('up', 'dovecot');
    for (const r of [clean, run]) {
      for (const w of r.workers) await w.stop(20_000);
      await r.observer.close();
      await dropPrefix({ redis: { url: process.env.REDIS_URL ?? '' } }, r.prefix).catch(() => 0);
    }
    try {
      execFileSync('umount', [store]);
    } catch {
      // not mounted (the clean run failed first)
    }
    if (!process.env.FAULTS_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const n = Number(process.env.FAULTS_EMAILS ?? 300);
  runFaults({ emails: n, kills: Number(process.env.FAULTS_KILLS ?? 20), smtpDownMs: 60_000, smtp421Ms: 15_000, diskFullMs: 20_000 })
    .then((r) => {
      const ok = r.lost.length === 0 && r.duplicates.length === 0 && r.notInOneApplication.length === 0 && r.differentFromClean.length === 0
        && r.unsent.length === 0 && r.refused550?.state === 'failed' && /550/.test(r.refused550.lastError ?? '') && r.refused550.jobState === 'failed' && r.refused550.listed && r.maxRecoveryMs <= 30_000;
      if (!ok) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exitCode = ok ? 0 : 1;
    })
    .catch((err: unknown) => {
      process.stderr.write(`faults failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
