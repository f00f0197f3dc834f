/**
 * Operations endpoints: `/healthz` (JSON, 200 healthy / 503 not) and `/metrics` (Prometheus
 * text format). The worker serves them from a small node:http server of its own (it has no
 * fastify; loopback by default: the container's HEALTHCHECK and a local scraper reach it);
 * the dashboard answers `/healthz` through its fastify app, without a login.
 * Neither endpoint reveals settings, addresses or applicant data (see src/metrics/health.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { WatcherState } from '../mail/mailbox-watcher';
import { evaluateHealth, type HealthReport } from '../metrics/health';
import type { OpsState } from '../store/ops-state';

export interface OpsHandlers {
  health(): Promise<HealthReport>;
  /** Absent: `/metrics` answers 404. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

export interface OpsServer {
  /** `http://host:port` as bound (port 0 picks a free one). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A health check that itself fails is unhealthy, not a crash. */
async function safeHealth(h: OpsHandlers): Promise<HealthReport> {
  try {
    return await h.health();
  } catch {
    return { healthy: false, status: 'unhealthy', redis: 'unreachable', lastSweepAgeSeconds: null, problems: [] };
  }
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

async function handle(h: OpsHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', false);
  if (path === '/healthz') {
    const report = await safeHealth(h);
    return send(res, report.healthy ? 200 : 503, 'application/json; charset=utf-8', `${JSON.stringify(report)}\n`, head);
  }
  if (path === '/metrics' && h.metrics) {
    try {
      const m = await h.metrics();
      return send(res, 200, m.contentType, m.body, head);
    } catch {
      return send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n', head);
    }
  }
  return send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
}

/** Starts the worker's ops server; rejects when the port cannot be bound (in use, no permission). */
export function startOpsServer(h: OpsHandlers, at: { host: string; port: number }): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    handle(h, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'error\n', false);
      else res.destroy();
    });
  });
  // A scraper holding a keep-alive connection must not keep the worker from stopping.
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 10_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve({
        url: `http://${host}:${addr.port}`,
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

export interface HealthSources {
  ops: OpsState;
  /** The watched mailbox (null: not configured here, no sweep age reported). */
  mailbox: string | null;
  /** This process's watcher (the worker); absent for the dashboard. */
  watcher?: { readonly state: WatcherState };
  /** Whether a stale sweep makes this process unhealthy (worker yes, dashboard no). */
  sweepMatters: boolean;
  startedAt: number;
  /** Wall clock (ops time, not the domain clock). */
  now?: () => number;
}

/** Observes Redis and the last sweep, then judges (src/metrics/health.ts). */
export async function checkHealth(s: HealthSources): Promise<HealthReport> {
  let redisOk = true;
  let lastSweepAt: number | null | undefined;
  try {
    await s.ops.ping();
    lastSweepAt = s.mailbox === null ? undefined : await s.ops.lastSweep(s.mailbox);
  } catch {
    redisOk = false;
  }
  const now = (s.now ?? Date.now)();
  return evaluateHealth({ now, startedAt: s.startedAt, redisOk, imap: s.watcher?.state, lastSweepAt, sweepMatters: s.sweepMatters });
}

/** The dashboard's `/healthz` (the auth hook lets this path through without a session). */
export function registerHealthRoute(app: FastifyInstance, health: () => Promise<HealthReport>): void {
  app.get('/healthz', async (_req, reply) => {
    const report = await safeHealth({ health });
    return reply.code(report.healthy ? 200 : 503).type('application/json; charset=utf-8').send(JSON.stringify(report));
  });
}
