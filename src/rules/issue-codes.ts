/**
 * Every issue code of ../shared/spec/rules.md and cross-checks.md, no more, no fewer
 * (test/unit/rules/issue-codes.test.ts checks), in the order verdicts list them.
 */
/**
 * cross-checks.md §4: an error makes the application incomplete; a warning is something staff
 * (and the applicant) should look at, listed apart, which never makes it incomplete by itself.
 */
export type Severity = 'error' | 'warning';
export const ISSUE_CODES = [
  'MISSING_FORM',
  'MISSING_EDITABLE_FORM',
  'MISSING_STAMPED_SCAN',
  'MISSING_COPYRIGHT_PROOF',
  'TOO_FEW_USER_REPORTS',
  'UNREADABLE_ATTACHMENT',
  'LINK_NOT_ATTACHMENT',
  'MISSING_FIELD',
  'INVALID_FIELD',
  'NO_PRODUCT',
  'TOO_MANY_PRODUCTS',
  'RELEASE_OUT_OF_WINDOW',
  'TEXT_TOO_LONG',
  // cross-checks.md §4: warnings
  'COPYRIGHT_NAME_MISMATCH',
  'COPYRIGHT_OWNER_MISMATCH',
  'RELEASE_DATE_MISMATCH',
  'SEAL_NOT_FOUND',
  'DOCUMENT_PRODUCT_UNKNOWN',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

/** cross-checks.md §4: these are warnings; every other code is an error. */
export const WARNING_CODES: ReadonlySet<IssueCode> = new Set<IssueCode>([
  'COPYRIGHT_NAME_MISMATCH',
  'COPYRIGHT_OWNER_MISMATCH',
  'RELEASE_DATE_MISMATCH',
  'SEAL_NOT_FOUND',
  'DOCUMENT_PRODUCT_UNKNOWN',
]);

export const severityOf = (code: IssueCode): Severity => (WARNING_CODES.has(code) ? 'warning' : 'error');
