import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import { applicantAddress, planAfterEmail } from '../../../src/notify/plan';
import { foldEmail, newApplication, type FoldInput } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { email, form, formDoc } from '../rules/helpers';

const campaign = loadCampaign();
const NOW = new Date('2023-07-10T10:06:00+08:00');
const fold = (app: Application, ...inputs: FoldInput[]): Application => inputs.reduce((a, e) => foldEmail(a, e, campaign), app);

describe('an application held apart as a possible duplicate (issue 8 §2)', () => {
  // The stranger sent the company's own form: it names the company's contact, lisi@xingyun.com.cn.
  const strangers = (): Application => {
    const folded = fold({ ...newApplication('SB2023-0002', NOW), possibleDuplicateOf: 'SB2023-0001' }, email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', form())], { from: 'attacker@qq.com' }));
    // process-message keeps the other application's addresses out (keepAddressesApart).
    return { ...folded, addresses: folded.addresses.filter((a) => a === 'attacker@qq.com') };
  };

  it('writes to its own sender, never to the contact its form names', () => {
    const app = strangers();
    expect(app.possibleDuplicateOf).toBe('SB2023-0001');
    expect(applicantAddress(app)).toBe('attacker@qq.com');
    const planned = planAfterEmail(app, judge(app, campaign), app.emails[0]!, campaign, NOW, false);
    expect(planned.length).toBeGreaterThan(0);
    for (const p of planned) {
      expect(p.to).toBe('attacker@qq.com');
      expect(`${p.subject}\n${p.text}\n${p.html}`).not.toContain('SB2023-0001');
    }
  });

  it('an ordinary application still writes to its form contact', () => {
    const app = fold(newApplication('SB2023-0003', NOW), email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', form())], { from: 'other@qq.com' }));
    expect(applicantAddress(app)).toBe('lisi@xingyun.com.cn');
  });
});
