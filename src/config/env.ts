/**
 * Settings from the environment (cli.md "Environment"), read once at an entry point into a
 * frozen, typed Config. A missing or malformed variable throws ConfigError with one line
 * naming the variable, which the CLI prints instead of a stack trace.
 */
import path from 'node:path';
import { z } from 'zod';
import { HEADER_SAFE_EMAIL_SHAPE } from '../domain/email-shape';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface MailAddress {
  readonly address: string;
  /** Display name, if MAIL_FROM was written as `Name <address>`. */
  readonly name: string | null;
}

export interface ImapConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  readonly mailbox: string;
}

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  /** null: the server takes mail without authentication (the loopback sink). */
  readonly auth: { readonly user: string; readonly password: string } | null;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Where Redis is. Standalone (REDIS_URL) unless REDIS_CLUSTER_NODES names a Redis Cluster or
 * REDIS_SENTINELS names the Sentinels of a master (REDIS_SENTINEL_NAME). Optional fields, so a
 * `{ url }` literal (tests, scripts) still means standalone.
 */
export interface RedisConfig {
  readonly url: string;
  /** Seed nodes of a Redis Cluster; set: store keys and queues under one hash tag (src/store/redis.ts). */
  readonly cluster?: readonly HostPort[] | null;
  readonly sentinel?: { readonly sentinels: readonly HostPort[]; readonly name: string } | null;
  /** REDIS_PASSWORD: of the cluster nodes / the Sentinel's master (standalone: in REDIS_URL). */
  readonly password?: string | null;
  /**
   * REDIS_WAIT_REPLICAS: replicas that must hold a sent-log claim or `sent` mark before the
   * sender goes on (WAIT). null: 1 with Sentinels (a failover needs a replica), else 0.
   */
  readonly waitReplicas?: number | null;
}

export interface Config {
  readonly imap: ImapConfig | null;
  readonly smtp: SmtpConfig | null;
  readonly mailFrom: MailAddress | null;
  readonly staffEmail: string | null;
  readonly redis: RedisConfig;
  /** null: the 2023 campaign shipped with the project. */
  readonly campaignFile: string | null;
  readonly http: {
    readonly port: number;
    /** Where `serve` listens; without a dashboard password only a loopback address is allowed. */
    readonly host: string;
    readonly dashboard: { readonly user: string; readonly password: string } | null;
    /** The dashboard's address as staff reach it (the digest links to it); null: no link. */
    readonly dashboardUrl: string | null;
    /** Key of the session cookie as 64 hex characters (32 bytes, DASHBOARD_SESSION_KEY); null: a random key per start. */
    readonly sessionKey: string | null;
  };
  /**
   * The worker's own /healthz and /metrics server (WORKER_HTTP_PORT, or METRICS_PORT;
   * `--http-port`); port null: none. Loopback unless WORKER_HTTP_HOST says otherwise.
   */
  readonly ops: { readonly port: number | null; readonly host: string };
  /** The clock's starting instant (SHENBAO_NOW / --now); null: the system clock. */
  readonly now: Date | null;
  readonly logLevel: LogLevel;
  /** Where raw .eml files are kept (absolute). */
  readonly storageDir: string;
}

/** Sections a command cannot run without; loadConfig's result types them as present. */
interface Sections {
  imap: ImapConfig;
  smtp: SmtpConfig;
  mailFrom: MailAddress;
  staffEmail: string;
}
export type Requirement = keyof Sections;
export type ConfigWith<R extends Requirement> = Config & { readonly [K in R]: Sections[K] };

/** What each command needs (parse/check run offline). */
export const COMMAND_NEEDS = {
  parse: [],
  check: [],
  worker: ['imap', 'smtp', 'mailFrom'],
  report: [],
  serve: [],
} as const satisfies Record<string, readonly Requirement[]>;

export const ENV_NAMES = [
  'IMAP_HOST', 'IMAP_PORT', 'IMAP_SECURE', 'IMAP_USER', 'IMAP_PASSWORD', 'IMAP_MAILBOX',
  'SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_PASSWORD',
  'MAIL_FROM', 'STAFF_EMAIL', 'REDIS_URL', 'CAMPAIGN_FILE', 'HTTP_PORT', 'HTTP_HOST',
  'DASHBOARD_USER', 'DASHBOARD_PASSWORD', 'DASHBOARD_URL', 'DASHBOARD_SESSION_KEY', 'SHENBAO_NOW', 'LOG_LEVEL', 'STORAGE_DIR',
  'WORKER_HTTP_PORT', 'METRICS_PORT', 'WORKER_HTTP_HOST',
  'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_PASSWORD', 'REDIS_WAIT_REPLICAS',
] as const;
export type EnvName = (typeof ENV_NAMES)[number];

