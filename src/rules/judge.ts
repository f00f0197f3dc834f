/** The verdict on an application as a whole, judged again each time something arrives (rules.md). */
import type { Campaign } from '../config/campaign';
import type { Application, Judged, Verdict } from '../domain/application';
import type { Issue } from '../domain/issue';
import { attribute } from './attribution';
import { checkDocuments } from './document-checks';
import { checkCompany, checkProductsAndSummaries } from './form-checks';
import { issue } from './issues';
import { ISSUE_CODES } from './issue-codes';
import { checkCertificates } from './product-checks';
import { distinctProducts, standingForms } from './products';
import { asStaffSee, setAsideWaived } from './staff-overlay';

function checkForms(app: Application, campaign: Campaign): Issue[] {
  const standing = standingForms(app.forms);
  const latest = standing[standing.length - 1];
  if (!latest) return [];
  const several = standing.length > 1;
  const out = checkCompany(latest.form, { file: latest.file, several });
  for (const f of standing) out.push(...checkProductsAndSummaries(f.form, { file: f.file, several }, campaign));
  const products = distinctProducts(app.forms);
  if (products.length > campaign.limits.productsPerCompany) out.push(issue.tooManyProducts(products, campaign.limits.productsPerCompany));
  return out;
}

/**
 * Issues in a stable order: by code as rules.md then cross-checks.md list them (errors before
 * warnings), then as found (documents, then forms in arrival order). Read through staff's decisions: their kinds and corrections
 * first, their waivers last.
 */
export function judge(stored: Application, campaign: Campaign): Verdict {
  const app = asStaffSee(stored);
  const attribution = attribute(app);
  const found = [...checkDocuments(app, campaign, attribution), ...checkForms(app, campaign), ...checkCertificates(app, attribution)];
  const rank = (i: Issue) => ISSUE_CODES.indexOf(i.code);
  const sorted = found.map((i, n) => ({ i, n })).sort((a, b) => rank(a.i) - rank(b.i) || a.n - b.n).map(({ i }) => i);
  const { open, waived } = setAsideWaived(sorted, stored.staff?.waivers ?? []);
  // cross-checks.md §4: complete means no error; warnings stay among the open issues.
  return { issues: open, waived, complete: !open.some((i) => i.severity === 'error'), deadline: { status: app.deadline } };
}

/** Every live application judged (merged ones are pointers, not applications): one place for scheduler, report and dashboard. */
export function judgeAll(apps: readonly Application[], campaign: Campaign): Judged[] {
  return apps.filter((app) => !app.mergedInto).map((app) => ({ app, verdict: judge(app, campaign) }));
}
