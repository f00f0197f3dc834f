/**
 * An application is built from one or more emails (rules.md): documents add up (once per
 * content hash), every registration form is kept, a later form supersedes an earlier one
 * that shares a product, the company part comes from the latest standing form.
 */
import type { Campaign } from '../config/campaign';
import type { Application, ApplicationEmail, FormEntry, NoReply } from '../domain/application';
import type { DocumentRecord } from '../domain/document';
import type { Arrival, Link } from '../domain/email';
import type { StaffOverlay } from '../domain/staff';
import { normaliseCompanyName } from '../forms/index';
import { looksLikeEmail } from '../domain/email-shape';
import { cleanText } from '../domain/sanitize';
import { deadlineStatus } from './deadline';
import { isName, latestCompanyName, productKeys } from './products';

export interface FoldInput {
  messageId: string | null;
  /** The sender's address. */
  from: string | null;
  subject: string;
  arrival: Arrival;
  documents: DocumentRecord[];
  links: Link[];
  /** When the service processed the email (updatedAt); the arrival when not given. */
  processedAt?: Date;
  /** sha256 of the raw .eml in the file store, so staff can open the original. */
  rawSha256?: string;
  /** Why this email's sender gets no automatic email (src/mail/recipient, auth-results). */
  noReply?: NoReply;
  /** An earlier message had this Message-ID with other content (kept on the email for staff). */
  messageIdReused?: boolean;
}