export interface LoadOptions<R extends Requirement> {
  /** Values that win over the environment, e.g. from flags: `{ SHENBAO_NOW: opts.now }`. */
  overrides?: Partial<Record<EnvName, string | undefined>>;
  require?: readonly R[];
  /** Base for a relative STORAGE_DIR (default: process working directory). */
  cwd?: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly variable: EnvName, message: string, readonly messageZh: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const REQUIRED_BY: Record<Requirement, { variable: EnvName; what: string }> = {
  imap: { variable: 'IMAP_HOST', what: 'the submission mailbox' },
  smtp: { variable: 'SMTP_HOST', what: 'outgoing mail' },
  mailFrom: { variable: 'MAIL_FROM', what: 'the sender of every outgoing email' },
  staffEmail: { variable: 'STAFF_EMAIL', what: 'the staff digest' },
};

const ADDRESS = HEADER_SAFE_EMAIL_SHAPE;
const port = z.coerce.number({ error: 'must be a port number' }).int({ error: 'must be a port number' })
  .min(0, { error: 'must be a port number' }).max(65535, { error: 'must be a port number' });
const replicaCount = z.coerce.number({ error: 'must be a whole number from 0 to 16' }).int({ error: 'must be a whole number from 0 to 16' })
  .min(0, { error: 'must be a whole number from 0 to 16' }).max(16, { error: 'must be a whole number from 0 to 16' });
const bool = z.string().toLowerCase().pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const address = z.string().regex(ADDRESS, { error: 'must be an email address' });
const redisUrl = z.string().refine((v) => /^rediss?:\/\/[^/]+/.test(v) && URL.canParse(v), { error: 'must be a redis:// or rediss:// URL' });
const httpUrl = z.string().refine((v) => /^https?:\/\/[^/]+/i.test(v) && URL.canParse(v), { error: 'must be an http:// or https:// URL' });
const hexKey = z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hex characters (32 bytes)' }).transform((v) => v.toLowerCase());
const host = z.string().regex(/^[A-Za-z0-9.:[\]-]+$/, { error: 'must be a host name or IP address' });
/** `host:port[,host:port…]` (IPv6 as `[::1]:7000`). */
const hostPorts = z.string().transform((v, ctx): HostPort[] => {
  const out: HostPort[] = [];
  for (const part of v.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(part);
    const p = Number(m?.[2]);
    if (!m || p < 1 || p > 65535) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of host:port' });
      return z.NEVER;
    }
    out.push({ host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port: p });
  }
  if (out.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must name at least one host:port' });
    return z.NEVER;
  }
  return out;
});
const logLevel = z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` });
const instant = z.string().transform((v, ctx) => {
  const at = parseInstant(v);
  if (!at) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date or date-time' });
    return z.NEVER;
  }
  return at;
});
/** `"Name" <a@b>` / `Name <a@b>` / `a@b`, by position rather than by a backtracking pattern. */
function splitNameAddress(v: string): { name: string | null; address: string } {
  const t = v.trim();
  const open = t.lastIndexOf('<');
  if (!t.endsWith('>') || open < 0) return { name: null, address: t };
  const address = t.slice(open + 1, -1).trim();
  let name = t.slice(0, open).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1);
  return { name: name === '' ? null : name, address };
}

const mailFrom = z.string().transform((v, ctx): MailAddress => {
  const { name, address: addr } = splitNameAddress(v);
  if (!ADDRESS.test(addr)) {
    ctx.addIssue({ code: 'custom', message: 'must be an email address, optionally as "Name <address>"' });
    return z.NEVER;
  }
  return { address: addr, name };
});

/**
 * An instant from ISO-8601 text. A date or date-time without an offset is read in
 * Asia/Shanghai (UTC+8), the campaign's time zone, so `2023-07-20` means that day there.
 */
export function parseInstant(text: string): Date | null {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone ?? '+08:00'}`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  // Reject 2023-02-30 and the like, which Date would roll over.
  const check = new Date(at.getTime() + (zone ? 0 : 8 * 3600_000));
  if (!zone && (check.getUTCMonth() + 1 !== Number(mo) || check.getUTCDate() !== Number(d))) return null;
  return at;
}

function shown(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw).replace(/[\r\n]/g, ' ');
}

