/** Every rule of rules.md "Never reply to an automatic message", and what is not automatic. */
import { automaticReason, OWN_LOOP_HEADER } from '../../../src/mail/automatic';
import { LOOP_HEADER } from '../../../src/mail/smtp';
import { readEmail } from '../../../src/mail/read-email';
import { readHeaders } from '../../../src/mail/raw-mime';

function judge(headerBlock: string, from = 'zhangwei@yunfan-soft.cn', subject = '申报材料') {
  const headers = readHeaders(Buffer.from(headerBlock.replace(/\n/g, '\r\n'), 'utf8'));
  return automaticReason({ headers, fromAddress: from, subject });
}

describe('automaticReason', () => {
  it('an ordinary application is not automatic', () => {
    expect(judge('From: zhangwei@yunfan-soft.cn\nSubject: 申报材料\nContent-Type: multipart/mixed; boundary=x\n')).toBeNull();
  });

  it.each([
    ['Auto-Submitted: auto-replied\n', 'auto-submitted: auto-replied'],
    ['Auto-Submitted: auto-generated\n', 'auto-submitted: auto-generated'],
    ['Auto-Submitted: Auto-Notified (vacation)\n', 'auto-submitted: auto-notified'],
    ['Precedence: bulk\n', 'precedence: bulk'],
    ['Precedence: junk\n', 'precedence: junk'],
    ['Precedence: list\n', 'precedence: list'],
    ['List-Id: Weekly news <weekly.softnews.example.cn>\n', 'list-id'],
    ['Return-Path: <>\n', 'empty return path'],
    ['Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n', 'delivery report'],
    ['X-Autoreply: yes\n', 'x-autoreply'],
    ['X-Autorespond: vacation\n', 'x-autorespond'],
    ['X-Auto-Response-Suppress: All\n', 'x-auto-response-suppress'],
    ['X-Loop: zhangwei@yunfan-soft.cn\n', 'x-loop'],
    ['X-Failed-Recipients: liming@yunfan-soft.cn\n', 'x-failed-recipients'],
    ['X-Shenbao-Loop: SB2023-0001\nAuto-Submitted: no\n', 'our own message'],
  ])('%j → %s', (block, reason) => {
    expect(judge(`From: zhangwei@yunfan-soft.cn\n${block}`)).toEqual({ reason });
  });

  it('looks for the loop header src/mail/smtp puts on what we send', () => {
    expect(LOOP_HEADER.toLowerCase()).toBe(OWN_LOOP_HEADER);
  });

  it('Auto-Submitted: no and Precedence: normal are not automatic', () => {
    expect(judge('Auto-Submitted: no\nPrecedence: normal\nReturn-Path: <zhangwei@yunfan-soft.cn>\n')).toBeNull();
  });

  it.each([
    ['MAILER-DAEMON@mx.example.com', 'sender: mailer-daemon'],
    ['postmaster@qq.com', 'sender: postmaster'],
    ['noreply@notice.example.cn', 'sender: noreply'],
    ['no-reply@notice.example.cn', 'sender: no-reply'],
    ['do-not-reply@bank.example.com', 'sender: do-not-reply'],
    ['donotreply@bank.example.com', 'sender: donotreply'],
    ['notifications-noreply@cloud.example.com', 'sender: notifications-noreply'],
  ])('sender %s → %s', (from, reason) => {
    expect(judge('Subject: x\n', from)).toEqual({ reason });
  });

  it('a sender merely containing "reply" is a person', () => {
    expect(judge('Subject: x\n', 'replyman@yunfan-soft.cn')).toBeNull();
  });

  it.each([
    ['自动回复: 关于申报的通知', 'subject: 自动回复'],
    ['【自动回复】张伟休假中', 'subject: 自动回复'],
    ['Auto Reply: 申报', 'subject: auto reply'],
    ['Automatic reply: 申报材料回执', 'subject: auto reply'],
    ['Out of Office: until 24 July', 'subject: out of office'],
    ['Undeliverable: 申报材料回执', 'subject: undeliverable'],
    ['Delivery Status Notification (Failure)', 'subject: delivery status notification'],
    ['退信：申报材料回执', 'subject: 退信'],
    ['系统退信', 'subject: 退信'],
    ['来自QQ邮箱的退信', 'subject: 退信'],
    ['未送达：申报材料回执', 'subject: 未送达'],
  ])('subject %s → %s', (subject, reason) => {
    expect(judge('X-Mailer: x\n', 'someone@example.com', subject)).toEqual({ reason });
  });

  it.each(['申报材料（昨天被退信，重新发送）', '回复：关于自动回复的问题请教', '申报材料 Out of Office hours'])(
    'an applicant subject that only mentions it (%s) is not automatic',
    (subject) => {
      expect(judge('X-Mailer: x\n', 'zhangwei@yunfan-soft.cn', subject)).toBeNull();
    },
  );

  it('List-Id is seen even though mailparser folds List-* headers under "list"', async () => {
    const raw = Buffer.from(
      'From: news@softnews.example.cn\r\nTo: shenbao@wsia.org.cn\r\nSubject: weekly\r\n' +
        'List-Id: <weekly.softnews.example.cn>\r\nList-Unsubscribe: <mailto:u@softnews.example.cn>\r\n\r\nhello\r\n',
    );
    expect((await readEmail(raw)).automatic).toEqual({ reason: 'list-id' });
  });
});
