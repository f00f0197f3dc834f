/**
 * The one way staff change the store. Every action that changes an application:
 *   takes the fold lock (the intake folds under it: an action and a folding email never race,
 *   and two actions run one after the other) → loads the live application → computes the new
 *   one (pure, src/rules) → judges before and after → writes the application and its audit
 *   entry in ONE transaction → after the lock, enqueues what became due (the 材料齐全 notice
 *   when the change completed the application).
 * Actions on the outbox (suppress, resend) and on failed mail (reprocess) write their audit
 * entry with the change where the change is in Redis (suppress: one Lua step).
 * A refusal (unknown number, empty reason, bad path …) is a value with an English and a
 * Chinese message, and writes nothing; our bugs and a failed Redis throw.
 */
import type { Redis } from 'ioredis';
import type { Campaign } from '../config/campaign';
import type { Application, Judged, Verdict } from '../domain/application';
import type { Clock } from '../domain/clock';
import { DOCUMENT_KINDS, type DocumentKind } from '../domain/document';
import type { RegistrationForm } from '../domain/form';
import { emptyOverlay, type AuditAction, type AuditEntry, type StaffOverlay, type Waiver } from '../domain/staff';
import { PLANNED_KINDS, planAfterStaffAction, planStatusNow, type PlannedEmail, type PlannedKind } from '../notify/plan';
import { foldInArrivalOrder } from '../rules/fold';
import { ISSUE_CODES, type IssueCode } from '../rules/issue-codes';
import { judge } from '../rules/judge';
import { mergeApplications, removeEmail } from '../rules/merge';
import { standingForms } from '../rules/products';
import { asStaffSee, correctablePath, waives } from '../rules/staff-overlay';
import type { ApplicationStore } from './applications';
import { AuditLog, auditPushes, writeAudit } from './audit';
import type { FailedRecord, IntakeLog } from './intake-log';
import type { Journal } from './journal';
import { FOLD_LOCK, withLock } from './lease';
import type { SentLog } from './sent-log';

export type Refusal = { ok: false; code: 'NOT_FOUND' | 'BAD_INPUT' | 'CONFLICT'; message: string; messageZh: string };

export type ActionResult =
  | {
    ok: true;
    app: Application;
    verdict: Verdict;
    planned: PlannedEmail[];
    audit: AuditEntry;
    /** The other application an action changed (moveEmail: the destination; merge: the source, now a pointer), with its entry. */
    other?: { app: Application; verdict: Verdict; audit: AuditEntry };
  }
  | Refusal;

/** Actions on mail rather than on an application: the application is null when the mail has none (a failed mail, the staff digest). */
export type MailActionResult =
  | { ok: true; app: Application | null; verdict: Verdict | null; planned: PlannedEmail[]; audit: AuditEntry }
  | Refusal;

export interface StaffActionsDeps {
  /** A store client (createRedis with the service's prefix): the fold lock is shared with the intake through it. */
  redis: Redis;
  apps: ApplicationStore;
  sentLog: SentLog;
  intakeLog: IntakeLog;
  campaign: Campaign;
  clock: Clock;
  /** The outbox: planned emails onto the `outbound` queue, idempotent by key. */
  enqueue: (planned: PlannedEmail[]) => Promise<unknown>;
  /** Puts a failed message back on the intake queue (absent: reprocessing is not offered). */
  reprocess?: (failed: FailedRecord) => Promise<void>;
  /** The file store's journal: a copy of each change's audit entry and overlay, for `shenbao rebuild`. */
  journal?: Journal;
}

const MAX_TEXT = 2000;

const refuse = (code: Refusal['code'], message: string, messageZh: string): Refusal => ({ ok: false, code, message, messageZh });
const notFound = (id: string) => refuse('NOT_FOUND', `no application ${id}`, `没有编号为 ${id} 的申报`);
const mergedAway = (app: Application) =>
  refuse('CONFLICT', `${app.id} was merged into ${app.mergedInto}; act on ${app.mergedInto}`, `${app.id} 已并入 ${app.mergedInto}，请在 ${app.mergedInto} 中操作`);

