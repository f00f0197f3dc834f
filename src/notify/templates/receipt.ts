/**
 * The reply to an email that brought material: the receipt (回执) when it arrived on time,
 * the late notice or the closed notice instead when it did not (rules.md). The grace period
 * is never mentioned: deadlines are shown as the dates of the call.
 */
import type { Campaign } from '../../config/campaign';
import type { Application, ApplicationEmail, Verdict } from '../../domain/application';
import { chineseDateTime } from '../../rules/zoned-time';
import { verdictBlocks } from './bounded';
import { receivedLines, totalsLine } from './received';
import { appVars, closing, fill, render, reSubject, type Block, type RenderedEmail } from './render';

export interface ReplyInput {
  app: Application;
  verdict: Verdict;
  campaign: Campaign;
  /** The email being answered (one of app.emails). */
  email: ApplicationEmail;
}

function replyVars({ app, campaign, email }: ReplyInput) {
  return { ...appVars(campaign, app), reSubject: reSubject(email.subject, app.id), arrivedAt: chineseDateTime(new Date(email.arrivedAt), campaign.timeZone) };
}

/** What this email brought and the totals so far (a link's request to attach the file is among the issues). */
function materialBlocks(input: ReplyInput): Block[] {
  const { app, campaign, email } = input;
  const t = campaign.texts.receipt;
  const blocks: Block[] = [];
  const lines = receivedLines(app, email, campaign);
  if (lines.length > 0) blocks.push({ p: t.receivedHeading }, { list: lines });
  blocks.push({ p: `${t.totalsHeading}${totalsLine(app, campaign)}。` });
  return blocks;
}

export function receiptEmail(input: ReplyInput): RenderedEmail {
  const vars = replyVars(input);
  const t = input.campaign.texts.receipt;
  const blocks: Block[] = [
    { p: fill(input.campaign.texts.greeting, vars) },
    { p: fill(t.intro, vars) },
    ...materialBlocks(input),
    ...verdictBlocks(input.verdict, input.campaign, input.campaign.texts.receipt),
  ];
  if (!input.verdict.complete) blocks.push({ p: fill(t.howToReply, vars) });
  return render(fill(t.subject, vars), [...blocks, ...closing(input.campaign, vars)]);
}

export function lateNoticeEmail(input: ReplyInput): RenderedEmail {
  const vars = replyVars(input);
  const t = input.campaign.texts.lateNotice;
  const blocks: Block[] = [
    { p: fill(input.campaign.texts.greeting, vars) },
    { p: fill(t.intro, vars) },
    { p: fill(t.late, vars) },
    { p: fill(t.direct, vars) },
    ...materialBlocks(input),
    ...verdictBlocks(input.verdict, input.campaign, input.campaign.texts.receipt),
  ];
  return render(fill(t.subject, vars), [...blocks, ...closing(input.campaign, vars)]);
}

export function closedNoticeEmail(input: ReplyInput): RenderedEmail {
  const vars = replyVars(input);
  const t = input.campaign.texts.closedNotice;
  const blocks: Block[] = [{ p: fill(input.campaign.texts.greeting, vars) }, { p: fill(t.intro, vars) }, { p: fill(t.closed, vars) }];
  return render(fill(t.subject, vars), [...blocks, ...closing(input.campaign, vars)]);
}
