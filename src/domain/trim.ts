/**
 * Trimming a set of characters by scanning from the ends. A regex such as `/[ \t]+$/` looks
 * linear but is quadratic on a long run of blanks followed by text (it restarts the run at
 * every position); applicant text reaches these, so they are loops, not regexes.
 */

export function trimStartChars(s: string, chars: string | RegExp): string {
  const drop = matcher(chars);
  let start = 0;
  while (start < s.length && drop(s[start] as string)) start++;
  return start === 0 ? s : s.slice(start);
}

export function trimEndChars(s: string, chars: string | RegExp): string {
  const drop = matcher(chars);
  let end = s.length;
  while (end > 0 && drop(s[end - 1] as string)) end--;
  return end === s.length ? s : s.slice(0, end);
}

export function trimChars(s: string, chars: string | RegExp): string {
  return trimEndChars(trimStartChars(s, chars), chars);
}

/** `chars` is a list of characters, or a one-character class such as /\s/. */
function matcher(chars: string | RegExp): (ch: string) => boolean {
  return typeof chars === 'string' ? (ch) => chars.includes(ch) : (ch) => chars.test(ch);
}
