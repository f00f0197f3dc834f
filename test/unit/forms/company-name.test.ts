import { normaliseCompanyName, normaliseProductName } from '../../../src/forms/company-name';

describe('normaliseCompanyName', () => {
  it.each([
    ['武汉智算科技有限公司', '武汉智算科技有限公司'],
    [' 武汉智算 科技有限公司 ', '武汉智算科技有限公司'],
    ['武汉智算科技有限公司（盖章）', '武汉智算科技有限公司'],
    ['武汉智算科技有限公司(公章)', '武汉智算科技有限公司'],
    ['武汉智算科技有限公司【盖章】', '武汉智算科技有限公司'],
    ['武汉智算科技有限公司 盖章', '武汉智算科技有限公司'],
    ['武汉智算科技有限公司（填写企业全称并盖章）', '武汉智算科技有限公司'],
    ['武汉智算科技有限公司。', '武汉智算科技有限公司'],
  ])('%j → %j', (name, key) => {
    expect(normaliseCompanyName(name)).toBe(key);
  });

  it('folds full-width forms so both spellings give one key', () => {
    expect(normaliseCompanyName('武汉ＡＢＣ软件（集团）有限公司')).toBe(normaliseCompanyName('武汉ABC软件(集团)有限公司'));
    expect(normaliseCompanyName('武汉ABC软件有限公司')).toBe(normaliseCompanyName('武汉abc软件有限公司'));
  });

  it('keeps brackets that are part of the name', () => {
    expect(normaliseCompanyName('中科（武汉）软件有限公司')).toBe('中科(武汉)软件有限公司');
  });
});

describe('normaliseProductName', () => {
  it('ignores blanks, full-width forms, case and title marks', () => {
    expect(normaliseProductName('《智算 工业互联网平台》Ｖ２.０')).toBe(normaliseProductName('智算工业互联网平台v2.0'));
  });
});