export function loadConfig<R extends Requirement = never>(env: NodeJS.ProcessEnv, options: LoadOptions<R> = {}): ConfigWith<R> {
  const raw = (name: EnvName): string | undefined => {
    // A flag that was not given arrives as `{ SHENBAO_NOW: undefined }`: that is "not set", and the
    // environment's value stands (SHENBAO_NOW used to be ignored whenever --now was absent).
    const v = options.overrides?.[name] ?? env[name];
    return v === undefined || v.trim() === '' ? undefined : v;
  };
  const read = <T>(name: EnvName, schema: z.ZodType<T>, secret = false): T | undefined => {
    const v = raw(name);
    if (v === undefined) return undefined;
    const result = schema.safeParse(v.trim());
    if (result.success) return result.data;
    const why = result.error.issues[0]?.message ?? 'is malformed';
    const got = secret ? '' : ` (got ${shown(v)})`;
    throw new ConfigError(name, `${name} ${why}${got}`, `设置 ${name} 格式不正确${got}`);
  };
  const missing = (name: EnvName, why: string): never => {
    throw new ConfigError(name, `${name} is required ${why}`, `缺少设置 ${name}`);
  };
  const text = z.string();

  const imapHost = read('IMAP_HOST', text);
  let imap: ImapConfig | null = null;
  if (imapHost !== undefined) {
    const imapPort = read('IMAP_PORT', port);
    const secure = read('IMAP_SECURE', bool) ?? imapPort === 993;
    imap = {
      host: imapHost,
      port: imapPort ?? (secure ? 993 : 143),
      secure,
      user: read('IMAP_USER', text) ?? missing('IMAP_USER', 'when IMAP_HOST is set'),
      password: read('IMAP_PASSWORD', text, true) ?? missing('IMAP_PASSWORD', 'when IMAP_HOST is set'),
      mailbox: read('IMAP_MAILBOX', text) ?? 'INBOX',
    };
  }

  const smtpHost = read('SMTP_HOST', text);
  let smtp: SmtpConfig | null = null;
  if (smtpHost !== undefined) {
    const smtpPort = read('SMTP_PORT', port);
    const secure = read('SMTP_SECURE', bool) ?? smtpPort === 465;
    const user = read('SMTP_USER', text);
    const password = read('SMTP_PASSWORD', text, true);
    if (user !== undefined && password === undefined) missing('SMTP_PASSWORD', 'when SMTP_USER is set');
    if (user === undefined && password !== undefined) missing('SMTP_USER', 'when SMTP_PASSWORD is set');
    smtp = {
      host: smtpHost,
      port: smtpPort ?? (secure ? 465 : 587),
      secure,
      auth: user !== undefined && password !== undefined ? { user, password } : null,
    };
  }

  const dashUser = read('DASHBOARD_USER', text);
  const dashPassword = read('DASHBOARD_PASSWORD', text, true);
  if (dashUser !== undefined && dashPassword === undefined) missing('DASHBOARD_PASSWORD', 'when DASHBOARD_USER is set');
  if (dashUser === undefined && dashPassword !== undefined) missing('DASHBOARD_USER', 'when DASHBOARD_PASSWORD is set');

  const clusterNodes = read('REDIS_CLUSTER_NODES', hostPorts) ?? null;
  const sentinels = read('REDIS_SENTINELS', hostPorts) ?? null;
  const sentinelName = read('REDIS_SENTINEL_NAME', text);
  if (clusterNodes && sentinels) {
    throw new ConfigError('REDIS_SENTINELS', 'REDIS_SENTINELS and REDIS_CLUSTER_NODES exclude each other (a Cluster has no Sentinels)',
      '设置 REDIS_SENTINELS 与 REDIS_CLUSTER_NODES 只能二选一');
  }
  if (sentinels && sentinelName === undefined) missing('REDIS_SENTINEL_NAME', 'when REDIS_SENTINELS is set (the master\'s name, e.g. mymaster)');
  if (!sentinels && sentinelName !== undefined) missing('REDIS_SENTINELS', 'when REDIS_SENTINEL_NAME is set');

  const config: Config = {
    imap,
    smtp,
    mailFrom: read('MAIL_FROM', mailFrom) ?? null,
    staffEmail: read('STAFF_EMAIL', address) ?? null,
    redis: {
      url: read('REDIS_URL', redisUrl) ?? 'redis://127.0.0.1:6379',
      cluster: clusterNodes,
      sentinel: sentinels && sentinelName !== undefined ? { sentinels, name: sentinelName } : null,
      password: read('REDIS_PASSWORD', text, true) ?? null,
      waitReplicas: read('REDIS_WAIT_REPLICAS', replicaCount) ?? null,
    },
    campaignFile: read('CAMPAIGN_FILE', text) ?? null,
    http: {
      port: read('HTTP_PORT', port) ?? 8080,
      host: read('HTTP_HOST', host) ?? '127.0.0.1',
      dashboard: dashUser !== undefined && dashPassword !== undefined ? { user: dashUser, password: dashPassword } : null,
      dashboardUrl: read('DASHBOARD_URL', httpUrl) ?? null,
      sessionKey: read('DASHBOARD_SESSION_KEY', hexKey, true) ?? null,
    },
    ops: { port: read('WORKER_HTTP_PORT', port) ?? read('METRICS_PORT', port) ?? null, host: read('WORKER_HTTP_HOST', host) ?? '127.0.0.1' },
    now: read('SHENBAO_NOW', instant) ?? null,
    logLevel: read('LOG_LEVEL', logLevel) ?? 'info',
    storageDir: path.resolve(options.cwd ?? process.cwd(), read('STORAGE_DIR', text) ?? './data/mail'),
  };

  for (const need of options.require ?? []) {
    if (config[need] === null) {
      const { variable, what } = REQUIRED_BY[need];
      missing(variable, `(${what})`);
    }
  }
  return deepFreeze(config) as ConfigWith<R>;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
