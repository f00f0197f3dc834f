/**
 * `npm run bench:e2e [-- --n 500 --singles 10]`: the whole service on the loopback stack
 * (eval "$(bash scripts/stack.sh env)" first). Prints
 *   - receipt latency APPEND → SMTP sink for single emails at an idle worker (p50/p95/max), each
 *     the email of issue 10 §3 (01-complete-one-email: a form, a stamped scan, a certificate and
 *     three reports), after one warm-up email that is not counted (a running worker's document
 *     processes are up; the first email of a fresh worker also waits for them to start), and
 *     how long after APPEND the deep phase (the seal, src/intake/deep.ts) had reached the store,
 *   - backlog: N mixed fixture emails appended at once: throughput (emails/s, until the last
 *     receipt and the deep phase of every email are done) and latency,
 *   - peak RSS of the worker: the process and its document-reading children, sampled every 250 ms,
 *   - parse-only throughput of the same emails in this process (analyseEmail, same
 *     parser concurrency as the worker's intake), run after the backlog so they do not compete.
 * Goals (issue 4, issue 10 §3): single p50 ≤ 1 s and p95 ≤ 2 s; backlog ≥ 80 % of parse-only;
 * RSS ≤ 400 MB. The machine may be shared: the load average is printed, compare within one run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocumentParser } from '../src/documents';
import { analyseEmail } from '../src/intake/analyse';
import { appendMessages, fixtureEmail, imapFromEnv, Observer, spawnWorker, variant } from './demo';
import { treeCpuSeconds, treePids, treeRssMb } from './proc-tree';

/** Issue 10 §3's single email: a form, a stamped scan, a certificate and three reports. */
const SINGLE = '01-complete-one-email.eml';

