/**
 * cross-checks.md §4 in the emails: warnings are listed under 请核对以下内容, apart from what is
 * missing, and never start a follow-up, a reminder or a status of "incomplete" by themselves.
 */
import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import type { Certificate } from '../../../src/domain/document';
import { planAfterEmail, planReminders } from '../../../src/notify/plan';
import { digestEmail, followUpEmail, receiptEmail, reminderEmail } from '../../../src/notify/templates';
import { statusEmail } from '../../../src/notify/templates/status';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { doc, email, form, formDoc, product, report, scan } from '../rules/helpers';

const campaign = loadCampaign();
const AT = '2023-07-10T10:05:00+08:00';
const NAME = '星云数据中台';

const certificate = (over: Partial<Certificate>): Certificate => ({
  certificateNumber: '软著登字第1号', registrationNumber: '2022SR0000001', softwareName: NAME, shortName: null, version: null,
  owner: '武汉星云软件有限公司', completedOn: '2022-01-01', firstPublishedOn: '2022-05-01', registeredOn: '2022-06-01', ...over,
});
const otherOwner = doc('软件著作权登记证书.pdf', 'copyrightProof', { certificate: certificate({ owner: '武汉另一家科技有限公司' }) });

function appOf(documents = [formDoc('登记表.docx', form([product(NAME)])), scan(), otherOwner, report(1), report(2), report(3)]): Application {
  return foldEmail(newApplication('SB2023-0200', new Date(AT)), email(AT, documents, { from: 'zhangsan@qq.com' }), campaign);
}

describe('warnings in the emails', () => {
  const app = appOf();
  const verdict = judge(app, campaign);

  it('a warning alone: complete, the receipt says so and lists the warning under 请核对以下内容', () => {
    expect(verdict.complete).toBe(true);
    expect(verdict.issues.map((i) => [i.code, i.severity])).toEqual([['COPYRIGHT_OWNER_MISMATCH', 'warning']]);
    const r = receiptEmail({ app, verdict, campaign, email: app.emails[0]! }).text;
    expect(r).toContain('经核对，您的申报材料已齐全');
    expect(r).toContain('请核对以下内容：\n\n1. 软件著作权登记证书“软件著作权登记证书.pdf”上的著作权人“武汉另一家科技有限公司”与申报企业“武汉星云软件有限公司”不一致');
    expect(r).not.toContain('尚需补充');
    expect(r).not.toContain('请在 2023年7月20日 前直接回复本邮件补充');
  });

  // The sender is not the form's contact: an incomplete application would get a follow-up there.
  it('no follow-up and no reminder for warnings alone', () => {
    expect(planAfterEmail(app, verdict, app.emails[0]!, campaign, new Date(AT), false).map((p) => p.kind)).toEqual(['receipt']);
    expect(planReminders([{ app, verdict }], campaign, new Date('2023-07-17T09:00:00+08:00'))).toEqual([]);
  });

  it('errors and warnings: each under its heading, in the receipt, the follow-up, the reminder and the status email', () => {
    const mixed = appOf([formDoc('登记表.docx', form([product(NAME)])), scan(), otherOwner, report(1)]);
    const v = judge(mixed, campaign);
    expect(v.complete).toBe(false);
    const texts = [
      receiptEmail({ app: mixed, verdict: v, campaign, email: mixed.emails[0]! }).text,
      followUpEmail({ app: mixed, verdict: v, campaign, now: new Date(AT) }).text,
      reminderEmail({ app: mixed, verdict: v, campaign, deadline: 'association', days: 3 }).text,
      statusEmail({ app: mixed, verdict: v, campaign, now: new Date(AT) }).text,
    ];
    for (const text of texts) {
      const missing = text.indexOf('用户使用报告仅收到 1 份');
      const heading = text.indexOf('请核对以下内容：');
      const warning = text.indexOf('著作权人“武汉另一家科技有限公司”');
      expect([missing > 0, heading > missing, warning > heading]).toEqual([true, true, true]);
    }
    expect(planAfterEmail(mixed, v, mixed.emails[0]!, campaign, new Date(AT), false).map((p) => `${p.kind}→${p.to}`)).toEqual([
      'receipt→zhangsan@qq.com', 'followUp→lisi@xingyun.com.cn',
    ]);
    expect(planReminders([{ app: mixed, verdict: v }], campaign, new Date('2023-07-17T09:00:00+08:00')).map((p) => p.kind)).toEqual(['reminder']);
  });

  it('the digest counts errors as missing and warnings apart', () => {
    const text = digestEmail({ items: [{ app, verdict }], campaign, now: new Date(AT), since: null }).text;
    expect(text).toContain('材料齐全，1 项请核对');
  });
});
