import { countCharacters, emailProblem, percentProblem, phoneProblem, postalCodeProblem, releasePeriod, websiteProblem } from '../../../src/rules/validators';

describe('form value checks', () => {
  it('postal code: 6 digits', () => {
    expect(postalCodeProblem('430074')).toBeNull();
    expect(postalCodeProblem('43007')).toMatch(/6 位数字/);
    expect(postalCodeProblem('4300741')).not.toBeNull();
    expect(postalCodeProblem('43OO74')).not.toBeNull();
  });

  it.each(['13800138000', '138 0013 8000', '138-0013-8000', '+86 13800138000', '8613800138000', '027-87181967', '(027)87181967', '（027）87181967',
    '027 87181967', '0710-3456789', '027-87181967转8001', '027-87181967-8001', '027-87181967 ext 12', '027-87181967, 15002788895', '027-87181967、15002788895'])(
    'phone %s is accepted', (phone) => expect(phoneProblem(phone)).toBeNull());

  it.each(['87181967', '1380013800', '23800138000', '12345', '027-123456', 'abc', '13800138000转12', '027-87181967-8001234', '027-87181967, 123'])(
    'phone %s is rejected', (phone) => expect(phoneProblem(phone)).toMatch(/手机号码|固定电话/));

  it('email, website', () => {
    expect(emailProblem('lisi@xingyun.com.cn')).toBeNull();
    expect(emailProblem('lisi@xingyun')).not.toBeNull();
    expect(emailProblem('lisi xingyun.com')).not.toBeNull();
    for (const ok of ['www.xingyun.com.cn', 'http://www.xingyun.com.cn/', 'https://xingyun.cn/about?x=1', 'xingyun.cn', 'www.星云.中国']) expect(websiteProblem(ok)).toBeNull();
    for (const bad of ['星云软件', 'www', 'ftp://x.cn', 'http://', 'www.x .cn']) expect(websiteProblem(bad)).not.toBeNull();
  });

  it('percent: 0 to 100', () => {
    expect(percentProblem(0)).toBeNull();
    expect(percentProblem(100)).toBeNull();
    expect(percentProblem(100.5)).toMatch(/0 至 100/);
  });

  it('counts characters, not bytes, and not whitespace', () => {
    expect(countCharacters('软件 产品\n简述\t ab')).toBe(8);
    expect(countCharacters('𠀀𠀁')).toBe(2);
  });

  it('release period of a date as precise as written', () => {
    expect(releasePeriod('2022')).toEqual({ start: '2022-01-01', end: '2022-12-31' });
    expect(releasePeriod('2023-02')).toEqual({ start: '2023-02-01', end: '2023-02-28' });
    expect(releasePeriod('2022-05-10')).toEqual({ start: '2022-05-10', end: '2022-05-10' });
    expect(releasePeriod('去年')).toBeNull();
  });
});
