/**
 * The loopback stack as integration tests see it: the settings `scripts/stack.sh env`
 * exports (scripts/test.sh sources them before jest), and a unique Redis namespace per test.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig, type ConfigWith, type Requirement } from '../../../src/config/env';
import { dropPrefix } from '../../../src/store/redis';

const NEEDED = ['IMAP_HOST', 'IMAP_PORT', 'IMAP_USER', 'IMAP_PASSWORD', 'SMTP_HOST', 'SMTP_PORT', 'REDIS_URL', 'SMTP_SINK_DIR', 'MAIL_FROM'];

function assertStack(): void {
  const missing = NEEDED.filter((n) => !process.env[n]);
  if (missing.length > 0) {
    throw new Error(`integration tests need the loopback stack (missing ${missing.join(', ')}): `
      + 'bash scripts/stack.sh start && eval "$(bash scripts/stack.sh env)"');
  }
}

export interface StackEnv {
  imap: { host: string; port: number; user: string; password: string };
  smtp: { host: string; port: number };
  redisUrl: string;
  sinkDir: string;
  /** The stack's state folder (SMTP control file, logs). */
  stackDir: string;
  mailFrom: string;
  staffEmail: string;
}

export function stackEnv(): StackEnv {
  assertStack();
  const e = process.env as Record<string, string>;
  return {
    imap: { host: e.IMAP_HOST ?? '', port: Number(e.IMAP_PORT), user: e.IMAP_USER ?? '', password: e.IMAP_PASSWORD ?? '' },
    smtp: { host: e.SMTP_HOST ?? '', port: Number(e.SMTP_PORT) },
    redisUrl: e.REDIS_URL ?? '',
    sinkDir: e.SMTP_SINK_DIR ?? '',
    stackDir: e.STACK_DIR ?? '',
    mailFrom: e.MAIL_FROM ?? '',
    staffEmail: e.STAFF_EMAIL ?? 'staff@assoc.test',
  };
}

/** Config from the stack's environment, typed with the sections required. */
export function stackConfig<R extends Requirement = 'imap' | 'smtp' | 'mailFrom'>(
  require: readonly R[] = ['imap', 'smtp', 'mailFrom'] as unknown as readonly R[],
  overrides: Record<string, string> = {},
): ConfigWith<R> {
  assertStack();
  return loadConfig({ ...process.env, ...overrides }, { require });
}

/** A fresh key namespace (`t-<label>-<random>`) so tests share one Redis without meeting. */
export function uniquePrefix(label: string): string {
  return `t-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${randomBytes(4).toString('hex')}`;
}

/** A short random token for unique addresses and loop ids. */
export function uid(): string {
  return randomBytes(5).toString('hex');
}

/** Deletes everything a test wrote under its prefix. */
export async function cleanPrefix(prefix: string): Promise<void> {
  await dropPrefix({ redis: { url: stackEnv().redisUrl } }, prefix);
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
