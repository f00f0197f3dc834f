/**
 * What the staff report reads from the store, in few round trips: every application, every
 * sent record grouped by the application its key names (`${appId}:${kind}:${reason}`), and
 * the mails the intake gave up on. The report itself is built by the pure src/report.
 */
import type { Redis } from 'ioredis';
import type { Application } from '../domain/application';
import { groupSentByApp } from '../report/rows';
import { ApplicationStore } from './applications';
import { IntakeLog, messageKey } from './intake-log';
import { SentLog, type SentRecord } from './sent-log';

export interface FailedMailRecord {
  messageId: string | null;
  from: string | null;
  subject: string | null;
  receivedAt: string | null;
  reason: string;
  /** `INBOX/<uidvalidity>/<uid>`: where staff find it in the mailbox. */
  message: string;
}

export interface ReportSource {
  apps: Application[];
  sentByApp: Map<string, SentRecord[]>;
  failedMails: FailedMailRecord[];
}

/** `redis` is a store client (createRedis) of the namespace to report on. */
export async function loadReportSource(redis: Redis): Promise<ReportSource> {
  const [apps, sent, failed] = await Promise.all([
    new ApplicationStore(redis).all(),
    new SentLog(redis).all(),
    new IntakeLog(redis).failed(),
  ]);
  const ids = new Set(apps.map((a) => a.id));
  const sentByApp = groupSentByApp(sent, (id) => ids.has(id));
  const failedMails = failed
    .map((f) => ({ messageId: f.messageId, from: null, subject: null, receivedAt: f.at, reason: f.error, message: messageKey(f.ref) }))
    .sort((a, b) => (a.receivedAt ?? '').localeCompare(b.receivedAt ?? ''));
  return { apps, sentByApp, failedMails };
}