/** A reason staff typed, or the refusal that says it is needed. */
function checkText(value: unknown, what: { en: string; zh: string }): string | Refusal {
  const t = typeof value === 'string' ? value.trim() : '';
  if (t === '') return refuse('BAD_INPUT', `${what.en} is required`, `请填写${what.zh}`);
  if (t.length > MAX_TEXT) return refuse('BAD_INPUT', `${what.en} is longer than ${MAX_TEXT} characters`, `${what.zh}不能超过 ${MAX_TEXT} 个字`);
  return t;
}
const REASON = { en: 'a reason', zh: '原因' };
const STAFF_USER = { en: 'the staff user', zh: '操作人' };
const isRefusal = (v: unknown): v is Refusal => typeof v === 'object' && v !== null && (v as { ok?: unknown }).ok === false;

/** Who acts and why (mail actions, merge and move ask both up front). */
function whoAndWhy(by: unknown, reason: unknown): { who: string; why: string } | Refusal {
  const who = checkText(by, STAFF_USER);
  if (isRefusal(who)) return who;
  const why = checkText(reason, REASON);
  return isRefusal(why) ? why : { who, why };
}

/** The value staff see at a correctable path of a form (a correction's "from"). */
export function valueAtPath(form: RegistrationForm, path: string): string | null {
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  const product = /^products\[(\d)\]\.(\w+)$/.exec(path);
  if (product) {
    const p = form.products[Number(product[1])];
    if (!p) return null;
    const field = product[2] ?? '';
    if (field === 'category') return p.categoryText ?? p.category;
    if (field === 'releaseDate') return p.releaseDate ?? p.releaseDateText;
    return str((p as unknown as Record<string, unknown>)[field]);
  }
  const contact = /^company\.contact\.(\w+)$/.exec(path);
  if (contact) return str((form.company.contact as unknown as Record<string, unknown>)[contact[1] ?? '']);
  if (path === 'company.mainBusiness') return form.company.mainBusiness.length > 0 ? form.company.mainBusiness.join('、') : null;
  const company = /^company\.(\w+)$/.exec(path);
  if (company) return str((form.company as unknown as Record<string, unknown>)[company[1] ?? '']);
  if (path === 'productSummary') return form.productSummary;
  if (path === 'caseSummary') return form.caseSummary;
  return null;
}

/** The application number a sent-log key belongs to (`SB2023-0042:receipt:…`), or '' (the staff digest). */
function appIdOfKey(key: string, campaign: Campaign): string {
  const m = new RegExp(`^(${campaign.idPrefix}-\\d+):`).exec(key);
  return m?.[1] ?? '';
}

interface Change {
  next: Application;
  reason: string;
  detail: Record<string, unknown>;
}

export class StaffActions {
  private readonly auditLog: AuditLog;

  constructor(private readonly deps: StaffActionsDeps) {
    this.auditLog = new AuditLog(deps.redis);
  }

  // ---------------------------------------------------------------- waivers, corrections, kinds, notes

  /** Accept an open issue as it is ("2 user reports are enough"). `file`/`path` narrow it to that issue. */
  waive(appId: string, input: { code: string; file?: string; path?: string; reason: string }, by: string): Promise<ActionResult> {
    return this.changeOne(appId, by, 'waive', (app, before) => {
      const reason = checkText(input.reason, REASON);
      if (isRefusal(reason)) return reason;
      if (!(ISSUE_CODES as readonly string[]).includes(input.code)) return refuse('BAD_INPUT', `unknown issue code ${input.code}`, `未知的问题代码 ${input.code}`);
      const waiver: Waiver = {
        code: input.code as IssueCode, by, at: this.now().toISOString(), reason,
        ...(input.file ? { file: input.file } : {}), ...(input.path ? { path: input.path } : {}),
      };
      const covered = before.issues.filter((i) => waives(waiver, i));
      if (covered.length === 0) {
        return refuse('BAD_INPUT', `${app.id} has no open issue ${input.code}${input.file ? ` about ${input.file}` : ''}`, `${app.id} 当前没有待处理的问题 ${input.code}${input.file ? `（${input.file}）` : ''}`);
      }
      const staff = overlayOf(app);
      return {
        next: { ...app, staff: { ...staff, waivers: [...staff.waivers, waiver] } },
        reason,
        detail: { code: waiver.code, ...(waiver.file ? { file: waiver.file } : {}), ...(waiver.path ? { path: waiver.path } : {}), issues: covered.map((i) => i.message) },
      };
    });
  }

