/**
 * `shenbao check`: one email judged alone, the way staff would judge it. Offline and
 * deterministic; the worker folds the same analysed email into a stored application.
 */
import type { Campaign } from '../config/campaign';
import type { DocumentRecord } from '../domain/document';
import type { ArrivalSource } from '../domain/email';
import type { DeadlineStatus, Issue } from '../domain/issue';
import { foldEmail, judge, newApplication } from '../rules';
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
  documents: DocumentRecord[];
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
  return {
    messageId: email.messageId,
    from,
    subject: email.subject,
    receivedAt: arrival.at.toISOString(),
    receivedAtSource: arrival.source,
    company: app.companyName,
    automatic: email.automatic,
    documents,
    issues: verdict.issues,
    complete: verdict.complete,
    deadline: verdict.deadline,
  };
}
