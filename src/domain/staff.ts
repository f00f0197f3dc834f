/**
 * What staff decided about an application, kept beside what the applicant sent. The rules
 * read the application *through* these decisions (src/rules/staff-overlay.ts), so a waiver
 * or a correction is never lost when a new email re-folds the application.
 */
import type { DocumentKind } from './document';
import type { IssueCode } from '../rules/issue-codes';

/** Who did something and when (ISO), and why in their words. */
export interface StaffStamp {
  by: string;
  at: string;
  reason: string;
}

/** An issue staff accept as it is ("2 user reports are enough for this one"). */
export interface Waiver extends StaffStamp {
  code: IssueCode;
  /** Narrows the waiver to the issue about this file (and path); absent: every issue of the code. */
  file?: string;
  path?: string;
}

/** A form field the parser misread, as staff typed it; applied to the latest standing form. */
export interface FieldCorrection extends StaffStamp {
  /** A form-fields.md path: `company.contact.email`, `products[1].releaseDate`. */
  path: string;
  value: string;
}

/** A document staff classify differently (a certificate read as a user report …). */
export interface KindOverride extends StaffStamp {
  sha256: string;
  kind: DocumentKind;
}

export interface StaffNote {
  by: string;
  at: string;
  text: string;
}

export interface StaffOverlay {
  waivers: Waiver[];
  corrections: FieldCorrection[];
  kinds: KindOverride[];
  notes: StaffNote[];
}

export const emptyOverlay = (): StaffOverlay => ({ waivers: [], corrections: [], kinds: [], notes: [] });

export const AUDIT_ACTIONS = [
  'waive', 'unwaive', 'correct', 'set-kind', 'note', 'merge', 'merged-into', 'move-email-out', 'move-email-in',
  'reprocess', 'resend', 'suppress', 'send-status', 'login',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of an application's audit trail: who, when, what, why. */
export interface AuditEntry {
  at: string;
  by: string;
  action: AuditAction;
  applicationId: string;
  reason: string;
  /** What changed, e.g. `{ code: 'TOO_FEW_USER_REPORTS' }` or `{ path, from, to }`. */
  detail: Record<string, unknown>;
}
