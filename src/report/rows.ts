/**
 * One report row per application: what staff need to know at a glance, read through their
 * own decisions (asStaffSee: corrected fields and document kinds show), with the emails the
 * outbox sent for it. Pure: the caller loads applications and sent records (src/store/report-source.ts).
 * Every applicant string is cleaned of control and bidi characters here, once for all outputs.
 */
import type { Campaign } from '../config/campaign';
import type { Application, Judged } from '../domain/application';
import type { CategoryCode, Product } from '../domain/form';
import type { DeadlineStatus, Issue, Severity } from '../domain/issue';
import type { DocumentFormat, DocumentKind } from '../domain/document';
import type { IssueCode } from '../rules/issue-codes';
import { normaliseProductName } from '../forms/index';
import { productOfDocuments } from '../rules/attribution';
import { isName, standingForms } from '../rules/products';
import { asStaffSee, waives } from '../rules/staff-overlay';
import { clean, cleanOrNull } from './clean';
import { CATEGORY_ZH, COMPLETE_ZH, DEADLINE_ZH, issuePhrase } from './phrases';

/**
 * What the report reads of a sent-log record (src/store/sent-log.ts SentRecord has these and
 * more); kept structural so this pure module does not import the store.
 */
export interface SentInfo {
  /** `${appId}:${kind}:${reason}` */
  key: string;
  /** claimed, sent, retrying, failed, suppressed */
  state: string;
  messageId: string;
  to: string;
  kind: string;
  sentAt: number | null;
  updatedAt: number;
  lastError: string | null;
}

export interface ReportProduct {
  name: string | null;
  category: CategoryCode | null;
  /** Chinese name of the category ('' when none was ticked). */
  categoryZh: string;
  /** YYYY-MM-DD as normalised from the form, or what the applicant wrote when it did not parse. */
  releaseDate: string | null;
}

export interface ReportIssue {
  code: IssueCode;
  /** error: makes the application incomplete; warning: 请核对 (cross-checks.md §4). */
  severity: Severity;
  /** Short Chinese phrase for a cell (phrases.ts). */
  phrase: string;
  /** The full Chinese sentence the applicant was sent. */
  message: string;
  path?: string;
  /** The product a per-product issue is about (cross-checks.md §3). */
  product?: string;
  file?: string;
  count?: number;
  /** What the certificate says instead (cross-checks.md §4). */
  found?: string;
  /** The download link an applicant sent instead of a file (the applicant's message names only its service). */
  url?: string;
}

export interface ReportWaived extends ReportIssue {
  /** The waiving staff member, when (ISO) and why; empty when no waiver record matches. */
  by: string;
  at: string;
  reason: string;
}

export interface ReportSent {
  key: string;
  /** The outbox's kind: receipt, lateNotice, closedNotice, followUp, reminder … */
  kind: string;
  to: string;
  state: string;
  messageId: string;
  /** When it was sent, else when its record last changed (ISO). */
  at: string;
  lastError: string | null;
}

export interface ReportDocument {
  file: string;
  kind: DocumentKind;
  format: DocumentFormat;
  sha256: string;
  /** Message-ID of the email that first carried it. */
  messageId: string | null;
  error: string | null;
  /** The product a certificate or user report is about, as on the form; null: none found (cross-checks.md §2). */
  product?: string | null;
}

export interface ReportEmail {
  messageId: string | null;
  from: string | null;
  subject: string;
  receivedAt: string;
}

