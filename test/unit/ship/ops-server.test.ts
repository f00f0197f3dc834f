/** The worker's ops server on a loopback port: status codes, content types, HEAD, unknown paths, a failing check. */
import { request } from 'node:http';
import type { HealthReport } from '../../../src/metrics/health';
import { startOpsServer, type OpsServer } from '../../../src/http/ops';

function get(url: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ok: HealthReport = { healthy: true, status: 'ok', redis: 'ok', imap: 'connected', lastSweepAgeSeconds: 12, problems: [] };
let report: HealthReport | Error = ok;
let server: OpsServer;

beforeAll(async () => {
  server = await startOpsServer({
    health: async () => {
      if (report instanceof Error) throw report;
      return report;
    },
    metrics: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'shenbao_up 1\n' }),
  }, { host: '127.0.0.1', port: 0 });
});
afterAll(() => server.close());

it('binds loopback on the port asked for (0: a free one)', () => {
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(server.port).toBeGreaterThan(0);
});

it('/healthz: 200 with the report when healthy, 503 when not, 503 when the check itself throws', async () => {
  report = ok;
  const a = await get(`${server.url}/healthz`);
  expect([a.status, a.type]).toEqual([200, 'application/json; charset=utf-8']);
  expect(JSON.parse(a.body)).toEqual(ok);
  report = { ...ok, healthy: false, status: 'unhealthy', problems: [{ code: 'MAILBOX_NOT_SWEPT', message: 'm', messageZh: 'z' }] };
  expect((await get(`${server.url}/healthz?verbose=1`)).status).toBe(503);
  report = new Error('redis exploded');
  const c = await get(`${server.url}/healthz`);
  expect(c.status).toBe(503);
  expect(c.body).not.toContain('exploded');
  report = ok;
});

it('/metrics in the exposition format; HEAD has no body; other paths 404, other methods 405', async () => {
  const m = await get(`${server.url}/metrics`);
  expect([m.status, m.type, m.body]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8', 'shenbao_up 1\n']);
  const h = await get(`${server.url}/healthz`, 'HEAD');
  expect([h.status, h.body]).toEqual([200, '']);
  expect((await get(`${server.url}/`)).status).toBe(404);
  expect((await get(`${server.url}/metrics`, 'POST')).status).toBe(405);
});

it('a port in use is an error at start, not a crash later', async () => {
  await expect(startOpsServer({ health: async () => ok }, { host: '127.0.0.1', port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
});
