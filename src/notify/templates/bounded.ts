/**
 * A receipt stays small whatever the email held (issue 8 §1): applicant text inside our
 * emails is one short line (names and subjects cut at 80 characters with "…", an issue that
 * quotes applicant text at 200), and lists are capped with the rest counted.
 */
import type { Campaign } from '../../config/campaign';
import type { Verdict } from '../../domain/application';
import type { Issue } from '../../domain/issue';
import { oneLine } from '../../domain/sanitize';
import { defangLinks } from './defang';

/** A file name, subject or company name in one of our emails (never a link: defang.ts). */
export const NAME_CHARS = 80;
/** One issue line (it may quote a file name, a product name or a field value). */
export const ISSUE_CHARS = 200;
/** Issues listed in one email; the rest are counted. */
export const MAX_ISSUES_LISTED = 50;

export const nameLine = (s: string): string => defangLinks(oneLine(s, NAME_CHARS));

/** Errors: what is missing or wrong (cross-checks.md §4); an issue without a severity is one. */
export const errorsOf = (issues: readonly Issue[]): Issue[] => issues.filter((i) => i.severity !== 'warning');
/** Warnings: what to look at (请核对以下内容); never a reason for an email by themselves. */
export const warningsOf = (issues: readonly Issue[]): Issue[] => issues.filter((i) => i.severity === 'warning');

/**
 * The issues as list items: each one line (never a link), the same sentence once with its count
 * (twenty links to one drive are one line, 共 20 处), at most MAX_ISSUES_LISTED, then `另有 N 项…`.
 */
export function issueLines(issues: readonly Issue[], max = MAX_ISSUES_LISTED): string[] {
  const counts = new Map<string, number>();
  for (const i of issues) {
    const line = defangLinks(oneLine(i.message, ISSUE_CHARS));
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const distinct = [...counts].map(([line, n]) => (n === 1 ? line : `${line}（共 ${n} 处）`));
  const lines = distinct.slice(0, max);
  if (distinct.length > max) lines.push(`另有 ${distinct.length - max} 项问题未逐一列出，请联系协会工作人员了解详情`);
  return lines;
}

/** 请核对以下内容： and the warnings, or nothing (render's blocks; not imported from render.ts, which imports this file). */
export function warningBlocks(issues: readonly Issue[], campaign: Campaign): Array<{ p: string } | { list: string[] }> {
  const warnings = warningsOf(issues);
  return warnings.length === 0 ? [] : [{ p: campaign.texts.receipt.warningsHeading }, { list: issueLines(warnings) }];
}

/** The verdict in an email: `complete` when nothing is open, else `issuesHeading` and the errors; then the warnings under their own heading (cross-checks.md §4). */
export function verdictBlocks(
  verdict: Pick<Verdict, 'complete' | 'issues'>, campaign: Campaign, t: { complete: string; issuesHeading: string },
): Array<{ p: string } | { list: string[] }> {
  const errors = verdict.complete ? [{ p: t.complete }] : [{ p: t.issuesHeading }, { list: issueLines(errorsOf(verdict.issues)) }];
  return [...errors, ...warningBlocks(verdict.issues, campaign)];
}
