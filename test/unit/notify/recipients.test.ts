import { loadCampaign } from '../../../src/config/campaign';
import { hasHiddenCharacters } from '../../../src/domain/sanitize';
import type { Application } from '../../../src/domain/application';
import { applicantAddress, planAfterEmail, planReminders, toOneMailbox } from '../../../src/notify/plan';
import { receivedLines } from '../../../src/notify/templates/received';
import { foldEmail, newApplication, type FoldInput } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { doc, email, form, formDoc, proof } from '../rules/helpers';

const campaign = loadCampaign();
const NOW = new Date('2023-07-10T10:06:00+08:00');
const fold = (...inputs: FoldInput[]): Application => inputs.reduce((app, e) => foldEmail(app, e, campaign), newApplication('SB2023-0100', NOW));
const plan = (app: Application, references?: string[]) => planAfterEmail(app, judge(app, campaign), app.emails[app.emails.length - 1]!, campaign, NOW, false, { references });
const noReply = (code: string) => ({ code, reason: 'r', reasonZh: '未自动回复', at: NOW.toISOString() });

describe('planned emails go to exactly one mailbox', () => {
  it('an email marked noReply starts no email at all', () => {
    const app = fold(email('2023-07-10T10:05:00+08:00', [proof()], { from: null, noReply: noReply('LIST') }));
    expect(plan(app)).toEqual([]);
    expect(app.emails[0]?.noReply?.code).toBe('LIST');
  });

  it('a spoofed email\'s sender and the contact its form brought are never written to later', () => {
    const stranger = form(undefined, undefined, { contact: { name: '某', phone: '15002788895', email: 'victim@elsewhere.example', position: '' } });
    const app = fold(email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', stranger)], { from: null, noReply: noReply('SENDER_FAILED_AUTH') }));
    expect(applicantAddress(app)).toBeNull();
    expect(planReminders([{ app, verdict: judge(app, campaign) }], campaign, new Date('2023-07-17T09:30:00+08:00'))).toEqual([]);
  });

  it('a form contact that is a list is not an address we write to', () => {
    const listed = form(undefined, undefined, { contact: { name: '某', phone: '15002788895', email: 'a@x.example, b@y.example', position: '' } });
    const app = fold(email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', listed)]));
    expect(applicantAddress(app)).toBe('lisi@xingyun.com.cn');
    expect(judge(app, campaign).issues.some((i) => i.code === 'INVALID_FIELD' && i.path === 'company.contact.email')).toBe(true);
    for (const p of plan(app)) expect(p.to).toBe('lisi@xingyun.com.cn');
  });

  it('toOneMailbox drops anything else', () => {
    expect(toOneMailbox([{ to: 'a@x.example' }, { to: 'a@x.example, b@y.example' }, { to: 'undisclosed-recipients:;' }, { to: 'x' }])).toEqual([{ to: 'a@x.example' }]);
  });

  it('References: well-formed only, the last 10', () => {
    const refs = [...Array.from({ length: 50 }, (_, i) => `<r${i}@qq.com>`), '<bad id@x>', 'junk'];
    const app = fold(email('2023-07-10T10:05:00+08:00', [proof()], { messageId: '<last@qq.com>' }));
    const [receipt] = plan(app, refs);
    expect(receipt?.inReplyTo).toBe('<last@qq.com>');
    expect(receipt?.references).toEqual([...refs.slice(41, 50), '<last@qq.com>']);
    const bad = fold(email('2023-07-10T10:05:00+08:00', [proof()], { messageId: '<a b@c>' }));
    expect(plan(bad)[0]).not.toHaveProperty('inReplyTo');
  });
});

describe('a receipt stays small', () => {
  it('at most 30 names, each one line of at most 80 characters; the rest counted', () => {
    const docs = Array.from({ length: 42 }, (_, i) => doc(`用户使用报告${i}${'很长'.repeat(60)}\u202E.pdf`, 'userReport'));
    const app = fold(email('2023-07-10T10:05:00+08:00', docs, { subject: `申报${'长'.repeat(500)}` }));
    // Folding cleans every document name (archive members too): no bidi override is stored.
    expect(app.documents.filter((d) => hasHiddenCharacters(d.file))).toEqual([]);
    const lines = receivedLines(app, app.emails[0]!, campaign);
    expect(lines[lines.length - 1]).toBe('另有 12 份文件');
    const names = lines[0]!.split('：')[1]!.split('、');
    expect(names).toHaveLength(30);
    for (const n of names) expect([...n].length).toBeLessThanOrEqual(80);
    const [receipt] = plan(app);
    expect([...(receipt?.subject ?? '')].length).toBeLessThan(120);
    expect(receipt?.text.length).toBeLessThan(6000);
    expect(receipt?.text).not.toMatch(/\u202E/);
  });
});
