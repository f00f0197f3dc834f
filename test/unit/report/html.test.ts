import { reportRows, toHtml } from '../../../src/report';
import { completeDocuments, form, formDoc, product } from '../rules/helpers';
import { app, judged } from './build';

describe('toHtml', () => {
  const evil = form([product('<img src=x onerror=alert(2)>')], {}, { name: '<script>alert(1)</script>' });
  const rows = reportRows(judged(
    app('SB2023-0001', '2023-07-10T10:00:00+08:00', completeDocuments(evil)),
    app('SB2023-0002', '2023-07-25T10:00:00+08:00', [formDoc('a".docx', form())]),
  ), new Map());
  const html = toHtml(rows, { generatedAt: '2023-07-17T02:00:00Z', campaign: '2023年度"优秀软件产品"征集', filterText: '<b>x</b>' });

  it('escapes every applicant value: no script, no tag from a name', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('2023年度&quot;优秀软件产品&quot;征集');
  });

  it('one self-contained page: inline CSS, no external assets, Chinese headings, counts, Beijing times', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link|src=["']?https?:|href=["']?https?:|@import/i);
    expect(html).toContain('<th>企业名称</th>');
    expect(html).toContain('<th>待补问题</th>');
    expect(html).toContain('申报总数：<strong>2</strong>');
    expect(html).toContain('材料齐全：<strong>1</strong>');
    expect(html).toContain('逾期：<strong>1</strong>');
    expect(html).toContain('生成时间：2023-07-17 10:00（北京时间）');
    expect(html).toContain('<td>2023-07-10 10:00</td>');
    expect((html.match(/<tr class="/g) ?? []).length).toBe(2);
  });
});
