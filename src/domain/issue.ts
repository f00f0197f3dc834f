import type { IssueCode, Severity } from '../rules/issue-codes';

export type { Severity };

/** One finding about an application; the same code is used in check output, emails and the report. */
export interface Issue {
  code: IssueCode;
  severity: Severity;
  /** Plain Chinese a company clerk understands. */
  message: string;
  path?: string;
  file?: string;
  count?: number;
  required?: number;
  limit?: number;
  length?: number;
  reason?: string;
  url?: string;
  /** The product (its name as on the form) a per-product issue is about (cross-checks.md §3). */
  product?: string;
  /** What a document says instead (the certificate's name, owner or date: cross-checks.md §4). */
  found?: string;
}

export type DeadlineStatus = 'onTime' | 'late' | 'closed';
