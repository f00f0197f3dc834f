/**
 * cross-checks.md §3 and §4, pure: the certificates and user reports counted per product once
 * a form lists products (replacing the application-wide counts of rules.md), and the
 * warnings a careful staff member gives after reading the certificates beside the form.
 */
import type { Campaign } from '../config/campaign';
import type { Application } from '../domain/application';
import type { DocumentRecord } from '../domain/document';
import type { Issue } from '../domain/issue';
import { normaliseCompanyName } from '../forms/company-name';
import { attribute, productKey, type AppProduct, type Attribution } from './attribution';
import { issue, type ProductScope } from './issues';
import { latestCompanyName } from './products';

const usable = (app: Application, kind: DocumentRecord['kind']) => app.documents.filter((d) => d.error === null && d.kind === kind);

const scopeOf = (p: AppProduct, several: boolean): ProductScope => ({ index: p.index, name: p.name, several });

/** Per-product MISSING_COPYRIGHT_PROOF / TOO_FEW_USER_REPORTS; null when no form lists a named product (rules.md counts apply). */
export function checkPerProduct(app: Application, campaign: Campaign, attribution: Attribution = attribute(app)): Issue[] | null {
  const { products, bySha } = attribution;
  if (products.length === 0) return null;
  const req = campaign.requiredDocuments;
  const several = products.length > 1;
  const count = (kind: DocumentRecord['kind'], p: AppProduct) => usable(app, kind).filter((d) => bySha.get(d.sha256) === p.index).length;
  const out: Issue[] = [];
  for (const p of products) {
    const proofs = count('copyrightProof', p);
    if (proofs < req.copyrightProofs) out.push(issue.productMissingCopyrightProof(scopeOf(p, several), proofs, req.copyrightProofs));
  }
  for (const p of products) {
    const reports = count('userReport', p);
    if (reports < req.userReports) out.push(issue.productTooFewUserReports(scopeOf(p, several), reports, req.userReports));
  }
  return out;
}

/** `2022-05` against `2022-05-10`: equal at the precision the less precise one gives. */
function sameDate(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n) === b.slice(0, n);
}

/** 著作权人 may name several owners (`甲公司、乙公司`): the company is among them. */
function ownedBy(owner: string, companyKey: string): boolean {
  return owner.split(/[、，,；;\n]|\s{2,}/).some((o) => o.trim() !== '' && normaliseCompanyName(o) === companyKey);
}

/** The warnings of cross-checks.md §4 about certificates and attribution (SEAL_NOT_FOUND: document-checks.ts). */
export function checkCertificates(app: Application, attribution: Attribution = attribute(app)): Issue[] {
  const { products, bySha } = attribution;
  if (products.length === 0) return [];
  const out: Issue[] = [];
  const several = products.length > 1;
  const certificates = usable(app, 'copyrightProof').filter((d) => d.certificate);
  const only = products.length === 1 ? products[0] : undefined;
  const [single] = certificates;
  if (only && certificates.length === 1 && single?.certificate?.softwareName) {
    const c = single.certificate;
    const names = [c.softwareName, c.shortName].filter((n): n is string => !!n);
    if (!names.some((n) => productKey(n) === only.key)) out.push(issue.copyrightNameMismatch(single.file, only.name, c.softwareName ?? ''));
  }
  const company = latestCompanyName(app.forms);
  if (company) {
    const key = normaliseCompanyName(company);
    for (const d of certificates) {
      const owner = d.certificate?.owner;
      if (owner && !ownedBy(owner, key)) out.push(issue.copyrightOwnerMismatch(d.file, owner, company));
    }
  }
  for (const p of products) {
    const formDate = p.row.releaseDate;
    if (!formDate) continue;
    for (const d of certificates) {
      const published = d.certificate?.firstPublishedOn;
      if (bySha.get(d.sha256) !== p.index || !published) continue;
      if (!sameDate(formDate, published)) out.push(issue.releaseDateMismatch(scopeOf(p, several), d.file, formDate, published));
    }
  }
  if (several) {
    for (const d of app.documents) {
      if (d.error !== null || (d.kind !== 'copyrightProof' && d.kind !== 'userReport')) continue;
      if (bySha.get(d.sha256) === null) out.push(issue.documentProductUnknown(d.file, d.kind));
    }
  }
  return out;
}
