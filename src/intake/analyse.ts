/**
 * One email, read: the email itself, when it arrived, and a record for every document
 * it carries. The one composition of src/mail and src/documents that both
 * `shenbao check` and the worker's intake call.
 *
 * All of it is bounded (issue 8 §3): the MIME is read in a worker of the document pool
 * (time limit, heap cap), and the email has one total budget (campaign `limits.perEmail`:
 * documents, archive members included, forwarded levels, wall time). What is beyond it gets
 * a record saying it was not read.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_PER_EMAIL } from '../config/campaign';
import { collapseUnread, DEFAULT_TIMEOUT_MS, EmailBudget, overBudget, type DocumentParser, type EmailLimits, type StageOptions } from '../documents';
import type { DocumentError, DocumentRecord } from '../domain/document';
import type { Arrival, IncomingEmail, Link, MailProblem } from '../domain/email';
import { arrivalOf } from '../mail/arrival';

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
  /** The campaign's `limits.perEmail`. */
  limits?: EmailLimits;
  /** The injected clock's now: the arrival of an email that carries no time at all. */
  now: Date;
  /** What is read of the documents (src/documents/stage.ts); default all of it. */
  stage?: StageOptions;
}

/** Download links kept per email; more are counted in one not-read record. */
export const MAX_LINKS = 20;

/** The header block alone, read when the whole email could not be: enough to know who wrote. */
const HEADERS_ONLY_BYTES = 256 * 1024;
const HEADERS_ONLY_MS = 5000;

/** `problems[].file` of the email itself (as src/mail/fallback names it). */
const MESSAGE_FILE = '(邮件)';

export async function analyseEmail(raw: Buffer, deps: { parser: DocumentParser }, opts: AnalyseOptions): Promise<AnalysedEmail> {
  const limits = opts.limits ?? DEFAULT_PER_EMAIL;
  const budget = new EmailBudget(limits);
  const { email, failure } = await readBounded(raw, deps.parser, budget);
  const arrival = arrivalOf(email, { internalDate: opts.internalDate, override: opts.receivedOverride, now: opts.now });
  const parsed = await Promise.all(email.attachments.map((a) => deps.parser.parse(a.filename, a.content, budget, opts.stage)));
  const documents = collapseUnread(parsed.flat());
  if (failure) documents.push(problemRecord(MESSAGE_FILE, failure, raw.length, createHash('sha256').update(raw).digest('hex')));
  // What the mail layer could not open (winmail.dat, nesting too deep) is still a document
  // the applicant sent: it must show up as unreadable, not vanish.
  for (const problem of email.problems) documents.push(unreadableRecord(problem));
  const links = boundedLinks(email.links, documents);
  return { email: { ...email, links }, arrival, documents };
}

/**
 * The email read in a worker; when that fails (time, memory), its header block alone, so the
 * sender still gets an answer saying the email could not be read; when even that fails, nothing.
 */
async function readBounded(raw: Buffer, parser: DocumentParser, budget: EmailBudget): Promise<{ email: IncomingEmail; failure: DocumentError | null }> {
  const timeoutMs = Math.min(DEFAULT_TIMEOUT_MS, budget.limits.seconds * 1000);
  const maxForwardDepth = budget.limits.nestingDepth;
  const whole = await parser.readEmail(raw, { maxForwardDepth, timeoutMs, deadline: budget.deadline });
  if ('email' in whole) return { email: whole.email, failure: null };
  const head = await parser.readEmail(headerBlock(raw), { maxForwardDepth: 0, timeoutMs: HEADERS_ONLY_MS });
  const email = 'email' in head ? { ...head.email, attachments: [], links: [], problems: [] } : emptyEmail();
  return { email, failure: whole.failure };
}

function headerBlock(raw: Buffer): Buffer {
  const window = raw.subarray(0, HEADERS_ONLY_BYTES);
  const crlf = window.indexOf('\r\n\r\n');
  const lf = window.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : window.length;
  return Buffer.concat([window.subarray(0, end), Buffer.from('\r\n\r\n')]);
}

function emptyEmail(): IncomingEmail {
  return { messageId: null, from: null, replyTo: null, to: [], subject: '', date: null, receivedHeaderAt: null, inReplyTo: null, references: [], automatic: null, attachments: [], links: [], text: '', problems: [] };
}

/** The first MAX_LINKS links; the rest counted in one not-read record. */
function boundedLinks(links: Link[], documents: DocumentRecord[]): Link[] {
  if (links.length <= MAX_LINKS) return links;
  const more = links.length - MAX_LINKS;
  const salt = links.slice(MAX_LINKS).map((l) => l.url).join('\n');
  documents.push(problemRecord(`其余 ${more} 个下载链接（${more} more links）`, overBudget(`${MAX_LINKS} links per email`).toError(), 0, salt));
  return links.slice(0, MAX_LINKS);
}

function problemRecord(file: string, error: DocumentError, size: number, salt = ''): DocumentRecord {
  return {
    file,
    format: 'other',
    kind: 'other',
    textLayer: false,
    form: null,
    error,
    sha256: createHash('sha256').update(`problem:${file}:${error.message}${salt}`).digest('hex'),
    size,
  };
}

function unreadableRecord({ file, reason, reasonZh }: MailProblem): DocumentRecord {
  return problemRecord(file, { code: 'UNSUPPORTED_FORMAT', message: reason, messageZh: reasonZh }, 0);
}
