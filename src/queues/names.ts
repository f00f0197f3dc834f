/**
 * BullMQ queue names. Keys live under `${prefix}:bull:<name>:` (src/store/redis.ts), so a
 * test isolates itself with a unique prefix rather than a different name.
 */
export const QUEUES = {
  /** One job per email fetched from the mailbox: read, judge, plan replies. */
  intake: 'intake',
  /** One job per planned email: rate limit, send once, record. */
  outbound: 'outbound',
  /** Reminders and the staff digest, produced by job schedulers. */
  schedule: 'schedule',
  /** One job per email after its receipt: what the receipt need not wait for (a scan's seal). */
  deep: 'deep',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
