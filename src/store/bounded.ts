/**
 * Redis indexes built from applicant input stay bounded (issue 8 §4): a field or key part
 * longer than 256 characters (a megabyte "address", a company name pasted from a whole page)
 * is stored as its sha256, and the index hashes expire at the campaign's end (the federation
 * deadline) plus `retentionDays`. The expiry is measured in domain time (the injected clock):
 * a worker run with `--now 2023-07-17` keeps its indexes for the days left until then, not
 * for a date that the real clock has passed already.
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../config/campaign';
import { deadlineEnd } from '../rules/deadline';

export const MAX_KEY_PART = 256;
/** However late a write comes, the index it writes lives at least this long. */
const MIN_TTL_SECONDS = 24 * 3600;

/** `s` as a Redis field or key part: as is when short, else `sha256:<hex>` (reads use the same function). */
export function boundedKeyPart(s: string, max = MAX_KEY_PART): string {
  return s.length <= max ? s : `sha256:${createHash('sha256').update(s).digest('hex')}`;
}

/** Seconds from `now` until the campaign's end plus its retention: the TTL each index write sets. */
export function indexTtlSeconds(campaign: Pick<Campaign, 'deadlines' | 'timeZone' | 'graceMinutes' | 'retentionDays'>, now: Date): number {
  const end = deadlineEnd('federation', campaign as Campaign).getTime() + campaign.retentionDays * 86_400_000;
  return Math.max(MIN_TTL_SECONDS, Math.ceil((end - now.getTime()) / 1000));
}

/** Where a store gets its index TTL (seconds), or none (tests, tools that only read). */
export interface IndexRetention {
  indexTtlSeconds?: () => number;
}
