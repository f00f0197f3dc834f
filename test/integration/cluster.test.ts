/**
 * Scale-out on a three-node Redis Cluster (issue 11): the test starts its own cluster on
 * loopback (scripts/stack/cluster.sh, in $STACK_DIR/cluster) beside the stack's Dovecot and SMTP
 * sink, and runs three worker processes (the built CLI with REDIS_CLUSTER_NODES) against one
 * mailbox of 300 mixed emails (scripts/bench-cluster.ts clusterRun). Each email processed once,
 * by one worker, into exactly one application; each reply sent once (Message-IDs at the sink);
 * every key of the run on the one master of its hash tag. Throughput is printed; the 1-vs-3
 * comparison is `npm run bench:cluster` (two runs of 300 would double this test's time).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterRun, startTopology } from '../../scripts/bench-cluster';
import { loadConfig } from '../../src/config/env';
import { dropPrefix } from '../../src/store/redis';
import { runCli } from './helpers/child';
import { stackEnv } from './helpers/stack';

jest.setTimeout(10 * 60_000);

const EMAILS = Number(process.env.CLUSTER_TEST_EMAILS ?? 300);
let cluster: ReturnType<typeof startTopology> | null = null;
let dir = '';

beforeAll(() => {
  const env = stackEnv();
  cluster = startTopology('cluster', env.stackDir);
  dir = fs.mkdtempSync(path.join(env.stackDir, 'cluster-test-'));
  fs.chmodSync(dir, 0o755);
});

afterAll(() => {
  cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test(`three workers on a 3-node Redis Cluster, one mailbox of ${EMAILS} emails: each processed once, each reply sent once`, async () => {
  const r = await clusterRun({ workers: 3, emails: EMAILS, redis: cluster?.env ?? {}, dir, log: (l) => process.stdout.write(`${l}\n`) });
  process.stdout.write(`cluster test: ${os.cpus().length} CPU(s); 3 workers ${r.emailsPerSecond.toFixed(2)} emails/s from their start `
    + `(${r.steadyEmailsPerSecond.toFixed(2)} once up), ${EMAILS} emails in ${(r.processMs / 1000).toFixed(1)} s, per worker [${r.perWorker.join(', ')}]\n`);
  expect(r.emails).toBe(EMAILS);
  expect(r.lost).toEqual([]);
  expect(r.notInOneApplication).toEqual([]);
  expect(r.processedTwice).toEqual([]);
  expect(r.perWorker.reduce((a, b) => a + b, 0)).toBe(EMAILS);
  // The work was shared: every process took jobs from the one queue.
  for (const n of r.perWorker) expect(n).toBeGreaterThan(0);
  expect(r.exitCodes).toEqual([0, 0, 0]);
  expect(r.duplicates).toEqual([]);
  expect(r.unsent).toEqual([]);
  // At least a receipt for most emails (auto-replies and the like get none): the sink saw them.
  expect(r.sent).toBeGreaterThan(EMAILS / 2);
  // One hash tag: the run's keys are all on one of the three masters.
  expect(r.keysByNode).toHaveLength(3);
  expect(r.keysByNode.filter((n) => n > 0)).toHaveLength(1);
});

test('a Cluster that does not answer: worker and report exit 1 with one line naming REDIS_CLUSTER_NODES', async () => {
  const env = { ...process.env, REDIS_CLUSTER_NODES: '127.0.0.1:1', LOG_LEVEL: 'silent' };
  for (const args of [['worker'], ['report', '--format', 'json']]) {
    const r = await runCli(args, env, 30_000);
    expect({ args, code: r.code }).toEqual({ args, code: 1 });
    expect(r.stderr).toContain('the Redis Cluster at 127.0.0.1:1 (REDIS_CLUSTER_NODES) cannot be reached');
  }
});

test('report reads a Cluster deployment, and rebuild recreates it there from the mailbox and the file store (the same report, nothing sent)', async () => {
  const r = await clusterRun({ workers: 1, emails: 6, redis: cluster?.env ?? {}, dir, keep: true });
  const env = { ...process.env, ...r.workerEnv, LOG_LEVEL: 'silent' };
  const settings = { redis: loadConfig(cluster?.env ?? {}).redis };
  try {
    const report = async (): Promise<string> => {
      const out = await runCli(['report', '--format', 'json', '--redis-prefix', r.prefix, '--now', '2023-07-16T16:00:00+08:00'], env, 60_000);
      expect(out.code).toBe(0);
      return out.stdout.replace(/"generatedAt":\s*"[^"]*"/, '"generatedAt":""');
    };
    const before = await report();
    const doc = JSON.parse(before) as { count: number; applications: { number: string }[] };
    expect(doc.count).toBeGreaterThan(0);
    expect(doc.applications.length).toBe(doc.count);

    const sinkBefore = fs.readdirSync(stackEnv().sinkDir).length;
    expect(await dropPrefix(settings, r.prefix)).toBeGreaterThan(0);
    const rebuilt = await runCli(['rebuild', '--yes', '--redis-prefix', r.prefix, '--now', '2023-07-16T14:00:00+08:00'], env, 180_000);
    expect(rebuilt.code).toBe(0);
    expect(await report()).toBe(before);
    expect(fs.readdirSync(stackEnv().sinkDir).length).toBe(sinkBefore);
  } finally {
    await dropPrefix(settings, r.prefix);
    fs.rmSync(r.workerEnv.STORAGE_DIR ?? '', { recursive: true, force: true });
  }
});
