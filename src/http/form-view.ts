/**
 * The registration form field by field for the detail page: the parser's reading beside the
 * value staff corrected, with the Chinese label of each field (src/rules/labels.ts). Pure.
 */
import type { CategoryCode, Percent, Product, RegistrationForm } from '../domain/form';
import type { FieldCorrection } from '../domain/staff';
import { CATEGORY_ZH } from '../report';
import { fieldLabel } from '../rules/labels';

export interface FieldRow {
  path: string;
  label: string;
  parsed: string;
  /** What staff typed, when a correction stands for this path. */
  corrected: string | null;
  correctedBy: string | null;
}

const COMPANY = ['name', 'legalRepresentative', 'website', 'address', 'postalCode', 'mainBusiness'] as const;
const CONTACT = ['name', 'phone', 'email', 'position'] as const;
const PRODUCT = ['name', 'releaseDate', 'category', 'domain', 'revenueSharePercent', 'marketSharePercent', 'exportSharePercent'] as const;

const percent = (p: Percent): string => (p === null ? '' : p === '无' ? '无' : `${p}%`);
const categories = (cs: readonly CategoryCode[]): string => cs.map((c) => CATEGORY_ZH[c]).join('、');

function productValue(p: Product | undefined, field: (typeof PRODUCT)[number]): string {
  if (!p) return '';
  switch (field) {
    case 'releaseDate': return p.releaseDate ?? p.releaseDateText ?? '';
    case 'category': return p.category ? CATEGORY_ZH[p.category] : (p.categoryText ?? '');
    case 'revenueSharePercent': case 'marketSharePercent': case 'exportSharePercent': return percent(p[field]);
    default: return p[field] ?? '';
  }
}

/** The value at a form-fields.md path, as text ('' when the form has none). */
export function fieldValue(form: RegistrationForm | null, path: string): string {
  if (!form) return '';
  const product = /^products\[(\d+)\]\.(\w+)$/.exec(path);
  if (product) return productValue(form.products[Number(product[1])], product[2] as (typeof PRODUCT)[number]);
  const contact = /^company\.contact\.(\w+)$/.exec(path);
  if (contact) return form.company.contact[contact[1] as (typeof CONTACT)[number]] ?? '';
  if (path === 'company.mainBusiness') return categories(form.company.mainBusiness);
  const company = /^company\.(\w+)$/.exec(path);
  if (company) return (form.company[company[1] as Exclude<(typeof COMPANY)[number], 'mainBusiness'>] as string | null) ?? '';
  if (path === 'productSummary') return form.productSummary ?? '';
  if (path === 'caseSummary') return form.caseSummary ?? '';
  return '';
}

/** Every path of the form, products up to the larger of the two readings (at least one). */
export function formPaths(parsed: RegistrationForm | null, corrected: RegistrationForm | null): string[] {
  const n = Math.max(1, parsed?.products.length ?? 0, corrected?.products.length ?? 0);
  return [
    ...COMPANY.map((f) => `company.${f}`),
    ...CONTACT.map((f) => `company.contact.${f}`),
    ...Array.from({ length: n }, (_, i) => PRODUCT.map((f) => `products[${i}].${f}`)).flat(),
    'productSummary',
    'caseSummary',
  ];
}

/** `products[1].domain` → 产品 2：应用领域 */
function labelOf(path: string): string {
  const i = /^products\[(\d+)\]/.exec(path)?.[1];
  return i === undefined ? fieldLabel(path) : `产品 ${Number(i) + 1}：${fieldLabel(path)}`;
}

export function formRows(parsed: RegistrationForm | null, corrected: RegistrationForm | null, corrections: readonly FieldCorrection[]): FieldRow[] {
  return formPaths(parsed, corrected).map((path) => {
    const last = [...corrections].reverse().find((c) => c.path === path);
    return {
      path,
      label: labelOf(path),
      parsed: fieldValue(parsed, path),
      corrected: last ? fieldValue(corrected, path) || last.value : null,
      correctedBy: last ? last.by : null,
    };
  });
}
