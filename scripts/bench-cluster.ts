/**
 * Scale-out on a Redis Cluster (issue 11): N worker processes (the built CLI, `shenbao worker`
 * with REDIS_CLUSTER_NODES) against one mailbox of a mixed email stream (scripts/faults.ts's),
 * the normal Dovecot and SMTP sink of the stack. clusterRun() is one such run and its checks:
 * every email in exactly one application, processed by exactly one worker once, every email
 * sent once (Message-IDs counted at the sink), and the throughput.
 *
 *   npm run bench:cluster            300 emails with one worker, then with three; prints emails/s
 *   BENCH_EMAILS=100 npm run bench:cluster
 * Needs the stack (scripts/stack.sh) and a cluster: REDIS_CLUSTER_NODES from
 * `bash scripts/stack/cluster.sh env`, or none and it starts (and stops) one in $STACK_DIR/cluster.
 * test/integration/cluster.test.ts runs the three-worker run in CI.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { appendMessages, imapFromEnv, Observer, ROOT, spawnWorker, type WorkerChild } from './demo';
import { buildStream, campaignFile, sinkMessageIds } from './mail-stream';
import { loadConfig, type Config } from '../src/config/env';
import { dropPrefix, redisWhere } from '../src/store/redis';
import { SentLog } from '../src/store/sent-log';
import { prng } from '../test/integration/helpers/prng';

const NOW = '2023-07-16T14:00:00+08:00';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `fn`'s value, or `fallback` while Redis does not answer (a failover). */
async function soft<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch {
    return fallback;
  }
}

/** `fn`, tried again a second later while Redis does not answer, `tries` times in all. */
async function retried<T>(fn: () => Promise<T>, tries: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= tries) throw err;
      await sleep(1000);
    }
  }
}