export interface ReportRow {
  /** Application number, e.g. SB2023-0042. */
  id: string;
  company: string | null;
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  /** Every address the application knows. */
  addresses: string[];
  /** Distinct products of the standing forms (≤ 3 unless TOO_MANY_PRODUCTS is open). */
  products: ReportProduct[];
  /** Arrival of the first email (ISO instant; show in the campaign's zone). */
  firstArrivedAt: string;
  deadline: DeadlineStatus;
  /** 按时 / 逾期 / 截止后 */
  deadlineZh: string;
  complete: boolean;
  /** 材料齐全 / 材料不全 */
  completeZh: string;
  /** Open issues, in the verdict's order. */
  issues: ReportIssue[];
  /** Issues staff waived (已豁免). */
  waived: ReportWaived[];
  /** Documents staff (or the reader) count as user reports. */
  userReports: number;
  /** Distinct documents received. */
  documents: number;
  /** Emails received for the application. */
  emailsReceived: number;
  /** Emails sent to the applicant (state sent). */
  emails: number;
  lastReceiptAt: string | null;
  lastReminderAt: string | null;
  /** Emails that failed for good (5xx): staff must act. */
  failedSends: number;
  /** Last activity (ISO). */
  updatedAt: string;
  /** Staff notes, oldest first. */
  notes: string[];
  documentList: ReportDocument[];
  emailList: ReportEmail[];
  sent: ReportSent[];
  /** Issue 8: the application this one may duplicate (held apart; staff merge or keep apart). */
  possibleDuplicateOf: string | null;
  /** Issue 8: its emails that no automatic email answered (ApplicationEmail.noReply). */
  noReplyEmails: number;
}

const RECEIPT_KINDS = new Set(['receipt', 'lateNotice', 'closedNotice']);

const iso = (ms: number): string => new Date(ms).toISOString();

function latest(records: readonly SentInfo[], kinds: (k: string) => boolean): string | null {
  let best: number | null = null;
  for (const r of records) if (r.state === 'sent' && r.sentAt !== null && kinds(r.kind) && (best === null || r.sentAt > best)) best = r.sentAt;
  return best === null ? null : iso(best);
}

