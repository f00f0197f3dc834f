/**
 * One document as `shenbao parse` reports it: the shape of
 * ../shared/spec/form-record.schema.json, plus a few fields of ours
 * (the schema allows additional properties).
 */
import type { RegistrationForm } from './form';

export const DOCUMENT_FORMATS = ['docx', 'doc', 'wps', 'pdf', 'image', 'zip', 'rar', '7z', 'text', 'other'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const DOCUMENT_KINDS = ['registrationForm', 'scoCaseForm', 'copyrightProof', 'userReport', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Errors a user's file can cause; a value in the record, never an exception. */
export const DOCUMENT_ERROR_CODES = ['UNREADABLE', 'ENCRYPTED', 'TOO_LARGE', 'UNSUPPORTED_FORMAT', 'TIMEOUT'] as const;
export type DocumentErrorCode = (typeof DOCUMENT_ERROR_CODES)[number];

export interface DocumentError {
  code: DocumentErrorCode;
  /** English, for staff and logs. */
  message: string;
  /** Plain Chinese, for the applicant. */
  messageZh: string;
}

export interface DocumentRecord {
  /** Name as the applicant gave it, decoded; an archive member is `archive.zip/inner/name.docx`. */
  file: string;
  format: DocumentFormat;
  kind: DocumentKind;
  /** false for a scan or photo with no extractable text. */
  textLayer: boolean;
  form: RegistrationForm | null;
  error: DocumentError | null;
  /** sha256 of the bytes, hex: the same content counts once. */
  sha256: string;
  size: number;
  /** Text found by OCR was used to classify this scan (tesseract chi_sim present). */
  ocr?: boolean;
  /** The text the reader saw (or OCR found), only when asked for (`shenbao parse --text`). */
  text?: string;
}
