/** Emails about what is still missing: the follow-up (补充材料通知) and the deadline reminder (截止提醒). */
import type { Campaign } from '../../config/campaign';
import type { Application, Verdict } from '../../domain/application';
import { deadlineEnd, type DeadlineName } from '../../rules/deadline';
import { chineseDate } from '../../rules/zoned-time';
import { errorsOf, issueLines, warningBlocks } from './bounded';
import { appVars, closing, fill, render, type RenderedEmail } from './render';

export interface FollowUpInput {
  app: Application;
  verdict: Verdict;
  campaign: Campaign;
  now: Date;
}

export function followUpEmail({ app, verdict, campaign, now }: FollowUpInput): RenderedEmail {
  const vars = appVars(campaign, app);
  const t = campaign.texts.followUp;
  const open = now.getTime() < deadlineEnd('association', campaign).getTime();
  return render(fill(t.subject, vars), [
    { p: fill(campaign.texts.greeting, vars) },
    { p: fill(t.intro, vars) },
    { list: issueLines(errorsOf(verdict.issues)) },
    ...warningBlocks(verdict.issues, campaign),
    { p: fill(open ? t.beforeDeadline : t.afterDeadline, vars) },
    ...closing(campaign, vars),
  ]);
}

export interface ReminderInput {
  app: Application;
  verdict: Verdict;
  campaign: Campaign;
  deadline: DeadlineName;
  /** Days left until the deadline day ends (3 on 2023-07-17 for 2023-07-20). */
  days: number;
}

export function reminderEmail({ app, verdict, campaign, deadline, days }: ReminderInput): RenderedEmail {
  const vars = { ...appVars(campaign, app), days, deadline: chineseDate(campaign.deadlines[deadline]) };
  const t = campaign.texts.reminder;
  return render(fill(t.subject, vars), [
    { p: fill(campaign.texts.greeting, vars) },
    { p: fill(t.intro, vars) },
    { p: fill(t.issuesHeading, vars) },
    { list: issueLines(errorsOf(verdict.issues)) },
    ...warningBlocks(verdict.issues, campaign),
    { p: fill(t.request, vars) },
    ...closing(campaign, vars),
  ]);
}
