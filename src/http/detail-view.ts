/** The detail page's view of one application: everything staff read about it, formatted. Pure. */
import type { Campaign } from '../config/campaign';
import type { Application, Verdict } from '../domain/application';
import { DOCUMENT_KINDS } from '../domain/document';
import type { AuditEntry } from '../domain/staff';
import { ISSUE_LABELS_ZH, issuePhrase } from '../report';
import { attribute } from '../rules/attribution';
import { standingForms } from '../rules/products';
import { asStaffSee, correctablePath, waives } from '../rules/staff-overlay';
import type { SentRecord } from '../store/sent-log';
import { auditLine } from './audit-text';
import { previewable } from './download';
import { FORMAT_ZH, KIND_ZH, SENT_STATE_ZH, sentKindZh, sizeText, wallTime } from './format';
import { formPaths, formRows } from './form-view';
import { receivedSummary } from './received';

/**
 * `duplicates`: the applications held apart as possible duplicates of this one (their
 * possibleDuplicateOf names it), offered to the merge form.
 */
export function detailView(stored: Application, verdict: Verdict, sent: readonly SentRecord[], audit: readonly AuditEntry[], campaign: Campaign, duplicates: readonly string[] = []) {
  const tz = campaign.timeZone;
  const app = asStaffSee(stored);
  const overlay = stored.staff;
  const parsedForm = standingForms(stored.forms).pop()?.form ?? null;
  const seenForm = standingForms(app.forms).pop()?.form ?? null;
  const carrier = new Map<string, string>();
  for (const e of stored.emails) for (const sha of e.documents) if (e.rawSha256 && !carrier.has(sha)) carrier.set(sha, e.rawSha256);
  const kindOverride = new Map((overlay?.kinds ?? []).map((k) => [k.sha256, k]));
  const base = `/applications/${encodeURIComponent(stored.id)}`;
  return {
    id: stored.id,
    base,
    company: app.companyName ?? '（未识别企业）',
    addresses: stored.addresses,
    createdText: wallTime(stored.createdAt, tz),
    updatedText: wallTime(stored.updatedAt, tz),
    complete: verdict.complete,
    // Issue 8: held apart because a stranger's form named another application's company.
    duplicateOf: stored.possibleDuplicateOf ? { id: stored.possibleDuplicateOf, href: `/applications/${encodeURIComponent(stored.possibleDuplicateOf)}`, mergeAction: `/applications/${encodeURIComponent(stored.possibleDuplicateOf)}/merge` } : null,
    duplicates: duplicates.map((id) => ({ id, href: `/applications/${encodeURIComponent(id)}` })),
    received: receivedSummary(app.documents, verdict, campaign.requiredDocuments, attribute(app)),
    errors: verdict.issues.filter((i) => i.severity === 'error').length,
    warnings: verdict.issues.filter((i) => i.severity === 'warning').length,
    deadline: verdict.deadline.status,
    fields: formRows(parsedForm, seenForm, overlay?.corrections ?? []),
    hasForm: parsedForm !== null || seenForm !== null,
    correctable: formPaths(parsedForm, seenForm).filter(correctablePath),
    documents: stored.documents.map((d) => {
      const seen = app.documents.find((x) => x.sha256 === d.sha256) ?? d;
      const stored_ = carrier.has(d.sha256);
      return {
        file: d.file,
        sha256: d.sha256,
        kind: seen.kind,
        kindZh: KIND_ZH[seen.kind],
        parsedKindZh: kindOverride.has(d.sha256) ? KIND_ZH[d.kind] : null,
        scan: !d.textLayer,
        format: FORMAT_ZH[d.format],
        size: sizeText(d.size),
        error: d.error ? `${d.error.messageZh}（${d.error.code}）` : null,
        href: stored_ && d.size > 0 ? `${base}/documents/${d.sha256}` : null,
        preview: stored_ && d.size > 0 && previewable(d.file, d.format) ? `${base}/documents/${d.sha256}/preview` : null,
        pdf: d.format === 'pdf',
      };
    }),
    kinds: DOCUMENT_KINDS.map((k) => ({ code: k, label: KIND_ZH[k] })),
    // `index` is the email's place in the stored (arrival-ordered) list: what moveEmail names.
    emails: stored.emails.map((e, index) => ({ e, index })).sort((a, b) => a.e.arrivedAt.localeCompare(b.e.arrivedAt)).map(({ e, index }, n) => ({
      n: n + 1,
      index,
      arrivedText: wallTime(e.arrivedAt, tz),
      arrivalSource: e.arrivalSource,
      from: e.from ?? '',
      subject: e.subject,
      messageId: e.messageId ?? '',
      documents: e.documents.length,
      links: e.links.map((l) => l.url),
      raw: e.rawSha256 ? `${base}/emails/${e.rawSha256}.eml` : null,
      rawSha256: e.rawSha256 ?? null,
      noReply: e.noReply ? `未回复：${e.noReply.reasonZh}` : null,
      noReplyCode: e.noReply?.code ?? '',
      messageIdReused: e.messageIdReused === true,
    })),
    issues: verdict.issues.map((i) => ({ code: i.code, warning: i.severity === 'warning', label: ISSUE_LABELS_ZH[i.code], phrase: issuePhrase(i), message: i.message, url: i.url ?? '', file: i.file ?? '', path: i.path ?? '' })),
    waived: verdict.waived.map((i) => {
      const index = (overlay?.waivers ?? []).findIndex((x) => waives(x, i));
      const w = overlay?.waivers[index];
      return { code: i.code, label: ISSUE_LABELS_ZH[i.code], message: i.message, by: w?.by ?? '', at: wallTime(w?.at, tz), reason: w?.reason ?? '', index };
    }),
    notes: (overlay?.notes ?? []).map((n) => ({ by: n.by, at: wallTime(n.at, tz), text: n.text })),
    sent: sent.map((r) => ({
      key: r.key,
      kindZh: sentKindZh(r.kind),
      to: r.to,
      subject: r.subject,
      state: r.state,
      stateZh: SENT_STATE_ZH[r.state],
      at: wallTime(r.sentAt ?? r.updatedAt, tz),
      attempts: r.attempts,
      lastError: r.lastError ?? '',
      text: r.text ?? '',
      resendable: r.state === 'sent' || r.state === 'failed' || r.state === 'suppressed',
    })),
    audit: audit.map((a) => auditLine(a, tz)),
  };
}

export type DetailView = ReturnType<typeof detailView>;
