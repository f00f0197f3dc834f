import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { closedNoticeEmail, digestEmail, followUpEmail, lateNoticeEmail, receiptEmail, reminderEmail, reSubject } from '../../../src/notify/templates';
import { completeDocuments, email, form, formDoc, proof, report, scan } from '../rules/helpers';

const campaign = loadCampaign();
const start = new Date('2023-07-01T00:00:00Z');

function applicationOf(...mails: Parameters<typeof email>[]): Application {
  return mails.reduce((app, args) => foldEmail(app, email(...args), campaign), newApplication('SB2023-0042', start));
}
function reply(app: Application) {
  return { app, verdict: judge(app, campaign), campaign, email: app.emails[app.emails.length - 1]! };
}

describe('receipt (回执)', () => {
  const app = applicationOf(['2023-07-10T10:05:00+08:00', [formDoc('优秀软件产品登记表.docx', form()), scan(), report(1), report(2)], { subject: '回复：申报材料' }]);
  const r = receiptEmail(reply(app));

  it('has the application number and Re: in the subject', () => {
    expect(r.subject).toBe('Re: 申报材料 [SB2023-0042]');
    expect(r.text).toContain('我们已于 2023年7月10日 10:05 收到您的申报邮件');
    expect(r.text).toContain('申报编号为 SB2023-0042');
  });

  it('lists what was received by kind and in all', () => {
    expect(r.text).toContain('登记表（电子版）：优秀软件产品登记表.docx');
    expect(r.text).toContain('登记表（盖章扫描件）：登记表盖章.jpg');
    expect(r.text).toContain('用户使用报告：用户使用报告1.pdf、用户使用报告2.pdf');
    expect(r.text).toContain('截至目前，本申报共收到：登记表（电子版） 1 份、登记表（盖章扫描件） 1 份、著作权证明 / 知识产权证明 0 份、用户使用报告 2 份。');
  });

  it('lists each open issue as a sentence, with the deadline and the contact, never the grace period', () => {
    expect(r.text).toContain('经核对，尚需补充或修改以下内容：\n\n1. 未收到软件著作权登记证书或其他知识产权证明\n2. 用户使用报告仅收到 2 份，需至少 3 份');
    expect(r.text).toContain('请在 2023年7月20日 前直接回复本邮件');
    expect(r.text).toContain('杨靓，电话 027-87181967 / 15002788895');
    expect(r.text).not.toMatch(/宽限|grace/i);
    expect(r.html).toContain('<li>用户使用报告仅收到 2 份，需至少 3 份');
  });

  it('says the material is complete when it is, and marks a resent file', () => {
    const done = applicationOf(
      ['2023-07-10T10:05:00+08:00', completeDocuments()],
      ['2023-07-11T10:05:00+08:00', [report(3)], { subject: 'Re: 申报材料 [SB2023-0042]' }],
    );
    const text = receiptEmail(reply(done)).text;
    expect(text).toContain('经核对，您的申报材料已齐全');
    expect(text).toContain('用户使用报告3.pdf（与此前收到的文件相同，按一份计）');
    expect(text).not.toContain('尚需补充');
    expect(receiptEmail(reply(done)).subject).toBe('Re: 申报材料 [SB2023-0042]');
    // an application and email read back from the store are copies, not the same objects
    const stored = JSON.parse(JSON.stringify(reply(done))) as ReturnType<typeof reply>;
    expect(receiptEmail({ ...stored, campaign }).text).toBe(text);
    const first = receiptEmail({ ...reply(done), email: done.emails[0]! }).text;
    expect(first).toContain('用户使用报告：用户使用报告1.pdf、用户使用报告2.pdf、用户使用报告3.pdf\n');
  });

  it('asks for files instead of download links', () => {
    const linked = applicationOf(['2023-07-10T10:05:00+08:00', [], { links: [{ url: 'https://pan.baidu.com/s/1xyz', kind: 'baidu-pan' }] }]);
    const text = receiptEmail(reply(linked)).text;
    expect(text).toContain('5. 邮件中的百度网盘下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送');
    expect(text).toContain('截至目前，本申报共收到：登记表（电子版） 0 份');
  });

  it('says the same sentence once, with its count, and caps the list', () => {
    const links = Array.from({ length: 20 }, (_, i) => ({ url: `https://pan.baidu.com/s/1x${i}`, kind: 'baidu-pan' }));
    const text = receiptEmail(reply(applicationOf(['2023-07-10T10:05:00+08:00', [], { links: [...links, { url: 'https://share.weiyun.com/abc', kind: 'weiyun' }] }]))).text;
    expect(text).toContain('5. 邮件中的百度网盘下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送（共 20 处）\n6. 邮件中的腾讯微云下载链接');
    expect(text.match(/百度网盘/g)).toHaveLength(1);
    const many = Array.from({ length: 60 }, (_, i) => ({ ...formDoc(`坏文件${i}.docx`, form()), form: null, error: { code: 'UNREADABLE' as const, message: 'corrupt', messageZh: '文件已损坏' } }));
    const capped = receiptEmail(reply(applicationOf(['2023-07-10T10:05:00+08:00', many]))).text;
    expect(capped).toContain('50. 附件“坏文件45.docx”无法读取');
    expect(capped).toContain('51. 另有 14 项问题未逐一列出');
  });

  it('never sends back a link the applicant wrote (a forged From would make us mail it to a victim)', () => {
    const phish = applicationOf(['2023-07-10T10:05:00+08:00', [formDoc('https://docs.google.com/forms/d/e/1x/viewform 登记表.docx', form()), report(1)], {
      subject: '请登录 www.bank-verify.cn 核对账户',
      links: [{ url: 'https://docs.google.com/forms/d/e/1FAIpQLSe/viewform', kind: 'google-drive' }],
    }]);
    const r = receiptEmail(reply(phish));
    for (const out of [r.subject, r.text, r.html]) {
      expect(out).not.toMatch(/https?:\/\/|www\.bank-verify|docs\.google\.com|bank-verify\.cn/);
    }
    expect(r.subject).toBe('Re: 请登录 www[.]bank-verify[.]cn 核对账户 [SB2023-0042]');
    expect(r.text).toContain('https[:]//docs[.]google[.]com/forms/d/e/1x/viewform 登记表.docx');
    expect(r.text).toContain('邮件中的Google 云端硬盘下载链接无法作为申报材料接收');
    expect(r.text).toContain('用户使用报告1.pdf');
  });

  it('escapes what the applicant wrote in the HTML', () => {
    const evil = applicationOf(['2023-07-10T10:05:00+08:00', [formDoc('<script>alert(1)</script>.docx', form())], { subject: '<b>申报</b> & 材料' }]);
    const html = receiptEmail(reply(evil)).html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.docx');
    expect(html).toContain('<title>Re: &lt;b&gt;申报&lt;/b&gt; &amp; 材料 [SB2023-0042]</title>');
  });
});

