/**
 * `shenbao check`: one email judged alone, the way staff would judge it. Offline and
 * deterministic; the worker folds the same analysed email into a stored application.
 */
import type { Campaign } from '../config/campaign';
import type { DocumentRecord } from '../domain/document';
import type { ArrivalSource } from '../domain/email';
import type { DeadlineStatus, Issue } from '../domain/issue';
import { foldEmail, judge, newApplication, productOfDocuments } from '../rules';
import type { AnalysedEmail } from './analyse';

/** The JSON of cli.md, plus `receivedAtSource` so a reader sees when the time is only the sender's claim. */
export interface CheckResult {
  messageId: string | null;
  from: string | null;
  subject: string;
  receivedAt: string;
  receivedAtSource: ArrivalSource;
  company: string | null;
  automatic: { reason: string } | null;
  /** Each record as parsed, with `product` for a certificate or user report (cross-checks.md §2) and without its `excerpt`. */
  documents: Array<Omit<DocumentRecord, 'excerpt'> & { product?: string | null }>;
  issues: Issue[];
  complete: boolean;
  deadline: { status: DeadlineStatus };
}

export function checkAnalysedEmail(analysed: AnalysedEmail, campaign: Campaign, now: Date): CheckResult {
  const { email, arrival, documents } = analysed;
  const from = email.from?.address.toLowerCase() ?? null;
  const app = foldEmail(
    newApplication(`${campaign.idPrefix}-CHECK`, now),
    { messageId: email.messageId, from, subject: email.subject, arrival, documents, links: email.links, processedAt: now },
    campaign,
  );
  const verdict = judge(app, campaign);
  const products = productOfDocuments(app);
  return {
    messageId: email.messageId,
    from,
    subject: email.subject,
    receivedAt: arrival.at.toISOString(),
    receivedAtSource: arrival.source,
    company: app.companyName,
    automatic: email.automatic,
    documents: documents.map(({ excerpt: _excerpt, ...d }) => (products.has(d.sha256) ? { ...d, product: products.get(d.sha256) ?? null } : d)),
    issues: verdict.issues,
    complete: verdict.complete,
    deadline: verdict.deadline,
  };
}
