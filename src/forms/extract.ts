/** The registration form's fields from a document's content (form-fields.md). */
import type { DocumentContent } from '../domain/content';
import type { RegistrationForm } from '../domain/form';
import { readCompany } from './company';
import { toProducts } from './product';
import { productsFromBlocks } from './products-blocks';
import { productsFromLines } from './products-lines';
import { productsFromTables } from './products-table';
import { readSummaries } from './summaries';
import { isLineContent, toUnits, withoutNoise } from './units';

/** The lines of the content's paragraphs (all of a PDF or .doc), without the template's noise. */
function paragraphLines(content: DocumentContent): string[] {
  return withoutNoise(content.blocks.flatMap((b) => (b.type === 'paragraph' ? b.text.split(/\r?\n/) : [])));
}

export function extractForm(content: DocumentContent): RegistrationForm {
  const units = toUnits(content);
  const rows = productsFromTables(content) ?? productsFromLines(paragraphLines(content)) ?? productsFromBlocks(units);
  const summaries = readSummaries(units, isLineContent(content));
  return {
    company: readCompany(units),
    products: toProducts(rows),
    productSummary: summaries.productSummary,
    caseSummary: summaries.caseSummary,
  };
}
