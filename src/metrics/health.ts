/**
 * The health verdict, from observations taken by the caller (no I/O here, so the rules are
 * unit-tested with an injected clock). `/healthz` answers 200 when `healthy`, else 503.
 *
 * Unhealthy when Redis does not answer, or when no mailbox sweep succeeded for
 * `staleAfterMs` (5 minutes): the sweep runs every 60 s whatever IDLE does, so five missed
 * sweeps mean the mailbox is not being watched (IMAP down, login refused, the lease holder
 * stuck). The age counts from this process's start when the last sweep is older than it, so a
 * freshly started worker is not unhealthy for a sweep that a previous one missed.
 *
 * The report says only states and ages: no host names, users, addresses or error texts
 * that could carry them (the dashboard's /healthz answers without a login).
 */

export const STALE_SWEEP_MS = 5 * 60_000;

import type { WatcherState } from '../mail/mailbox-watcher';

export type ImapState = WatcherState;

export interface HealthObservation {
  /** Wall-clock epoch ms now. */
  now: number;
  /** When this process started (epoch ms). */
  startedAt: number;
  redisOk: boolean;
  /** This process's mailbox watcher; absent where there is none (the dashboard). */
  imap?: ImapState;
  /** Last successful sweep of the mailbox by any worker (epoch ms), null: none recorded; undefined: not known (Redis down). */
  lastSweepAt?: number | null;
  /** Whether a stale sweep makes this process unhealthy (the worker: yes; the dashboard: it only reports it). */
  sweepMatters: boolean;
  staleAfterMs?: number;
}

export interface HealthProblem {
  code: 'REDIS_UNREACHABLE' | 'MAILBOX_NOT_SWEPT';
  message: string;
  messageZh: string;
}

export interface HealthReport {
  healthy: boolean;
  status: 'ok' | 'unhealthy';
  redis: 'ok' | 'unreachable';
  imap?: ImapState;
  /** Seconds since the last successful sweep by any worker; null when none is recorded or Redis is down. */
  lastSweepAgeSeconds: number | null;
  problems: HealthProblem[];
}

export function evaluateHealth(o: HealthObservation): HealthReport {
  const staleAfter = o.staleAfterMs ?? STALE_SWEEP_MS;
  const problems: HealthProblem[] = [];
  if (!o.redisOk) {
    problems.push({ code: 'REDIS_UNREACHABLE', message: 'Redis does not answer (REDIS_URL)', messageZh: 'Redis 无法连接（REDIS_URL）' });
  }
  const last = typeof o.lastSweepAt === 'number' ? o.lastSweepAt : null;
  const age = last === null ? null : Math.max(0, Math.round((o.now - last) / 1000));
  if (o.sweepMatters && o.redisOk) {
    const since = Math.max(o.startedAt, last ?? -Infinity);
    if (o.now - since > staleAfter) {
      const minutes = Math.round(staleAfter / 60_000);
      problems.push({
        code: 'MAILBOX_NOT_SWEPT',
        message: `no successful mailbox sweep for more than ${minutes} minutes (IMAP settings, the mail server, or the watching worker)`,
        messageZh: `超过 ${minutes} 分钟没有成功检查申报邮箱（请检查 IMAP 设置、邮件服务器或负责监视的 worker）`,
      });
    }
  }
  const healthy = problems.length === 0;
  return {
    healthy,
    status: healthy ? 'ok' : 'unhealthy',
    redis: o.redisOk ? 'ok' : 'unreachable',
    ...(o.imap ? { imap: o.imap } : {}),
    lastSweepAgeSeconds: o.redisOk ? age : null,
    problems,
  };
}