/** Fixtures that each deserve a receipt: forms (docx/doc/pdf), stamped scans (OCR), zip, GBK names, links. */
const MIX = [
  '01-complete-one-email.eml',
  '02-split-1of3.eml',
  '03-split-2of3.eml',
  '04-split-3of3.eml',
  '05-foxmail-gb2312.eml',
  '06-qqmail-gb18030.eml',
  '08-netease-gbk-rfc2231.eml',
  '10-wps-utf8-q-names.eml',
  '13-zip-gbk-names.eml',
  '16-baidu-pan-link.eml',
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} expects a number`);
  return v;
}

function withSender(raw: Buffer, messageId: string, from: string): Buffer {
  const text = variant(raw, { messageId }).toString('latin1');
  return Buffer.from(text.replace(/^(From:[^\r\n]*?)<[^>]+>/im, `$1<${from}>`), 'latin1');
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Receipt arrival times in the sink, by the Message-ID they answer (In-Reply-To). */
function receiptsSince(dir: string, sinceMs: number, into: Map<string, number>): void {
  for (const n of fs.readdirSync(dir)) {
    const m = /^\d+-(\d+)\.eml$/.exec(n);
    if (!m || Number(m[1]) < sinceMs) continue;
    const head = fs.readFileSync(path.join(dir, n), 'latin1').split(/\r?\n\r?\n/, 1)[0] ?? '';
    const irt = /^In-Reply-To:\s*(<[^>]+>)/im.exec(head)?.[1];
    if (irt && !into.has(irt)) into.set(irt, Number(m[1]));
  }
}

const STAGES = ['found', 'intake'] as const;
type Stage = (typeof STAGES)[number];

/** When the watcher made this email's intake job (after APPEND at t0), and how long the job ran. */
async function intakeStages(obs: Observer, messageId: string, t0: number): Promise<Record<Stage, number> | null> {
  const jobs = await obs.intake.getJobs(['completed', 'active'], 0, 50, false);
  const job = jobs.find((j) => j.data.messageId === messageId);
  if (!job?.processedOn || !job.finishedOn) return null;
  return { found: job.timestamp - t0, intake: job.finishedOn - job.processedOn };
}

/** One process of the tree: its program (the worker, a document process, tesseract …) and RSS in MB. */
function processRss(p: number): string {
  try {
    const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const name = cmd.find((a) => /worker\.js$|shenbao\.js$/.test(a)) ?? cmd[0] ?? '?';
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    return `${path.basename(name)} ${(kb / 1024).toFixed(0)}`;
  } catch {
    return 'ended';
  }
}

/** Samples the tree's RSS every 250 ms; the peak is what a host must provide (and who held it then). */
function rssSampler(pid: number): { stop(): number; atPeak(): string[] } {
  let peak = 0;
  let atPeak: string[] = [];
  const t = setInterval(() => {
    const now = treeRssMb(pid);
    if (now <= peak) return;
    peak = now;
    atPeak = treePids(pid).map(processRss);
  }, 250);
  return {
    stop() {
      clearInterval(t);
      return peak;
    },
    atPeak: () => atPeak,
  };
}

async function main(): Promise<void> {
  const loadStart = os.loadavg().map((x) => +x.toFixed(2));
  const n = arg('n', 500);
  const singles = arg('singles', 10);
  const imap = imapFromEnv();
  const sinkDir = process.env.SMTP_SINK_DIR ?? '';
  const redisUrl = process.env.REDIS_URL ?? '';
  const stackDir = process.env.STACK_DIR ?? '/tmp';
  const run = `bench-${Date.now().toString(36)}`;
  const mailbox = `Bench-${run}`;
  const arrival = new Date('2023-07-16T10:00:00+08:00');
  const email = (i: number, name: string) => withSender(fixtureEmail(name), `<${run}-${i}@bench.test>`, `s${i}-${run}@bench.test`);

  await appendMessages(imap, mailbox, []); // create the folder: the worker checks it at start
  const logFile = path.join(stackDir, `${run}-worker.log`);
  const worker = spawnWorker(['--now', '2023-07-17T10:00:00+08:00', '--redis-prefix', run, '--sweep-ms', '5000', '--tick-ms', '60000'], { IMAP_MAILBOX: mailbox, STORAGE_DIR: path.join(stackDir, `${run}-storage`), LOG_LEVEL: 'warn' }, logFile);
  const pid = worker.child.pid ?? 0;
  const sampler = rssSampler(pid);
  const obs = new Observer(redisUrl, run);
  await new Promise((r) => setTimeout(r, 4000)); // worker up, IDLE on the folder

  // 1. Single emails at an idle worker (the first, a warm-up, not counted).
  const seen = new Map<string, number>();
  const stageMs: Record<Stage, number[]> = { found: [], intake: [] };
  const singleLatency: number[] = [];
  const deepLatency: number[] = [];
  for (let i = 0; i <= singles; i++) {
    // An idle worker: its watcher has been in IDLE a while (it re-enters IDLE 1 s after its last
    // command). An email landing before that is found when IDLE starts, sooner than IDLE's push.
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = Date.now();
    await appendMessages(imap, mailbox, [{ raw: email(i, SINGLE), at: arrival }]);
    const id = `<${run}-${i}@bench.test>`;
    while (!seen.has(id) && Date.now() - t0 < 120_000) {
      await new Promise((r) => setTimeout(r, 20));
      receiptsSince(sinkDir, t0, seen);
    }
    const receipt = (seen.get(id) ?? NaN) - t0;
    // The deep phase of this email is done: its job completed (the email has a scan).
    while ((await obs.deep.getCompletedCount()) < i + 1 && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 20));
    const deep = Date.now() - t0;
    const stages = await intakeStages(obs, id, t0);
    if (i > 0) {
      singleLatency.push(receipt);
      deepLatency.push(deep);
      if (stages) for (const k of STAGES) stageMs[k].push(stages[k]);
    }
    const where = stages ? ` (watcher found it at ${fmt(stages.found)}, intake ran ${fmt(stages.intake)})` : '';
    process.stderr.write(`single ${i}${i === 0 ? ' (warm-up)' : ''}: receipt ${fmt(receipt)}${where}, deep phase done ${fmt(deep)}\n`);
    await obs.settle(i + 1, 60_000, 300).catch(() => undefined);
  }
  const counted = singles + 1;

  // 2. Backlog: N emails at once.
  const batch = Array.from({ length: n }, (_, k) => ({ i: counted + k, name: MIX[k % MIX.length] ?? '' }));
  const raws = batch.map(({ i, name }) => email(i, name));
  const appendedAt = new Map<string, number>();
  const cpu0 = treeCpuSeconds(pid);
  const t0 = Date.now();
  const CHUNK = 25;
  for (let k = 0; k < raws.length; k += CHUNK) {
    const part = raws.slice(k, k + CHUNK);
    await appendMessages(imap, mailbox, part.map((raw) => ({ raw, at: arrival })));
    const now = Date.now();
    for (const { i } of batch.slice(k, k + CHUNK)) appendedAt.set(`<${run}-${i}@bench.test>`, now);
  }
  const appendedMs = Date.now() - t0;
  while ((await obs.processed()) < counted + n) {
    if (Date.now() - t0 > 60 * 60_000) throw new Error('backlog not processed within an hour');
    await new Promise((r) => setTimeout(r, 200));
  }
  const tFolded = Date.now();
  // The work is done when the deep phase of the last email is (parse-only includes the seal).
  while ((await obs.pendingDeep()) > 0) {
    if (Date.now() - t0 > 60 * 60_000) throw new Error('deep phase not done within an hour');
    await new Promise((r) => setTimeout(r, 200));
  }
  const tDone = Date.now();
  const workerCpu = treeCpuSeconds(pid) - cpu0;
  const backlogS = (tDone - t0) / 1000;
  await obs.settle(counted + n, 120_000, 1000).catch(() => undefined);
  receiptsSince(sinkDir, t0, seen);
  const backlogLatency = [...appendedAt].map(([id, at]) => (seen.get(id) ?? NaN) - at).filter((x) => Number.isFinite(x));
  const last = Math.max(...backlogLatency);
  const rss = sampler.stop();
  const code = await worker.stop();

  // 3. Parse-only, same emails, same concurrency (2 intake jobs, parser with 2 threads).
  const parser = createDocumentParser({ concurrency: 2 });
  const pcpu0 = treeCpuSeconds(process.pid);
  const p0 = Date.now();
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < raws.length) {
        const raw = raws[next++];
        if (raw) await analyseEmail(raw, { parser }, { internalDate: arrival, now: new Date() });
      }
    }),
  );
  const parseS = (Date.now() - p0) / 1000;
  const parseCpu = treeCpuSeconds(process.pid) - pcpu0;
  await parser.close();
  await obs.close();

  const e2eRate = n / backlogS;
  const parseRate = n / parseS;
  const out = {
    singles: {
      email: SINGLE,
      count: singles,
      p50: fmt(pct(singleLatency, 50)),
      p95: fmt(pct(singleLatency, 95)),
      max: fmt(Math.max(...singleLatency)),
      deepPhaseDone: { p50: fmt(pct(deepLatency, 50)), p95: fmt(pct(deepLatency, 95)) },
      // APPEND → the watcher's intake job (IMAP IDLE: Dovecot pushes a new message after a fixed
      // 500 ms, NOTIFY_DELAY_MSECS in its mailbox-watch.c), and that job's own run (read, fold, plan).
      p50Of: { watcherFound: fmt(pct(stageMs.found, 50)), intakeRan: fmt(pct(stageMs.intake, 50)) },
    },
    backlog: {
      emails: n,
      appendSeconds: +(appendedMs / 1000).toFixed(1),
      seconds: +backlogS.toFixed(1),
      foldedSeconds: +((tFolded - t0) / 1000).toFixed(1),
      emailsPerSecond: +e2eRate.toFixed(2),
      workerCpuSeconds: +workerCpu.toFixed(1),
      // Receipts sent during the run: the campaign's 100 per recipient domain per hour holds the
      // rest back (every bench sender is @bench.test; singles and the warm-up count too).
      receipts: backlogLatency.length,
      latency: { p50: fmt(pct(backlogLatency, 50)), p95: fmt(pct(backlogLatency, 95)), max: fmt(last) },
    },
    parseOnly: { seconds: +parseS.toFixed(1), emailsPerSecond: +parseRate.toFixed(2), cpuSeconds: +parseCpu.toFixed(1) },
    backlogVsParseOnly: `${((e2eRate / parseRate) * 100).toFixed(0)} %`,
    // CPU seconds for the same emails: what the ratio would be on an otherwise idle machine.
    parseOnlyCpuVsWorkerCpu: `${((parseCpu / workerCpu) * 100).toFixed(0)} %`,
    workerTreePeakRssMb: +rss.toFixed(0),
    rssAtPeakMb: sampler.atPeak(),
    workerExit: code,
    loadAverage: { start: loadStart, end: os.loadavg().map((x) => +x.toFixed(2)) },
    goals: { singleP50Le1s: pct(singleLatency, 50) <= 1000, singleP95Le2s: pct(singleLatency, 95) <= 2000, backlogGe80pct: e2eRate / parseRate >= 0.8, rssLe400mb: rss <= 400 },
    workerLog: logFile,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-e2e failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
