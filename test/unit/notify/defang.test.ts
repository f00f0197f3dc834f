import { defangLinks } from '../../../src/notify/templates/defang';

describe('defangLinks: applicant text in our emails is never a link', () => {
  it.each([
    ['https://evil.example.com/login', 'https[:]//evil[.]example[.]com/login'],
    ['HTTP：//Evil.CN', 'HTTP[:]//Evil[.]CN'],
    ['请登录 www.bank-verify.cn 核对', '请登录 www[.]bank-verify[.]cn 核对'],
    ['联系 zhang@evil.com.cn', '联系 zhang@evil[.]com[.]cn'],
    ['武汉.公司 and 武汉.com', '武汉.公司 and 武汉[.]com'],
    ['xn--fiqs8s.xn--55qx5d', 'xn--fiqs8s[.]xn--55qx5d'],
    ['ftp://1.2.3.4/x', 'ftp[:]//1.2.3.4/x'],
  ])('%s → %s', (input, out) => {
    expect(defangLinks(input)).toBe(out);
  });

  it.each([
    '优秀软件产品登记表.docx', '用户使用报告1.pdf', 'scan.JPG', '材料.zip', 'archive.tar.gz', 'V2.0 版本', '2023.07.20',
    'SB2023-0042', '武汉云帆科技有限公司', '申报材料。请查收', 'winmail.dat',
  ])('leaves %s as it is', (input) => {
    expect(defangLinks(input)).toBe(input);
  });

  it('is linear on a long run without dots', () => {
    const long = 'a'.repeat(200_000);
    const t0 = process.hrtime.bigint();
    expect(defangLinks(`${long}.com`)).toBe(`${long}[.]com`);
    expect(defangLinks(long)).toBe(long);
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(1000);
  });
});
