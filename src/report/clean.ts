/**
 * Applicant strings go into spreadsheets, CSV and HTML that staff open: control characters
 * (C0 except tab and newline, DEL, C1) and bidirectional overrides/isolates are removed, so
 * a company name cannot hide text, reorder a cell or break a line format. CR and CRLF become
 * LF. Escaping for each format is the writer's job; this is the one cleaning for all of them.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

export function clean(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** `clean` for a value that may be missing (null stays null). */
export function cleanOrNull(s: string | null | undefined): string | null {
  return s === null || s === undefined ? null : clean(s);
}
