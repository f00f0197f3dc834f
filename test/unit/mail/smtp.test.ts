import { autoHeaders, classifySmtpError, messageIdFor, SmtpSendError } from '../../../src/mail/smtp';

describe('classifySmtpError', () => {
  // Shapes as nodemailer reports them (err.code, err.responseCode, err.response).
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 Mailbox unavailable' }, true],
    [{ code: 'EMESSAGE', responseCode: 554, response: '554 5.7.1 Message rejected' }, true],
    [{ code: 'EENVELOPE', responseCode: 451, response: '451 4.3.0 Try again later' }, false],
    [{ code: 'EENVELOPE', responseCode: 452, response: '452 Too many recipients' }, false],
    [{ code: 'EPROTOCOL', responseCode: 421, response: '421 Service not available' }, false],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:25' }, false],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, false],
    [{ code: 'ESOCKET', message: 'socket hang up' }, false],
    // A wrong password is a setting to fix, not an undeliverable email.
    [{ code: 'EAUTH', responseCode: 535, response: '535 Authentication failed' }, false],
    [{ code: 'EENVELOPE', message: 'No recipients defined' }, true],
  ])('%j → permanent %s', (err, permanent) => {
    const c = classifySmtpError(Object.assign(new Error('x'), err));
    expect(c).toBeInstanceOf(SmtpSendError);
    expect(c.permanent).toBe(permanent);
  });

  it('keeps the server reply on one line', () => {
    const c = classifySmtpError(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 550, response: '550-first\r\n550 second' }));
    expect(c.message).toBe('550-first 550 second');
    expect(c.responseCode).toBe(550);
  });
});

describe('messageIdFor', () => {
  it('is stable for a key and differs between keys, in the sender\'s domain', () => {
    const a = messageIdFor('receipt:<m1@x>', 'intake@assoc.test');
    expect(a).toMatch(/^<sb-[0-9a-f]{24}@assoc\.test>$/);
    expect(messageIdFor('receipt:<m1@x>', 'intake@assoc.test')).toBe(a);
    expect(messageIdFor('receipt:<m2@x>', 'intake@assoc.test')).not.toBe(a);
  });
});

describe('autoHeaders', () => {
  it('marks replies auto-replied and our own messages auto-generated/bulk, always with the loop marker', () => {
    expect(autoHeaders({ autoSubmitted: 'auto-replied', loopId: 'SB2023' })).toEqual({
      'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply', 'X-Shenbao-Loop': 'SB2023',
    });
    expect(autoHeaders({ autoSubmitted: 'auto-generated', loopId: 'SB2023' })).toMatchObject({ 'Auto-Submitted': 'auto-generated', Precedence: 'bulk' });
  });
});
