/**
 * Redis Sentinel (issue 11): a master, its replica and one Sentinel on loopback
 * (scripts/stack/sentinel.sh, started by the test in $STACK_DIR/sentinel). The worker is given
 * only REDIS_SENTINELS and REDIS_SENTINEL_NAME — its REDIS_URL still names the stack's
 * standalone Redis — and must find the master through the Sentinel, and find the new one after
 * a failover in the middle of the run: every email processed once, each reply sent once,
 * nothing written to the standalone Redis. The servers run with min-replicas-to-write 1; without
 * it the writes the old master took after the promotion were lost and 2-3 replies went out twice.
 * With it one still went out twice in CI (a claim or a sent mark the replica had not yet received
 * at the promotion, or a sent mark refused by the demoted master and the claim let go): the sent
 * log now waits for the replica (WAIT) and a sender keeps marking a sent email until it holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { clusterRun, startTopology } from '../../scripts/bench-cluster';
import { loadConfig } from '../../src/config/env';
import { createRedis, dropPrefix, replicasToConfirm } from '../../src/store/redis';
import { SentLog } from '../../src/store/sent-log';
import { stackEnv } from './helpers/stack';

jest.setTimeout(5 * 60_000);

let sentinel: ReturnType<typeof startTopology> | null = null;
let dir = '';

beforeAll(() => {
  const env = stackEnv();
  sentinel = startTopology('sentinel', env.stackDir);
  dir = fs.mkdtempSync(path.join(env.stackDir, 'sentinel-test-'));
  fs.chmodSync(dir, 0o755);
});

afterAll(() => {
  sentinel?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function standaloneKeys(prefix: string): Promise<string[]> {
  const standalone = new Redis(stackEnv().redisUrl);
  try {
    return await standalone.keys(`${prefix}:*`);
  } finally {
    standalone.disconnect();
  }
}

test('a worker reaches the master through one Sentinel and processes a few emails once', async () => {
  expect(Object.keys(sentinel?.env ?? {}).sort()).toEqual(['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME']);
  const r = await clusterRun({ workers: 1, emails: 12, redis: sentinel?.env ?? {}, dir, log: (l) => process.stdout.write(`${l}\n`) });
  expect(r.lost).toEqual([]);
  expect(r.notInOneApplication).toEqual([]);
  expect(r.processedTwice).toEqual([]);
  expect(r.perWorker).toEqual([12]);
  expect(r.duplicates).toEqual([]);
  expect(r.unsent).toEqual([]);
  expect(r.sent).toBeGreaterThan(6);
  // It ends by itself after SIGTERM (ioredis leaves Sentinel subscriptions open: src/cli/end-after-shutdown.ts).
  expect(r.exitCodes).toEqual([0]);
  // The worker's REDIS_URL (the stack's standalone Redis) was not what it used.
  expect(await standaloneKeys(r.prefix)).toEqual([]);
});

test('the sent log counts a claim and a sent mark once the replica holds them (WAIT), and not before', async () => {
  const redisConfig = loadConfig(sentinel?.env ?? {}).redis;
  expect(replicasToConfirm(redisConfig)).toBe(1);
  const prefix = `t-sentinel-wait-${process.pid}`;
  const redis = createRedis({ redis: redisConfig }, { prefix });
  try {
    const meta = { messageId: '<wait@assoc.test>', to: 'a@example.test', subject: 's', kind: 'receipt' };
    const one = new SentLog(redis, { waitReplicas: 1 });
    const claim = await one.claim('receipt:one', meta);
    expect(claim.outcome).toBe('claimed');
    expect(await one.markSent('receipt:one', { accepted: ['a@example.test'], response: '250 ok' })).toBe(true);
    // There is one replica: asking for two, the claim is not relied on, and released.
    const two = new SentLog(redis, { waitReplicas: 2, waitTimeoutMs: 200 });
    expect(await two.claim('receipt:two', meta)).toMatchObject({ outcome: 'unconfirmed' });
    expect(await two.get('receipt:two')).toMatchObject({ state: 'retrying' });
  } finally {
    redis.disconnect();
    await dropPrefix({ redis: redisConfig }, prefix);
  }
});

test('two workers follow a Sentinel failover in the middle of a run: nothing lost, nothing sent twice', async () => {
  let failedOver = false;
  const r = await clusterRun({
    workers: 2, emails: 30, redis: sentinel?.env ?? {}, dir, log: (l) => process.stdout.write(`${l}\n`),
    midway: async () => { sentinel?.run('failover'); failedOver = true; },
  });
  expect(failedOver).toBe(true);
  expect(r.lost).toEqual([]);
  expect(r.notInOneApplication).toEqual([]);
  expect(r.duplicates).toEqual([]);
  expect(r.unsent).toEqual([]);
  expect(r.perWorker.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(30);
  expect(r.exitCodes).toEqual([0, 0]);
  expect(await standaloneKeys(r.prefix)).toEqual([]);
});
