/**
 * The shape of an email address as the settings, the campaign file and the fold check it:
 * one `@`, a dotted domain, no blanks. Written so that no input backtracks (each domain label
 * stops at a dot). Not an RFC 5322 parser: it says "looks like an address", nothing more.
 */
export const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** The same, refusing the characters that would break a `Name <address>` header. */
export const HEADER_SAFE_EMAIL_SHAPE = /^[^\s@<>"]+@[^\s@<>".]+(?:\.[^\s@<>".]+)+$/;

export const looksLikeEmail = (s: string): boolean => EMAIL_SHAPE.test(s.trim());