  /** Take back waiver number `waiverIndex` (0-based, as in app.staff.waivers). */
  unwaive(appId: string, waiverIndex: number, reason: string, by: string): Promise<ActionResult> {
    return this.changeOne(appId, by, 'unwaive', (app) => {
      const why = checkText(reason, REASON);
      if (isRefusal(why)) return why;
      const staff = overlayOf(app);
      const w = Number.isInteger(waiverIndex) ? staff.waivers[waiverIndex] : undefined;
      if (!w) return refuse('BAD_INPUT', `${app.id} has no waiver #${waiverIndex}`, `${app.id} 没有第 ${waiverIndex + 1} 项豁免`);
      return {
        next: { ...app, staff: { ...staff, waivers: staff.waivers.filter((_, i) => i !== waiverIndex) } },
        reason: why,
        detail: { code: w.code, ...(w.file ? { file: w.file } : {}), ...(w.path ? { path: w.path } : {}), waivedBy: w.by, waivedAt: w.at, waivedReason: w.reason },
      };
    });
  }

  /** A field the parser misread, as staff read it on the document; applied to the latest standing form. */
  correct(appId: string, input: { path: string; value: string; reason: string }, by: string): Promise<ActionResult> {
    return this.changeOne(appId, by, 'correct', (app) => {
      const reason = checkText(input.reason, REASON);
      if (isRefusal(reason)) return reason;
      if (typeof input.path !== 'string' || !correctablePath(input.path)) {
        return refuse('BAD_INPUT', `${String(input.path)} is not a field staff can correct`, `“${String(input.path)}”不是可更正的字段`);
      }
      if (typeof input.value !== 'string' || input.value.length > MAX_TEXT) return refuse('BAD_INPUT', 'the new value must be a text', '新值必须是不超过 2000 字的文字');
      const latest = standingForms(asStaffSee(app).forms).pop();
      if (!latest) return refuse('BAD_INPUT', `${app.id} has no registration form to correct`, `${app.id} 还没有可更正的登记表`);
      const from = valueAtPath(latest.form, input.path);
      const to = input.value.trim();
      if ((from ?? '') === to) return refuse('BAD_INPUT', `${input.path} is already "${to}"`, `该字段已是“${to}”`);
      const staff = overlayOf(app);
      const correction = { path: input.path, value: input.value, by, at: this.now().toISOString(), reason };
      return {
        next: { ...app, staff: { ...staff, corrections: [...staff.corrections.filter((c) => c.path !== input.path), correction] } },
        reason,
        detail: { path: input.path, file: latest.file, from, to },
      };
    });
  }

  /** Classify a document differently (a certificate the parser read as a user report …). */
  setKind(appId: string, input: { sha256: string; kind: string; reason: string }, by: string): Promise<ActionResult> {
    return this.changeOne(appId, by, 'set-kind', (app) => {
      const reason = checkText(input.reason, REASON);
      if (isRefusal(reason)) return reason;
      if (!(DOCUMENT_KINDS as readonly string[]).includes(input.kind)) return refuse('BAD_INPUT', `unknown document kind ${input.kind}`, `未知的材料类别 ${input.kind}`);
      const parsed = app.documents.find((d) => d.sha256 === input.sha256);
      const seen = asStaffSee(app).documents.find((d) => d.sha256 === input.sha256);
      if (!parsed || !seen) return refuse('BAD_INPUT', `${app.id} has no document ${input.sha256}`, `${app.id} 中没有这份材料`);
      const kind = input.kind as DocumentKind;
      if (seen.kind === kind) return refuse('BAD_INPUT', `${parsed.file} is already ${kind}`, `“${parsed.file}”已是该类别`);
      const staff = overlayOf(app);
      const others = staff.kinds.filter((k) => k.sha256 !== input.sha256);
      // Back to what the parser said: the override goes (the audit keeps both steps).
      const kinds = kind === parsed.kind ? others : [...others, { sha256: input.sha256, kind, by, at: this.now().toISOString(), reason }];
      return { next: { ...app, staff: { ...staff, kinds } }, reason, detail: { sha256: input.sha256, file: parsed.file, from: seen.kind, to: kind } };
    });
  }