describe('late and closed notices', () => {
  it('late: staff decide, and the applicant may send to the federation by 2023-07-31', () => {
    const app = applicationOf(['2023-07-21T09:00:00+08:00', completeDocuments()]);
    const r = lateNoticeEmail(reply(app));
    expect(r.subject).toBe('Re: 申报材料 [SB2023-0042] 已过协会报送截止日期');
    expect(r.text).toContain('截止日期为 2023年7月20日，本邮件在此之后送达');
    expect(r.text).toContain('由协会工作人员决定');
    expect(r.text).toContain('2023年7月31日 前将全部材料直接发送至中国电子信息行业联合会秘书处（yinming@citif.org.cn）');
    expect(r.text).toContain('经核对，您的申报材料已齐全');
  });

  it('closed: the call closed after 2023-07-31', () => {
    const app = applicationOf(['2023-08-02T09:00:00+08:00', [proof()]]);
    const r = closedNoticeEmail(reply(app));
    expect(r.subject).toBe('Re: 申报材料 [SB2023-0042] 征集已截止');
    expect(r.text).toContain('已于 2023年7月31日 截止，本邮件中的材料将不再受理或报送');
    expect(r.text).not.toContain('尚需补充');
  });
});

describe('follow-up and reminder', () => {
  const app = applicationOf(['2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', form()), scan(), proof(), report(1)]]);
  const verdict = judge(app, campaign);

  it('follow-up (补充材料通知) lists the issues and asks before the deadline, or explains after it', () => {
    const before = followUpEmail({ app, verdict, campaign, now: new Date('2023-07-10T10:06:00+08:00') });
    expect(before.subject).toBe('[SB2023-0042] 补充材料通知：2022-2023年度优秀创新软件产品目录征集（武汉地区）');
    expect(before.text).toContain('武汉星云软件有限公司的申报（编号 SB2023-0042）目前尚需补充或修改以下内容');
    expect(before.text).toContain('1. 用户使用报告仅收到 1 份，需至少 3 份');
    expect(before.text).toContain('请在 2023年7月20日 前回复本邮件');
    const after = followUpEmail({ app, verdict, campaign, now: new Date('2023-07-22T10:00:00+08:00') });
    expect(after.text).toContain('截止日期 2023年7月20日 已过');
    expect(after.text).toContain('yinming@citif.org.cn');
  });

  it('reminder (截止提醒) says how many days are left and until when', () => {
    const r = reminderEmail({ app, verdict, campaign, deadline: 'association', days: 3 });
    expect(r.subject).toBe('[SB2023-0042] 截止提醒：距截止还有 3 天');
    expect(r.text).toContain('将于 2023年7月20日 截止，距截止还有 3 天');
    expect(r.text).toContain('1. 用户使用报告仅收到 1 份，需至少 3 份');
  });
});

