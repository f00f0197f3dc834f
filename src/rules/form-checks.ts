/**
 * Field rules of rules.md over one registration form: required vs "无" answers, malformed
 * values, products and the two summaries.
 */
import type { Campaign } from '../config/campaign';
import type { Issue } from '../domain/issue';
import type { Percent, Product, RegistrationForm } from '../domain/form';
import { issue, type FormScope } from './issues';
import { countCharacters, emailProblem, percentProblem, phoneProblem, postalCodeProblem, releasePeriod, websiteProblem } from './validators';

const NONE = '无';

type TextCheck = (value: string) => string | null;

/** A field that must hold a real value: blank and "无" are both missing. */
function real(out: Issue[], scope: FormScope, path: string, value: string | null, check?: TextCheck, productName?: string | null): void {
  if (value === null || value === NONE) {
    out.push(issue.missingField(scope, path, productName, value === NONE));
    return;
  }
  const reason = check?.(value);
  if (reason) out.push(issue.invalidField(scope, path, value, reason, productName));
}

/** A field where "无" is an answer: only blank is missing. */
function answered(out: Issue[], scope: FormScope, path: string, value: string | null, check?: TextCheck, productName?: string | null): void {
  if (value === null) {
    out.push(issue.missingField(scope, path, productName));
    return;
  }
  const reason = value === NONE ? null : check?.(value);
  if (reason) out.push(issue.invalidField(scope, path, value, reason, productName));
}

function percent(out: Issue[], scope: FormScope, path: string, value: Percent, productName: string | null): void {
  if (value === null) out.push(issue.missingField(scope, path, productName));
  else if (typeof value === 'number') {
    const reason = percentProblem(value);
    if (reason) out.push(issue.invalidField(scope, path, `${value}%`, reason, productName));
  }
}

/** Company part: judged on the latest standing form only (rules.md). */
export function checkCompany(form: RegistrationForm, scope: FormScope): Issue[] {
  const out: Issue[] = [];
  const c = form.company;
  real(out, scope, 'company.name', c.name);
  answered(out, scope, 'company.legalRepresentative', c.legalRepresentative);
  answered(out, scope, 'company.website', c.website, websiteProblem);
  answered(out, scope, 'company.address', c.address);
  answered(out, scope, 'company.postalCode', c.postalCode, postalCodeProblem);
  if (c.mainBusiness.length === 0) out.push(issue.missingField(scope, 'company.mainBusiness'));
  real(out, scope, 'company.contact.name', c.contact.name);
  real(out, scope, 'company.contact.phone', c.contact.phone, phoneProblem);
  real(out, scope, 'company.contact.email', c.contact.email, emailProblem);
  real(out, scope, 'company.contact.position', c.contact.position);
  return out;
}

function checkProduct(out: Issue[], scope: FormScope, p: Product, i: number, campaign: Campaign): void {
  const at = (key: string) => `products[${i}].${key}`;
  const name = p.name && p.name !== NONE ? p.name : null;
  real(out, scope, at('name'), p.name);
  if (p.releaseDate !== null) {
    const period = releasePeriod(p.releaseDate);
    const { from, to } = campaign.releaseWindow;
    if (!period) out.push(issue.invalidField(scope, at('releaseDate'), p.releaseDateText ?? p.releaseDate, '无法识别的日期（请写成 2022年5月10日 或 2022-05）', name));
    else if (period.end < from || period.start > to) out.push(issue.releaseOutOfWindow(scope, at('releaseDate'), name, p.releaseDate, from, to));
  } else if (p.releaseDateText === null || p.releaseDateText === NONE) {
    out.push(issue.missingField(scope, at('releaseDate'), name, p.releaseDateText === NONE));
  } else {
    out.push(issue.invalidField(scope, at('releaseDate'), p.releaseDateText, '无法识别的日期（请写成 2022年5月10日 或 2022-05）', name));
  }
  if (p.category === null) {
    if (p.categoryText === null) out.push(issue.missingField(scope, at('category'), name));
    else if (p.categoryText !== NONE) {
      out.push(issue.invalidField(scope, at('category'), p.categoryText, '应为基础软件、工业软件、支撑软件、应用软件、人工智能类软件或其他软件之一', name));
    }
  }
  answered(out, scope, at('domain'), p.domain, undefined, name);
  percent(out, scope, at('revenueSharePercent'), p.revenueSharePercent, name);
  percent(out, scope, at('marketSharePercent'), p.marketSharePercent, name);
  percent(out, scope, at('exportSharePercent'), p.exportSharePercent, name);
}

/** Products and summaries: judged per standing form (rules.md). */
export function checkProductsAndSummaries(form: RegistrationForm, scope: FormScope, campaign: Campaign): Issue[] {
  const out: Issue[] = [];
  if (form.products.length === 0) out.push(issue.noProduct(scope));
  form.products.forEach((p, i) => checkProduct(out, scope, p, i, campaign));
  for (const path of ['productSummary', 'caseSummary'] as const) {
    const text = form[path];
    if (text === null) out.push(issue.missingField(scope, path));
    else {
      const length = countCharacters(text);
      if (length > campaign.limits.summaryCharacters) out.push(issue.textTooLong(scope, path, length, campaign.limits.summaryCharacters));
    }
  }
  return out;
}