export function newApplication(id: string, now: Date): Application {
  return {
    id,
    companyKey: null,
    companyName: null,
    addresses: [],
    emails: [],
    documents: [],
    forms: [],
    // Replaced by the first email's status when it is folded in.
    deadline: 'onTime',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

function companyKey(name: string): string | null {
  return normaliseCompanyName(name) || null;
}

/** The company a batch of documents names (its last form with a company name), to find its application. */
export function companyKeyOf(documents: readonly DocumentRecord[]): string | null {
  for (let i = documents.length - 1; i >= 0; i--) {
    const name = documents[i]?.form?.company.name ?? null;
    if (documents[i]?.kind === 'registrationForm' && isName(name)) return companyKey(name);
  }
  return null;
}

/**
 * A corrected form supersedes the standing forms it shares a product with; a form that
 * lists no product is superseded by any later form (it cannot be "another product").
 */
function addForm(forms: FormEntry[], entry: FormEntry): FormEntry[] {
  const keys = new Set(productKeys(entry.form));
  const updated = forms.map((f) => {
    if (f.supersededBy !== null) return f;
    const old = productKeys(f.form);
    return old.length === 0 || old.some((k) => keys.has(k)) ? { ...f, supersededBy: entry.sha256 } : f;
  });
  return [...updated, entry];
}

/** `forms` with the registration forms among `documents` added in order, each arrived at `arrivedAt(sha256)`. */
export function addForms(forms: FormEntry[], documents: readonly DocumentRecord[], arrivedAt: (sha256: string) => string): FormEntry[] {
  let out = forms;
  for (const d of documents) {
    if (d.kind === 'registrationForm' && d.form !== null) {
      out = addForm(out, { sha256: d.sha256, file: d.file, arrivedAt: arrivedAt(d.sha256), form: d.form, supersededBy: null });
    }
  }
  return out;
}

const lower = (s: string) => s.trim().toLowerCase();

/** Pure: the application with one more email folded in (a new object; `app` is untouched). */
export function foldEmail(app: Application, input: FoldInput, campaign: Campaign): Application {
  const status = deadlineStatus(input.arrival.at, campaign);
  const arrivedAt = input.arrival.at.toISOString();
  const known = new Set(app.documents.map((d) => d.sha256));
  const carried: string[] = [];
  const added: DocumentRecord[] = [];
  for (const d of input.documents) {
    if (!carried.includes(d.sha256)) carried.push(d.sha256);
    if (known.has(d.sha256)) continue;
    known.add(d.sha256);
    // Archive members' and forwarded emails' names too: no control or bidi character is kept (issue 8 §4).
    added.push({ ...d, file: cleanText(d.file) });
  }

  const forms = addForms(app.forms, added, () => arrivedAt);
  const latestName = latestCompanyName(forms);

  const addresses = [...app.addresses];
  const contacts = forms.map((f) => f.form.company.contact.email ?? '');
  for (const a of [input.from ?? '', ...contacts].filter(looksLikeEmail).map(lower)) if (!addresses.includes(a)) addresses.push(a);

  const email: ApplicationEmail = {
    messageId: input.messageId,
    from: input.from === null ? null : lower(input.from),
    subject: input.subject,
    arrivedAt,
    arrivalSource: input.arrival.source,
    deadline: status,
    documents: carried,
    links: input.links,
    ...(input.rawSha256 ? { rawSha256: input.rawSha256 } : {}),
    ...(input.noReply ? { noReply: input.noReply } : {}),
    ...(input.messageIdReused ? { messageIdReused: true as const } : {}),
  };

  return {
    ...app,
    companyKey: latestName ? companyKey(latestName) : app.companyKey,
    companyName: latestName ? cleanText(latestName) : app.companyName,
    addresses,
    emails: [...app.emails, email],
    documents: [...app.documents, ...added],
    forms,
    deadline: app.emails.length === 0 ? status : app.deadline,
    updatedAt: (input.processedAt ?? input.arrival.at).toISOString(),
  };
}

/** Re-folds `inputs` (sorted by arrival, stable) into a fresh application numbered `id`, created at `createdAt`. */
export function refold(
  id: string,
  createdAt: string,
  inputs: readonly FoldInput[],
  campaign: Campaign,
  keep: { staff?: StaffOverlay; possibleDuplicateOf?: string },
): Application {
  const sorted = inputs.map((input, i) => ({ input, i }))
    .sort((a, b) => a.input.arrival.at.getTime() - b.input.arrival.at.getTime() || a.i - b.i)
    .map(({ input }) => input);
  const fresh: Application = {
    ...newApplication(id, new Date(createdAt)),
    createdAt,
    ...(keep.staff ? { staff: keep.staff } : {}),
    ...(keep.possibleDuplicateOf ? { possibleDuplicateOf: keep.possibleDuplicateOf } : {}),
  };
  return sorted.reduce((acc, input) => foldEmail(acc, input, campaign), fresh);
}

/**
 * Folding is order-sensitive (the first email sets the deadline status, a later form
 * supersedes an earlier one), but the service processes emails in parallel and a slow scan
 * finishes after the quick email that followed it. An email that arrived before ones already folded
 * is therefore folded by re-folding the whole application in arrival order, from the
 * records it keeps (every document record, and which documents each email carried).
 */
export function foldInArrivalOrder(app: Application, input: FoldInput, campaign: Campaign): Application {
  const at = input.arrival.at.getTime();
  if (!app.emails.some((e) => Date.parse(e.arrivedAt) > at)) return foldEmail(app, input, campaign);
  const bySha = new Map(app.documents.map((d) => [d.sha256, d]));
  const replay = (e: ApplicationEmail): FoldInput => ({
    messageId: e.messageId,
    from: e.from,
    subject: e.subject,
    arrival: { at: new Date(e.arrivedAt), source: e.arrivalSource },
    documents: e.documents.map((sha) => bySha.get(sha)).filter((d) => d !== undefined),
    links: e.links,
    processedAt: new Date(app.updatedAt),
    ...(e.rawSha256 ? { rawSha256: e.rawSha256 } : {}),
    ...(e.messageIdReused ? { messageIdReused: true } : {}),
  });
  const refolded = refold(app.id, app.createdAt, [...app.emails.map(replay), input], campaign, {
    ...(app.staff ? { staff: app.staff } : {}),
    ...(app.possibleDuplicateOf ? { possibleDuplicateOf: app.possibleDuplicateOf } : {}),
  });
  // Addresses are only ever added: keep any the application knew before.
  const addresses = [...refolded.addresses, ...app.addresses.filter((a) => !refolded.addresses.includes(a))];
  return { ...refolded, addresses, updatedAt: (input.processedAt ?? input.arrival.at).toISOString() };
}
