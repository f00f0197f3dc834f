/**
 * What every route is given: the stores, the campaign, the clock, the staff actions and the
 * list cache — built once by buildDashboard from explicit dependencies (no settings read here).
 */
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Campaign } from '../config/campaign';
import type { Judged } from '../domain/application';
import type { Clock } from '../domain/clock';
import type { PreviewRenderer } from '../documents/preview';
import type { ReportRow } from '../report';
import type { ApplicationStore } from '../store/applications';
import type { AuditLog } from '../store/audit';
import type { DashboardCache } from '../store/dashboard-cache';
import type { IntakeLog } from '../store/intake-log';
import type { RawMailStore } from '../store/raw-mail';
import type { RecipientRateLimit } from '../store/rate-limit';
import type { SentLog } from '../store/sent-log';
import type { StaffActions } from '../store/staff-actions';
import { staffName, type Credentials } from './auth';

/** One application in the list: its verdict and its report row (what filters, sorts and exports read). */
export interface ListEntry {
  judged: Judged;
  row: ReportRow;
}

export interface DashboardDeps {
  /** A store client (createRedis): keys under the deployment's prefix. */
  redis: Redis;
  campaign: Campaign;
  clock: Clock;
  applications: ApplicationStore;
  sentLog: SentLog;
  intakeLog: IntakeLog;
  audit: AuditLog;
  rawMail: RawMailStore;
  actions: StaffActions;
  /** null: no password (allowed on loopback only; serve checks before listening). */
  auth: Credentials | null;
  /** 32 bytes. */
  sessionKey: Buffer;
  /** The Secure cookie flag: only when the dashboard is reached over https. */
  secureCookie: boolean;
  sessionSeconds?: number;
  loginLimit?: { max: number; timeWindowMs: number };
  /** A pino logger (serve: stderr); absent: no request logging (tests). */
  logger?: FastifyBaseLogger;
  /** Where rendered preview pages are kept (serve: STORAGE_DIR/previews); absent: a folder under the system's temp dir. */
  previewDir?: string;
}

export interface DashboardContext extends DashboardDeps {
  cache: DashboardCache<ListEntry>;
  previews: PreviewRenderer;
  /** The sending limits' held-back list (issue 8): read only, to show what waits and why. */
  held: RecipientRateLimit;
}

/** Data every page's layout reads, beside the page's own. */
export function pageData(ctx: DashboardContext, req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>): Record<string, unknown> {
  const flash = req.session.get('flash') ?? null;
  if (flash) req.session.set('flash', undefined);
  return {
    csrf: reply.generateCsrf(),
    nonce: reply.cspNonce.script,
    user: staffName(req, ctx.auth),
    openAccess: ctx.auth === null,
    flash,
    campaign: { name: ctx.campaign.name, timeZone: ctx.campaign.timeZone },
    ...data,
  };
}

export function flash(req: FastifyRequest, kind: 'ok' | 'error', text: string): void {
  req.session.set('flash', { kind, text });
}
