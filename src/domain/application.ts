/**
 * An application: everything one company sent, over one or many emails (rules.md).
 * Plain JSON (dates as ISO strings) so the store keeps it as it is.
 */
import type { DocumentRecord } from './document';
import type { RegistrationForm } from './form';
import type { ArrivalSource, Link } from './email';
import type { DeadlineStatus, Issue } from './issue';
import type { StaffOverlay } from './staff';

/** One email folded into the application. */
export interface ApplicationEmail {
  messageId: string | null;
  from: string | null;
  subject: string;
  arrivedAt: string;
  arrivalSource: ArrivalSource;
  /** Deadline status judged by this email's own arrival. */
  deadline: DeadlineStatus;
  /** sha256 of each document this email carried (documents themselves live once in `documents`). */
  documents: string[];
  links: Link[];
  /** sha256 of the raw .eml in the file store (absent on records written before it was kept). */
  rawSha256?: string;
  /**
   * Another message with this Message-ID but other content was processed before: a forged or
   * broken client's id. Processed all the same (never skipped as a duplicate), flagged for staff.
   */
  messageIdReused?: true;
  /**
   * Why no automatic email answered this email, for staff (issue 8 §1): its From was a list,
   * a group or not an address, or the sender's domain failed authentication at our server.
   * Its sender is then never written to automatically (receipts, follow-ups, reminders).
   */
  noReply?: NoReply;
}

export interface NoReply {
  /** NO_FROM, SEVERAL_FROM_HEADERS, NOT_AN_ADDRESS, GROUP, LIST, UNSAFE_ADDRESS, SENDER_FAILED_AUTH. */
  code: string;
  reason: string;
  reasonZh: string;
  at: string;
}

/** A registration form the application received, and whether a later one replaced it. */
export interface FormEntry {
  sha256: string;
  file: string;
  arrivedAt: string;
  form: RegistrationForm;
  /** sha256 of the later form that corrects this one (shares a product), else null. */
  supersededBy: string | null;
}

export interface Application {
  /** Application number shown to the applicant, e.g. `SB2023-0042`. */
  id: string;
  /** Normalised company name once a form was read; until then null. */
  companyKey: string | null;
  companyName: string | null;
  /** Every address the application knows: senders of its emails and the form's contact email. */
  addresses: string[];
  emails: ApplicationEmail[];
  /** Every distinct document received, de-duplicated by content hash, in arrival order. */
  documents: DocumentRecord[];
  forms: FormEntry[];
  /** Status of the first email (rules.md). */
  deadline: DeadlineStatus;
  createdAt: string;
  updatedAt: string;
  /** Staff decisions (waivers, corrections, kinds, notes); absent until staff act. */
  staff?: StaffOverlay;
  /** Set when staff merged this application into another: it is kept only as a pointer. */
  mergedInto?: string;
  /**
   * The application this one possibly duplicates: a form naming that application's company
   * came from an address it does not know (not its mail domain either), so it was held apart
   * instead of joining it. Staff merge the two or keep them apart; the applicant is never told.
   */
  possibleDuplicateOf?: string;
}

/** What the rules say about an application right now. */
export interface Verdict {
  /** Open issues: found and not waived by staff. */
  issues: Issue[];
  /** Issues staff waived (shown to staff, never to the applicant as missing). */
  waived: Issue[];
  complete: boolean;
  deadline: { status: DeadlineStatus };
}

/** An application with its verdict: what the scheduler, the report and the dashboard share. */
export interface Judged {
  app: Application;
  verdict: Verdict;
}