  note(appId: string, text: string, by: string): Promise<ActionResult> {
    return this.changeOne(appId, by, 'note', (app) => {
      const t = checkText(text, { en: 'the note', zh: '备注内容' });
      if (isRefusal(t)) return t;
      const staff = overlayOf(app);
      return { next: { ...app, staff: { ...staff, notes: [...staff.notes, { by, at: this.now().toISOString(), text: t }] } }, reason: t, detail: { text: t } };
    });
  }

  // ---------------------------------------------------------------- merge and move

  /**
   * `source` joins `target`: every email of both re-folded in arrival order under the
   * target's number; the source stays as a pointer (`mergedInto`), and its company key and
   * addresses now find the target.
   */
  async merge(targetId: string, sourceId: string, reason: string, by: string): Promise<ActionResult> {
    const signed = whoAndWhy(by, reason);
    if (isRefusal(signed)) return signed;
    const { who, why } = signed;
    if (targetId === sourceId) return refuse('BAD_INPUT', 'an application cannot be merged into itself', '不能将申报并入其自身');
    return this.afterLock(await this.locked(async () => {
      const pair = await this.livePair(targetId, sourceId);
      if (isRefusal(pair)) return pair;
      const [target, source] = pair;
      const now = this.now();
      const at = now.toISOString();
      const before = judge(target, this.deps.campaign);
      const next: Application = { ...mergeApplications(target, source, this.deps.campaign), updatedAt: at };
      const pointer: Application = { ...source, mergedInto: target.id, updatedAt: at };
      const verdict = judge(next, this.deps.campaign);
      const planned = planAfterStaffAction(before, { app: next, verdict }, this.deps.campaign, now);
      const audit = this.entry('merge', next.id, who, why, {
        source: source.id, sourceCompany: source.companyName, emails: source.emails.length, documents: source.documents.length, ...plannedDetail(planned),
      }, now);
      const sourceAudit = this.entry('merged-into', source.id, who, why, { target: target.id, targetCompany: target.companyName }, now);
      // Rebuild re-runs this merge at audit.at (src/intake/rebuild.ts): the journal keeps which two, before the change.
      await this.deps.journal?.append({ type: 'staff', audit, also: [sourceAudit], op: { op: 'merge', targetId: target.id, sourceId: source.id } });
      const multi = this.deps.redis.multi();
      // The pointer first: the target's write then takes over every index entry the source had.
      this.deps.apps.writeApplication(multi, pointer, now.getTime());
      this.deps.apps.writeApplication(multi, next, now.getTime());
      this.deps.apps.pointIndexes(multi, next.id, { companyKeys: source.companyKey ? [source.companyKey] : [], addresses: source.addresses });
      writeAudit(multi, audit);
      writeAudit(multi, sourceAudit);
      await execOrThrow(multi, `merge ${source.id} into ${target.id}`);
      return { ok: true as const, app: next, verdict, planned, audit, other: { app: pointer, verdict: judge(pointer, this.deps.campaign), audit: sourceAudit } };
    }));
  }