describe('staff digest', () => {
  it('counts applications, complete, incomplete, late, and lists those changed since the last digest', () => {
    const done = applicationOf(['2023-07-10T10:00:00+08:00', completeDocuments()]);
    const open = { ...applicationOf(['2023-07-12T10:00:00+08:00', [formDoc('登记表.docx', form()), proof()]]), id: 'SB2023-0044' };
    const late = { ...applicationOf(['2023-07-22T10:00:00+08:00', [report(1)]]), id: 'SB2023-0043' };
    const items = [done, open, late].map((app) => ({ app, verdict: judge(app, campaign) }));
    const r = digestEmail({ items, campaign, now: new Date('2023-07-23T08:00:00+08:00'), since: new Date('2023-07-11T08:00:00+08:00') });
    expect(r.subject).toBe('申报日报 2023-07-23：共 3 份，齐全 1 份');
    expect(r.text).toContain('共 3 份申报：材料齐全 1 份，尚不齐全 2 份，逾期送达 1 份，截止后送达 0 份');
    expect(r.text).toContain('自 2023年7月11日 08:00 以来有变化的申报（2 份）');
    expect(r.text).toContain('SB2023-0044 武汉星云软件有限公司：尚缺 2 项（MISSING_STAMPED_SCAN、TOO_FEW_USER_REPORTS），按时，共 1 封邮件、2 份文件');
    expect(r.text).not.toContain('SB2023-0042');
    expect(r.text).toContain('SB2023-0043 lisi@xingyun.com.cn：尚缺 4 项（MISSING_FORM、MISSING_STAMPED_SCAN、MISSING_COPYRIGHT_PROOF、TOO_FEW_USER_REPORTS），逾期送达');
    const quiet = digestEmail({ items, campaign, now: new Date('2023-07-24T08:00:00+08:00'), since: new Date('2023-07-23T08:00:00+08:00') });
    expect(quiet.text).toContain('以来没有新的变化');
  });
});

describe('reSubject', () => {
  it('adds one Re: and drops the number the template adds again', () => {
    expect(reSubject('申报材料', 'SB2023-0042')).toBe('Re: 申报材料');
    expect(reSubject('RE: 回复：Re：申报材料 [SB2023-0042]', 'SB2023-0042')).toBe('Re: 申报材料');
    expect(reSubject('', 'SB2023-0042')).toBe('Re: （无主题）');
  });
});
