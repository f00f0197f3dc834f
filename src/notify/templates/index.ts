/** Chinese email templates: pure, application + verdict + campaign (+ the email answered) → { subject, text, html }. */
export { receiptEmail, lateNoticeEmail, closedNoticeEmail, type ReplyInput } from './receipt';
export { followUpEmail, reminderEmail, type FollowUpInput, type ReminderInput } from './follow-up';
export { digestEmail, changedSince, type DigestInput, type Judged } from './digest';
export { escapeHtml, reSubject, type RenderedEmail } from './render';
