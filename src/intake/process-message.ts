/**
 * One message from the mailbox, processed: read the raw file, analyse it (mail + documents),
 * find its application, fold and judge it under the fold lock, save it together with the
 * intake record, enqueue the emails due, and only then mark the message in IMAP.
 *
 * Idempotent under retry and restart: the intake record (per mailbox/UIDVALIDITY/uid, plus
 * Message-ID and content-hash indexes) is written in the same transaction as the
 * application, so a message is folded at most once; the emails planned for it are kept in
 * that record and re-enqueued as they were (the outbox sends each key once).
 *
 * Folding takes one lock for the whole store rather than one per application: finding the
 * application (by number, company or sender) and creating a new one must be atomic too, or
 * two emails of one new company processed at once would open two applications. Folding is
 * milliseconds (parsing happens before, outside the lock), so the lock costs nothing.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Campaign } from '../config/campaign';
import type { DocumentParser } from '../documents';
import type { Application } from '../domain/application';
import type { Clock } from '../domain/clock';
import { planAfterEmail, type PlannedEmail } from '../notify/plan';
import { companyKeyOf, foldInArrivalOrder, judge, newApplication, type FoldInput } from '../rules';
import { sameOrganisationDomain } from '../rules/sender-domain';
import type { ApplicationStore } from '../store/applications';
import { messageKey, type DoneRecord, type IntakeLog, type MessageRef } from '../store/intake-log';
import { FOLD_LOCK, withLock } from '../store/lease';
import type { Journal } from '../store/journal';
import type { RawMailStore } from '../store/raw-mail';
import { whomToAnswer } from '../mail/recipient';
import type { DeepJobData } from '../queues/deep';
import { analyseEmail, type AnalysedEmail } from './analyse';
import { awaitsDeep } from './deep';

export interface IntakeDeps {
  /** Only for the fold lock (src/store/lease); every write goes through the stores. */
  redis: Redis;
  apps: ApplicationStore;
  log: IntakeLog;
  raw: RawMailStore;
  parser: DocumentParser;
  campaign: Campaign;
  clock: Clock;
  /** The outbox: planned emails onto the `outbound` queue, idempotent by key. */
  enqueue: (planned: PlannedEmail[]) => Promise<unknown>;
  /**
   * Downloads the message again into the raw store when its file is not here (another
   * machine's watcher stored it, and STORAGE_DIR is not shared). Resolves the bytes, or
   * null when the message is gone from the mailbox too.
   */
  refetch?: (msg: IntakeMessage) => Promise<Buffer | null>;
  /**
   * The deep queue (src/intake/deep.ts): when given, documents are read in the 'receipt' stage
   * (no seal) and a folded message with scans is handed to it after its receipt; absent (`shenbao
   * rebuild`, tests), everything is read before folding ('all').
   */
  deep?: (job: DeepJobData) => Promise<unknown>;
  /** Marks the message processed in IMAP (keyword or move, per campaign). */
  markDone: (ref: MessageRef) => Promise<unknown>;
  /** The file store's journal of folds (what `shenbao rebuild` replays); absent: none kept (rebuild itself). */
  journal?: Journal;
  /** `shenbao rebuild`: the number this message's new application had before (from the journal). */
  numberFor?: (ref: MessageRef) => string | null;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface IntakeMessage extends MessageRef {
  sha256: string;
  internalDate: string | null;
}

export interface ProcessResult {
  outcome: DoneRecord['outcome'];
  applicationId: string | null;
  planned: number;
  /** true when the message had been folded before (a retry or a restart). */
  replay: boolean;
}

export { FOLD_LOCK };

export async function processMessage(deps: IntakeDeps, msg: IntakeMessage): Promise<ProcessResult> {
  const ref: MessageRef = { mailbox: msg.mailbox, uidValidity: msg.uidValidity, uid: msg.uid };
  const before = await deps.log.done(ref);
  if (before) return finish(deps, before, true, msg, true);

  const raw = (await deps.raw.has(msg.sha256)) ? await deps.raw.get(msg.sha256) : await deps.refetch?.(msg);
  if (!raw) throw new Error(`raw message ${msg.sha256} is neither in the file store nor in the mailbox`);
  const stage = deps.deep ? 'receipt' : 'all';
  const analysed = await analyseEmail(raw, { parser: deps.parser }, { internalDate: msg.internalDate ? new Date(msg.internalDate) : undefined, limits: deps.campaign.limits.perEmail, now: deps.clock(), stage: { stage } });
  // A 10 s lock (renewed while held): a worker killed while folding blocks the others no longer.
  const record = await withLock(deps.redis, FOLD_LOCK, () => fold(deps, ref, msg.sha256, analysed), { ttlMs: 10_000 });
  return finish(deps, record.rec, record.replay, msg, analysed.documents.some(awaitsDeep));
}

