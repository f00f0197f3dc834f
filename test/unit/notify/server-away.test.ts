/** Which SMTP failures wait for the server (no attempt used up) and which count as an attempt. */
import { SmtpSendError } from '../../../src/mail/smtp';
import { serverAway } from '../../../src/notify/outbox';

describe('serverAway', () => {
  it.each([
    ['connection refused', new SmtpSendError('connect ECONNREFUSED', false, null, 'ECONNREFUSED'), true],
    ['timed out', new SmtpSendError('timeout', false, null, 'ETIMEDOUT'), true],
    ['421 service not available', new SmtpSendError('421 4.3.2 not available', false, 421, 'EENVELOPE'), true],
    ['451 for one recipient', new SmtpSendError('451 try later', false, 451, 'EENVELOPE'), false],
    ['550 for one recipient', new SmtpSendError('550 no such user', true, 550, 'EENVELOPE'), false],
    ['authentication refused', new SmtpSendError('535 auth', false, null, 'EAUTH'), false],
  ])('%s → %s', (_what, err, away) => {
    expect(serverAway(err)).toBe(away);
  });
});
