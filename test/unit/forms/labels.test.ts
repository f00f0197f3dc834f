import { COMPANY_LABELS, PRODUCT_LABELS, SUMMARY_LABELS } from '../../../src/forms/fields';
import { joinSpreadLabel, leadingLabel } from '../../../src/forms/labels';
import { extractForm } from '../../../src/forms';
import { contentFromLines } from '../../../src/documents/content';

function keysOf(text: string): string[] {
  return COMPANY_LABELS.find(text).map((h) => h.key);
}

function valueAfter(text: string): string {
  const hit = COMPANY_LABELS.find(text)[0];
  return hit ? text.slice(hit.end) : '(no label)';
}

describe('label matching', () => {
  it.each([
    ['企业名称（填写企业全称并盖章）：武汉某某', '武汉某某'],
    ['企业名称(填写企业全称并盖章):武汉某某', '武汉某某'],
    ['企业名称：武汉某某', '武汉某某'],
    ['企业名称:武汉某某', '武汉某某'],
    ['企业名称 武汉某某', '武汉某某'],
    ['企 业 名 称（盖章）： 武汉某某', ' 武汉某某'],
    ['企业名称', ''],
  ])('%j: the value starts after the label, its instruction and colon', (text, value) => {
    expect(valueAfter(text)).toBe(value);
  });

  it.each([
    ['邮  箱：a@b.cn', 'email'],
    ['邮\u3000箱', 'email'],
    ['E-mail: a@b.cn', 'email'],
    ['法定代表人：张三', 'legalRepresentative'],
    ['法人代表姓名：张三', 'legalRepresentative'],
    ['通讯地址：武汉', 'address'],
    ['邮编：430000', 'postalCode'],
    ['主营业务（可多选）：', 'mainBusiness'],
    ['部门及职务：经理', 'position'],
    ['联系人：李四', 'contactName'],
  ])('%j is a %s label', (text, key) => {
    expect(keysOf(text)).toEqual([key]);
  });

  it('finds several labels on one line, in order', () => {
    expect(keysOf('项目联系人：李四 联系电话：13800138000 邮箱：lisi@x.cn 部门与职务：市场部经理')).toEqual([
      'contactName',
      'phone',
      'email',
      'position',
    ]);
    expect(keysOf('通信地址：武汉市洪山区           邮政编码：430070')).toEqual(['address', 'postalCode']);
  });

  it('finds labels without colons between their values', () => {
    expect(keysOf('项目联系人 李四 联系电话 13800138000 邮箱 lisi@x.cn')).toEqual(['contactName', 'phone', 'email']);
  });

  it('does not take words inside a value for labels', () => {
    expect(keysOf('通信地址：武汉市电话大楼邮箱路1号')).toEqual(['address']);
    expect(keysOf('企业名称：武汉邮箱科技有限公司')).toEqual(['name']);
  });

  it('prefers the longer wording that starts at the same place', () => {
    expect(keysOf('邮箱地址：a@b.cn')).toEqual(['email']);
    expect(keysOf('联系人电话：13800138000')).toEqual(['phone']);
  });

  it('does not take 主营业务收入 (a products column) for the 主营业务 label', () => {
    expect(keysOf('产品收入占企业主营业务收入比重（%）')).toEqual([]);
    expect(keysOf('细分类别（参照主营业务类别）')).toEqual([]);
  });

  it('finds product columns and summaries, the instruction being part of the label', () => {
    expect(leadingLabel(PRODUCT_LABELS, '发布时间（以软著上的时间为准或其他相关证明）')?.key).toBe('releaseDate');
    expect(leadingLabel(PRODUCT_LABELS, '细分类别[1]（参照主营业务类别）')?.key).toBe('category');
    expect(leadingLabel(PRODUCT_LABELS, '产品出口额占产品总收入比重（%）')?.key).toBe('exportSharePercent');
    expect(leadingLabel(PRODUCT_LABELS, '产品收入占企业主营业务收入比重（%）')?.key).toBe('revenueSharePercent');
    const text = '软件产品简述（500字以内，突出软件产品的自主创新和竞争力）：本产品';
    const hit = leadingLabel(SUMMARY_LABELS, text);
    expect(hit?.key).toBe('productSummary');
    expect(text.slice(hit?.end)).toBe('本产品');
  });

  it('marks an instruction that wraps past the end of the line', () => {
    const hit = leadingLabel(SUMMARY_LABELS, '应用案例简述（500 字以内，突出应用成效和带动支撑作用，用于制');
    expect(hit?.key).toBe('caseSummary');
    expect(hit?.openBracket).toBe(true);
  });
});

describe('labels spread over their cell (distributed alignment in a LibreOffice PDF, issue 10)', () => {
  it.each([
    ['邮\t政\t编\t码\t：\t430074', '邮政编码：\t430074'],
    ['邮\t箱\t：\tzhangwei@yunfan-soft.cn', '邮箱：\tzhangwei@yunfan-soft.cn'],
    ['联 系 人 ：\t张伟\t职\t务\t：\t市场部', '联 系 人 ：\t张伟\t职务：\t市场部'],
    ['邮 箱  ：\tlisi@x.cn', '邮 箱  ：\tlisi@x.cn'],
  ])('%j → %j', (line, joined) => {
    expect(joinSpreadLabel(line)).toBe(joined);
  });

  it('a row of one-character cells without a colon is a table row, left alone', () => {
    expect(joinSpreadLabel('是\t否\t有')).toBe('是\t否\t有');
  });

  it('the spread email and postal code labels are found with their values', () => {
    const form = extractForm(contentFromLines([
      '优秀软件产品登记表',
      '一、企业基本信息',
      '企 业 名 称 ：\t武汉云帆软件有限公司',
      '通 信 地 址 ：\t武汉市东湖新技术开发区光谷大道77号',
      '邮\t政\t编\t码\t：\t430074',
      '联 系 人 ：\t张伟\t联 系 电 话 ：\t13871234567',
      '邮\t箱\t：\tzhangw',
      'ei@yunfan-soft.cn',
      '职\t务\t：\t市场部经理',
    ]));
    expect(form.company.postalCode).toBe('430074');
    expect(form.company.contact.email).toBe('zhangwei@yunfan-soft.cn');
    expect(form.company.contact.position).toBe('市场部经理');
  });
});