  /** Email number `emailIndex` (0-based, arrival order) of `fromId` belongs to `toId`: both re-folded. */
  async moveEmail(fromId: string, emailIndex: number, toId: string, reason: string, by: string): Promise<ActionResult> {
    const signed = whoAndWhy(by, reason);
    if (isRefusal(signed)) return signed;
    const { who, why } = signed;
    if (fromId === toId) return refuse('BAD_INPUT', 'the email is already in that application', '该邮件已在此申报中');
    const { campaign } = this.deps;
    return this.afterLock(await this.locked(async () => {
      const pair = await this.livePair(fromId, toId);
      if (isRefusal(pair)) return pair;
      const [from, to] = pair;
      const email = Number.isInteger(emailIndex) ? from.emails[emailIndex] : undefined;
      if (!email) return refuse('BAD_INPUT', `${from.id} has no email #${emailIndex + 1}`, `${from.id} 没有第 ${emailIndex + 1} 封邮件`);
      if (from.emails.length === 1) {
        return refuse('BAD_INPUT', `${email.subject ? `"${email.subject}"` : 'this'} is the only email of ${from.id}: merge ${from.id} into ${to.id} instead`,
          `这是 ${from.id} 唯一的邮件，请改为将 ${from.id} 并入 ${to.id}`);
      }
      const now = this.now();
      const at = now.toISOString();
      const beforeFrom = judge(from, campaign);
      const beforeTo = judge(to, campaign);
      const removed = removeEmail(from, emailIndex, campaign);
      const rest: Application = { ...removed.app, updatedAt: at };
      const dest: Application = { ...foldInArrivalOrder(to, removed.input, campaign), updatedAt: at };
      const restVerdict = judge(rest, campaign);
      const destVerdict = judge(dest, campaign);
      const planned = [
        ...planAfterStaffAction(beforeFrom, { app: rest, verdict: restVerdict }, campaign, now),
        ...planAfterStaffAction(beforeTo, { app: dest, verdict: destVerdict }, campaign, now),
      ];
      const moved = { messageId: email.messageId, from: email.from, subject: email.subject, arrivedAt: email.arrivedAt };
      const outAudit = this.entry('move-email-out', rest.id, who, why, { to: dest.id, email: moved, ...plannedDetail(planned.filter((p) => p.key.startsWith(`${rest.id}:`))) }, now);
      const inAudit = this.entry('move-email-in', dest.id, who, why, { from: rest.id, email: moved, ...plannedDetail(planned.filter((p) => p.key.startsWith(`${dest.id}:`))) }, now);
      await this.deps.journal?.append({ type: 'staff', audit: outAudit, also: [inAudit], op: { op: 'move-email', fromId: from.id, emailIndex, toId: to.id } });
      const multi = this.deps.redis.multi();
      this.deps.apps.writeApplication(multi, dest, now.getTime());
      this.deps.apps.writeApplication(multi, rest, now.getTime());
      // What only the moved email gave `from` (its sender, its company) and neither keeps now.
      const keeps = (a: string) => rest.addresses.includes(a) || dest.addresses.includes(a);
      await this.deps.apps.dropIndexes(multi, from.id, {
        companyKeys: from.companyKey && from.companyKey !== rest.companyKey && from.companyKey !== dest.companyKey ? [from.companyKey] : [],
        addresses: from.addresses.filter((a) => !keeps(a)),
      });
      writeAudit(multi, outAudit);
      writeAudit(multi, inAudit);
      await execOrThrow(multi, `move an email from ${from.id} to ${to.id}`);
      return { ok: true as const, app: rest, verdict: restVerdict, planned, audit: outAudit, other: { app: dest, verdict: destVerdict, audit: inAudit } };
    }));
  }

  // ---------------------------------------------------------------- mail

  /** A mail the intake gave up on (IntakeLog.failed), put back on the intake queue. */
  async reprocess(key: string, by: string): Promise<MailActionResult> {
    const who = checkText(by, STAFF_USER);
    if (isRefusal(who)) return who;
    const failed = await this.deps.intakeLog.failedOne(key);
    if (!failed) return refuse('NOT_FOUND', `no failed mail ${key}`, `没有处理失败的邮件 ${key}`);
    if (!this.deps.reprocess) return refuse('CONFLICT', 'reprocessing is not available here (no intake queue)', '此处无法重新处理邮件（没有受理队列）');
    // Not under the fold lock: the intake takes it to fold this very mail.
    await this.deps.reprocess(failed);
    const audit = this.entry('reprocess', '', who, '', { messageKey: key, messageId: failed.messageId, error: failed.error, attempts: failed.attempts });
    await this.commitAudit(audit, `audit reprocess ${key}`, true);
    return { ok: true, app: null, verdict: null, planned: [], audit };
  }

  /** A planned or queued email must never go out (refused when it is out, or being sent this moment). */
  async suppress(sentKey: string, reason: string, by: string): Promise<MailActionResult> {
    const signed = whoAndWhy(by, reason);
    if (isRefusal(signed)) return signed;
    const { who, why } = signed;
    if (typeof sentKey !== 'string' || sentKey.trim() === '') return refuse('BAD_INPUT', 'which email?', '请指明要撤销的邮件');
    return this.locked(async () => {
      const record = await this.deps.sentLog.get(sentKey);
      const appId = appIdOfKey(sentKey, this.deps.campaign);
      const app = appId ? await this.deps.apps.get(appId) : null;
      const audit = this.entry('suppress', appId, who, why, { key: sentKey, to: record?.to ?? null, subject: record?.subject ?? null, kind: record?.kind ?? null, state: record?.state ?? 'queued' });
      const outcome = await this.deps.sentLog.suppress(sentKey, { to: record?.to, subject: record?.subject, kind: record?.kind }, auditPushes(audit));
      if (outcome === 'sent') return refuse('CONFLICT', 'this email was sent already', '该邮件已发出，无法撤销');
      if (outcome === 'failed') return refuse('CONFLICT', 'this email could not be delivered and will not be sent', '该邮件已发送失败，不会再发出');
      if (outcome === 'suppressed') return refuse('CONFLICT', 'this email was suppressed already', '该邮件已撤销');
      if (outcome === 'busy') return refuse('CONFLICT', 'this email is being sent right now', '该邮件正在发送中，无法撤销');
      // After the step, not before: the record's times are the sent log's clock, known only now (rebuild restores it as it is).
      const suppressed = await this.deps.sentLog.get(sentKey);
      if (suppressed) await this.deps.journal?.append({ type: 'staff', audit, op: { op: 'suppress', record: suppressed } });
      return { ok: true as const, app, verdict: app ? judge(app, this.deps.campaign) : null, planned: [], audit };
    });
  }

