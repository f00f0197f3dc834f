import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ISSUE_CODES, severityOf, WARNING_CODES } from '../../../src/rules/issue-codes';

const spec = (name: string) => readFileSync(path.resolve(__dirname, '../../../../shared/spec', name), 'utf8');

/** The codes in a spec file's tables: a row's first cell in backticks. */
function codesOf(text: string): string[] {
  return [...new Set([...text.matchAll(/^\|\s*`([A-Z][A-Z_]+)`\s*\|/gm)].map((m) => m[1] ?? ''))].sort();
}

/** The codes of cross-checks.md §4, the warnings table. */
function warningsOfCrossChecks(): string[] {
  const text = spec('cross-checks.md');
  const start = text.indexOf('## 4.');
  const end = text.indexOf('\n## ', start + 1);
  return codesOf(text.slice(start, end === -1 ? undefined : end));
}

describe('ISSUE_CODES', () => {
  it('is exactly the set of codes in the tables of rules.md and cross-checks.md together', () => {
    const rules = codesOf(spec('rules.md'));
    const crossChecks = codesOf(spec('cross-checks.md'));
    expect(rules.length).toBeGreaterThanOrEqual(13);
    expect(crossChecks.length).toBeGreaterThanOrEqual(7);
    expect([...ISSUE_CODES].sort()).toEqual([...new Set([...rules, ...crossChecks])].sort());
  });

  it('lists each code once', () => {
    expect(new Set(ISSUE_CODES).size).toBe(ISSUE_CODES.length);
  });

  it('the warnings are the codes of cross-checks.md §4; every other code is an error', () => {
    const warnings = warningsOfCrossChecks();
    expect(warnings).toEqual(['COPYRIGHT_NAME_MISMATCH', 'COPYRIGHT_OWNER_MISMATCH', 'DOCUMENT_PRODUCT_UNKNOWN', 'RELEASE_DATE_MISMATCH', 'SEAL_NOT_FOUND']);
    expect([...WARNING_CODES].sort()).toEqual(warnings);
    for (const code of ISSUE_CODES) expect(severityOf(code)).toBe(warnings.includes(code) ? 'warning' : 'error');
  });
});
