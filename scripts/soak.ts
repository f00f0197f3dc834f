/**
 * The long run (issue 9 §3, not in CI): `npm run bench:soak` (SOAK_EMAILS, default 5,000).
 * One worker on the real stack (eval "$(bash scripts/stack.sh env)" first, a stack of your own)
 * takes the faults run's mixed stream (scripts/mail-stream.ts), appended in batches so that a
 * backlog of about SOAK_BACKLOG emails waits at any time (a steady load, not one huge folder).
 * Printed:
 *   - RSS of the worker's process tree (it reads documents in child processes) every
 *     SOAK_SAMPLE_MS (10 s): flat, or flagged when the median of the last tenth of the samples
 *     (at least five) is more than 10 % above the median of the first tenth after warm-up (the
 *     first SOAK_WARMUP, 10 %, of the emails, worked off before the rest is appended), with the
 *     least-squares slope in MB per 1,000 emails; the main process's RSS beside it;
 *   - Redis memory per application (INFO memory used_memory after − before, over the
 *     applications made) and per email;
 *   - open file descriptors, sockets and TCP connections by server (Redis, IMAP, SMTP) of the
 *     worker tree, and Redis's CLIENT LIST count, with the worker idle after the warm-up (its
 *     document readers and connections started) and idle again after the stream: a leak is a
 *     count that grew;
 *   - throughput, emails lost (not processed) and Message-IDs the SMTP sink took twice.
 * Exit 1 when anything is flagged.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { appendMessages, imapFromEnv, Observer, spawnWorker } from './demo';
import { campaignFile, sinkMessageIds, streamMail, type Mail } from './mail-stream';
import { treeFds, treePids, treeRssMb, treeTcpByPeerPort } from './proc-tree';
import { APP_KEYS } from '../src/store/applications';
import { dropPrefix } from '../src/store/redis';
import { prng } from '../test/integration/helpers/prng';

export interface SoakOptions {
  emails: number;
  sampleMs: number;
  /** Emails appended at once. */
  batch: number;
  /** Appending waits while this many emails are unprocessed. */
  backlog: number;
  /** The share of the emails processed before RSS counts (warm-up). */
  warmup: number;
  log?: (line: string) => void;
}

interface Sample { atS: number; processed: number; treeMb: number; mainMb: number; procs: number; fds: number; sockets: number }

interface Handles { fds: number; sockets: number; tcp: Record<string, number>; redisClients: number }

export interface SoakResult {
  emails: number;
  tookS: number;
  /** After warm-up: the emails after it over the time they took (settling included). */
  emailsPerS: number;
  samples: Sample[];
  rss: { baselineMb: number; endMb: number; maxMb: number; growthPct: number; slopeMbPer1000: number; mainBaselineMb: number; mainEndMb: number; flat: boolean };
  redis: { usedBefore: number; usedAfter: number; applications: number; bytesPerApplication: number; bytesPerEmail: number };
  handles: { before: Handles; after: Handles; leaked: string[] };
  storageMb: number;
  lost: number;
  duplicates: number;
  flagged: string[];
}

const NOW = '2023-07-16T14:00:00+08:00';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : ((s[Math.floor((s.length - 1) / 2)] ?? 0) + (s[Math.ceil((s.length - 1) / 2)] ?? 0)) / 2;
};

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx;
}

