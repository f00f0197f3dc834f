import { normaliseDate } from '../../../src/forms/date';

describe('normaliseDate', () => {
  it.each([
    ['2022年5月10日', '2022-05-10'],
    ['2022.5.10', '2022-05-10'],
    ['2022/05/10', '2022-05-10'],
    ['2022-5-10', '2022-05-10'],
    ['2022 年 5 月 10 日', '2022-05-10'],
    ['２０２２年５月１０日', '2022-05-10'],
    ['20220510', '2022-05-10'],
    ['2022年05月10号', '2022-05-10'],
    ['二〇二二年五月十日', '2022-05-10'],
    ['2023年12月31日（软著登记日期）', '2023-12-31'],
    ['2022年5月', '2022-05'],
    ['2022.05', '2022-05'],
    ['2022-5', '2022-05'],
    ['2022年', '2022'],
    ['2022', '2022'],
  ])('%j → %s', (raw, expected) => {
    expect(normaliseDate(raw)).toBe(expected);
  });

  it.each([[''], ['   '], ['以软著为准'], ['V2.0'], ['2022年13月'], ['2022.2.30'], ['22.5.10'], ['1850年']])('%j → null', (raw) => {
    expect(normaliseDate(raw)).toBeNull();
  });

  it('takes the first date when several are written', () => {
    expect(normaliseDate('2022年5月发布，2023年1月1日升级')).toBe('2022-05');
  });

  it('gives null for null', () => {
    expect(normaliseDate(null)).toBeNull();
  });
});
