import { filterRows, reportRows, rowErrors, sortRows } from '../../../src/report';
import { completeDocuments, form, formDoc, product, proof, report, scan } from '../rules/helpers';
import { app, judged } from './build';

const f = (company: string, contact: string, productName: string, category: 'ai' | 'basic') =>
  form([product(productName, { category })], {}, { name: company, contact: { name: contact, phone: '027-87654321', email: 'zhang@yunfan.com.cn', position: '经理' } });

const rows = reportRows(judged(
  app('SB2023-0001', '2023-07-10T10:00:00+08:00', completeDocuments(f('武汉云帆科技有限公司', '张三', '云帆ＡＩ助手', 'ai'))),
  app('SB2023-0002', '2023-07-20T23:30:00+08:00', [formDoc('登记表.docx', f('武汉星云软件有限公司', '李四', '星云数据库', 'basic')), scan(), proof(), report(1)], 'x@qq.com'),
  app('SB2023-0003', '2023-07-25T09:00:00+08:00', [formDoc('登记表.docx', f('湖北长江信息有限公司', '王五', '长江 OS', 'basic')), scan()]),
  app('SB2023-0004', '2023-08-02T09:00:00+08:00', []),
), new Map());
const ids = (rs: { id: string }[]) => rs.map((r) => r.id);

describe('filterRows', () => {
  it('no filter keeps every row in order', () => {
    expect(ids(filterRows(rows))).toEqual(['SB2023-0001', 'SB2023-0002', 'SB2023-0003', 'SB2023-0004']);
  });

  it('statuses: any within completeness or deadline, all across them', () => {
    expect(ids(filterRows(rows, { status: ['complete'] }))).toEqual(['SB2023-0001']);
    expect(ids(filterRows(rows, { status: ['incomplete'] }))).toEqual(['SB2023-0002', 'SB2023-0003', 'SB2023-0004']);
    expect(ids(filterRows(rows, { status: ['late', 'closed'] }))).toEqual(['SB2023-0003', 'SB2023-0004']);
    // 23:30 Beijing on the 20th is still on time (the deadline is a Beijing date).
    expect(ids(filterRows(rows, { status: ['incomplete', 'onTime'] }))).toEqual(['SB2023-0002']);
    expect(ids(filterRows(rows, { status: ['complete', 'late'] }))).toEqual([]);
  });

  it('by open issue code and by product category', () => {
    expect(ids(filterRows(rows, { issue: 'TOO_FEW_USER_REPORTS' }))).toEqual(['SB2023-0002', 'SB2023-0003', 'SB2023-0004']);
    expect(ids(filterRows(rows, { issue: 'MISSING_COPYRIGHT_PROOF' }))).toEqual(['SB2023-0003', 'SB2023-0004']);
    expect(ids(filterRows(rows, { category: 'basic' }))).toEqual(['SB2023-0002', 'SB2023-0003']);
  });

  it('search: company, contact, product (width-insensitive), number, address', () => {
    expect(ids(filterRows(rows, { q: '云帆' }))).toEqual(['SB2023-0001']);
    expect(ids(filterRows(rows, { q: '李四' }))).toEqual(['SB2023-0002']);
    expect(ids(filterRows(rows, { q: 'ai助手' }))).toEqual(['SB2023-0001']);
    expect(ids(filterRows(rows, { q: 'sb2023-0003' }))).toEqual(['SB2023-0003']);
    expect(ids(filterRows(rows, { q: 'X@QQ.com' }))).toEqual(['SB2023-0002']);
    expect(ids(filterRows(rows, { q: '  ' }))).toHaveLength(4);
  });

  it('first arrival between Beijing dates (inclusive) or instants', () => {
    expect(ids(filterRows(rows, { arrivedFrom: '2023-07-20', arrivedTo: '2023-07-25' }))).toEqual(['SB2023-0002', 'SB2023-0003']);
    expect(ids(filterRows(rows, { arrivedTo: '2023-07-20T15:00:00Z' }))).toEqual(['SB2023-0001']);
  });
});

describe('sortRows', () => {
  it('by issue count descending, ties by number; by company (pinyin: hu < wu han xing < wu han yun), unnamed last; input untouched', () => {
    expect(ids(sortRows(rows, 'issues', 'desc'))).toEqual(['SB2023-0004', 'SB2023-0003', 'SB2023-0002', 'SB2023-0001']);
    expect(ids(sortRows(rows, 'company'))).toEqual(['SB2023-0003', 'SB2023-0002', 'SB2023-0001', 'SB2023-0004']);
    expect(ids(sortRows(rows, 'company', 'desc'))).toEqual(['SB2023-0001', 'SB2023-0002', 'SB2023-0003', 'SB2023-0004']);
    expect(ids(sortRows(rows, 'firstArrivedAt', 'desc'))[0]).toBe('SB2023-0004');
    expect(ids(rows)).toEqual(['SB2023-0001', 'SB2023-0002', 'SB2023-0003', 'SB2023-0004']);
  });

  it('counts errors only, as the report 问题数 column does: warnings (请核对) do not make a row sort higher', () => {
    const warning = { code: 'SEAL_NOT_FOUND', severity: 'warning', phrase: '未见红色公章', message: '未见红色公章' } as const;
    const one = rows[1];
    const warned = rows[0] && { ...rows[0], id: 'SB2023-0005', issues: [warning, warning, warning] };
    if (!one || !warned) throw new Error('rows missing');
    expect(ids(sortRows([warned, one], 'issues', 'desc'))).toEqual([one.id, 'SB2023-0005']);
    expect(rowErrors(warned)).toEqual([]);
  });
});
