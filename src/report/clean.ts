/**
 * Applicant strings go into spreadsheets, CSV and HTML that staff open: control characters
 * (C0 except tab and newline, DEL, C1) and bidirectional overrides/isolates are removed, so
 * a company name cannot hide text, reorder a cell or break a line format. CR and CRLF become
 * LF. Escaping for each format is the writer's job; this is the one cleaning for all of them.
 */
import { BIDI_CHARS, CONTROL_CHARS } from '../domain/sanitize';

// The controls and bidi characters of src/domain/sanitize, except tab and newline (a CR is
// an LF by then), and the byte-order mark.
const CONTROL = new RegExp(`(?![\\t\\n])[${CONTROL_CHARS}${BIDI_CHARS}\\ufeff]`, 'g');

// Whether there is anything to clean: most strings have nothing, and a test is cheaper than two replaces.
const DIRTY = new RegExp(`\\r|${CONTROL.source}`);

export function clean(s: string): string {
  return DIRTY.test(s) ? s.replace(/\r\n?/g, '\n').replace(CONTROL, '') : s;
}

/** `clean` for a value that may be missing (null stays null). */
export function cleanOrNull(s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : clean(s);
}
