/**
 * Which emails are due (rules.md "Emails the service sends"), pure: the outbox sends them
 * and uses `key` so that the same reason never sends twice, whatever restarts or retries.
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../config/campaign';
import type { Application, ApplicationEmail, Verdict } from '../domain/application';
import { endOfDay, type DeadlineName } from '../rules/deadline';
import { standingForms } from '../rules/products';
import { isSingleMailbox } from '../domain/mailbox';
import { messageIdOrNull, threadIds } from '../domain/message-id';
import { emailProblem } from '../rules/validators';
import { addDays, wallClock, zonedDate, zonedInstant } from '../rules/zoned-time';
import type { PlannedEmail, PlannedKind } from '../domain/outgoing';
import { digestEmail, type Judged } from './templates/digest';
import { followUpEmail, reminderEmail } from './templates/follow-up';
import { closedNoticeEmail, lateNoticeEmail, receiptEmail } from './templates/receipt';
import { completeNoticeEmail, statusEmail } from './templates/status';

export { PLANNED_KINDS, type PlannedEmail, type PlannedKind } from '../domain/outgoing';

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

/**
 * The form's contact email (latest standing form), else the sender of the latest email; never
 * a sender we must not answer (`noReply`: a list, a group, a domain that failed
 * authentication), nor a contact only such an email brought (a spoofed email's form), nor, for an
 * application held apart as a possible duplicate, a contact it does not know itself (issue 8 §2).
 */
export function applicantAddress(app: Application): string | null {
  const spoofed = new Set(app.emails.filter((e) => e.noReply?.code === 'SENDER_FAILED_AUTH').flatMap((e) => e.documents));
  for (const e of app.emails) if (e.noReply?.code !== 'SENDER_FAILED_AUTH') for (const sha of e.documents) spoofed.delete(sha);
  const contact = standingForms(app.forms)
    .filter((f) => !spoofed.has(f.sha256))
    .map((f) => f.form.company.contact.email?.trim() ?? '')
    .reverse()
    // A held-apart application (possibly the same company as another) writes only to addresses it
    // knows itself: its form names the other application's contact, who must not get its emails.
    .find((e) => e !== '' && emailProblem(e) === null && (!app.possibleDuplicateOf || app.addresses.includes(e.toLowerCase())));
  if (contact) return contact.toLowerCase();
  const sender = [...app.emails].reverse().find((e) => e.from && !e.noReply)?.from ?? null;
  return sender !== null && isSingleMailbox(sender) ? sender : null;
}

/** Defence in depth (issue 8 §1): a planned email goes to exactly one mailbox, or is not planned. */
export function toOneMailbox<T extends { to: string }>(planned: T[]): T[] {
  return planned.filter((p) => isSingleMailbox(p.to));
}

/** Follow-ups allowed per day are spread over the day's slots: one slot a day by default. */
function followUpSlot(now: Date, campaign: Campaign): string {
  const date = zonedDate(now, campaign.timeZone);
  const n = campaign.followUp.perApplicationPerDay;
  return n === 1 ? date : `${date}#${Math.floor((wallClock(now, campaign.timeZone).hour * n) / 24)}`;
}

/**
 * After one email was folded in and judged. Nothing for automatic messages. A reply for an
 * email that brought documents or links (the receipt, or the late/closed notice by that
 * email's own arrival); none for an email with neither, which has nothing to acknowledge
 * (a "thank you" must not start a ping-pong). A follow-up while the application is
 * incomplete, unless the call is closed for it or the receipt just told the same address.
 */
export function planAfterEmail(
  app: Application,
  verdict: Verdict,
  email: ApplicationEmail,
  campaign: Campaign,
  now: Date,
  automatic: boolean,
  thread: { references?: string[] } = {},
): PlannedEmail[] {
  // An email whose sender must not be answered starts no automatic email (staff see why).
  if (automatic || email.noReply) return [];
  const planned: PlannedEmail[] = [];
  const carries = email.documents.length > 0 || email.links.length > 0;
  if (carries && email.from) {
    const input = { app, verdict, campaign, email };
    const kind: PlannedKind = email.deadline === 'onTime' ? 'receipt' : email.deadline === 'late' ? 'lateNotice' : 'closedNotice';
    const body = kind === 'receipt' ? receiptEmail(input) : kind === 'lateNotice' ? lateNoticeEmail(input) : closedNoticeEmail(input);
    // A reused Message-ID with other content is another email: it gets its own receipt.
    const id = email.messageId && email.messageIdReused && email.rawSha256 ? `${email.messageId}|${email.rawSha256}` : email.messageId;
    const reason = hash(id ?? `${email.from}|${email.arrivedAt}|${email.subject}`);
    // Only well-formed ids, the last 10 (the References an applicant sent are applicant input).
    const inReplyTo = messageIdOrNull(email.messageId);
    const threading = inReplyTo ? { inReplyTo, references: threadIds([...(thread.references ?? []), inReplyTo]) } : {};
    planned.push({ key: `${app.id}:receipt:${reason}`, kind, to: email.from, ...body, ...threading });
  }
  const to = applicantAddress(app);
  const closed = app.deadline === 'closed' || email.deadline === 'closed';
  if (!verdict.complete && !closed && to && !planned.some((p) => p.to.toLowerCase() === to)) {
    planned.push({ key: `${app.id}:followUp:${followUpSlot(now, campaign)}`, kind: 'followUp', to, ...followUpEmail({ app, verdict, campaign, now }) });
  }
  return toOneMailbox(planned);
}

