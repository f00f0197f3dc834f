/**
 * Problems a user's file can cause. Readers throw a DocumentFailure deep inside (a
 * limit hit while inflating, a password prompt from pdf.js); the record builder turns
 * it into the record's `error` value, so no user file ever becomes an exception
 * outside src/documents.
 */
import type { DocumentError, DocumentErrorCode, DocumentFormat } from '../domain/document';

export class DocumentFailure extends Error {
  /** the record's format when the content told more than the first bytes (an xlsx is 'other', not 'docx') */
  format: DocumentFormat | undefined;

  constructor(
    readonly code: DocumentErrorCode,
    message: string,
    readonly messageZh: string,
  ) {
    super(message);
    this.name = 'DocumentFailure';
  }

  as(format: DocumentFormat): this {
    this.format = format;
    return this;
  }

  toError(): DocumentError {
    return { code: this.code, message: this.message, messageZh: this.messageZh };
  }
}

export function unreadable(detail: string): DocumentFailure {
  return new DocumentFailure('UNREADABLE', `The file could not be read: ${detail}`, '文件已损坏或无法读取，请重新导出后再发送');
}

export function encrypted(what = 'The file'): DocumentFailure {
  return new DocumentFailure('ENCRYPTED', `${what} is protected by a password`, '文件设有密码（已加密），请去除密码后重新发送');
}

export function tooLarge(detail: string): DocumentFailure {
  return new DocumentFailure('TOO_LARGE', `The file is too large to process: ${detail}`, '文件过大（或解压后过大），无法处理，请压缩内容或分开发送');
}

export function unsupported(formatName: string): DocumentFailure {
  return new DocumentFailure(
    'UNSUPPORTED_FORMAT',
    `Unsupported file format: ${formatName}`,
    `不支持的文件格式（${formatName}），请以 Word（docx/doc）、WPS、PDF、图片或 zip 压缩包发送`,
  );
}

export function timedOut(ms: number): DocumentFailure {
  return new DocumentFailure('TIMEOUT', `Reading the file took longer than ${ms} ms`, '文件处理超时，可能已损坏或过于复杂，请重新导出后再发送');
}

/** Wraps anything a third-party reader threw on a user's file. */
export function asFailure(err: unknown, fallback: (detail: string) => DocumentFailure = unreadable): DocumentFailure {
  if (err instanceof DocumentFailure) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return fallback(detail.slice(0, 200));
}
