/**
 * Products written as repeated label/value blocks instead of a table
 * (`产品名称：… 发布时间：… 细分类别：…`, then the next product's 产品名称).
 */
import { PRODUCT_LABELS, type ProductKey, startsSection } from './fields';
import type { RawProduct } from './product';
import { isBlank, type Unit } from './units';

export function productsFromBlocks(units: Unit[]): RawProduct[] {
  const rows: RawProduct[] = [];
  let row: RawProduct = {};
  let pending: ProductKey | null = null;
  const set = (key: ProductKey, value: string): void => {
    // A label met again, or a new 产品名称, starts the next product.
    if (row[key] !== undefined || (key === 'name' && Object.keys(row).length > 0)) {
      rows.push(row);
      row = {};
    }
    row[key] = value;
  };
  for (const unit of units) {
    const hits = PRODUCT_LABELS.find(unit.text);
    if (hits.length === 0) {
      if (pending && !isBlank(unit.text)) {
        if (startsSection(unit.text)) break;
        set(pending, unit.text);
        pending = null;
      }
      continue;
    }
    if (hits[0]?.start !== 0 && startsSection(unit.text)) break;
    pending = null;
    hits.forEach((hit, i) => {
      const value = unit.text.slice(hit.end, hits[i + 1]?.start ?? unit.text.length);
      if (isBlank(value)) {
        set(hit.key, '');
        pending = hit.key;
      } else set(hit.key, value);
    });
    // The value waits on the next unit only after the last label of this one.
    if (pending !== hits[hits.length - 1]?.key) pending = null;
  }
  if (Object.keys(row).length > 0) rows.push(row);
  return rows;
}
