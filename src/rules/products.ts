/** Products across an application's standing forms: the same product is the same name after normalisation. */
import type { FormEntry } from '../domain/application';
import type { RegistrationForm } from '../domain/form';
import { normaliseProductName } from '../forms/index';

/** A company or product name the form gives: "无" and blank are no names. */
export const isName = (name: string | null | undefined): name is string => !!name && name.trim() !== '' && name.trim() !== '无';

/** Normalised names of the products a form lists. */
export function productKeys(form: RegistrationForm): string[] {
  const keys = form.products.map((p) => (isName(p.name) ? normaliseProductName(p.name) : '')).filter(Boolean);
  return [...new Set(keys)];
}

export function standingForms(forms: readonly FormEntry[]): FormEntry[] {
  return forms.filter((f) => f.supersededBy === null);
}

/** The company name of the latest standing form that gives one (the application's company). */
export function latestCompanyName(forms: readonly FormEntry[]): string | undefined {
  return standingForms(forms).map((f) => f.form.company.name).filter(isName).pop();
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
      if (isName(p.name)) {
        const key = normaliseProductName(p.name);
        if (!seen.has(key)) seen.set(key, p.name);
      } else unnamed.push(`${f.file} 第 ${i + 1} 个产品`);
    });
  }
  return [...seen.values(), ...unnamed];
}
