/**
 * Applicant-supplied names (subjects, display names, file names, company names) cleaned once,
 * where they enter, so that nothing downstream (emails, log lines, the report, the dashboard)
 * carries characters that hide or reorder text (issue 8 §4): C0 and C1 controls, DEL, and the
 * bidirectional formatting characters (embeddings/overrides U+202A–202E, isolates
 * U+2066–2069, marks U+200E/U+200F/U+061C) that make `gpj.exe` look like `exe.jpg`.
 * A single-line name keeps no control character at all: tab and line breaks become a space.
 *
 * The character sets are defined here once, as character-class bodies, for every cleaner:
 * this one, the report's (src/report/clean.ts keeps tab and newline) and the mailbox check
 * (src/domain/mailbox.ts refuses an address holding one).
 */

/** C0 controls (U+0000–U+001F), DEL and C1 controls (U+0080–U+009F). */
export const CONTROL_CHARS = '\\u0000-\\u001f\\u007f-\\u009f';
/** Bidirectional marks U+200E/U+200F, embeddings/overrides U+202A–202E and isolates U+2066–2069. */
export const BIDI_CHARS = '\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
/** U+061C ARABIC LETTER MARK, the one bidi mark outside BIDI_CHARS (only cleanText removes it so far). */
const ARABIC_LETTER_MARK = '\\u061c';
/** U+2028/U+2029, line and paragraph separators: not controls, but they break a line. */
export const LINE_SEPARATORS = '\\u2028\\u2029';

// Line breaks and tabs separate words: a space keeps them apart when they go.
const BREAKS = new RegExp(`[\\t\\n\\v\\f\\r\\u0085${LINE_SEPARATORS}]`, 'g');
const HIDDEN_SET = `${CONTROL_CHARS}${ARABIC_LETTER_MARK}${BIDI_CHARS}`;
const HIDDEN = new RegExp(`[${HIDDEN_SET}]`, 'g');
const HIDDEN_OR_SEPARATOR = new RegExp(`[${HIDDEN_SET}${LINE_SEPARATORS}]`);
const BLANKS = / {2,}/g;

/** One line of applicant text, clean: no controls, no bidi formatting, single spaces, trimmed. */
export function cleanText(s: string): string {
  return s.replace(BREAKS, ' ').replace(HIDDEN, '').replace(BLANKS, ' ').trim();
}

/** Does `s` hold a character cleanText would remove (for tests and assertions)? */
export function hasHiddenCharacters(s: string): boolean {
  return HIDDEN_OR_SEPARATOR.test(s);
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
