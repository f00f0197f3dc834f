/** The registration form's fields, keyed as in ../shared/spec/form-fields.md. */

export const CATEGORY_CODES = ['basic', 'industrial', 'support', 'application', 'ai', 'other'] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

/** A number, the answer "none" (无), or no answer at all. */
export type Percent = number | '无' | null;

export interface Product {
  name: string | null;
  releaseDate: string | null;
  releaseDateText: string | null;
  category: CategoryCode | null;
  categoryText: string | null;
  domain: string | null;
  revenueSharePercent: Percent;
  marketSharePercent: Percent;
  exportSharePercent: Percent;
}

export interface Company {
  name: string | null;
  legalRepresentative: string | null;
  website: string | null;
  address: string | null;
  postalCode: string | null;
  mainBusiness: CategoryCode[];
  contact: {
    name: string | null;
    phone: string | null;
    email: string | null;
    position: string | null;
  };
}

export interface RegistrationForm {
  company: Company;
  products: Product[];
  productSummary: string | null;
  caseSummary: string | null;
}
