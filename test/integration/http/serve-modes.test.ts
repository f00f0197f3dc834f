/** `shenbao serve` settings: open access on loopback only, the login rate limit, a bad session key. */
import { runCli } from '../helpers/child';
import { client, request } from './client';
import { seedStore, type Seeded } from './seed';
import { startServe } from './serve';

let s: Seeded;

beforeAll(async () => {
  s = await seedStore('http-modes');
});
afterAll(async () => {
  await s?.close();
});

function runServe(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return runCli(['serve', '--redis-prefix', s.prefix], { ...process.env, STORAGE_DIR: s.storage, HTTP_PORT: '0', DASHBOARD_USER: '', DASHBOARD_PASSWORD: '', ...env }, 20_000);
}

it('refuses to listen beyond loopback without a password (exit 2, one line)', async () => {
  const r = await runServe({ HTTP_HOST: '0.0.0.0' });
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual(['shenbao: HTTP_HOST 0.0.0.0 is reachable from other machines: set DASHBOARD_USER and DASHBOARD_PASSWORD, or listen on 127.0.0.1']);
});

it('names a malformed session key (exit 2), without echoing it', async () => {
  const r = await runServe({ DASHBOARD_SESSION_KEY: 'secret-but-short' });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('DASHBOARD_SESSION_KEY must be 64 hex characters');
  expect(r.stderr).not.toContain('secret-but-short');
});

it('on loopback without a password, opens without login and says so on every page', async () => {
  const served = await startServe({ prefix: s.prefix, storage: s.storage, env: { DASHBOARD_USER: '', DASHBOARD_PASSWORD: '' } });
  try {
    const c = client(served.base);
    const list = await c.get('/');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('未设置登录密码');
    expect(list.body).not.toContain('action="/logout"');
    expect((await c.get('/login')).statusCode).toBe(303);
    // Actions still need the CSRF token, and are recorded as by "local".
    expect((await c.post(`/applications/${s.yunfan.id}/note`, { text: 'x' })).statusCode).toBe(403);
    const detail = await c.get(`/applications/${s.yunfan.id}`);
    const res = await c.post(`/applications/${s.yunfan.id}/note`, { _csrf: c.csrfOf(detail.body), text: '本机备注' });
    expect(res.statusCode).toBe(303);
    expect((await c.get(`/applications/${s.yunfan.id}`)).body).toMatch(/local：本机备注/);
  } finally {
    expect(await served.stop()).toBe(0);
  }
});

it('rate-limits login attempts per address (429 with retry-after)', async () => {
  const served = await startServe({ prefix: s.prefix, storage: s.storage, args: ['--login-attempts', '3'] });
  try {
    const c = client(served.base);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await c.login('staff', `guess${i}`)).statusCode);
    expect(codes).toEqual([303, 303, 303, 429, 429]);
    const last = await c.login();
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toBeDefined();
    // Other pages are not limited.
    expect((await request(served.base, 'GET', '/login', {})).statusCode).toBe(200);
  } finally {
    expect(await served.stop()).toBe(0);
  }
});
