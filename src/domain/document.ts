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

/**
 * The fields of a 计算机软件著作权登记证书 (cross-checks.md §1; form-record.schema.json
 * `certificate`). Dates are `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, as precise as written.
 */
export interface Certificate {
  /** `软著登字第10234567号` */
  certificateNumber: string | null;
  /** `2022SR0123456` */
  registrationNumber: string | null;
  /** As written on its line (a version there stays), without the `简称：…` part. */
  softwareName: string | null;
  shortName: string | null;
  /** `V3.0` from 版本号, or from the end of the name. */
  version: string | null;
  owner: string | null;
  completedOn: string | null;
  /** null when the certificate says 未发表 (or nothing could be read). */
  firstPublishedOn: string | null;
  /** The date at the certificate's foot. */
  registeredOn: string | null;
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
  /**
   * A scanned certificate's whole first page was read by OCR and filled the certificate fields its
   * top part left empty (the date at its foot). The worker reads it after the receipt (the deep
   * queue); `check`, `parse` and `rebuild` at once. Absent: only the top part was read.
   */
  wholePage?: boolean;
  /**
   * cross-checks.md §1: a copyrightProof's certificate fields from its text (or OCR text);
   * null for other IP proof or when nothing could be read; absent on other kinds.
   */
  certificate?: Certificate | null;
  /**
   * The start of a certificate's or user report's text (or OCR text), kept in the record so the
   * rules can tell which product it is about (cross-checks.md §2) whenever the form arrives.
   */
  excerpt?: string;
  /**
   * cross-checks.md §5: a red seal was seen on this scan (a hint for staff, not a verdict);
   * null when the scan could not be rendered to look. Absent on documents with a text layer,
   * and on a scan not looked at yet: the worker looks after the receipt (the deep queue,
   * src/intake/deep.ts); `check`, `parse` and `rebuild` look at once.
   */
  seal?: boolean | null;
  /** The text the reader saw (or OCR found), only when asked for (`shenbao parse --text`). */
  text?: string;
}