/** Distinct products of the standing forms, first spelling wins; unnamed rows count on their own. */
function productsOf(app: Application): ReportProduct[] {
  const seen = new Set<string>();
  const out: ReportProduct[] = [];
  const add = (p: Product) => out.push({
    name: cleanOrNull(p.name),
    category: p.category,
    categoryZh: p.category ? CATEGORY_ZH[p.category] : '',
    releaseDate: cleanOrNull(p.releaseDate ?? p.releaseDateText),
  });
  for (const f of standingForms(app.forms)) {
    for (const p of f.form.products) {
      if (isName(p.name)) {
        const key = normaliseProductName(p.name);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      add(p);
    }
  }
  return out;
}

/** The issues that make a row incomplete (errors; warnings are 请核对): what 问题数 counts, in the report and on the dashboard. */
export const rowErrors = (r: Pick<ReportRow, 'issues'>): ReportIssue[] => r.issues.filter((i) => i.severity !== 'warning');
/** What to look at (请核对, cross-checks.md §4): shown apart from the errors. */
export const rowWarnings = (r: Pick<ReportRow, 'issues'>): ReportIssue[] => r.issues.filter((i) => i.severity === 'warning');

function reportIssue(i: Issue): ReportIssue {
  const out: ReportIssue = { code: i.code, severity: i.severity, phrase: clean(issuePhrase(i)), message: clean(i.message) };
  if (i.path !== undefined) out.path = i.path;
  if (i.product !== undefined) out.product = clean(i.product);
  if (i.found !== undefined) out.found = clean(i.found);
  if (i.file !== undefined) out.file = clean(i.file);
  if (i.count !== undefined) out.count = i.count;
  if (i.url !== undefined) out.url = clean(i.url);
  return out;
}

function documentsOf(app: Application): ReportDocument[] {
  const carrier = new Map<string, string | null>();
  for (const e of app.emails) for (const sha of e.documents) if (!carrier.has(sha)) carrier.set(sha, e.messageId);
  const products = productOfDocuments(app);
  return app.documents.map((d) => ({
    file: clean(d.file), kind: d.kind, format: d.format, sha256: d.sha256,
    messageId: cleanOrNull(carrier.get(d.sha256) ?? null), error: d.error ? clean(d.error.messageZh) : null,
    ...(products.has(d.sha256) ? { product: cleanOrNull(products.get(d.sha256) ?? null) } : {}),
  }));
}

export interface RowOptions {
  /**
   * false: documentList, emailList and sent are left empty. Only the JSON report shows them;
   * the documents' product attribution is a fifth of a row's cost, which the xlsx, CSV and
   * HTML reports need not pay.
   */
  lists?: boolean;
}

/** One row from an application, its verdict and the sent records whose key starts with its id. */
export function reportRow({ app: stored, verdict }: Judged, sent: readonly SentInfo[], opts: RowOptions = {}): ReportRow {
  const lists = opts.lists ?? true;
  const app = asStaffSee(stored);
  const form = standingForms(app.forms).pop()?.form;
  const contact = form?.company.contact;
  const firstArrivedAt = app.emails.reduce<string | null>((min, e) => (min === null || e.arrivedAt < min ? e.arrivedAt : min), null) ?? app.createdAt;
  const waivers = stored.staff?.waivers ?? [];
  return {
    id: clean(app.id),
    company: cleanOrNull(app.companyName ?? form?.company.name),
    contactName: cleanOrNull(contact?.name),
    contactPhone: cleanOrNull(contact?.phone),
    contactEmail: cleanOrNull(contact?.email),
    addresses: app.addresses.map(clean),
    products: productsOf(app),
    firstArrivedAt,
    deadline: verdict.deadline.status,
    deadlineZh: DEADLINE_ZH[verdict.deadline.status],
    complete: verdict.complete,
    completeZh: verdict.complete ? COMPLETE_ZH.true : COMPLETE_ZH.false,
    issues: verdict.issues.map(reportIssue),
    waived: verdict.waived.map((i) => {
      const w = waivers.find((x) => waives(x, i));
      return { ...reportIssue(i), by: clean(w?.by ?? ''), at: w?.at ?? '', reason: clean(w?.reason ?? '') };
    }),
    userReports: app.documents.filter((d) => d.kind === 'userReport').length,
    documents: app.documents.length,
    emailsReceived: app.emails.length,
    emails: sent.filter((r) => r.state === 'sent').length,
    lastReceiptAt: latest(sent, (k) => RECEIPT_KINDS.has(k)),
    lastReminderAt: latest(sent, (k) => k === 'reminder'),
    failedSends: sent.filter((r) => r.state === 'failed').length,
    updatedAt: app.updatedAt,
    notes: (stored.staff?.notes ?? []).map((n) => clean(n.text)),
    documentList: lists ? documentsOf(app) : [],
    emailList: !lists ? [] : app.emails.map((e) => ({ messageId: cleanOrNull(e.messageId), from: cleanOrNull(e.from), subject: clean(e.subject), receivedAt: e.arrivedAt })),
    sent: !lists ? [] : sent.map((r) => ({
      key: clean(r.key), kind: r.kind, to: clean(r.to), state: r.state, messageId: clean(r.messageId),
      at: iso(r.sentAt ?? r.updatedAt), lastError: cleanOrNull(r.lastError),
    })),
    possibleDuplicateOf: cleanOrNull(stored.possibleDuplicateOf),
    noReplyEmails: app.emails.filter((e) => e.noReply).length,
  };
}

/**
 * Rows for every judged application, in the order given. `sentByApp` maps an application
 * id to its sent records (keys `${appId}:${kind}:${reason}`; see groupSentByApp).
 */
export function reportRows(items: readonly Judged[], sentByApp: ReadonlyMap<string, readonly SentInfo[]>, _campaign?: Campaign, opts: RowOptions = {}): ReportRow[] {
  return items.map((j) => reportRow(j, sentByApp.get(j.app.id) ?? [], opts));
}

/** Groups sent records by the application id their key starts with (staff digests etc. have no app and are left out). */
export function groupSentByApp<T extends SentInfo>(records: readonly T[], isAppId: (id: string) => boolean = () => true): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of records) {
    const id = r.key.slice(0, r.key.indexOf(':'));
    if (!id || id === 'staff' || !isAppId(id)) continue;
    const list = out.get(id);
    if (list) list.push(r);
    else out.set(id, [r]);
  }
  return out;
}
