/**
 * From what a reader saw to the DocumentRecord of form-record.schema.json: the kind
 * comes from the content first and the name second (src/forms), the form's fields only
 * from a registration form with a text layer (never from OCR text).
 */
import { createHash } from 'node:crypto';
import type { DocumentContent } from '../domain/content';
import type { DocumentError, DocumentFormat, DocumentRecord } from '../domain/document';
import { classifyDocument, extractCertificate, extractForm, fillCertificate } from '../forms';

/** How much of a certificate's or report's text the record keeps for attribution (cross-checks.md §2). */
export const EXCERPT_CHARS = 4000;

export interface ReadDocument {
  file: string;
  format: DocumentFormat;
  content: DocumentContent | null;
  textLayer: boolean;
  /** text found by OCR on a scan: for classification only */
  ocrText: string | null;
  error: DocumentError | null;
  /** cross-checks.md §5, scans only: a red seal seen (null: could not look) */
  seal?: boolean | null;
  /** A scanned certificate's whole first page, read by OCR after its top part (its fields only, never its kind). */
  wholePageText?: string;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function buildRecord(doc: ReadDocument, bytes: Uint8Array, includeText = false): DocumentRecord {
  const text = doc.content?.text ?? doc.ocrText ?? null;
  const kind = classifyDocument(doc.file, text, { ocr: doc.content === null && doc.ocrText !== null });
  const form = kind === 'registrationForm' && doc.textLayer && doc.content && !doc.error ? extractForm(doc.content) : null;
  const record: DocumentRecord = {
    file: doc.file,
    format: doc.format,
    kind,
    textLayer: doc.textLayer,
    form,
    error: doc.error,
    sha256: sha256(bytes),
    size: bytes.byteLength,
  };
  // A certificate's fields and the text that names its product come from its text or, for a
  // scan, from the OCR text already read for classification (cross-checks.md §1, §2).
  if (kind === 'copyrightProof') record.certificate = doc.error ? null : extractCertificate(text);
  // The whole page only fills what the top part left empty: the kind, the product a document
  // counts for and the receipt's list were decided on the top part, and stay so.
  if (doc.wholePageText !== undefined && !doc.error) {
    record.certificate = fillCertificate(kind === 'copyrightProof' ? (record.certificate ?? null) : null, extractCertificate(doc.wholePageText));
    record.wholePage = true;
  }
  if ((kind === 'copyrightProof' || kind === 'userReport') && text && !doc.error) record.excerpt = text.slice(0, EXCERPT_CHARS);
  if (doc.ocrText !== null) record.ocr = true;
  if (doc.seal !== undefined) record.seal = doc.seal;
  if (includeText && text !== null) record.text = text;
  return record;
}
