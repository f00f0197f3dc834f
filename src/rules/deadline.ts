/** Deadlines (rules.md): a deadline date covers its whole day in the campaign's time zone. */
import type { Campaign } from '../config/campaign';
import type { DeadlineStatus } from '../domain/issue';
import { addDays, zonedInstant } from './zoned-time';

export type DeadlineName = keyof Campaign['deadlines'];

/** The first instant after `date`'s day in the campaign's zone (no grace). */
export function endOfDay(date: string, campaign: Campaign): Date {
  return zonedInstant(addDays(date, 1), '00:00', campaign.timeZone);
}

/** The first instant that counts as after the named deadline, grace included. */
export function deadlineEnd(name: DeadlineName, campaign: Campaign): Date {
  return new Date(endOfDay(campaign.deadlines[name], campaign).getTime() + campaign.graceMinutes * 60000);
}

/** onTime on or before the association's deadline, late up to the federation's, closed after. */
export function deadlineStatus(arrivedAt: Date, campaign: Campaign): DeadlineStatus {
  const t = arrivedAt.getTime();
  if (t < deadlineEnd('association', campaign).getTime()) return 'onTime';
  if (t < deadlineEnd('federation', campaign).getTime()) return 'late';
  return 'closed';
}
