/**
 * One email shenbao sends, from planning to the SMTP server: what the planner (src/notify/plan)
 * decides, what the `outbound` queue carries (src/queues/outbound) and what the outbox delivers.
 * The rendered text is in it (it is what we send, and the applicant wrote nothing secret into
 * it); never settings or passwords.
 */
export const PLANNED_KINDS = ['receipt', 'lateNotice', 'closedNotice', 'followUp', 'reminder', 'digest', 'completeNotice', 'status'] as const;
export type PlannedKind = (typeof PLANNED_KINDS)[number];

export interface PlannedEmail {
  /** Idempotency key `${appId}:${kind}:${reason}`; the three replies to one message share the kind `receipt`. */
  key: string;
  kind: PlannedKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  inReplyTo?: string;
  references?: string[];
}
