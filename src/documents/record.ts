/**
 * From what a reader saw to the DocumentRecord of form-record.schema.json: the kind
 * comes from the content first and the name second (src/forms), the form's fields only
 * from a registration form with a text layer (never from OCR text).
 */
import { createHash } from 'node:crypto';
import type { DocumentContent } from '../domain/content';
import type { DocumentError, DocumentFormat, DocumentRecord } from '../domain/document';
import { classifyDocument, extractForm } from '../forms';

export interface ReadDocument {
  file: string;
  format: DocumentFormat;
  content: DocumentContent | null;
  textLayer: boolean;
  /** text found by OCR on a scan: for classification only */
  ocrText: string | null;
  error: DocumentError | null;
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
  if (doc.ocrText !== null) record.ocr = true;
  if (includeText && text !== null) record.text = text;
  return record;
}
