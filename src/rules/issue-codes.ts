/** Every issue code of ../shared/spec/rules.md, no more, no fewer (test/unit/rules/issue-codes.test.ts checks). */
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
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];
