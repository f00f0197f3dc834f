/**
 * One email, read: the email itself, when it arrived, and a record for every document
 * it carries. The one composition of src/mail and src/documents that both
 * `shenbao check` and the worker's intake call.
 */
import { createHash } from 'node:crypto';
import type { DocumentParser } from '../documents';
import type { DocumentRecord } from '../domain/document';
import type { Arrival, IncomingEmail, MailProblem } from '../domain/email';
import { arrivalOf } from '../mail/arrival';
import { readEmail } from '../mail/read-email';

export interface AnalysedEmail {
  email: IncomingEmail;
  arrival: Arrival;
  documents: DocumentRecord[];
}

export interface AnalyseOptions {
  /** IMAP INTERNALDATE: the mail server's arrival time. */
  internalDate?: Date;
  /** `--received`: an arrival time given by the person running `check`. */
  receivedOverride?: Date;
}

export async function analyseEmail(
  raw: Buffer,
  deps: { parser: DocumentParser },
  opts: AnalyseOptions = {},
): Promise<AnalysedEmail> {
  const email = await readEmail(raw);
  const arrival = arrivalOf(email, { internalDate: opts.internalDate, override: opts.receivedOverride });
  const parsed = await Promise.all(email.attachments.map((a) => deps.parser.parse(a.filename, a.content)));
  const documents = parsed.flat();
  // What the mail layer could not open (winmail.dat, nesting too deep) is still a document
  // the applicant sent: it must show up as unreadable, not vanish.
  for (const problem of email.problems) documents.push(unreadableRecord(problem));
  return { email, arrival, documents };
}

function unreadableRecord({ file, reason, reasonZh }: MailProblem): DocumentRecord {
  return {
    file,
    format: 'other',
    kind: 'other',
    textLayer: false,
    form: null,
    error: { code: 'UNSUPPORTED_FORMAT', message: reason, messageZh: reasonZh },
    sha256: createHash('sha256').update(`problem:${file}:${reason}`).digest('hex'),
    size: 0,
  };
}