/** The latest reminder of a deadline that is due at `now` (catch-up), or null; none once the deadline has passed. */
export function dueReminder(name: DeadlineName, campaign: Campaign, now: Date): { days: number; at: Date } | null {
  const date = campaign.deadlines[name];
  if (now.getTime() >= endOfDay(date, campaign).getTime()) return null;
  const due = campaign.reminders.daysBefore
    .map((days) => ({ days, at: zonedInstant(addDays(date, -days), campaign.reminders.at, campaign.timeZone) }))
    .filter((r) => r.at.getTime() <= now.getTime())
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  return due[0] ?? null;
}

/**
 * Reminders due at `now` to every incomplete on-time application that existed when the
 * reminder fell due (one that just arrived has its receipt). Only the latest reminder
 * of each deadline: after a stop, the missed earlier one is not sent late.
 */
export function planReminders(items: readonly Judged[], campaign: Campaign, now: Date): PlannedEmail[] {
  const planned: PlannedEmail[] = [];
  for (const deadline of campaign.reminders.deadlines) {
    const due = dueReminder(deadline, campaign, now);
    if (!due) continue;
    for (const { app, verdict } of items) {
      const since = new Date(app.emails[0]?.arrivedAt ?? app.createdAt);
      const to = applicantAddress(app);
      if (verdict.complete || app.deadline !== 'onTime' || !to || since.getTime() > due.at.getTime()) continue;
      planned.push({
        key: `${app.id}:reminder:${campaign.deadlines[deadline]}-${due.days}d`,
        kind: 'reminder',
        to,
        ...reminderEmail({ app, verdict, campaign, deadline, days: due.days }),
      });
    }
  }
  return toOneMailbox(planned);
}

/** Is the daily digest due: past today's digest hour and not yet sent since then? */
export function isDigestDue(now: Date, lastSentAt: Date | null, campaign: Campaign): boolean {
  const hour = `${String(campaign.digest.hour).padStart(2, '0')}:00`;
  const today = zonedInstant(zonedDate(now, campaign.timeZone), hour, campaign.timeZone);
  return now.getTime() >= today.getTime() && (lastSentAt === null || lastSentAt.getTime() < today.getTime());
}

/** The staff digest; `reason` defaults to the day (daily digest), an on-demand one passes its own. */
export function planDigest(
  items: readonly Judged[],
  campaign: Campaign,
  now: Date,
  opts: { to: string; since: Date | null; reason?: string; dashboardUrl?: string | null },
): PlannedEmail {
  const body = digestEmail({ items: [...items], campaign, now, since: opts.since, dashboardUrl: opts.dashboardUrl });
  return { key: `staff:digest:${opts.reason ?? zonedDate(now, campaign.timeZone)}`, kind: 'digest', to: opts.to, ...body };
}

/**
 * After a staff action (waiver, correction, kind, merge, move): a change that completes an
 * incomplete application tells the applicant once, ever (`${id}:completeNotice`: the sent
 * log refuses a second send, so undoing and redoing a waiver does not send it again). None
 * for an application closed by the deadline (its closed notice said it is not accepted),
 * none without an address, none when staff asked for silence (`notify: false`).
 */
export function planAfterStaffAction(
  before: Verdict,
  after: Judged,
  campaign: Campaign,
  now: Date,
  opts: { notify?: boolean } = {},
): PlannedEmail[] {
  const { app, verdict } = after;
  if (opts.notify === false || before.complete || !verdict.complete || app.deadline === 'closed' || app.mergedInto) return [];
  const to = applicantAddress(app);
  if (!to) return [];
  return toOneMailbox([{ key: `${app.id}:completeNotice`, kind: 'completeNotice', to, ...completeNoticeEmail({ app, verdict, campaign, now }) }]);
}

/** Minutes of one status slot: a double click (or two staff at once) sends one status email. */
export const STATUS_SLOT_MINUTES = 5;

/**
 * The status email staff send now. Its key holds the time slot (Asia/Shanghai wall time,
 * 5 minutes), not who asked (`_by` is in the caller's audit entry): two clicks in one slot
 * send once. Null without an address.
 */
export function planStatusNow(judged: Judged, campaign: Campaign, now: Date, _by: string): PlannedEmail | null {
  const { app, verdict } = judged;
  const to = applicantAddress(app);
  if (!to || app.mergedInto || !isSingleMailbox(to)) return null;
  const w = wallClock(now, campaign.timeZone);
  const minute = Math.floor(w.minute / STATUS_SLOT_MINUTES) * STATUS_SLOT_MINUTES;
  const slot = `${zonedDate(now, campaign.timeZone)}T${String(w.hour).padStart(2, '0')}${String(minute).padStart(2, '0')}`;
  return { key: `${app.id}:status:${slot}`, kind: 'status', to, ...statusEmail({ app, verdict, campaign, now }) };
}
