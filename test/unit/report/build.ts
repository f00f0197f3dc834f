/** Builders for the report tests: applications folded from emails by the real rules, and sent records. */
import { loadCampaign } from '../../../src/config/campaign';
import type { Application, Judged } from '../../../src/domain/application';
import type { DocumentRecord } from '../../../src/domain/document';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judgeAll } from '../../../src/rules/judge';
import type { SentRecord } from '../../../src/store/sent-log';
import { email } from '../rules/helpers';

export const campaign = loadCampaign();

export function app(id: string, at: string, documents: DocumentRecord[], from = 'lisi@xingyun.com.cn'): Application {
  return foldEmail(newApplication(id, new Date(at)), email(at, documents, { from }), campaign);
}

export const judged = (...apps: Application[]): Judged[] => judgeAll(apps, campaign);

export function sent(key: string, kind: string, over: Partial<SentRecord> = {}): SentRecord {
  const at = Date.parse('2023-07-10T02:00:05Z');
  return {
    key, state: 'sent', messageId: `<${key}@shenbao>`, to: 'lisi@xingyun.com.cn', subject: '回执', kind, attempts: 1,
    createdAt: at, updatedAt: at, claimedAt: at, sentAt: at, accepted: ['lisi@xingyun.com.cn'], response: '250 ok', lastError: null, ...over,
  };
}