/** `scans`: the message has scans the deep phase must look at (unknown on a replay: true). */
async function finish(deps: IntakeDeps, rec: DoneRecord, replay: boolean, msg: IntakeMessage, scans: boolean): Promise<ProcessResult> {
  const planned = rec.planned as PlannedEmail[];
  await deps.enqueue(planned);
  // After the receipt is queued: the deep phase never holds it back.
  if (deps.deep && scans && rec.outcome === 'folded' && rec.applicationId) {
    await deps.deep({ mailbox: rec.ref.mailbox, uidValidity: rec.ref.uidValidity, uid: rec.ref.uid, sha256: rec.sha256, internalDate: msg.internalDate, applicationId: rec.applicationId, foldedAt: rec.at });
  }
  await deps.markDone(rec.ref);
  deps.logger?.info({ message: messageKey(rec.ref), outcome: rec.outcome, application: rec.applicationId, planned: planned.map((p) => p.key), replay }, 'intake: message processed');
  return { outcome: rec.outcome, applicationId: rec.applicationId, planned: planned.length, replay };
}

async function fold(deps: IntakeDeps, ref: MessageRef, sha256: string, analysed: AnalysedEmail): Promise<{ rec: DoneRecord; replay: boolean }> {
  const { campaign, log, apps } = deps;
  // Another worker may have finished it while this one was parsing.
  const again = await log.done(ref);
  if (again) return { rec: again, replay: true };

  const { email, arrival, documents } = analysed;
  const now = deps.clock();
  // Exactly one mailbox that did not fail authentication at our server, or nobody (issue 8 §1).
  const answer = whomToAnswer(email, campaign.mail.trustedAuthServIds, now);
  const from = answer.from;
  const base = { ref, messageId: email.messageId, sha256, at: now.toISOString() };
  // Journalled before the transaction (a change is never in Redis without its line).
  const journal = (outcome: DoneRecord['outcome'], applicationId: string | null) =>
    deps.journal?.append({ type: 'fold', ref, sha256, at: base.at, internalDate: arrival.source === 'internalDate' ? arrival.at.toISOString() : null, outcome, applicationId });

  // The same bytes under another UID (copied back, or a UIDVALIDITY change): not again. The
  // same Message-ID with other bytes is another email (a forged or careless id): it is read,
  // and flagged, so nobody can pre-empt an applicant's email by sending its id first.
  const sameBytes = await log.seenElsewhere(null, sha256);
  if (sameBytes !== null && sameBytes !== messageKey(ref)) {
    const rec: DoneRecord = { ...base, outcome: 'duplicate', applicationId: null, planned: [] };
    await journal('duplicate', null);
    await log.saveFold({ done: rec });
    return { rec, replay: false };
  }
  const sameId = email.messageId ? await log.seenElsewhere(email.messageId, null) : null;
  const messageIdReused = sameId !== null && sameId !== messageKey(ref);
  if (email.automatic) {
    const rec: DoneRecord = { ...base, outcome: 'automatic', applicationId: null, planned: [] };
    await journal('automatic', null);
    await log.saveFold({ done: rec, automatic: { ref, messageId: email.messageId, from, subject: email.subject, reason: email.automatic.reason, arrivedAt: arrival.at.toISOString() } });
    return { rec, replay: false };
  }

  const found = await findApplication(apps, campaign, email.subject, from, companyKeyOf(documents));
  const app = found.app ?? newApplication(deps.numberFor?.(ref) ?? (await apps.nextId(`${campaign.idPrefix}-`)), now);
  if (found.possibleDuplicateOf && !app.possibleDuplicateOf && app.id !== found.possibleDuplicateOf) app.possibleDuplicateOf = found.possibleDuplicateOf;
  const input: FoldInput = {
    messageId: email.messageId,
    from,
    subject: email.subject,
    arrival,
    documents,
    links: email.links,
    processedAt: now,
    rawSha256: sha256,
    ...(messageIdReused ? { messageIdReused } : {}),
    ...(answer.noReply ? { noReply: answer.noReply } : {}),
  };
  const folded = await keepAddressesApart(apps, foldInArrivalOrder(app, input, campaign), from);
  const verdict = judge(folded, campaign);
  const arrivedAt = arrival.at.toISOString();
  const entry = [...folded.emails].reverse().find((e) => e.messageId === email.messageId && e.arrivedAt === arrivedAt);
  if (!entry) throw new Error(`foldEmail added no email to ${folded.id}`);
  const planned = planAfterEmail(folded, verdict, entry, campaign, now, false, { references: email.references });
  const rec: DoneRecord = { ...base, outcome: 'folded', applicationId: folded.id, planned, ...(messageIdReused ? { messageIdReused } : {}) };
  await journal('folded', folded.id);
  await log.saveFold({ done: rec, application: { apps, app: folded, changedAtMs: now.getTime() } });
  return { rec, replay: false };
}

