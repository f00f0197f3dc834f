import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import { emptyOverlay } from '../../../src/domain/staff';
import { PLANNED_KINDS, planAfterStaffAction, planStatusNow } from '../../../src/notify/plan';
import { completeNoticeEmail, statusEmail } from '../../../src/notify/templates/status';
import { foldEmail, newApplication, type FoldInput } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { completeDocuments, email, form, formDoc, proof, report, scan } from '../rules/helpers';

const campaign = loadCampaign();
const NOW = new Date('2023-07-15T10:07:00+08:00');

function fold(id: string, ...inputs: FoldInput[]): Application {
  return inputs.reduce((app, e) => foldEmail(app, e, campaign), newApplication(id, new Date(inputs[0]?.arrival.at ?? NOW)));
}
const twoReports = () => fold('SB2023-0005', email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', form()), scan(), proof(), report(1), report(2)]));
const waived = (app: Application): Application => ({
  ...app, staff: { ...emptyOverlay(), waivers: [{ code: 'TOO_FEW_USER_REPORTS', by: 'wang', at: NOW.toISOString(), reason: '两份即可' }] },
});
const judged = (app: Application) => ({ app, verdict: judge(app, campaign) });

describe('planAfterStaffAction', () => {
  it('a waiver that completes the application plans one 材料齐全 email to the contact, keyed once per application', () => {
    const app = twoReports();
    const before = judge(app, campaign);
    expect(before.complete).toBe(false);
    const planned = planAfterStaffAction(before, judged(waived(app)), campaign, NOW);
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({ key: 'SB2023-0005:completeNotice', kind: 'completeNotice', to: 'lisi@xingyun.com.cn' });
    expect(planned[0]?.subject).toBe(`[SB2023-0005] 材料齐全：${campaign.name}`);
    expect(planned[0]?.text).toContain('材料已齐全');
    // the same key at any later time: the sent log sends it at most once
    expect(planAfterStaffAction(before, judged(waived(app)), campaign, new Date('2023-07-18T00:00:00Z'))[0]?.key).toBe('SB2023-0005:completeNotice');
  });

  it('nothing when it was complete before, is still incomplete, is closed, has no address, or staff asked for silence', () => {
    const app = twoReports();
    const before = judge(app, campaign);
    const done = judged(waived(app));
    expect(planAfterStaffAction(done.verdict, done, campaign, NOW)).toEqual([]);
    expect(planAfterStaffAction(before, judged(app), campaign, NOW)).toEqual([]);
    expect(planAfterStaffAction(before, { ...done, app: { ...done.app, deadline: 'closed' } }, campaign, NOW)).toEqual([]);
    expect(planAfterStaffAction(before, done, campaign, NOW, { notify: false })).toEqual([]);
    const nobody = { ...done.app, emails: done.app.emails.map((e) => ({ ...e, from: null })), forms: [] };
    expect(planAfterStaffAction(before, { app: nobody, verdict: done.verdict }, campaign, NOW)).toEqual([]);
  });

  it('new kinds are PlannedKinds', () => {
    expect(PLANNED_KINDS).toEqual(expect.arrayContaining(['completeNotice', 'status']));
  });
});

describe('planStatusNow', () => {
  it('keys by a 5-minute Beijing slot: a double click sends once, later a new one', () => {
    const app = twoReports();
    const a = planStatusNow(judged(app), campaign, NOW, 'wang');
    const b = planStatusNow(judged(app), campaign, new Date('2023-07-15T10:09:59+08:00'), 'li');
    const c = planStatusNow(judged(app), campaign, new Date('2023-07-15T10:10:00+08:00'), 'wang');
    expect(a?.key).toBe('SB2023-0005:status:2023-07-15T1005');
    expect(b?.key).toBe(a?.key);
    expect(c?.key).toBe('SB2023-0005:status:2023-07-15T1010');
    expect(a).toMatchObject({ kind: 'status', to: 'lisi@xingyun.com.cn', subject: `[SB2023-0005] 当前申报状态：${campaign.name}` });
  });

  it('null without an address or for a merged application', () => {
    const app = twoReports();
    expect(planStatusNow(judged({ ...app, mergedInto: 'SB2023-0001' }), campaign, NOW, 'w')).toBeNull();
    expect(planStatusNow(judged({ ...app, emails: app.emails.map((e) => ({ ...e, from: null })), forms: [] }), campaign, NOW, 'w')).toBeNull();
  });
});

describe('status templates', () => {
  it('status email: totals, the open issues (waived ones not asked for), how to reply, time in Beijing', () => {
    const app = twoReports();
    const open = statusEmail({ app, verdict: judge(app, campaign), campaign, now: NOW });
    expect(open.text).toContain('截至 2023年7月15日 10:07 的状态如下');
    expect(open.text).toContain('用户使用报告 2 份');
    expect(open.text).toContain('1. 用户使用报告仅收到 2 份');
    expect(open.text).toContain('请在 2023年7月20日 前回复本邮件');
    const ok = statusEmail({ app: waived(app), verdict: judge(waived(app), campaign), campaign, now: NOW });
    expect(ok.text).not.toContain('用户使用报告仅收到');
    expect(ok.text).toContain('材料已齐全');
    expect(ok.text).not.toContain('请在 2023年7月20日 前回复');
  });

  it('late and closed applications are told so', () => {
    const late = fold('SB2023-0006', email('2023-07-25T10:00:00+08:00', completeDocuments()));
    expect(statusEmail({ app: late, verdict: judge(late, campaign), campaign, now: NOW }).text).toContain('直接发送至');
    const closed = fold('SB2023-0007', email('2023-08-05T10:00:00+08:00', completeDocuments()));
    expect(statusEmail({ app: closed, verdict: judge(closed, campaign), campaign, now: NOW }).text).toContain('已于 2023年7月31日 截止');
  });

  it('escapes a hostile company name in the HTML part', () => {
    const evil = fold('SB2023-0008', email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', form(undefined, undefined, { name: '<script>alert(1)</script>有限公司' }))]));
    const body = completeNoticeEmail({ app: evil, verdict: judge(evil, campaign), campaign, now: NOW });
    expect(body.html).not.toContain('<script>');
    expect(body.html).toContain('&lt;script&gt;');
    expect(body.text).toContain('<script>alert(1)</script>有限公司的申报');
    expect(statusEmail({ app: evil, verdict: judge(evil, campaign), campaign, now: NOW }).html).not.toContain('<script>');
  });
});
