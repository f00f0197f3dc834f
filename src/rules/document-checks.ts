/**
 * Document rules of rules.md over the whole application: which kinds arrived, and what could
 * not be used; certificates and reports per product once a form lists products (cross-checks.md §3).
 */
import type { Campaign } from '../config/campaign';
import type { Application } from '../domain/application';
import type { DocumentRecord } from '../domain/document';
import type { Link } from '../domain/email';
import type { Issue } from '../domain/issue';
import { attribute, type Attribution } from './attribution';
import { issue } from './issues';
import { checkPerProduct } from './product-checks';

/** `zip/报告1.PDF` → `报告1`: a resent file is recognised by its name without folder, extension or case. */
function stem(file: string): string {
  const base = file.split('/').pop() ?? file;
  return base.replace(/\.[^.]*$/, '').normalize('NFKC').toLowerCase();
}

/**
 * An unreadable document is an issue until a readable document of the same name arrives
 * after it: otherwise an application that resent a corrupt file could never be complete.
 */
function unresolvedUnreadable(docs: readonly DocumentRecord[]): DocumentRecord[] {
  return docs.filter((d, i) => d.error !== null && !docs.slice(i + 1).some((later) => later.error === null && stem(later.file) === stem(d.file)));
}

/** A download link is an issue until a later email carries attachments (the files it stood for). */
function unresolvedLinks(app: Application): Link[] {
  const links: Link[] = [];
  app.emails.forEach((e, i) => {
    const answered = app.emails.slice(i + 1).some((later) => later.documents.length > 0);
    if (!answered) for (const l of e.links) if (!links.some((seen) => seen.url === l.url)) links.push(l);
  });
  return links;
}

export function checkDocuments(app: Application, campaign: Campaign, attribution: Attribution = attribute(app)): Issue[] {
  const out: Issue[] = [];
  const req = campaign.requiredDocuments;
  // An unreadable file counts for nothing: its content cannot be judged.
  const usable = app.documents.filter((d) => d.error === null);
  const forms = usable.filter((d) => d.kind === 'registrationForm');
  const editable = forms.filter((d) => d.textLayer);
  const scans = forms.filter((d) => !d.textLayer);
  // rules.md: MISSING_EDITABLE_FORM is "the form came only as a scan", so it needs a scan;
  // the stamped scan is missing whenever none arrived, with or without the editable form,
  // so the staff report counts every application that still owes its stamped scan.
  if (forms.length === 0) out.push(issue.missingForm());
  else if (req.editableForm && editable.length === 0) out.push(issue.missingEditableForm());
  if (req.stampedScan && scans.length === 0) out.push(issue.missingStampedScan());
  // cross-checks.md §3: once a form lists products, certificates and reports are counted per
  // product instead; until then (no form yet), for the application as a whole.
  const perProduct = checkPerProduct(app, campaign, attribution);
  if (perProduct) out.push(...perProduct);
  else {
    const proofs = usable.filter((d) => d.kind === 'copyrightProof').length;
    if (proofs < req.copyrightProofs) out.push(issue.missingCopyrightProof(proofs, req.copyrightProofs));
    const reports = usable.filter((d) => d.kind === 'userReport').length;
    if (reports < req.userReports) out.push(issue.tooFewUserReports(reports, req.userReports));
  }
  for (const d of unresolvedUnreadable(app.documents)) out.push(issue.unreadableAttachment(d.file, d.error?.messageZh || d.error?.code || ''));
  for (const link of unresolvedLinks(app)) out.push(issue.linkNotAttachment(link));
  // cross-checks.md §4–5: a warning only (the scan still counts); null (not looked at) says nothing.
  for (const d of usable) {
    if (d.textLayer || d.seal !== false) continue;
    if (d.kind === 'registrationForm' || d.kind === 'userReport') out.push(issue.sealNotFound(d.file, d.kind));
  }
  return out;
}
