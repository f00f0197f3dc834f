import { compact, normaliseText, toHalfWidth } from '../../../src/forms/text';

describe('normaliseText', () => {
  it.each([
    ['  武汉智算科技有限公司  ', '武汉智算科技有限公司'],
    ['Smart   Factory\tSuite', 'Smart Factory Suite'],
    ['ｗｗｗ．ｚｈｉｓｕａｎ．ｃｎ', 'www．zhisuan．cn'],
    ['１２３', '123'],
    ['高新大道 999 号龙山创新园一期 B1 栋', '高新大道999号龙山创新园一期B1栋'],
    ['市场部，经理', '市场部，经理'],
    ['市场部   经理', '市场部 经理'],
    ['约 3%', '约3%'],
    ['无', '无'],
    ['第一行\n第二行', '第一行第二行'],
    ['智算平台\nV2.0', '智算平台V2.0'],
    ['Line one\nLine two', 'Line one Line two'],
    ['____武汉某某公司____', '武汉某某公司'],
    ['zhang_san@qq.com', 'zhang_san@qq.com'],
  ])('%j → %j', (raw, expected) => {
    expect(normaliseText(raw)).toBe(expected);
  });

  it.each([[''], ['   '], ['\t\n'], ['______'], ['＿＿＿'], ['单击或点击此处输入文字。'], ['Click or tap here to enter text.'], ['（填写企业全称并盖章）'], ['请填写'], ['XXX']])(
    '%j is blank',
    (raw) => {
      expect(normaliseText(raw)).toBeNull();
    },
  );

  it('gives null for null and undefined', () => {
    expect(normaliseText(null)).toBeNull();
    expect(normaliseText(undefined)).toBeNull();
  });

  it('keeps line breaks only when asked, dropping empty lines', () => {
    expect(normaliseText(' 第一段。 \n\n  第二段  有 20 个空格。\n', { multiline: true })).toBe('第一段。\n第二段 有20个空格。');
  });

  it('folds all full-width ASCII for address-like fields', () => {
    expect(normaliseText('ｌｉｓｉ＠ｑｑ．ｃｏｍ', { allAscii: true })).toBe('lisi@qq.com');
    expect(normaliseText('０２７－８７６５４３２１', { allAscii: true })).toBe('027-87654321');
  });
});

describe('toHalfWidth and compact', () => {
  it('turns full-width letters and digits into ASCII, punctuation only when asked', () => {
    expect(toHalfWidth('ＡＩＧＣ（３０％）')).toBe('AIGC（30％）');
    expect(toHalfWidth('ＡＩＧＣ（３０％）', true)).toBe('AIGC(30%)');
  });

  it('removes every blank', () => {
    expect(compact('邮  箱\u3000： ')).toBe('邮箱：');
  });
});

describe('template placeholders left unfilled are blanks (issue 10)', () => {
  it.each(['${email}', '${name}', '{{phone}}', '{{{applyNo}}}', '«邮箱»'])('%s → null', (raw) => {
    expect(normaliseText(raw)).toBeNull();
    expect(normaliseText(raw, { allAscii: true })).toBeNull();
  });
  it('a value that merely contains braces stays', () => {
    expect(normaliseText('zhangwei@yunfan-soft.cn')).toBe('zhangwei@yunfan-soft.cn');
    expect(normaliseText('价格${100}元')).toBe('价格${100}元');
  });
});
