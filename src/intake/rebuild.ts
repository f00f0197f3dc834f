/**
 * `shenbao rebuild`: every application, document record, intake record and sent-log entry
 * recreated after Redis was lost, from the mailbox and the file store alone, sending nothing.
 *
 *  1. The sent log is restored from the file store's sent copies: what went out, when, with
 *     which Message-ID — the planner could only say what was due. First, so that the staff
 *     actions replayed after find the records they acted on (a resend, a suppression refused).
 *  2. The journal (src/store/journal.ts) is replayed in its order: each message folded again
 *     from its raw bytes (the file store; the mailbox when the file is missing) by the same
 *     code as the intake, under shenbao's clock as it was then and into the number it had;
 *     each staff action redone with its audit entries — waive, correct, kind, note: the
 *     overlay they left; merge and move: run again by StaffActions at their time on the
 *     store as it then was (the entries it writes are compared with the journal's); suppress,
 *     resend, send-status, reprocess: the sent-log record and the entries (src/store/staff-replay.ts);
 *     each failed message listed again.
 *  3. Messages the mailbox marks processed that the journal does not know (processed before
 *     it existed) are folded after, in UID order; messages not marked are left to the worker,
 *     which answers them as new mail.
 * What the replay plans is collected and counted, never queued: nothing is sent.
 * Resumable: a cursor (journal lines done) is saved after each line (the sent copies are
 * restored only on a run that starts at line 0: a later one would undo replayed resends);
 * every step is idempotent anyway (a message with an intake record is not folded twice, a
 * merge already made is not made again, the staff line at the cursor whose newest entry is the
 * trail's newest is not redone).
 */
import type { Redis } from 'ioredis';
import type { Campaign } from '../config/campaign';
import type { DocumentParser } from '../documents';
import type { PlannedEmail } from '../domain/outgoing';
import type { IntakeMailbox } from '../mail/intake-mailbox';
import type { ApplicationStore } from '../store/applications';
import { messageKey, type IntakeLog, type MessageRef } from '../store/intake-log';
import type { FoldLine, Journal, JournalLine, StaffLine } from '../store/journal';
import type { RawMailStore } from '../store/raw-mail';
import type { SentCopies } from '../store/sent-copies';
import type { SentLog } from '../store/sent-log';
import { StaffActions } from '../store/staff-actions';
import { newestAuditIs, replayAuditOnly, replayResend, replaySuppress } from '../store/staff-replay';
import { processMessage, type IntakeDeps } from './process-message';

export interface RebuildDeps {
  redis: Redis;
  apps: ApplicationStore;
  log: IntakeLog;
  sentLog: SentLog;
  raw: RawMailStore;
  journal: Journal;
  copies: SentCopies;
  parser: DocumentParser;
  campaign: Campaign;
  mailbox: IntakeMailbox;
  /** IMAP_MAILBOX. */
  mailboxName: string;
  /** The keywords that say a message was processed / failed (campaign `processed`). */
  doneKeyword: string;
  /** shenbao's clock, for messages the journal does not know. */
  clock: () => Date;
  progress?: (done: number, total: number, stage: string) => void;
}

export interface RebuildSummary {
  folded: number;
  staffReplayed: number;
  /** Staff actions a rebuild could not replay (an older journal line without what it changed, a refused merge): staff redo them. */
  staffNotReplayed: string[];
  /** Merges and moves replayed whose audit entries differ from the journal's (the store was not as it had been). */
  staffDiverged: string[];
  failedListed: number;
  notInJournal: number;
  sentRestored: number;
  /** Planned by the replay, with no sent copy: never sent before, and not sent now. */
  plannedNotSent: string[];
  /** Journal lines whose message is neither in the file store nor in the mailbox. */
  missing: string[];
  resumedAt: number;
}

const OVERLAY_ACTIONS = new Set(['waive', 'unwaive', 'correct', 'set-kind', 'note']);
const AUDIT_ONLY_ACTIONS = new Set(['send-status', 'reprocess']);

/** The journal's lines to replay: a message's last fold line stands for it (earlier ones were retried). */
export function replayOrder(lines: readonly JournalLine[]): JournalLine[] {
  const lastFold = new Map<string, number>();
  lines.forEach((l, i) => { if (l.type === 'fold') lastFold.set(messageKey(l.ref), i); });
  return lines.filter((l, i) => l.type !== 'fold' || lastFold.get(messageKey(l.ref)) === i);
}

/** The number each message's fold created, if it created one (the first fold line naming it). */
export function createdNumbers(lines: readonly JournalLine[]): Map<string, string> {
  const seen = new Set<string>();
  const created = new Map<string, string>();
  for (const l of lines) {
    if (l.type !== 'fold' || !l.applicationId || seen.has(l.applicationId)) continue;
    seen.add(l.applicationId);
    created.set(messageKey(l.ref), l.applicationId);
  }
  return created;
}

