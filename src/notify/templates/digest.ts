/** The staff digest: counts, and the applications that changed since the last one. */
import type { Campaign } from '../../config/campaign';
import type { Judged } from '../../domain/application';
import { chineseDateTime, zonedDate } from '../../rules/zoned-time';
import { errorsOf, nameLine, warningsOf } from './bounded';
import { callVars, fill, render, type Block, type RenderedEmail } from './render';

export type { Judged } from '../../domain/application';

export interface DigestInput {
  items: Judged[];
  campaign: Campaign;
  now: Date;
  /** When the last digest went out; null: everything counts as changed. */
  since: Date | null;
  /** The dashboard's address (DASHBOARD_URL): the digest links to it; null: no link. */
  dashboardUrl?: string | null;
}

const STATUS = { onTime: '按时', late: '逾期送达', closed: '截止后送达' } as const;

export function changedSince(items: readonly Judged[], since: Date | null): Judged[] {
  return items.filter(({ app }) => since === null || new Date(app.updatedAt).getTime() > since.getTime());
}

function line({ app, verdict }: Judged): string {
  // The sender's address is a checked mailbox (domain/mailbox.ts), shown as it is; a company name is applicant text.
  const who = (app.companyName ? nameLine(app.companyName) : '') || app.addresses[0] || '（未识别企业）';
  const errors = errorsOf(verdict.issues);
  const warnings = warningsOf(verdict.issues).length;
  const state = (verdict.complete ? '材料齐全' : `尚缺 ${errors.length} 项（${[...new Set(errors.map((i) => i.code))].join('、')}）`) + (warnings > 0 ? `，${warnings} 项请核对` : '');
  return `${app.id} ${who}：${state}，${STATUS[app.deadline]}，共 ${app.emails.length} 封邮件、${app.documents.length} 份文件`;
}

export function digestEmail({ items, campaign, now, since, dashboardUrl }: DigestInput): RenderedEmail {
  const changed = changedSince(items, since);
  const vars = {
    ...callVars(campaign),
    date: zonedDate(now, campaign.timeZone),
    now: chineseDateTime(now, campaign.timeZone),
    since: since ? chineseDateTime(since, campaign.timeZone) : '开始受理',
    applications: items.length,
    complete: items.filter((i) => i.verdict.complete).length,
    incomplete: items.filter((i) => !i.verdict.complete).length,
    late: items.filter((i) => i.app.deadline === 'late').length,
    closed: items.filter((i) => i.app.deadline === 'closed').length,
    changed: changed.length,
  };
  const t = campaign.texts.digest;
  const blocks: Block[] = [{ p: fill(t.counts, vars) }];
  if (changed.length > 0) blocks.push({ p: fill(t.changedHeading, vars) }, { list: changed.map(line) });
  else blocks.push({ p: fill(t.noChanges, vars) });
  if (dashboardUrl) blocks.push({ p: `在线查看与处理（申报管理）：${dashboardUrl}` });
  return render(fill(t.subject, vars), blocks);
}
