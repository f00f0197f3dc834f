import { matchCategory } from '../../../src/forms/category';

describe('matchCategory', () => {
  it.each([
    ['基础软件', 'basic'],
    ['操作系统', 'basic'],
    ['数据库', 'basic'],
    ['工业软件', 'industrial'],
    ['支撑软件', 'support'],
    ['测试工具', 'support'],
    ['应用软件', 'application'],
    ['行业应用软件', 'application'],
    ['嵌入式应用软件', 'application'],
    ['人工智能类软件', 'ai'],
    ['AIGC', 'ai'],
    ['其他软件', 'other'],
    ['新兴平台软件', 'other'],
    ['信息安全软件', 'other'],
    ['ＡＩ应用', 'ai'],
    ['工业应用软件', 'industrial'],
    ['人工智能应用软件', 'ai'],
  ])('%j → %s', (text, code) => {
    expect(matchCategory(text)).toBe(code);
  });

  it.each([['无'], [''], ['智能制造'], ['政务服务']])('%j matches none', (text) => {
    expect(matchCategory(text)).toBeNull();
  });

  it('gives null for null', () => {
    expect(matchCategory(null)).toBeNull();
  });
});
