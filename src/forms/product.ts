/** One product row, as text cells, made into a Product (form-fields.md, part 2). */
import type { Product } from '../domain/form';
import { matchCategory } from './category';
import { normaliseDate } from './date';
import { PRODUCT_ORDER, type ProductKey } from './fields';
import { isNoneAnswer, normalisePercent } from './percent';
import { compact, normaliseText } from './text';
import { isBlank } from './units';

export type RawProduct = Partial<Record<ProductKey, string>>;

/** An empty template row, a row answering 无 in every cell, or a totals row is no product. */
export function isProductRow(raw: RawProduct): boolean {
  if (/^(合计|小计|总计|共计)$/.test(compact(raw.name ?? ''))) return false;
  return PRODUCT_ORDER.some((key) => {
    const cell = raw[key] ?? '';
    return !isBlank(cell) && !isNoneAnswer(cell) && normaliseText(cell) !== null;
  });
}

export function toProduct(raw: RawProduct): Product | null {
  if (!isProductRow(raw)) return null;
  const releaseDateText = normaliseText(raw.releaseDate);
  const categoryText = normaliseText(raw.category);
  return {
    name: normaliseText(raw.name),
    releaseDate: normaliseDate(releaseDateText),
    releaseDateText,
    category: matchCategory(categoryText),
    categoryText,
    domain: normaliseText(raw.domain),
    revenueSharePercent: normalisePercent(raw.revenueSharePercent),
    marketSharePercent: normalisePercent(raw.marketSharePercent),
    exportSharePercent: normalisePercent(raw.exportSharePercent),
  };
}

export function toProducts(rows: RawProduct[]): Product[] {
  return rows.map(toProduct).filter((p): p is Product => p !== null);
}
