/**
 * src/forms: the registration form's fields from a document's content, and what kind of
 * document an attachment is. Pure functions of their input.
 */
export { extractForm } from './extract';
export { classifyDocument, titleNamesForm } from './classify';
export { extractCertificate, fillCertificate } from './certificate';
export { normaliseCompanyName, normaliseProductName } from './company-name';
export { normaliseText, toHalfWidth } from './text';
export { normaliseDate } from './date';
export { normalisePercent, isNoneAnswer } from './percent';
export { matchCategory } from './category';
export { parseTicks } from './ticks';
export { LabelSet, type LabelDef, type LabelHit } from './labels';
export { COMPANY_LABELS, PRODUCT_LABELS, SUMMARY_LABELS } from './fields';
