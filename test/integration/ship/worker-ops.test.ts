/**
 * Operations on the loopback stack: a real `shenbao worker --http-port 0` answers /healthz
 * (200 once it has swept the mailbox) and /metrics (counters move after an email is processed
 * and its receipt sent); its intake log lines carry the Message-ID and no password. The 503
 * states are checked with checkHealth over real Redis clients (an unreachable Redis, and a
 * sweep recorded six minutes ago), not by stopping the stack's Redis under other tests.
 * The dashboard (`shenbao serve` with a password) answers /healthz without a login.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { fixtureEmail } from '../../../scripts/demo';
import { checkHealth } from '../../../src/http/ops';
import { OpsState } from '../../../src/store/ops-state';
import { createRedis } from '../../../src/store/redis';
import { at, openCase, type Case } from '../e2e/harness';
import { request } from '../http/client';
import { startServe } from '../http/serve';
import { cleanPrefix, stackEnv, uniquePrefix, waitFor } from '../helpers/stack';

jest.setTimeout(120_000);

/** The value of one sample line of a Prometheus text body (undefined: no such series). */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function get(url: string): Promise<{ status: number; body: string; type: string | undefined }> {
  const u = new URL(url);
  const res = await request(u.origin, 'GET', u.pathname, {});
  return { status: res.statusCode, body: res.body, type: res.headers['content-type'] };
}

let c: Case | undefined;
afterAll(async () => c?.close());

test('worker: /healthz 200 after its first sweep, /metrics counts the email and its receipt, logs name the message', async () => {
  c = openCase('ship-ops');
  const cs = c;
  await cs.append([]); // creates the case's mailbox: the worker checks it exists before starting
  const worker = cs.startWorker('2023-07-18T11:00:00+08:00', ['--http-port', '0']);
  try {
    const url = await waitFor('the ops server', async () => {
      if (worker.child.exitCode !== null) throw new Error(`worker exited ${worker.child.exitCode}`);
      return /"url":"(http:\/\/127\.0\.0\.1:\d+)".*ops: \/healthz/.exec(fs.readFileSync(worker.logFile, 'utf8'))?.[1];
    }, 30_000);

    const health = await waitFor('a healthy, swept worker', async () => {
      const r = await get(`${url}/healthz`);
      const body = JSON.parse(r.body) as { imap?: string; lastSweepAgeSeconds: number | null };
      return r.status === 200 && body.imap === 'connected' && body.lastSweepAgeSeconds !== null ? body : null;
    }, 30_000);
    expect(health).toMatchObject({ healthy: true, status: 'ok', redis: 'ok', problems: [] });
    expect(health.lastSweepAgeSeconds).toBeLessThan(10);

    const before = await get(`${url}/metrics`);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(before.body, 'shenbao_emails_sent_total{kind="receipt",status="sent"}')).toBeUndefined();

    await cs.append([{ raw: fixtureEmail('01-complete-one-email.eml'), at: at('2023-07-18T10:12:30+08:00') }]);
    await cs.observer.settle(1, 90_000);
    await waitFor('the receipt in the sink', async () => (await cs.sent()).length === 1, 30_000);

    const after = (await get(`${url}/metrics`)).body;
    expect(sample(after, `shenbao_emails_received_total{mailbox="${cs.mailbox}"}`)).toBe(1);
    expect(sample(after, 'shenbao_emails_processed_total{outcome="folded"}')).toBe(1);
    expect(sample(after, 'shenbao_emails_sent_total{kind="receipt",status="sent"}')).toBe(1);
    const latencyCount = sample(after, 'shenbao_receipt_latency_seconds_count{kind="receipt"}');
    const latencySum = sample(after, 'shenbao_receipt_latency_seconds_sum{kind="receipt"}') ?? NaN;
    expect(latencyCount).toBe(1);
    // Counted from when the watcher found it (real seconds), not from its 2023 INTERNALDATE.
    expect(latencySum).toBeGreaterThan(0);
    expect(latencySum).toBeLessThan(90);
    expect(sample(after, 'shenbao_parse_seconds_count{what="email"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'shenbao_parse_seconds_count{what="document"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'shenbao_intake_seconds_count')).toBe(1);
    expect(sample(after, 'shenbao_queue_jobs{queue="intake",state="waiting"}')).toBe(0);
    expect(sample(after, 'shenbao_queue_jobs{queue="outbound",state="active"}')).toBe(0);
    expect(sample(after, 'shenbao_emails_held_back')).toBe(0);
    expect(sample(after, 'shenbao_healthy')).toBe(1);
    expect(sample(after, `shenbao_mailbox_last_sweep_age_seconds{mailbox="${cs.mailbox}"}`)).toBeLessThan(30);

    const lines = fs.readFileSync(worker.logFile, 'utf8').split('\n').filter((l) => l.startsWith('{'));
    const processed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'intake: message processed');
    expect(processed).toMatchObject({ messageId: '<20230718101200.1@yunfan-soft.cn>', component: 'intake' });
    expect(lines.join('\n')).not.toContain(stackEnv().imap.password);
  } catch (err) {
    process.stderr.write(cs.logs());
    throw err;
  }
  expect(await worker.stop()).toBe(0);
});

