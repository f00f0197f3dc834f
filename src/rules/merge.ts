/**
 * Staff putting emails where they belong, pure: merging two applications (the same company
 * wrote from a personal QQ address, or sent a link first) and taking one email out of an
 * application. Both re-fold the emails in arrival order from the records the application
 * keeps (the document records and which documents each email carried), as
 * foldInArrivalOrder does, so the first email still sets the deadline status and a later
 * form still supersedes an earlier one, whichever application each email was in.
 */
import type { Campaign } from '../config/campaign';
import type { Application, ApplicationEmail } from '../domain/application';
import type { DocumentRecord } from '../domain/document';
import type { StaffOverlay } from '../domain/staff';
import { refold, type FoldInput } from './fold';

/** The FoldInput an email was folded from, rebuilt from the application's records. */
export function replayEmail(app: Application, email: ApplicationEmail, documents: ReadonlyMap<string, DocumentRecord> = documentsOf(app)): FoldInput {
  return {
    messageId: email.messageId,
    from: email.from,
    subject: email.subject,
    arrival: { at: new Date(email.arrivedAt), source: email.arrivalSource },
    documents: email.documents.map((sha) => documents.get(sha)).filter((d): d is DocumentRecord => d !== undefined),
    links: email.links,
    processedAt: new Date(app.updatedAt),
    ...(email.rawSha256 ? { rawSha256: email.rawSha256 } : {}),
    ...(email.noReply ? { noReply: email.noReply } : {}),
    ...(email.messageIdReused ? { messageIdReused: true } : {}),
  };
}

const documentsOf = (app: Application) => new Map(app.documents.map((d) => [d.sha256, d]));

/** Staff decisions of both, in the order they were taken (a later correction of a field wins). */
function combineOverlays(a: StaffOverlay | undefined, b: StaffOverlay | undefined): StaffOverlay | undefined {
  if (!a && !b) return undefined;
  const byTime = <T extends { at: string }>(x: T[] = [], y: T[] = []): T[] =>
    [...x, ...y].map((v, i) => ({ v, i })).sort((p, q) => Date.parse(p.v.at) - Date.parse(q.v.at) || p.i - q.i).map(({ v }) => v);
  return {
    waivers: byTime(a?.waivers, b?.waivers),
    corrections: byTime(a?.corrections, b?.corrections),
    kinds: byTime(a?.kinds, b?.kinds),
    notes: byTime(a?.notes, b?.notes),
  };
}

const sameEmail = (a: ApplicationEmail, b: ApplicationEmail) =>
  a.messageId !== null && a.messageId === b.messageId && a.arrivedAt === b.arrivedAt && a.from === b.from;
const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);
const earlier = (a: string, b: string) => (Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * One application from two: `target` keeps its number; every email of both, in arrival
 * order; every address either knew; the staff decisions of both. `source` is untouched
 * (the caller keeps it as a pointer, `mergedInto`). A "possible duplicate" mark between the
 * two is settled by the merge; one naming a third application stays.
 */
export function mergeApplications(target: Application, source: Application, campaign: Campaign): Application {
  const documents = new Map([...documentsOf(source), ...documentsOf(target)]);
  const fromSource = source.emails.filter((e) => !target.emails.some((t) => sameEmail(t, e)));
  const inputs = [...target.emails.map((e) => replayEmail(target, e, documents)), ...fromSource.map((e) => replayEmail(source, e, documents))];
  const duplicateOf = [target.possibleDuplicateOf, source.possibleDuplicateOf].find((d) => d !== undefined && d !== target.id && d !== source.id);
  const merged = refold(target.id, earlier(target.createdAt, source.createdAt), inputs, campaign, {
    staff: combineOverlays(target.staff, source.staff),
    ...(duplicateOf ? { possibleDuplicateOf: duplicateOf } : {}),
  });
  const addresses = [...merged.addresses];
  for (const a of [...target.addresses, ...source.addresses]) if (!addresses.includes(a)) addresses.push(a);
  return { ...merged, addresses, updatedAt: later(target.updatedAt, source.updatedAt) };
}

/**
 * The application without its email number `emailIndex` (0-based, arrival order), re-folded,
 * and that email as a FoldInput to fold into another application. The addresses are those
 * the remaining emails and forms give: the sender who did not belong leaves with the email.
 * Throws on a bad index (the caller checks it: a staff's bad input is a value there).
 */
export function removeEmail(app: Application, emailIndex: number, campaign: Campaign): { app: Application; input: FoldInput } {
  const email = app.emails[emailIndex];
  if (!Number.isInteger(emailIndex) || !email) throw new RangeError(`${app.id} has no email #${emailIndex}`);
  const documents = documentsOf(app);
  const rest = app.emails.filter((_, i) => i !== emailIndex).map((e) => replayEmail(app, e, documents));
  const refolded = refold(app.id, app.createdAt, rest, campaign, {
    ...(app.staff ? { staff: app.staff } : {}),
    ...(app.possibleDuplicateOf ? { possibleDuplicateOf: app.possibleDuplicateOf } : {}),
  });
  return { app: { ...refolded, updatedAt: app.updatedAt }, input: replayEmail(app, email, documents) };
}
