/**
 * The application as staff see it: their document kinds and field corrections applied over
 * what the parser read, and the issues they waived set aside. Pure; the stored application
 * keeps the parser's reading untouched, so a decision can be undone and a re-fold keeps it.
 */
import type { Application, FormEntry } from '../domain/application';
import { CATEGORY_CODES, type CategoryCode, type Percent, type Product, type RegistrationForm } from '../domain/form';
import type { Issue } from '../domain/issue';
import type { FieldCorrection, Waiver } from '../domain/staff';
import { addForms } from './fold';
import { latestCompanyName, standingForms } from './products';

const PERCENT_FIELDS = new Set(['revenueSharePercent', 'marketSharePercent', 'exportSharePercent']);
const PRODUCT_FIELDS = new Set(['name', 'releaseDate', 'category', 'domain', ...PERCENT_FIELDS]);
const COMPANY_FIELDS = new Set(['name', 'legalRepresentative', 'website', 'address', 'postalCode', 'mainBusiness']);
const CONTACT_FIELDS = new Set(['name', 'phone', 'email', 'position']);

/** Is `path` a field staff may correct? (`company.contact.email`, `products[0].domain`, `caseSummary` …) */
export function correctablePath(path: string): boolean {
  const product = /^products\[(\d)\]\.(\w+)$/.exec(path);
  if (product) return PRODUCT_FIELDS.has(product[2] ?? '');
  const contact = /^company\.contact\.(\w+)$/.exec(path);
  if (contact) return CONTACT_FIELDS.has(contact[1] ?? '');
  const company = /^company\.(\w+)$/.exec(path);
  if (company) return COMPANY_FIELDS.has(company[1] ?? '');
  return path === 'productSummary' || path === 'caseSummary';
}

const text = (v: string): string | null => (v.trim() === '' ? null : v.trim());

function percentOf(v: string): Percent {
  const t = v.trim().replace(/[%％]$/, '');
  if (t === '') return null;
  if (t === '无') return '无';
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

const categoryOf = (v: string): CategoryCode | null => (CATEGORY_CODES as readonly string[]).includes(v.trim()) ? (v.trim() as CategoryCode) : null;

const emptyProduct = (): Product => ({
  name: null, releaseDate: null, releaseDateText: null, category: null, categoryText: null, domain: null,
  revenueSharePercent: null, marketSharePercent: null, exportSharePercent: null,
});

function correctForm(form: RegistrationForm, c: FieldCorrection): RegistrationForm {
  if (!correctablePath(c.path)) return form;
  const out: RegistrationForm = { ...form, company: { ...form.company, contact: { ...form.company.contact } }, products: form.products.map((p) => ({ ...p })) };
  const product = /^products\[(\d)\]\.(\w+)$/.exec(c.path);
  if (product) {
    const i = Number(product[1]);
    const field = product[2] as keyof Product;
    while (out.products.length <= i) out.products.push(emptyProduct());
    const p = out.products[i] as Product;
    if (PERCENT_FIELDS.has(field)) (p as unknown as Record<string, Percent>)[field] = percentOf(c.value);
    else if (field === 'category') { p.category = categoryOf(c.value); p.categoryText = text(c.value); }
    else if (field === 'releaseDate') { p.releaseDate = text(c.value); p.releaseDateText = text(c.value); }
    else (p as unknown as Record<string, string | null>)[field] = text(c.value);
    return out;
  }
  const contact = /^company\.contact\.(\w+)$/.exec(c.path);
  if (contact) {
    (out.company.contact as Record<string, string | null>)[contact[1] as string] = text(c.value);
    return out;
  }
  const company = /^company\.(\w+)$/.exec(c.path);
  if (company) {
    const field = company[1] as string;
    if (field === 'mainBusiness') out.company.mainBusiness = c.value.split(/[,，、\s]+/).map(categoryOf).filter((x): x is CategoryCode => x !== null);
    else (out.company as unknown as Record<string, string | null>)[field] = text(c.value);
    return out;
  }
  if (c.path === 'productSummary') out.productSummary = text(c.value);
  if (c.path === 'caseSummary') out.caseSummary = text(c.value);
  return out;
}

/** The forms again from the documents, when staff changed which documents are forms. */
function formsFromDocuments(app: Application, documents: Application['documents']): FormEntry[] {
  const arrivedAt = new Map<string, string>();
  for (const e of app.emails) for (const sha of e.documents) if (!arrivedAt.has(sha)) arrivedAt.set(sha, e.arrivedAt);
  return addForms([], documents, (sha) => arrivedAt.get(sha) ?? app.createdAt);
}

/** The application with staff's document kinds and field corrections applied (a new object). */
export function asStaffSee(app: Application): Application {
  const staff = app.staff;
  if (!staff || (staff.kinds.length === 0 && staff.corrections.length === 0)) return app;
  let documents = app.documents;
  let forms = app.forms;
  if (staff.kinds.length > 0) {
    const kinds = new Map(staff.kinds.map((k) => [k.sha256, k.kind]));
    documents = app.documents.map((d) => (kinds.has(d.sha256) ? { ...d, kind: kinds.get(d.sha256) ?? d.kind } : d));
    forms = formsFromDocuments(app, documents);
  }
  if (staff.corrections.length > 0) {
    const latest = standingForms(forms).pop();
    if (latest) {
      const corrected = staff.corrections.reduce(correctForm, latest.form);
      forms = forms.map((f) => (f === latest ? { ...f, form: corrected } : f));
    }
  }
  return { ...app, documents, forms, companyName: latestCompanyName(forms) ?? app.companyName };
}

/** Does a waiver cover this issue? Same code, and the same file/path when the waiver names one. */
export function waives(w: Waiver, i: Issue): boolean {
  return w.code === i.code && (w.file === undefined || w.file === i.file) && (w.path === undefined || w.path === i.path);
}

/** Splits found issues into open ones and those staff waived. */
export function setAsideWaived(issues: readonly Issue[], waivers: readonly Waiver[]): { open: Issue[]; waived: Issue[] } {
  const open: Issue[] = [];
  const waived: Issue[] = [];
  for (const i of issues) (waivers.some((w) => waives(w, i)) ? waived : open).push(i);
  return { open, waived };
}
