/**
 * `shenbao worker` refuses to start on a bad setting with one line naming it (exit 2), and
 * on a server it cannot use with one line saying which (exit 1) — never a stack trace.
 */
import { runCli } from '../helpers/child';
import { stackEnv } from '../helpers/stack';

jest.setTimeout(60_000);

function worker(env: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string }> {
  return runCli(['worker', '--redis-prefix', 't-settings'],
    Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv, 30_000);
}

const oneLine = (s: string) => s.trim().split('\n').length === 1 && !/\n\s+at /.test(s);

test('a malformed setting: exit 2, one line naming it', async () => {
  stackEnv();
  const r = await worker({ IMAP_PORT: 'imap' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/IMAP_PORT/);
  expect(oneLine(r.stderr)).toBe(true);
});

test('a missing setting: exit 2, one line naming it', async () => {
  const r = await worker({ IMAP_HOST: undefined });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/IMAP_HOST/);
  expect(oneLine(r.stderr)).toBe(true);
});

test('a refused IMAP login or an unreachable Redis: exit 1, one line', async () => {
  const login = await worker({ IMAP_PASSWORD: 'wrong-password' });
  expect(login.code).toBe(1);
  expect(login.stderr).toMatch(/IMAP_USER \/ IMAP_PASSWORD/);
  expect(oneLine(login.stderr)).toBe(true);
  const redis = await worker({ REDIS_URL: 'redis://127.0.0.1:1' });
  expect(redis.code).toBe(1);
  expect(redis.stderr).toMatch(/REDIS_URL/);
  expect(oneLine(redis.stderr)).toBe(true);
});
