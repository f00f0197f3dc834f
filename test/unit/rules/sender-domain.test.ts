import { isFreeMail, mailDomain, sameOrganisationDomain } from '../../../src/rules/sender-domain';
import { reSubject } from '../../../src/notify/templates/render';

describe('sameOrganisationDomain', () => {
  it('counts a company domain shared with a known address', () => {
    expect(sameOrganisationDomain('li@yunfan-soft.cn', ['wang@YUNFAN-SOFT.cn'])).toBe(true);
  });
  it('never counts free mail, however many known addresses share it', () => {
    for (const d of ['qq.com', '163.com', '126.com', 'gmail.com', 'foxmail.com', 'outlook.com']) {
      expect(isFreeMail(d)).toBe(true);
      expect(sameOrganisationDomain(`stranger@${d}`, [`owner@${d}`])).toBe(false);
    }
  });
  it('does not count another domain, a subdomain or an address without one', () => {
    expect(sameOrganisationDomain('x@evil-yunfan-soft.cn', ['wang@yunfan-soft.cn'])).toBe(false);
    expect(sameOrganisationDomain('x@mail.yunfan-soft.cn', ['wang@yunfan-soft.cn'])).toBe(false);
    expect(sameOrganisationDomain('nodomain', ['wang@yunfan-soft.cn'])).toBe(false);
    expect(mailDomain('a@')).toBeNull();
  });
});

describe('reSubject', () => {
  it('drops every application number of the campaign, not only the replying one', () => {
    expect(reSubject('Re: [SB2023-0001] 补充材料', 'SB2023-0002')).toBe('Re: 补充材料');
    expect(reSubject('回复：sb2023-0001 补充 [SB2023-0002]', 'SB2023-0002')).toBe('Re: 补充');
    expect(reSubject('关于 [XY-1] 的说明', 'SB2023-0002')).toBe('Re: 关于 [XY-1] 的说明');
  });
});
