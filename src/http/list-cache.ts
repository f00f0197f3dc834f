/** The list's cache entries: each application judged once per change, with its report row. */
import type { Campaign } from '../config/campaign';
import type { Redis } from 'ioredis';
import { reportRow } from '../report';
import { judge } from '../rules/judge';
import { DashboardCache } from '../store/dashboard-cache';
import type { SentLog } from '../store/sent-log';
import type { ListEntry } from './context';

export function createListCache(redis: Redis, sentLog: SentLog, campaign: Campaign): DashboardCache<ListEntry> {
  return new DashboardCache<ListEntry>(redis, sentLog, (app, sent) => {
    // A merged application is only a pointer to the one it went into: not listed.
    if (app.mergedInto) return null;
    const judged = { app, verdict: judge(app, campaign) };
    return { judged, row: reportRow(judged, sent) };
  });
}
