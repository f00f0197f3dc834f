import type { IssueCode } from '../rules/issue-codes';

/** One finding about an application; the same code is used in check output, emails and the report. */
export interface Issue {
  code: IssueCode;
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
}

export type DeadlineStatus = 'onTime' | 'late' | 'closed';