export interface ClusterRunOptions {
  workers: number;
  emails: number;
  /**
   * The workers' Redis settings: `{ REDIS_CLUSTER_NODES: 'host:port,…' }`, or a Sentinel's
   * `{ REDIS_SENTINELS, REDIS_SENTINEL_NAME }` (test/integration/sentinel.test.ts).
   */
  redis: Record<string, string>;
  /** Where the run's campaign file, file store and worker logs go. */
  dir: string;
  seed?: number;
  /** Called once, when a third of the emails are processed (a Sentinel failover in the test). */
  midway?: () => Promise<void>;
  /** Leave the run's keys and file store for the caller (who drops them with dropPrefix and removes `workerEnv.STORAGE_DIR`). */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface ClusterRunResult {
  /** The run's namespace (--redis-prefix), dropped at the end. */
  prefix: string;
  /** What the workers ran with beside process.env (Redis settings, mailbox, campaign, file store): for a `rebuild` of the run. */
  workerEnv: Record<string, string>;
  workers: number;
  emails: number;
  /** Emails of the stream with no intake record. */
  lost: string[];
  /** Folded emails not in exactly one application (or listed twice in it). */
  notInOneApplication: string[];
  /** Messages that more than one worker (or one worker twice) processed: `key ×n`. */
  processedTwice: string[];
  /** Emails the sink took more than once (by Message-ID). */
  duplicates: string[];
  /** Sent-log records not sent (the 550 refused address aside). */
  unsent: string[];
  /** Emails the sink took for this run. */
  sent: number;
  /** Messages processed by each worker (from their logs), in start order. */
  perWorker: number[];
  /** Each worker's exit code after SIGTERM (null: it did not end within 30 s and was killed). */
  exitCodes: (number | null)[];
  /** From the workers' start until every email was processed. */
  processMs: number;
  /** From the workers' start until every email was processed and every reply sent. */
  settleMs: number;
  /** Emails over processMs: start-up (the processes load, the watcher's first sweep) included. */
  emailsPerSecond: number;
  /** Keys of the run on each Cluster master (SCAN): all on one node, the hash tag's; [] without a Cluster. */
  keysByNode: number[];
  /** Between the first and the last email processed (log times): the rate once every worker is up. */
  steadyEmailsPerSecond: number;
}

/** One run: the stream appended first, then N workers started together and timed to the last email. */
export async function clusterRun(o: ClusterRunOptions): Promise<ClusterRunResult> {
  const log = o.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const tag = randomBytes(3).toString('hex');
  const loopId = `K${o.workers}${tag.toUpperCase()}`;
  const prefix = `t-cluster-w${o.workers}-${tag}`;
  const mailbox = `Cluster-${o.workers}-${tag}`;
  const sinkDir = process.env.SMTP_SINK_DIR ?? '';
  if (!sinkDir) throw new Error('needs the stack: bash scripts/stack.sh start && eval "$(bash scripts/stack.sh env)"');
  const config: Pick<Config, 'redis'> = { redis: loadConfig(o.redis).redis };
  const campaign = campaignFile(o.dir, loopId);
  const storage = path.join(o.dir, `store-${o.workers}-${tag}`);
  const stream = await buildStream(o.emails, tag, prng(o.seed ?? 20231202));
  await appendMessages(imapFromEnv(), mailbox, stream);
  log(`cluster: ${stream.length} emails in ${mailbox}; ${o.workers} worker(s), Redis ${redisWhere(config)}, prefix ${prefix}`);

  const workerEnv = { ...o.redis, IMAP_MAILBOX: mailbox, CAMPAIGN_FILE: campaign, STORAGE_DIR: storage };
  const observer = new Observer(config, prefix);
  const workers: WorkerChild[] = [];
  try {
    const started = Date.now();
    for (let i = 0; i < o.workers; i++) {
      workers.push(spawnWorker(['--now', NOW, '--redis-prefix', prefix, '--sweep-ms', '1000', '--tick-ms', '2000', '--retry-backoff-ms', '1000'],
        { ...workerEnv, LOG_LEVEL: 'info' },
        path.join(o.dir, `worker-${o.workers}-${tag}-${i + 1}.log`)));
    }
    let processMs = 0;
    let midway = o.midway;
    for (;;) {
      // -1 while Redis does not answer (a failover): the run waits for it.
      const processed = await soft(() => observer.processed(), -1);
      if (midway && processed >= stream.length / 3) {
        log(`cluster: ${processed}/${stream.length} processed: midway`);
        await midway();
        midway = undefined;
      }
      if (processed >= stream.length) { processMs = Date.now() - started; break; }
      const dead = workers.find((w) => w.child.exitCode !== null);
      if (dead) throw new Error(`a worker exited (${dead.child.exitCode}); see ${dead.logFile}`);
      if (Date.now() - started > 20 * 60_000) throw new Error(`processed ${await observer.processed()}/${stream.length} after 20 min`);
      await sleep(100);
    }
    await retried(() => observer.settle(stream.length, 5 * 60_000, 2000), 5);
    const settleMs = Date.now() - started - 2000;
    const exitCodes = await Promise.all(workers.map((w) => w.stop(30_000)));

    const done = Object.values(await observer.redis.hgetall('intake:done')).map((v) => JSON.parse(v) as { messageId: string | null; outcome: string });
    const seen = new Set(done.map((r) => r.messageId));
    const lost = stream.filter((m) => !seen.has(m.messageId)).map((m) => m.messageId);
    const live = (await observer.apps.all()).filter((a) => !a.mergedInto);
    const notInOne = done.filter((r) => r.outcome === 'folded')
      .filter((r) => live.reduce((n, a) => n + a.emails.filter((e) => e.messageId === r.messageId).length, 0) !== 1)
      .map((r) => r.messageId ?? '?');
    const byMessage = new Map<string, number>();
    const times: number[] = [];
    const perWorker = workers.map((w) => {
      let n = 0;
      for (const line of fs.readFileSync(w.logFile, 'utf8').split('\n')) {
        if (!line.includes('"intake: message processed"')) continue;
        const entry = JSON.parse(line) as { message?: string; time: number };
        byMessage.set(entry.message ?? '?', (byMessage.get(entry.message ?? '?') ?? 0) + 1);
        times.push(entry.time);
        n++;
      }
      return n;
    });
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    const processedTwice = [...byMessage].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
    const ids = sinkMessageIds(sinkDir, loopId);
    const duplicates = [...ids].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    const unsent = (await new SentLog(observer.redis).all()).filter((r) => r.state !== 'sent' && !r.to.startsWith('reject-')).map((r) => `${r.key} ${r.state}`);
    const seeds = o.redis.REDIS_CLUSTER_NODES;
    const keysByNode = seeds ? await keysPerMaster(seeds, `{${prefix}}:*`) : [];
    const result: ClusterRunResult = {
      prefix, workerEnv, workers: o.workers, emails: stream.length, lost, notInOneApplication: notInOne, processedTwice, duplicates, unsent, exitCodes,
      sent: ids.size, perWorker, keysByNode, processMs, settleMs, emailsPerSecond: stream.length / (processMs / 1000),
      steadyEmailsPerSecond: span > 0 ? (times.length - 1) / span : 0,
    };
    log(`cluster: ${o.workers} worker(s): ${stream.length} emails processed in ${(processMs / 1000).toFixed(1)} s `
      + `(${result.emailsPerSecond.toFixed(2)} emails/s from the start, ${result.steadyEmailsPerSecond.toFixed(2)} once up; all replies out after ${(settleMs / 1000).toFixed(1)} s), per worker [${perWorker.join(', ')}], `
      + `lost ${lost.length}, not in exactly one application ${notInOne.length}, processed twice ${processedTwice.length}, `
      + `sent ${ids.size} (twice ${duplicates.length}), unsent ${unsent.length}, keys per master [${keysByNode.join(', ')}]`);
    return result;
  } finally {
    await Promise.all(workers.map((w) => w.stop(20_000)));
    await observer.close();
    if (!o.keep) {
      await dropPrefix(config, prefix).catch(() => 0);
      fs.rmSync(storage, { recursive: true, force: true });
    }
  }
}

/** How many keys matching `pattern` each master of the Cluster holds. */
async function keysPerMaster(seeds: string, pattern: string): Promise<number[]> {
  const cluster = new Cluster(seeds.split(',').map((hp) => ({ host: hp.slice(0, hp.lastIndexOf(':')), port: Number(hp.slice(hp.lastIndexOf(':') + 1)) })));
  try {
    await new Promise<void>((resolve, reject) => { cluster.once('ready', () => resolve()); cluster.once('error', reject); });
    return await Promise.all(cluster.nodes('master').map(async (node) => {
      let cursor = '0';
      let n = 0;
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        n += keys.length;
      } while (cursor !== '0');
      return n;
    }));
  } finally {
    cluster.disconnect();
  }
}

