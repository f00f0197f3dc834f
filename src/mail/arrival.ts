/**
 * When an email arrived (rules.md "Deadlines"): the mail server's time, never the sender's
 * claim when anything better is known. Precedence: an explicit override (`--received`),
 * the IMAP INTERNALDATE, the topmost `Received:` header, and only then the `Date:` header.
 */
import type { Arrival, IncomingEmail } from '../domain/email';

export interface ArrivalOptions {
  /** IMAP INTERNALDATE of the message, when read from the mailbox. */
  internalDate?: Date;
  /** `shenbao check --received <ISO>`: the caller knows better than the headers. */
  override?: Date;
  /**
   * Used only when the email carries no readable time at all (no Received:, no Date:):
   * the moment this service read it, which is what the mail server's stamp would be.
   * Reported with source 'internalDate'. From the injected clock (--now / SHENBAO_NOW).
   */
  now: Date;
}

function valid(d: Date | null | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

export function arrivalOf(email: Pick<IncomingEmail, 'receivedHeaderAt' | 'date'>, opts: ArrivalOptions): Arrival {
  if (valid(opts.override)) return { at: opts.override, source: 'override' };
  if (valid(opts.internalDate)) return { at: opts.internalDate, source: 'internalDate' };
  if (valid(email.receivedHeaderAt)) return { at: email.receivedHeaderAt, source: 'received' };
  if (valid(email.date)) return { at: email.date, source: 'date' };
  return { at: opts.now, source: 'internalDate' };
}
