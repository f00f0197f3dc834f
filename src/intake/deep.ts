/**
 * The deep phase of the intake (cross-checks.md §6): what the receipt did not wait for, done
 * after it: the seal of every scan (cross-checks.md §5), and the whole first page of a scanned
 * certificate, whose fields the top part read for the receipt missed (§1: the date at its foot,
 * or an owner or publication date lower down). Both only ever add: a seal adds a warning
 * (SEAL_NOT_FOUND), the whole page fills certificate fields left empty (never replaces one), so
 * a warning can appear (COPYRIGHT_OWNER_MISMATCH, RELEASE_DATE_MISMATCH) but the kind of a
 * document, the product it counts for and the receipt's list of missing documents stay.
 *
 * The message's scans are read again from the raw store in the 'deep' stage (only the scans
 * the application still has without a seal or a whole-page reading; nothing else is read), then, under the fold lock,
 * written into the application the message was folded into (following a staff merge) and the
 * application judged again. Staff see it at once (the application is marked changed, which
 * the dashboard follows); the applicant reads it in the next follow-up or reminder, which list
 * the warnings: no email is planned here (a warning never starts one by itself, §4), so the
 * receipt is never sent twice.
 *
 * No journal line: `shenbao rebuild` reads each message in the 'all' stage, which gives the
 * records the receipt stage and this one give together (src/documents/stage.ts).
 * Idempotent: a scan that has its seal (and, a certificate, its whole page) is not looked at again.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Campaign } from '../config/campaign';
import type { DocumentParser } from '../documents';
import type { Application } from '../domain/application';
import type { Clock } from '../domain/clock';
import type { DocumentRecord } from '../domain/document';
import type { DeepJobData } from '../queues/deep';
import { fillCertificate } from '../forms';
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

const isScan = (d: DocumentRecord): boolean => !d.textLayer && d.error === null && (d.format === 'pdf' || d.format === 'image');

/** A scan (PDF page without text, image) whose seal the receipt stage left for later. */
function awaitsSeal(d: DocumentRecord): boolean {
  return isScan(d) && d.seal === undefined;
}

/** A scanned certificate (recognised by OCR of its top part) whose whole first page was not read yet. */
function awaitsWholePage(d: DocumentRecord): boolean {
  return isScan(d) && d.kind === 'copyrightProof' && d.ocr === true && d.wholePage !== true;
}

/** A scan with something left for the deep phase. */
export function awaitsDeep(d: DocumentRecord): boolean {
  return awaitsSeal(d) || awaitsWholePage(d);
}

/** The scans of this message (by its raw file) that still await the deep phase: for their seal, for their whole page. */
function pendingScans(app: Application, rawSha256: string): { seals: Set<string>; pages: Set<string> } {
  const mine = new Set(app.emails.filter((e) => e.rawSha256 === rawSha256).flatMap((e) => e.documents));
  const own = app.documents.filter((d) => mine.has(d.sha256));
  return { seals: new Set(own.filter(awaitsSeal).map((d) => d.sha256)), pages: new Set(own.filter(awaitsWholePage).map((d) => d.sha256)) };
}

/** What the deep records add to `d`, or null when nothing. */
function deepened(d: DocumentRecord, found: DocumentRecord | undefined): DocumentRecord | null {
  if (!found) return null;
  let next: DocumentRecord | null = null;
  if (awaitsSeal(d) && found.seal !== undefined) next = { ...d, seal: found.seal };
  if (awaitsWholePage(d) && found.wholePage) {
    next = { ...(next ?? d), certificate: fillCertificate(d.certificate ?? null, found.certificate ?? null), wholePage: true };
  }
  return next;
}

export async function deepenMessage(deps: DeepDeps, job: DeepJobData): Promise<DeepResult> {
  const app = await deps.apps.resolve(job.applicationId);
  const { seals, pages } = app ? pendingScans(app, job.sha256) : { seals: new Set<string>(), pages: new Set<string>() };
  const looked = new Set([...seals, ...pages]).size;
  if (!app || looked === 0) return { looked: 0, written: 0 };

  const raw = (await deps.raw.has(job.sha256)) ? await deps.raw.get(job.sha256) : await deps.refetch?.(job);
  if (!raw) throw new Error(`raw message ${job.sha256} is neither in the file store nor in the mailbox`);
  const analysed = await analyseEmail(raw, { parser: deps.parser }, {
    internalDate: job.internalDate ? new Date(job.internalDate) : undefined,
    limits: deps.campaign.limits.perEmail,
    now: deps.clock(),
    stage: { stage: 'deep', scans: [...seals], pages: [...pages] },
  });
  const found = new Map<string, DocumentRecord>();
  for (const d of analysed.documents) if (seals.has(d.sha256) || pages.has(d.sha256)) found.set(d.sha256, d);
  if (found.size === 0) return { looked, written: 0 };

  return withLock(deps.redis, FOLD_LOCK, async () => {
    // Read again under the lock: another email or a staff action may have changed it meanwhile.
    const current = await deps.apps.resolve(job.applicationId);
    if (!current) return { looked, written: 0 };
    let written = 0;
    const documents = current.documents.map((d) => {
      const next = deepened(d, found.get(d.sha256));
      if (!next) return d;
      written++;
      return next;
    });
    if (written === 0) return { looked, written: 0 };
    const now = deps.clock();
    // updatedAt stays the last email's: `shenbao rebuild`, reading the scans at the fold, must
    // recreate this application as it is; the dashboard follows `changed` (saveDeep) instead.
    const next: Application = { ...current, documents };
    const before = judge(current, deps.campaign).issues.map((i) => i.code);
    const after = judge(next, deps.campaign).issues.map((i) => i.code);
    await deps.apps.saveDeep(next, now.getTime());
    deps.logger?.info({ application: next.id, written, issuesBefore: before, issuesAfter: after }, 'deep: scans looked at after the receipt');
    return { looked, written, issuesBefore: before, issuesAfter: after };
  }, { ttlMs: 10_000 });
}
