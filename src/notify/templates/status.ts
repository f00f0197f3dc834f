/**
 * Emails staff cause: the completion notice (材料齐全) when a staff decision completes an
 * application, and the status email (当前申报状态) staff send on demand. The campaign file
 * has no texts for these yet, so the words are here, with the same placeholders as the
 * campaign's texts; `texts` lets a caller (a later campaign section) replace them.
 */
import type { Campaign } from '../../config/campaign';
import type { Application, Verdict } from '../../domain/application';
import { chineseDateTime } from '../../rules/zoned-time';
import { verdictBlocks } from './bounded';
import { totalsLine } from './received';
import { appVars, closing, fill, render, type Block, type RenderedEmail } from './render';

export interface StatusTexts {
  complete: { subject: string; intro: string; next: string };
  status: { subject: string; intro: string; complete: string; issuesHeading: string; howToReply: string; late: string; closed: string };
}

export const DEFAULT_STATUS_TEXTS: StatusTexts = {
  complete: {
    subject: '[{id}] 材料齐全：{callName}',
    intro: '{companyName}的申报（编号 {id}）经协会工作人员核对，材料已齐全。',
    next: '协会将统一报送至{federationName}，请留意后续通知，无需再发送材料。',
  },
  status: {
    subject: '[{id}] 当前申报状态：{callName}',
    intro: '{companyName}的申报（编号 {id}）截至 {now} 的状态如下。',
    complete: '经核对，您的申报材料已齐全。协会将统一报送至{federationName}，请留意后续通知。',
    issuesHeading: '经核对，尚需补充或修改以下内容：',
    howToReply: '请在 {associationDeadline} 前回复本邮件（主题中保留 [{id}]）补充或更正材料。',
    late: '您的申报在协会收集材料的截止日期 {associationDeadline} 之后送达，是否报送由协会工作人员决定；您也可以在 {federationDeadline} 前直接发送至{federationName}（{federationEmail}）。',
    closed: '本次{callName}已于 {federationDeadline} 截止，此后送达的材料不再受理。',
  },
};

export interface StatusInput {
  app: Application;
  verdict: Verdict;
  campaign: Campaign;
  now: Date;
  texts?: StatusTexts;
}

function totals(app: Application, campaign: Campaign): Block {
  return { p: `${campaign.texts.receipt.totalsHeading}${totalsLine(app, campaign)}。` };
}

/** 材料齐全: a staff decision (a waiver, a correction, a merge …) completed the application. */
export function completeNoticeEmail({ app, campaign, now, texts = DEFAULT_STATUS_TEXTS }: StatusInput): RenderedEmail {
  const vars = { ...appVars(campaign, app), now: chineseDateTime(now, campaign.timeZone) };
  const t = texts.complete;
  return render(fill(t.subject, vars), [
    { p: fill(campaign.texts.greeting, vars) },
    { p: fill(t.intro, vars) },
    totals(app, campaign),
    { p: fill(t.next, vars) },
    ...closing(campaign, vars),
  ]);
}

/** 当前申报状态: what the application holds and what is still open, as staff see it now (waived issues are not asked for). */
export function statusEmail({ app, verdict, campaign, now, texts = DEFAULT_STATUS_TEXTS }: StatusInput): RenderedEmail {
  const vars = { ...appVars(campaign, app), now: chineseDateTime(now, campaign.timeZone) };
  const t = texts.status;
  const blocks: Block[] = [{ p: fill(campaign.texts.greeting, vars) }, { p: fill(t.intro, vars) }, totals(app, campaign)];
  blocks.push(...verdictBlocks(verdict, campaign, { complete: fill(t.complete, vars), issuesHeading: fill(t.issuesHeading, vars) }));
  if (app.deadline === 'late') blocks.push({ p: fill(t.late, vars) });
  else if (app.deadline === 'closed') blocks.push({ p: fill(t.closed, vars) });
  else if (!verdict.complete) blocks.push({ p: fill(t.howToReply, vars) });
  return render(fill(t.subject, vars), [...blocks, ...closing(campaign, vars)]);
}