test('checkHealth on real Redis: 503 states for an unreachable Redis and a mailbox not swept for 6 minutes', async () => {
  const prefix = uniquePrefix('ship-health');
  const redis = createRedis({ redis: { url: stackEnv().redisUrl } }, { prefix });
  // Port 9 (discard): nothing listens on loopback here, so the connection is refused.
  const dead = new Redis('redis://127.0.0.1:9', { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  dead.on('error', () => undefined);
  try {
    const ops = new OpsState(redis);
    const now = Date.now();
    const watcher = { state: 'connected' as const };
    const never = await checkHealth({ ops, mailbox: 'INBOX', watcher, sweepMatters: true, startedAt: now - 3600_000 });
    expect(never.problems.map((p) => p.code)).toEqual(['MAILBOX_NOT_SWEPT']); // up an hour, never swept

    await ops.recordSweep('INBOX', now - 6 * 60_000);
    const stale = await checkHealth({ ops, mailbox: 'INBOX', watcher, sweepMatters: true, startedAt: now - 3600_000 });
    expect(stale).toMatchObject({ healthy: false, lastSweepAgeSeconds: 360 });
    await ops.recordSweep('INBOX', now - 30_000);
    expect(await checkHealth({ ops, mailbox: 'INBOX', watcher, sweepMatters: true, startedAt: now - 3600_000 })).toMatchObject({ healthy: true, lastSweepAgeSeconds: 30 });

    const down = await checkHealth({ ops: new OpsState(dead), mailbox: 'INBOX', watcher, sweepMatters: true, startedAt: now });
    expect(down).toMatchObject({ healthy: false, redis: 'unreachable', lastSweepAgeSeconds: null });
    expect(down.problems.map((p) => p.code)).toEqual(['REDIS_UNREACHABLE']);
  } finally {
    redis.disconnect();
    dead.disconnect();
    await cleanPrefix(prefix);
  }
});

test('dashboard: /healthz answers without a login and reveals no settings; every other page still asks for one', async () => {
  const prefix = uniquePrefix('ship-serve');
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-ship-serve-'));
  const served = await startServe({ prefix, storage });
  try {
    const h = await request(served.base, 'GET', '/healthz', {});
    expect(h.statusCode).toBe(200);
    const body = JSON.parse(h.body) as Record<string, unknown>;
    expect(body).toMatchObject({ healthy: true, status: 'ok', redis: 'ok', lastSweepAgeSeconds: null, problems: [] });
    const env = stackEnv();
    for (const secret of [env.imap.password, env.imap.user, env.redisUrl, 'correct horse', prefix]) expect(h.body).not.toContain(secret);
    expect((await request(served.base, 'GET', '/', {})).statusCode).toBe(303);
  } finally {
    expect(await served.stop()).toBe(0);
    await cleanPrefix(prefix);
    fs.rmSync(storage, { recursive: true, force: true });
  }
});