  /** One more copy of an email that went out (or failed, or was suppressed), under a new key `${key}:resend:<n>`. */
  async resend(sentKey: string, reason: string, by: string): Promise<MailActionResult> {
    const signed = whoAndWhy(by, reason);
    if (isRefusal(signed)) return signed;
    const { who, why } = signed;
    const result = await this.locked(async (): Promise<MailActionResult> => {
      const record = await this.deps.sentLog.get(sentKey);
      if (!record) return refuse('NOT_FOUND', `no sent email ${sentKey}`, `没有这封已发送的邮件`);
      if (record.state === 'claimed' || record.state === 'retrying') return refuse('CONFLICT', 'this email is still being sent', '该邮件仍在发送中，请稍后再试');
      if (!record.text) return refuse('BAD_INPUT', 'the text of this email was not kept (sent before texts were stored)', '此邮件的正文未保存，无法重发');
      if (!(PLANNED_KINDS as readonly string[]).includes(record.kind)) throw new Error(`sent log ${sentKey}: unknown kind ${record.kind}`);
      const n = await this.deps.sentLog.nextResend(sentKey);
      const email: PlannedEmail = {
        key: `${sentKey}:resend:${n}`, kind: record.kind as PlannedKind, to: record.to, subject: record.subject, text: record.text, html: record.html ?? '',
        ...(record.inReplyTo ? { inReplyTo: record.inReplyTo } : {}), ...(record.references && record.references.length > 0 ? { references: record.references } : {}),
      };
      const appId = appIdOfKey(sentKey, this.deps.campaign);
      const app = appId ? await this.deps.apps.get(appId) : null;
      const audit = this.entry('resend', appId, who, why, { key: sentKey, newKey: email.key, to: record.to, subject: record.subject, state: record.state });
      await this.deps.journal?.append({ type: 'staff', audit, op: { op: 'resend', key: sentKey, n } });
      await this.commitAudit(audit, `audit resend ${sentKey}`);
      return { ok: true, app, verdict: app ? judge(app, this.deps.campaign) : null, planned: [email], audit };
    });
    if (result.ok) await this.deps.enqueue(result.planned);
    return result;
  }

  /** The applicant gets the application's status now (one per 5-minute slot, whoever clicks). */
  async sendStatus(appId: string, by: string): Promise<ActionResult> {
    const who = checkText(by, STAFF_USER);
    if (isRefusal(who)) return who;
    return this.afterLock(await this.locked(async () => {
      const app = await this.live(appId);
      if (isRefusal(app)) return app;
      const now = this.now();
      const verdict = judge(app, this.deps.campaign);
      const email = planStatusNow({ app, verdict }, this.deps.campaign, now, who);
      if (!email) return refuse('BAD_INPUT', `${app.id} has no applicant address`, `${app.id} 没有可用的申请人邮箱`);
      const earlier = (await this.auditLog.list(app.id)).find((e) => e.action === 'send-status' && e.detail.key === email.key);
      if (earlier) {
        return refuse('CONFLICT', `a status email was sent by ${earlier.by} a moment ago`, `${earlier.by} 刚刚已发送状态邮件，5 分钟内不重复发送`);
      }
      const audit = this.entry('send-status', app.id, who, '', { key: email.key, to: email.to, complete: verdict.complete, issues: verdict.issues.map((i) => i.code) });
      await this.commitAudit(audit, `audit send-status ${app.id}`, true);
      return { ok: true as const, app, verdict, planned: [email], audit };
    }));
  }

