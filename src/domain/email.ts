/** One email as src/mail reads it from raw bytes: what the rest of shenbao needs, nothing of mailparser. */

export interface Address {
  address: string;
  name: string;
}

export interface Attachment {
  /** Decoded file name (GBK/RFC 2047/RFC 2231 recovered); a forwarded email's parts are `fwd.eml/name.docx`. */
  filename: string;
  contentType: string;
  content: Buffer;
  size: number;
}

export interface Link {
  url: string;
  /** Why we think it is a file offered by link: 'qq-large-attachment', 'baidu-pan', 'cloud-drive' … */
  kind: string;
}

/** Something in an email we could not open but must tell about; in English and in Chinese. */
export interface MailProblem {
  file: string;
  reason: string;
  reasonZh: string;
}

export interface IncomingEmail {
  messageId: string | null;
  from: Address | null;
  replyTo: Address | null;
  to: Address[];
  subject: string;
  /** The sender's own `Date:` header: a claim, never the arrival time on its own. */
  date: Date | null;
  /** Time in the first (topmost) `Received:` header: our server's arrival stamp. */
  receivedHeaderAt: Date | null;
  inReplyTo: string | null;
  references: string[];
  /** Why this is an automatic message (auto-reply, bounce, list mail, no-reply sender), else null. */
  automatic: { reason: string } | null;
  attachments: Attachment[];
  links: Link[];
  /** Plain text body (HTML-only mails converted), for reading links and for staff. */
  text: string;
  /** Things we could not open but must tell about (winmail.dat, nesting too deep). */
  problems: MailProblem[];
  /** The `Sender:` mailbox (RFC 5322: who sent it for a `From:` that names several), else null. */
  sender?: Address | null;
  /**
   * Each `From:` and `Sender:` header's value as sent (charset decoded, encoded-words kept), one
   * entry per header: what src/mail/recipient parses to decide whom we may answer.
   */
  addressHeaders?: { from: string[]; sender: string[] };
  /** `Authentication-Results:` and `Received-SPF:` values, topmost first (judged by src/mail/auth-results). */
  authHeaders?: { authenticationResults: string[]; receivedSpf: string[] };
}

export type ArrivalSource = 'internalDate' | 'override' | 'received' | 'date';

export interface Arrival {
  at: Date;
  source: ArrivalSource;
}
