/** Products across an application's standing forms: the same product is the same name after normalisation. */
import type { FormEntry } from '../domain/application';
import type { RegistrationForm } from '../domain/form';
import { normaliseProductName } from '../forms/index';

/** Normalised names of the products a form lists ("无" and blank names are not names). */
export function productKeys(form: RegistrationForm): string[] {
  const keys = form.products.map((p) => (p.name && p.name !== '无' ? normaliseProductName(p.name) : '')).filter(Boolean);
  return [...new Set(keys)];
}

export function standingForms(forms: readonly FormEntry[]): FormEntry[] {
  return forms.filter((f) => f.supersededBy === null);
}

/**
 * Distinct products of the forms that stand, as the applicant wrote them (first spelling
 * wins); an unnamed product row counts on its own.
 */
export function distinctProducts(forms: readonly FormEntry[]): string[] {
  const seen = new Map<string, string>();
  const unnamed: string[] = [];
  for (const f of standingForms(forms)) {
    f.form.products.forEach((p, i) => {
      if (p.name && p.name !== '无') {
        const key = normaliseProductName(p.name);
        if (!seen.has(key)) seen.set(key, p.name);
      } else unnamed.push(`${f.file} 第 ${i + 1} 个产品`);
    });
  }
  return [...seen.values(), ...unnamed];
}