/**
 * An application held apart as a possible duplicate does not take the addresses of the one it
 * may duplicate (the form's contact email names the real company's people): else replies and
 * reminders of the stranger's application would reach them, and their next email would be
 * routed to it by address. Its own sender stays.
 */
async function keepAddressesApart(apps: ApplicationStore, app: Application, from: string | null): Promise<Application> {
  if (!app.possibleDuplicateOf) return app;
  const original = await apps.resolve(app.possibleDuplicateOf);
  if (!original) return app;
  const theirs = new Set(original.addresses.map((a) => a.toLowerCase()));
  return { ...app, addresses: app.addresses.filter((a) => a === from || !theirs.has(a.toLowerCase())) };
}

/** Where an email goes: an application, or a new one (possibly a duplicate of another, for staff). */
export interface Placement {
  app: Application | null;
  /** The company's application that does not know this sender: `app` (or the new one) is marked with it. */
  possibleDuplicateOf: string | null;
}

const knows = (app: Application, from: string | null) => from !== null && app.addresses.some((a) => a.toLowerCase() === from);

/**
 * rules.md: a reply whose subject carries an application number joins it only when its
 * sender is an address the application knows; else the company named by the documents;
 * else the sender's application, unless that one belongs to another company.
 *
 * The company rule never hands an application to a stranger (issue 8 §2): a form naming a
 * company whose application does not know the sender, and whose sender is not of that
 * application's own mail domain (free mail never counts), joins the sender's own application
 * of that company if there is one, else starts a new one marked as a possible duplicate.
 * The company index may point at such a held-apart application (it was saved last), so the
 * application it possibly duplicates is asked too.
 */
export async function findApplication(
  apps: ApplicationStore,
  campaign: Campaign,
  subject: string,
  from: string | null,
  companyKey: string | null,
): Promise<Placement> {
  const numbered = new RegExp(`\\[(${campaign.idPrefix}-\\d+)\\]`, 'i').exec(subject);
  if (numbered?.[1] && from) {
    // A number staff merged into another application reaches that one.
    const app = await apps.resolve(numbered[1].toUpperCase());
    if (app && knows(app, from)) return { app, possibleDuplicateOf: null };
  }
  if (companyKey) {
    const indexed = await apps.byCompany(companyKey);
    if (indexed) {
      const original = (indexed.possibleDuplicateOf ? await apps.resolve(indexed.possibleDuplicateOf) : null) ?? indexed;
      for (const app of [indexed, original]) if (knows(app, from)) return { app, possibleDuplicateOf: null };
      if (from && sameOrganisationDomain(from, original.addresses)) return { app: original, possibleDuplicateOf: null };
      const own = from ? await apps.byAddress(from) : null;
      // The sender's own application (of this company, or of none yet) takes it, marked too.
      if (own && (own.companyKey === null || own.companyKey === companyKey)) return { app: own, possibleDuplicateOf: original.id };
      return { app: null, possibleDuplicateOf: original.id };
    }
  }
  if (from) {
    const app = await apps.byAddress(from);
    if (app && (companyKey === null || app.companyKey === null || app.companyKey === companyKey)) return { app, possibleDuplicateOf: null };
  }
  return { app: null, possibleDuplicateOf: null };
}
