/**
 * A version at the end of a software name (`云帆智能审批平台 V3.0`, `…v3`, `…3.0版`, `…2.1`):
 * found by scanning from the end, not by a `$`-anchored regex (quadratic on applicant text).
 */
import { trimEndChars } from '../domain/trim';

const DIGITS = '0123456789.';

export interface NameVersion {
  /** the name without its version (and the blanks or `-`/`_` before it) */
  base: string;
  /** as written without blanks (`V3.0`, `3.0版`, `2.1`), or null */
  version: string | null;
}

export function splitVersion(name: string): NameVersion {
  const text = trimEndChars(name, ' \t\u3000');
  const ban = text.endsWith('版') ? 1 : 0;
  const body = text.slice(0, text.length - ban);
  let i = body.length;
  while (i > 0 && DIGITS.includes(body[i - 1] as string)) i -= 1;
  const digits = trimEndChars(body.slice(i), '.');
  if (!/\d/.test(digits) || digits.startsWith('.')) return { base: name, version: null };
  let j = i;
  while (j > 0 && (body[j - 1] === ' ' || body[j - 1] === '\u3000')) j -= 1;
  const letter = body[j - 1];
  if (letter === 'V' || letter === 'v') {
    return { base: trimEndChars(body.slice(0, j - 1), ' \t\u3000-_'), version: `${letter}${digits}${ban ? '版' : ''}` };
  }
  // bare digits are a version only with a dot or 版 (`云帆5G`, `MES2000` keep theirs)
  if (ban || digits.includes('.')) return { base: trimEndChars(body.slice(0, i), ' \t\u3000-_'), version: `${digits}${ban ? '版' : ''}` };
  return { base: name, version: null };
}
