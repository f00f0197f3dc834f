/**
 * Applicant-supplied names (subjects, display names, file names, company names) cleaned once,
 * where they enter, so that nothing downstream (emails, log lines, the report, the dashboard)
 * carries characters that hide or reorder text (issue 8 §4): C0 and C1 controls, DEL, and the
 * bidirectional formatting characters (embeddings/overrides U+202A–202E, isolates
 * U+2066–2069, marks U+200E/U+200F/U+061C) that make `gpj.exe` look like `exe.jpg`.
 * A single-line name keeps no control character at all: tab and line breaks become a space.
 */

// Line breaks and tabs separate words: a space keeps them apart when they go.
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), bidi embeddings/overrides/isolates and marks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const BLANKS = / {2,}/g;

/** One line of applicant text, clean: no controls, no bidi formatting, single spaces, trimmed. */
export function cleanText(s: string): string {
  return s.replace(BREAKS, ' ').replace(HIDDEN, '').replace(BLANKS, ' ').trim();
}

/** Does `s` hold a character cleanText would remove (for tests and assertions)? */
export function hasHiddenCharacters(s: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(s); // eslint-disable-line no-control-regex
}

/**
 * Applicant text shown inside one of our emails: clean, and at most `max` characters
 * (code points, so a Chinese name is not cut inside a surrogate pair), cut with "…".
 */
export function oneLine(s: string, max = 80): string {
  const clean = cleanText(s);
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}