  // ---------------------------------------------------------------- reading

  /** An application's audit trail, oldest first. */
  audit(appId: string): Promise<AuditEntry[]> {
    return this.auditLog.list(appId);
  }

  /** The latest entries over all applications, newest first. */
  recentAudit(limit = 100): Promise<AuditEntry[]> {
    return this.auditLog.recent(limit);
  }

  // ---------------------------------------------------------------- the shared steps

  private now(): Date {
    return this.deps.clock();
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withLock(this.deps.redis, FOLD_LOCK, fn);
  }

  /** The application staff may act on: it exists and was not merged away. */
  private async live(id: string): Promise<Application | Refusal> {
    const app = await this.deps.apps.get(id);
    if (!app) return notFound(id);
    return app.mergedInto ? mergedAway(app) : app;
  }

  /** Both applications of a merge or move, refused as `live` would (both looked up before either is judged merged away). */
  private async livePair(aId: string, bId: string): Promise<[Application, Application] | Refusal> {
    const a = await this.deps.apps.get(aId);
    const b = await this.deps.apps.get(bId);
    if (!a) return notFound(aId);
    if (!b) return notFound(bId);
    if (a.mergedInto) return mergedAway(a);
    return b.mergedInto ? mergedAway(b) : [a, b];
  }

  /** An action whose only write is its audit entry (`journal`: its line too, for rebuild). */
  private async commitAudit(audit: AuditEntry, what: string, journal = false): Promise<void> {
    if (journal) await this.deps.journal?.append({ type: 'staff', audit });
    const multi = this.deps.redis.multi();
    writeAudit(multi, audit);
    await execOrThrow(multi, what);
  }

  private async afterLock(result: ActionResult): Promise<ActionResult> {
    if (result.ok && result.planned.length > 0) await this.deps.enqueue(result.planned);
    return result;
  }

  /** `at`: the action's one instant (the application's updatedAt too), so a replay at `audit.at` writes the same. */
  private entry(action: AuditAction, applicationId: string, by: string, reason: string, detail: Record<string, unknown>, at: Date = this.now()): AuditEntry {
    return { at: at.toISOString(), by, action, applicationId, reason, detail };
  }

  /** Load (under the lock), change (pure), judge, write app + audit in one transaction, then enqueue. */
  private async changeOne(appId: string, by: string, action: AuditAction, change: (app: Application, before: Verdict) => Change | Refusal): Promise<ActionResult> {
    const who = checkText(by, STAFF_USER);
    if (isRefusal(who)) return who;
    return this.afterLock(await this.locked(async () => {
      const app = await this.live(appId);
      if (isRefusal(app)) return app;
      const { campaign } = this.deps;
      const now = this.now();
      const before = judge(app, campaign);
      const changed = change(app, before);
      if (isRefusal(changed)) return changed;
      const next: Application = { ...changed.next, updatedAt: now.toISOString() };
      const after: Judged = { app: next, verdict: judge(next, campaign) };
      const planned = planAfterStaffAction(before, after, campaign, now);
      const audit = this.entry(action, app.id, who, changed.reason, {
        ...changed.detail, completeBefore: before.complete, completeAfter: after.verdict.complete, ...plannedDetail(planned),
      }, now);
      // The audit trail's copy outside Redis, before the change (src/store/journal.ts).
      await this.deps.journal?.append({ type: 'staff', audit, staff: next.staff ?? emptyOverlay() });
      const multi = this.deps.redis.multi();
      this.deps.apps.writeApplication(multi, next, now.getTime());
      writeAudit(multi, audit);
      await execOrThrow(multi, `${action} on ${app.id}`);
      return { ok: true as const, app: next, verdict: after.verdict, planned, audit };
    }));
  }
}

const overlayOf = (app: Application): StaffOverlay => app.staff ?? emptyOverlay();
const plannedDetail = (planned: PlannedEmail[]) => (planned.length > 0 ? { planned: planned.map((p) => p.key) } : {});

async function execOrThrow(multi: ReturnType<Redis['multi']>, what: string): Promise<void> {
  const res = await multi.exec();
  const failed = res?.find(([err]) => err);
  if (!res || failed) throw new Error(`staff action ${what}: the transaction failed: ${String(failed?.[0] ?? 'aborted')}`);
}
