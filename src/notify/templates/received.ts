/** What the applicant sent, in the words of the campaign: by kind, for this email and in all. */
import type { Campaign } from '../../config/campaign';
import type { Application, ApplicationEmail } from '../../domain/application';
import type { DocumentRecord } from '../../domain/document';
import { nameLine } from './bounded';

type KindLabel = keyof Campaign['texts']['kinds'];
const ORDER: KindLabel[] = ['registrationFormEditable', 'registrationFormScan', 'scoCaseForm', 'copyrightProof', 'userReport', 'other'];

function labelOf(d: DocumentRecord): KindLabel {
  if (d.kind === 'registrationForm') return d.textLayer ? 'registrationFormEditable' : 'registrationFormScan';
  return d.kind;
}

/**
 * One line per kind this email carried: `用户使用报告：报告1.pdf、报告2.pdf（与此前收到的文件相同，按一份计）`.
 * At most `campaign.receipt.documentsListed` names (each one line of ≤ 80 characters); the
 * rest are counted on a last line, `另有 12 份文件`, so a receipt stays small.
 */
export function receivedLines(app: Application, email: ApplicationEmail, campaign: Campaign): string[] {
  // The same email, also when it comes back from the store as a copy.
  const index = app.emails.findIndex((e) => e === email || (e.messageId === email.messageId && e.arrivedAt === email.arrivedAt));
  const earlier = new Set((index >= 0 ? app.emails.slice(0, index) : app.emails).flatMap((e) => e.documents));
  const byKind = new Map<KindLabel, string[]>();
  const docs = new Map(app.documents.map((d) => [d.sha256, d]));
  const max = campaign.receipt.documentsListed;
  let listed = 0;
  let more = 0;
  for (const sha of email.documents) {
    const d = docs.get(sha);
    if (!d) continue;
    if (listed >= max) {
      more++;
      continue;
    }
    listed++;
    const name = earlier.has(sha) ? `${nameLine(d.file)}${campaign.texts.receipt.duplicateNote}` : nameLine(d.file);
    const names = byKind.get(labelOf(d)) ?? [];
    names.push(name);
    byKind.set(labelOf(d), names);
  }
  const lines = ORDER.filter((k) => byKind.has(k)).map((k) => `${campaign.texts.kinds[k]}：${(byKind.get(k) ?? []).join('、')}`);
  if (more > 0) lines.push(`另有 ${more} 份文件`);
  return lines;
}

/** `登记表（电子版） 1 份、…、用户使用报告 2 份` over the whole application. */
export function totalsLine(app: Application, campaign: Campaign): string {
  const counts = new Map<KindLabel, number>();
  for (const d of app.documents) if (d.error === null) counts.set(labelOf(d), (counts.get(labelOf(d)) ?? 0) + 1);
  const always: KindLabel[] = ['registrationFormEditable', 'registrationFormScan', 'copyrightProof', 'userReport'];
  return ORDER.filter((k) => always.includes(k) || counts.has(k))
    .map((k) => `${campaign.texts.kinds[k]} ${counts.get(k) ?? 0} 份`)
    .join('、');
}
