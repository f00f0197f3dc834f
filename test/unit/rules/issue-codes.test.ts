import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ISSUE_CODES } from '../../../src/rules/issue-codes';

/** The codes in the tables of rules.md: a row's first cell in backticks. */
function codesOfRules(): string[] {
  const rules = readFileSync(path.resolve(__dirname, '../../../../shared/spec/rules.md'), 'utf8');
  const codes = [...rules.matchAll(/^\|\s*`([A-Z][A-Z_]+)`\s*\|/gm)].map((m) => m[1] ?? '');
  return [...new Set(codes)].sort();
}

describe('ISSUE_CODES', () => {
  it('is exactly the set of codes in the tables of ../shared/spec/rules.md', () => {
    const fromSpec = codesOfRules();
    expect(fromSpec.length).toBeGreaterThanOrEqual(13);
    expect([...ISSUE_CODES].sort()).toEqual(fromSpec);
  });

  it('lists each code once', () => {
    expect(new Set(ISSUE_CODES).size).toBe(ISSUE_CODES.length);
  });
});