/**
 * A loopback Cluster (scripts/stack/cluster.sh, in $STACK_DIR/cluster) or master + Sentinel
 * (scripts/stack/sentinel.sh, in $STACK_DIR/sentinel) started by this process: the settings that
 * reach it (REDIS_CLUSTER_NODES, or REDIS_SENTINELS and REDIS_SENTINEL_NAME); stop() ends it,
 * run('failover') is the script's failover (Sentinel).
 */
export function startTopology(kind: 'cluster' | 'sentinel', stackDir: string): { env: Record<string, string>; stop(): void; run(command: string): void } {
  const script = path.join(ROOT, `scripts/stack/${kind}.sh`);
  const env = { ...process.env, [kind === 'cluster' ? 'CLUSTER_DIR' : 'SENTINEL_DIR']: path.join(stackDir, kind) };
  execFileSync('bash', [script, 'start'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const printed = execFileSync('bash', [script, 'env'], { env, encoding: 'utf8' });
  const settings: Record<string, string> = {};
  for (const [, name, value] of printed.matchAll(/\b(REDIS_[A-Z_]+)=(\S+)/g)) if (name && value) settings[name] = value;
  if (Object.keys(settings).length === 0) throw new Error(`${kind}.sh env printed no settings: ${printed}`);
  const run = (command: string) => { execFileSync('bash', [script, command], { env, stdio: ['ignore', 'ignore', 'inherit'] }); };
  return { env: settings, stop: () => run('stop'), run };
}

async function main(): Promise<void> {
  const stackDir = process.env.STACK_DIR ?? path.join(ROOT, '.stack');
  const emails = Number(process.env.BENCH_EMAILS ?? 300);
  const own = process.env.REDIS_CLUSTER_NODES ? null : startTopology('cluster', stackDir);
  const nodes = process.env.REDIS_CLUSTER_NODES ?? own?.env.REDIS_CLUSTER_NODES ?? '';
  const dir = fs.mkdtempSync(path.join(stackDir, 'bench-cluster-'));
  fs.chmodSync(dir, 0o755);
  try {
    // The machine's load beside this run (other processes share the cores): the figures mean little without it.
    const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');
    const loadBefore = load();
    const one = await clusterRun({ workers: 1, emails, redis: { REDIS_CLUSTER_NODES: nodes }, dir });
    const three = await clusterRun({ workers: 3, emails, redis: { REDIS_CLUSTER_NODES: nodes }, dir });
    const ok = [one, three].every((r) => r.lost.length + r.notInOneApplication.length + r.processedTwice.length + r.duplicates.length + r.unsent.length === 0);
    process.stdout.write(`\nbench:cluster on ${os.cpus().length} CPU(s), ${emails} emails, 3-node Redis Cluster (${nodes}); load average ${loadBefore} before, ${load()} after\n`
      + `  1 worker : ${one.emailsPerSecond.toFixed(2)} emails/s, ${one.steadyEmailsPerSecond.toFixed(2)} once up (processed in ${(one.processMs / 1000).toFixed(1)} s, replies out after ${(one.settleMs / 1000).toFixed(1)} s)\n`
      + `  3 workers: ${three.emailsPerSecond.toFixed(2)} emails/s, ${three.steadyEmailsPerSecond.toFixed(2)} once up (processed in ${(three.processMs / 1000).toFixed(1)} s, replies out after ${(three.settleMs / 1000).toFixed(1)} s), per worker [${three.perWorker.join(', ')}]\n`
      + `  speed-up : ×${(three.emailsPerSecond / one.emailsPerSecond).toFixed(2)} (×${(three.steadyEmailsPerSecond / one.steadyEmailsPerSecond).toFixed(2)} once up); checks ${ok ? 'passed' : 'FAILED'}\n`);
    if (!ok) process.stdout.write(`${JSON.stringify({ one, three }, null, 2)}\n`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    own?.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:cluster failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