export async function rebuild(d: RebuildDeps): Promise<RebuildSummary> {
  const lines = replayOrder(await d.journal.read());
  const numbers = createdNumbers(lines);
  const highest = Math.max(0, ...[...numbers.values()].map((id) => Number(/-(\d+)$/.exec(id)?.[1] ?? 0)));
  await d.apps.raiseSeq(highest);
  const listing = await d.mailbox.list(d.mailboxName);
  const planned: PlannedEmail[] = [];
  const summary: RebuildSummary = {
    folded: 0, staffReplayed: 0, staffNotReplayed: [], staffDiverged: [], failedListed: 0, notInJournal: 0, sentRestored: 0, plannedNotSent: [], missing: [],
    resumedAt: await d.log.rebuildCursor(),
  };

  const copies = await d.copies.all();
  if (summary.resumedAt === 0) {
    for (const [n, record] of copies.entries()) {
      d.progress?.(n, copies.length, 'sent log');
      await d.sentLog.restore(record);
    }
    summary.sentRestored = copies.length;
  }

  // Merges and moves run again through StaffActions, its clock at each entry's time; no journal (nothing is appended).
  let replayAt = new Date(0);
  const actions = new StaffActions({
    redis: d.redis, apps: d.apps, sentLog: d.sentLog, intakeLog: d.log, campaign: d.campaign,
    clock: () => new Date(replayAt.getTime()), enqueue: async (p) => { planned.push(...p); },
  });
  const replayStaff = async (line: StaffLine): Promise<void> => {
    const { audit, staff, op } = line;
    const label = `${audit.at} ${audit.action} ${audit.applicationId}`;
    if (op?.op === 'merge' || op?.op === 'move-email') {
      if (op.op === 'merge' && (await d.apps.get(op.sourceId))?.mergedInto === op.targetId) return; // made before an interruption
      replayAt = new Date(audit.at);
      const r = op.op === 'merge'
        ? await actions.merge(op.targetId, op.sourceId, audit.reason, audit.by)
        : await actions.moveEmail(op.fromId, op.emailIndex, op.toId, audit.reason, audit.by);
      if (!r.ok) {
        summary.staffNotReplayed.push(`${label}: ${r.message}`);
        return;
      }
      if (JSON.stringify([r.audit, r.other?.audit]) !== JSON.stringify([audit, ...(line.also ?? [])])) summary.staffDiverged.push(label);
    } else if (op?.op === 'suppress') {
      await replaySuppress(d.redis, d.sentLog, op.record, audit);
    } else if (op?.op === 'resend') {
      await replayResend(d.redis, op.key, op.n, audit);
    } else if (AUDIT_ONLY_ACTIONS.has(audit.action)) {
      await replayAuditOnly(d.redis, audit);
    } else {
      const app = audit.applicationId ? await d.apps.get(audit.applicationId) : null;
      if (!app || !staff || !OVERLAY_ACTIONS.has(audit.action)) {
        summary.staffNotReplayed.push(label);
        return;
      }
      await d.apps.saveReplayed({ ...app, staff, updatedAt: audit.at }, Date.parse(audit.at), audit);
    }
    summary.staffReplayed++;
  };

  const fold = async (ref: MessageRef, sha256: string | null, internalDate: string | null, at: () => Date, numberFor: IntakeDeps['numberFor']) => {
    let sha = sha256;
    if (!sha || !(await d.raw.has(sha))) sha = (ref.uidValidity === listing.uidValidity ? await d.mailbox.download(ref) : null) ?? null;
    if (!sha || (sha256 && sha !== sha256)) {
      summary.missing.push(messageKey(ref));
      return;
    }
    await processMessage({
      redis: d.redis, apps: d.apps, log: d.log, raw: d.raw, parser: d.parser, campaign: d.campaign, clock: at,
      enqueue: async (p) => { planned.push(...p); },
      markDone: async () => undefined,
      numberFor,
    }, { ...ref, sha256: sha, internalDate });
    summary.folded++;
  };

  const total = lines.length;
  for (let i = summary.resumedAt; i < total; i++) {
    const line = lines[i];
    if (!line) continue;
    d.progress?.(i, total, 'journal');
    if (line.type === 'fold') {
      const l: FoldLine = line;
      await fold(l.ref, l.sha256, l.internalDate, () => new Date(l.at), (ref) => numbers.get(messageKey(ref)) ?? null);
    } else if (line.type === 'failed') {
      if (!(await d.log.done(line.record.ref))) {
        await d.log.markFailed(line.record);
        summary.failedListed++;
      }
    } else if (i > 0 && i === summary.resumedAt && (await newestAuditIs(d.redis, line.also?.at(-1) ?? line.audit))) {
      // Written before the interruption, cursor not: done.
    } else {
      await replayStaff(line);
    }
    await d.log.setRebuildCursor(i + 1);
  }

  // Processed before the journal existed: folded now, in UID order, on today's clock.
  const journalled = new Set(lines.filter((l): l is FoldLine => l.type === 'fold').map((l) => messageKey(l.ref)));
  const unknown = listing.messages.filter((m) => m.flags.includes(d.doneKeyword) && !journalled.has(messageKey({ mailbox: d.mailboxName, uidValidity: listing.uidValidity, uid: m.uid })));
  for (const [n, m] of unknown.entries()) {
    d.progress?.(n, unknown.length, 'mailbox');
    const ref = { mailbox: d.mailboxName, uidValidity: listing.uidValidity, uid: m.uid };
    if (await d.log.done(ref)) continue;
    await fold(ref, null, m.internalDate, d.clock, undefined);
    summary.notInJournal++;
  }

  const known = new Set(copies.map((c) => c.key));
  summary.plannedNotSent = [...new Set(planned.map((p) => p.key))].filter((k) => !known.has(k));
  d.progress?.(1, 1, 'done');
  return summary;
}