const mainRssMb = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const out = o.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const log = (l: string) => out(`${new Date().toISOString().slice(11, 19)} soak: ${l}`);
  const stackDir = process.env.STACK_DIR ?? '';
  const redisUrl = process.env.REDIS_URL ?? '';
  const sinkDir = process.env.SMTP_SINK_DIR ?? '';
  if (!stackDir || !redisUrl || !sinkDir) throw new Error('run on a stack of your own: STACK_DIR=… bash scripts/stack.sh start && eval "$(bash scripts/stack.sh env)"');
  const tag = randomBytes(3).toString('hex');
  const dir = fs.mkdtempSync(path.join(stackDir, `soak-${tag}-`));
  fs.chmodSync(dir, 0o755);
  const loopId = `S${tag.toUpperCase()}`;
  const prefix = `t-soak-${tag}`;
  const mailbox = `Soak-${tag}`;
  const storage = path.join(dir, 'store');
  const imap = imapFromEnv();
  const observer = new Observer(redisUrl, prefix);
  const ports: Record<string, string> = {
    redis: new URL(redisUrl).port, imap: process.env.IMAP_PORT ?? '', smtp: process.env.SMTP_PORT ?? '',
  };
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await observer.redis.info('memory'))?.[1] ?? NaN);
  const redisClients = async () => String(await observer.redis.call('CLIENT', 'LIST')).split('\n').filter((l) => l.trim() !== '').length;
  const handles = async (pid: number): Promise<Handles> => {
    const byPort = treeTcpByPeerPort(pid);
    const tcp: Record<string, number> = {};
    let known = 0;
    for (const [name, port] of Object.entries(ports)) {
      tcp[name] = byPort.get(Number(port)) ?? 0;
      known += tcp[name];
    }
    tcp.other = [...byPort.values()].reduce((a, b) => a + b, 0) - known;
    return { ...treeFds(pid), tcp, redisClients: await redisClients() };
  };
  /** Waits for `ms` of quiet, then the handles of an idle worker. */
  const idleHandles = async (pid: number, ms: number) => {
    await sleep(ms);
    return handles(pid);
  };

  await appendMessages(imap, mailbox, []); // the folder, before the worker looks for it
  const usedBefore = await usedMemory();
  const worker = spawnWorker(['--now', NOW, '--redis-prefix', prefix, '--sweep-ms', '1000', '--tick-ms', '2000', '--retry-backoff-ms', '1000'],
    { IMAP_MAILBOX: mailbox, CAMPAIGN_FILE: campaignFile(dir, loopId), STORAGE_DIR: storage, LOG_LEVEL: 'warn' },
    path.join(dir, 'worker.log'));
  const pid = worker.child.pid ?? 0;
  const samples: Sample[] = [];
  let sampler: NodeJS.Timeout | null = null;
  try {
    const started = Date.now();
    const processed = () => observer.processed();
    const sample = async () => {
      const fd = treeFds(pid);
      samples.push({ atS: Math.round((Date.now() - started) / 1000), processed: await processed(), treeMb: treeRssMb(pid), mainMb: mainRssMb(pid), procs: treePids(pid).length, ...fd });
      const s = samples[samples.length - 1];
      if (s) log(`t=${s.atS}s processed ${s.processed}/${o.emails} rss tree ${s.treeMb.toFixed(0)} MB (main ${s.mainMb.toFixed(0)} MB, ${s.procs} processes) fds ${s.fds} sockets ${s.sockets}`);
    };
    sampler = setInterval(() => { void sample().catch(() => undefined); }, o.sampleMs);

    const stream = streamMail(o.emails, tag, prng(20230716));
    let appended = 0;
    /** Appends up to `n` emails in all, keeping about `backlog` unprocessed, then waits for them to be worked off. */
    const feed = async (n: number) => {
      for (;;) {
        if (worker.child.exitCode !== null || worker.child.signalCode !== null) throw new Error(`the worker exited (${worker.child.exitCode ?? worker.child.signalCode}); see ${worker.logFile}`);
        if (appended >= n) break;
        if (appended - (await processed()) >= o.backlog) {
          await sleep(500);
          continue;
        }
        const batch: Mail[] = [];
        while (batch.length < o.batch && appended + batch.length < n) {
          const next = await stream.next();
          if (next.done) break;
          batch.push(next.value);
        }
        await appendMessages(imap, mailbox, batch);
        appended += batch.length;
      }
      await observer.settle(n, 6 * 3600_000, 5000);
    };
    const warmCount = Math.max(1, Math.ceil(o.warmup * o.emails));
    await feed(warmCount);
    const before = await idleHandles(pid, 8000);
    log(`${o.emails} emails, warm-up ${warmCount} done after ${((Date.now() - started) / 1000).toFixed(0)} s; worker pid ${pid} idle: ${before.fds} fds, ${before.sockets} sockets, `
      + `tcp ${JSON.stringify(before.tcp)}, ${before.redisClients} Redis clients; in ${dir}`);
    const restStarted = Date.now();
    await feed(o.emails);
    const restS = (Date.now() - restStarted) / 1000;
    const tookS = (Date.now() - started) / 1000;
    clearInterval(sampler);
    sampler = null;
    await sample();
    const after = await idleHandles(pid, 8000);
    const usedAfter = await usedMemory();
    const applications = await observer.redis.zcard(APP_KEYS.all);
    const done = await observer.log.doneCount();
    const failed = (await observer.log.failed()).length;
    const duplicates = [...sinkMessageIds(sinkDir, loopId).values()].filter((n) => n > 1).length;
    const storageMb = Number(execFileSync('du', ['-sk', storage], { encoding: 'utf8' }).split(/\s/)[0]) / 1024;

    // RSS: after warm-up, while the rest of the stream was being worked on.
    const warm = samples.filter((s) => s.processed > warmCount && s.processed < o.emails);
    const window = Math.max(5, Math.ceil(warm.length / 10));
    const baselineMb = median(warm.slice(0, window).map((s) => s.treeMb));
    const endMb = median(warm.slice(-window).map((s) => s.treeMb));
    const growthPct = ((endMb - baselineMb) / baselineMb) * 100;
    const rss = {
      baselineMb, endMb, maxMb: Math.max(0, ...warm.map((s) => s.treeMb)), growthPct,
      mainBaselineMb: median(warm.slice(0, window).map((s) => s.mainMb)), mainEndMb: median(warm.slice(-window).map((s) => s.mainMb)),
      slopeMbPer1000: slope(warm.map((s) => ({ x: s.processed / 1000, y: s.treeMb }))), flat: warm.length >= 2 && growthPct <= 10,
    };
    const leaked: string[] = [];
    if (after.fds > before.fds + 3) leaked.push(`fds ${before.fds} → ${after.fds}`);
    if (after.sockets > before.sockets) leaked.push(`sockets ${before.sockets} → ${after.sockets}`);
    for (const k of Object.keys(after.tcp)) if ((after.tcp[k] ?? 0) > (before.tcp[k] ?? 0)) leaked.push(`tcp to ${k} ${before.tcp[k] ?? 0} → ${after.tcp[k] ?? 0}`);
    if (after.redisClients > before.redisClients) leaked.push(`Redis clients ${before.redisClients} → ${after.redisClients}`);
    const flagged = [
      ...(rss.flat ? [] : [warm.length < 2 ? `too few RSS samples after warm-up (${warm.length})` : `RSS grew ${growthPct.toFixed(1)} % after warm-up`]),
      ...leaked,
      ...(done + failed < o.emails ? [`lost ${o.emails - done - failed}`] : []),
      ...(duplicates > 0 ? [`${duplicates} Message-IDs sent more than once`] : []),
    ];
    const result: SoakResult = {
      emails: o.emails, tookS, emailsPerS: (o.emails - warmCount) / restS, samples, rss,
      redis: { usedBefore, usedAfter, applications, bytesPerApplication: (usedAfter - usedBefore) / applications, bytesPerEmail: (usedAfter - usedBefore) / o.emails },
      handles: { before, after, leaked }, storageMb, lost: Math.max(0, o.emails - done - failed), duplicates, flagged,
    };
    log(`${o.emails} emails in ${tookS.toFixed(0)} s (after warm-up ${result.emailsPerS.toFixed(2)} emails/s), ${done} done, ${failed} failed, lost ${result.lost}, duplicates ${duplicates}`);
    log(`rss tree after warm-up: ${baselineMb.toFixed(0)} MB → ${endMb.toFixed(0)} MB (${growthPct >= 0 ? '+' : ''}${growthPct.toFixed(1)} %), max ${rss.maxMb.toFixed(0)} MB, `
      + `slope ${rss.slopeMbPer1000.toFixed(1)} MB per 1,000 emails, ${warm.length} samples (medians of ${window}): ${rss.flat ? 'flat' : 'NOT FLAT'}; `
      + `main process ${rss.mainBaselineMb.toFixed(0)} MB → ${rss.mainEndMb.toFixed(0)} MB`);
    log(`redis used_memory ${(usedBefore / 1048576).toFixed(1)} MB → ${(usedAfter / 1048576).toFixed(1)} MB: ${applications} applications, `
      + `${(result.redis.bytesPerApplication / 1024).toFixed(1)} KB per application, ${(result.redis.bytesPerEmail / 1024).toFixed(1)} KB per email; file store ${storageMb.toFixed(0)} MB`);
    log(`handles idle after warm-up → after the stream: fds ${before.fds} → ${after.fds}, sockets ${before.sockets} → ${after.sockets}, tcp ${JSON.stringify(before.tcp)} → ${JSON.stringify(after.tcp)}, `
      + `Redis clients ${before.redisClients} → ${after.redisClients}${leaked.length ? ` LEAK: ${leaked.join('; ')}` : ': no leak'}`);
    log(flagged.length ? `FLAGGED: ${flagged.join('; ')}` : 'nothing flagged');
    return result;
  } finally {
    if (sampler) clearInterval(sampler);
    await worker.stop(30_000);
    await observer.close();
    await dropPrefix({ redis: { url: redisUrl } }, prefix).catch(() => 0);
    if (!process.env.SOAK_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const num = (name: string, fallback: number) => {
    const v = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} expects a positive number`);
    return v;
  };
  runSoak({
    emails: num('SOAK_EMAILS', 5000), sampleMs: num('SOAK_SAMPLE_MS', 10_000), batch: num('SOAK_BATCH', 50),
    backlog: num('SOAK_BACKLOG', 100), warmup: num('SOAK_WARMUP', 0.1),
  })
    .then((r) => {
      if (process.env.SOAK_JSON) fs.writeFileSync(process.env.SOAK_JSON, JSON.stringify(r, null, 2));
      process.exitCode = r.flagged.length === 0 ? 0 : 1;
    })
    .catch((err: unknown) => {
      process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
