import { readFileSync } from 'node:fs';
import { DEFAULT_CAMPAIGN_FILE, loadCampaign, parseCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import { foldEmail, newApplication, type FoldInput } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { dueReminder, isDigestDue, planAfterEmail, planDigest, planReminders } from '../../../src/notify/plan';
import { completeDocuments, email, form, formDoc, proof, report, scan } from '../rules/helpers';

const campaign = loadCampaign();
const NOW = new Date('2023-07-10T10:06:00+08:00');

function fold(id: string, ...inputs: FoldInput[]): Application {
  return inputs.reduce((app, e) => foldEmail(app, e, campaign), newApplication(id, new Date(inputs[0]?.arrival.at ?? NOW)));
}
function plan(app: Application, now = NOW, automatic = false, references?: string[]) {
  return planAfterEmail(app, judge(app, campaign), app.emails[app.emails.length - 1]!, campaign, now, automatic, { references });
}
const kinds = (planned: { kind: string; to: string }[]) => planned.map((p) => `${p.kind}→${p.to}`);
const other = form(undefined, undefined, { contact: { name: '赵六', phone: '15002788895', email: 'ZhaoLiu@XingYun.com.cn', position: '总监' } });

describe('planAfterEmail', () => {
  it('a complete on-time email: a threaded receipt to the sender, nothing else', () => {
    const app = fold('SB2023-0001', email('2023-07-10T10:05:00+08:00', completeDocuments(), { messageId: '<abc@qq.com>' }));
    const planned = plan(app, NOW, false, ['<root@qq.com>']);
    expect(kinds(planned)).toEqual(['receipt→lisi@xingyun.com.cn']);
    const [receipt] = planned;
    expect(receipt).toMatchObject({ inReplyTo: '<abc@qq.com>', references: ['<root@qq.com>', '<abc@qq.com>'] });
    expect(receipt?.key).toMatch(/^SB2023-0001:receipt:[0-9a-f]{16}$/);
    expect(receipt?.subject).toContain('[SB2023-0001]');
    // The same message gives the same key: the outbox sends it once.
    expect(plan(app, new Date('2023-07-11T00:00:00Z'))[0]?.key).toBe(receipt?.key);
  });

  it('nothing at all for an automatic message', () => {
    const app = fold('SB2023-0002', email('2023-07-10T10:05:00+08:00', [proof()], { from: 'mailer-daemon@qq.com' }));
    expect(plan(app, NOW, true)).toEqual([]);
  });

  it('incomplete: the receipt lists the issues; a follow-up goes to the form\'s contact when that is another address', () => {
    const app = fold('SB2023-0003', email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', other), scan(), proof()]));
    const planned = plan(app);
    expect(kinds(planned)).toEqual(['receipt→lisi@xingyun.com.cn', 'followUp→zhaoliu@xingyun.com.cn']);
    expect(planned[0]?.text).toContain('用户使用报告');
    expect(planned[1]?.key).toBe('SB2023-0003:followUp:2023-07-10');
    expect(planned[1]?.text).toContain('未收到用户使用报告');
    // at most one a day: a second email later that day plans the same key, the next day a new one
    const later = foldEmail(app, email('2023-07-10T23:00:00+08:00', [report(1)]), campaign);
    expect(plan(later, new Date('2023-07-10T23:01:00+08:00'))[1]?.key).toBe('SB2023-0003:followUp:2023-07-10');
    expect(plan(later, new Date('2023-07-11T00:01:00+08:00'))[1]?.key).toBe('SB2023-0003:followUp:2023-07-11');
  });

  it('no follow-up to the address the receipt just told the same thing', () => {
    const app = fold('SB2023-0004', email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', form()), proof()]));
    expect(kinds(plan(app))).toEqual(['receipt→lisi@xingyun.com.cn']);
  });

  it('an email with nothing: no receipt, but the follow-up says what is missing', () => {
    const app = fold('SB2023-0005', email('2023-07-10T10:05:00+08:00', [], { subject: '请问截止时间？' }));
    expect(kinds(plan(app))).toEqual(['followUp→lisi@xingyun.com.cn']);
  });

  it('an email with only a link gets a receipt that asks for the file', () => {
    const app = fold('SB2023-0006', email('2023-07-10T10:05:00+08:00', [], { links: [{ url: 'https://wx.mail.qq.com/ftn/download?k=1', kind: 'qq-large-attachment' }] }));
    const planned = plan(app);
    expect(kinds(planned)).toEqual(['receipt→lisi@xingyun.com.cn']);
    expect(planned[0]?.text).toContain('邮件中的QQ 邮箱超大附件下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送');
    expect(planned[0]?.text).not.toContain('wx.mail.qq.com');
  });

  it('a late email gets the late notice instead of the receipt, still with a follow-up', () => {
    const app = fold('SB2023-0007', email('2023-07-21T00:00:00+08:00', [formDoc('登记表.docx', other)]));
    const planned = plan(app, new Date('2023-07-21T00:01:00+08:00'));
    expect(kinds(planned)).toEqual(['lateNotice→lisi@xingyun.com.cn', 'followUp→zhaoliu@xingyun.com.cn']);
    expect(planned[0]?.key).toMatch(/^SB2023-0007:receipt:/);
    expect(planned[0]?.text).toContain('yinming@citif.org.cn');
    expect(planned[1]?.text).toContain('已过');
  });

  it('a late document of an on-time application is judged by its own arrival', () => {
    const app = fold('SB2023-0008', email('2023-07-19T10:00:00+08:00', completeDocuments().slice(0, 5)), email('2023-07-25T10:00:00+08:00', [report(3)]));
    expect(kinds(plan(app, new Date('2023-07-25T10:01:00+08:00')))).toEqual(['lateNotice→lisi@xingyun.com.cn']);
  });

  it('a closed email gets the closed notice and no follow-up', () => {
    const app = fold('SB2023-0009', email('2023-08-01T00:00:00+08:00', [formDoc('登记表.docx', other)]));
    const planned = plan(app, new Date('2023-08-01T00:01:00+08:00'));
    expect(kinds(planned)).toEqual(['closedNotice→lisi@xingyun.com.cn']);
    expect(planned[0]?.text).toContain('不再受理');
  });
});

describe('planReminders', () => {
  const open = fold('SB2023-0010', email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', other), scan(), proof()]));
  const done = fold('SB2023-0011', email('2023-07-10T10:05:00+08:00', completeDocuments()));
  const late = fold('SB2023-0012', email('2023-07-22T10:05:00+08:00', [proof()]));
  const items = [open, done, late].map((app) => ({ app, verdict: judge(app, campaign) }));
  const at = (iso: string) => planReminders(items, campaign, new Date(iso));

  it('nothing before the first reminder is due', () => {
    expect(at('2023-07-17T08:59:59+08:00')).toEqual([]);
  });

  it('3 days before at 09:00 Shanghai, to incomplete on-time applications only, at the contact email', () => {
    const planned = at('2023-07-17T09:00:00+08:00');
    expect(kinds(planned)).toEqual(['reminder→zhaoliu@xingyun.com.cn']);
    expect(planned[0]?.key).toBe('SB2023-0010:reminder:2023-07-20-3d');
    expect(planned[0]?.text).toContain('距截止还有 3 天');
    expect(planned[0]?.text).toContain('2023年7月20日');
  });

  it('catch-up: only the latest reminder due, none once the deadline has passed', () => {
    expect(at('2023-07-19T12:00:00+08:00').map((p) => p.key)).toEqual(['SB2023-0010:reminder:2023-07-20-1d']);
    expect(at('2023-07-20T23:59:59+08:00').map((p) => p.key)).toEqual(['SB2023-0010:reminder:2023-07-20-1d']);
    expect(at('2023-07-21T00:00:00+08:00')).toEqual([]);
  });

  it('not for an application that arrived after the reminder fell due', () => {
    const fresh = fold('SB2023-0013', email('2023-07-19T10:00:00+08:00', [proof()]));
    expect(planReminders([{ app: fresh, verdict: judge(fresh, campaign) }], campaign, new Date('2023-07-19T11:00:00+08:00'))).toEqual([]);
  });

  it('the federation deadline too when the campaign asks for it', () => {
    const both = parseCampaign(readFileSync(DEFAULT_CAMPAIGN_FILE, 'utf8').replace('deadlines: [association]', 'deadlines: [association, federation]'), 'b.yaml');
    expect(dueReminder('federation', both, new Date('2023-07-28T09:00:00+08:00'))?.days).toBe(3);
    expect(planReminders(items, both, new Date('2023-07-28T09:00:00+08:00')).map((p) => p.key)).toEqual(['SB2023-0010:reminder:2023-07-31-3d']);
  });
});

describe('digest', () => {
  it('is due once a day after the digest hour', () => {
    const hour = campaign.digest.hour;
    const today = new Date(`2023-07-18T${String(hour).padStart(2, '0')}:00:00+08:00`);
    expect(isDigestDue(new Date(today.getTime() - 1000), null, campaign)).toBe(false);
    expect(isDigestDue(today, null, campaign)).toBe(true);
    expect(isDigestDue(new Date(today.getTime() + 3600e3), new Date(today.getTime() + 60e3), campaign)).toBe(false);
    expect(isDigestDue(new Date(today.getTime() + 3600e3), new Date(today.getTime() - 86400e3), campaign)).toBe(true);
  });

  it('plans the staff digest with a per-day key', () => {
    const app = fold('SB2023-0014', email('2023-07-10T10:05:00+08:00', completeDocuments()));
    const d = planDigest([{ app, verdict: judge(app, campaign) }], campaign, new Date('2023-07-18T08:00:00+08:00'), { to: 'staff@whsia.org.cn', since: null });
    expect(d).toMatchObject({ key: 'staff:digest:2023-07-18', kind: 'digest', to: 'staff@whsia.org.cn' });
    expect(d.text).toContain('共 1 份申报：材料齐全 1 份');
    expect(planDigest([], campaign, new Date(), { to: 's@x.cn', since: null, reason: 'demand-1' }).key).toBe('staff:digest:demand-1');
  });
});
