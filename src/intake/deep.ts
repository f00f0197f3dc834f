/**
 * The deep phase of the intake (cross-checks.md §6): what the receipt did not wait for, done
 * after it. Today that is the seal of every scan (cross-checks.md §5), which only ever adds a
 * warning (SEAL_NOT_FOUND): nothing that changes the receipt's list of missing documents.
 *
 * The message's scans are read again from the raw store in the 'deep' stage (only the scans
 * the application still has without a seal; nothing else is read), then, under the fold lock,
 * written into the application the message was folded into (following a staff merge) and the
 * application judged again. Staff see it at once (the application is marked changed, which
 * the dashboard follows); the applicant reads it in the next follow-up or reminder, which list
 * the warnings: no email is planned here (a warning never starts one by itself, §4), so the
 * receipt is never sent twice.
 *
 * No journal line: `shenbao rebuild` reads each message in the 'all' stage, which gives the
 * records the receipt stage and this one give together (src/documents/stage.ts).
 * Idempotent: a scan that has its seal is not looked at again.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Campaign } from '../config/campaign';
import type { DocumentParser } from '../documents';
import type { Application } from '../domain/application';
import type { Clock } from '../domain/clock';
import type { DocumentRecord } from '../domain/document';
import type { DeepJobData } from '../queues/deep';
import { judge } from '../rules';
import type { ApplicationStore } from '../store/applications';
import { FOLD_LOCK, withLock } from '../store/lease';
import type { RawMailStore } from '../store/raw-mail';
import { analyseEmail } from './analyse';

export interface DeepDeps {
  redis: Redis;
  apps: ApplicationStore;
  raw: RawMailStore;
  parser: DocumentParser;
  campaign: Campaign;
  clock: Clock;
  refetch?: (msg: DeepJobData) => Promise<Buffer | null>;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface DeepResult {
  /** scans looked at, and of them those whose finding was written */
  looked: number;
  written: number;
  /** issue codes of the application before and after, when something was written */
  issuesBefore?: string[];
  issuesAfter?: string[];
}

/** A scan (PDF page without text, image) whose seal the receipt stage left for later. */
export function awaitsDeep(d: DocumentRecord): boolean {
  return !d.textLayer && d.error === null && (d.format === 'pdf' || d.format === 'image') && d.seal === undefined;
}

/** The scans of this message (by its raw file) that still await the deep phase. */
function pendingScans(app: Application, rawSha256: string): Set<string> {
  const mine = new Set(app.emails.filter((e) => e.rawSha256 === rawSha256).flatMap((e) => e.documents));
  return new Set(app.documents.filter((d) => mine.has(d.sha256) && awaitsDeep(d)).map((d) => d.sha256));
}

export async function deepenMessage(deps: DeepDeps, job: DeepJobData): Promise<DeepResult> {
  const app = await deps.apps.resolve(job.applicationId);
  const scans = app ? pendingScans(app, job.sha256) : new Set<string>();
  if (!app || scans.size === 0) return { looked: 0, written: 0 };

  const raw = (await deps.raw.has(job.sha256)) ? await deps.raw.get(job.sha256) : await deps.refetch?.(job);
  if (!raw) throw new Error(`raw message ${job.sha256} is neither in the file store nor in the mailbox`);
  const analysed = await analyseEmail(raw, { parser: deps.parser }, {
    internalDate: job.internalDate ? new Date(job.internalDate) : undefined,
    limits: deps.campaign.limits.perEmail,
    now: deps.clock(),
    stage: { stage: 'deep', scans: [...scans] },
  });
  const seals = new Map<string, boolean | null>();
  for (const d of analysed.documents) if (scans.has(d.sha256) && d.seal !== undefined) seals.set(d.sha256, d.seal);
  if (seals.size === 0) return { looked: scans.size, written: 0 };

  return withLock(deps.redis, FOLD_LOCK, async () => {
    // Read again under the lock: another email or a staff action may have changed it meanwhile.
    const current = await deps.apps.resolve(job.applicationId);
    if (!current) return { looked: scans.size, written: 0 };
    let written = 0;
    const documents = current.documents.map((d) => {
      const seal = seals.get(d.sha256);
      if (seal === undefined || !awaitsDeep(d)) return d;
      written++;
      return { ...d, seal };
    });
    if (written === 0) return { looked: scans.size, written: 0 };
    const now = deps.clock();
    // updatedAt stays the last email's: `shenbao rebuild`, reading the scans at the fold, must
    // recreate this application as it is; the dashboard follows `changed` (saveDeep) instead.
    const next: Application = { ...current, documents };
    const before = judge(current, deps.campaign).issues.map((i) => i.code);
    const after = judge(next, deps.campaign).issues.map((i) => i.code);
    await deps.apps.saveDeep(next, now.getTime());
    deps.logger?.info({ application: next.id, written, issuesBefore: before, issuesAfter: after }, 'deep: scans looked at after the receipt');
    return { looked: scans.size, written, issuesBefore: before, issuesAfter: after };
  }, { ttlMs: 10_000 });
}
