/**
 * Whatever a document holds, extraction gives a well-formed record and never throws:
 * seeded random documents made of the form's own fragments, in tables and in lines.
 */
import type { DocumentContent } from '../../../src/domain/content';
import { CATEGORY_CODES } from '../../../src/domain/form';
import { extractForm } from '../../../src/forms';
import { cell, doc, HEADER, para, PRODUCT_1, table } from './content';

const FRAGMENTS = [
  ...HEADER,
  ...PRODUCT_1,
  '企业名称（填写企业全', '称并盖章）', '邮  箱', '通信地址：', '邮政编码：430000', '主营业务（可多选）：', '☑应用软件', '□其', '他软件',
  '项目联系人：李四 联系电话：', '软件产品简述（500字以内，', '应用案例简述：', '注：每家企业报送优秀创新产品不得超过3个。', '二、优秀创新产品信息',
  '无', '—', '', ' ', '\t', '2022 年', '5 月', '约', '3%', '（', '）', '[1]', '1基础软件：指', '产品名称\t发布时间', '\t\t\t', 'ｗｗｗ', '🗹', '\uf0fe',
];

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function randomContent(seed: number, tables = true): DocumentContent {
  const next = random(seed);
  const pick = (): string => FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? '';
  const text = (): string => Array.from({ length: 1 + Math.floor(next() * 4) }, pick).join(next() < 0.5 ? ' ' : '');
  const blocks = Array.from({ length: 5 + Math.floor(next() * 40) }, () => {
    if (tables && next() < 0.3) {
      const width = 1 + Math.floor(next() * 8);
      return table(...Array.from({ length: 1 + Math.floor(next() * 6) }, () => Array.from({ length: width }, () => cell(...Array.from({ length: Math.floor(next() * 3) }, text)))));
    }
    return para(text());
  });
  return doc(...blocks);
}

function checkWellFormed(content: DocumentContent): void {
  const form = extractForm(content);
  const order = form.company.mainBusiness.map((c) => CATEGORY_CODES.indexOf(c));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(new Set(order).size).toBe(order.length);
  for (const p of form.products) {
    expect(Object.keys(p).sort()).toEqual(
      ['category', 'categoryText', 'domain', 'exportSharePercent', 'marketSharePercent', 'name', 'releaseDate', 'releaseDateText', 'revenueSharePercent'],
    );
    if (p.releaseDate !== null) expect(p.releaseDate).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
    for (const v of [p.revenueSharePercent, p.marketSharePercent, p.exportSharePercent]) {
      expect(v === null || v === '无' || (typeof v === 'number' && v >= 0 && Number.isFinite(v))).toBe(true);
    }
    for (const t of [p.name, p.releaseDateText, p.categoryText, p.domain]) {
      if (t !== null) expect(t).toBe(t.trim());
    }
  }
  for (const t of [form.company.name, form.company.address, form.company.contact.email, form.productSummary, form.caseSummary]) {
    if (t !== null) expect(t.length).toBeGreaterThan(0);
  }
  if (form.company.postalCode !== null && /\d/.test(form.company.postalCode)) expect(form.company.postalCode).toMatch(/^\d+$/);
}

describe('extractForm on random documents', () => {
  it.each(Array.from({ length: 60 }, (_, i) => i + 1))('seed %i gives a well-formed record', (seed) => {
    checkWellFormed(randomContent(seed));
  });

  it.each(Array.from({ length: 30 }, (_, i) => i + 101))('seed %i, lines only (a PDF), gives a well-formed record', (seed) => {
    checkWellFormed(randomContent(seed, false));
  });

  it('copes with tables without rows or cells, and cells without paragraphs', () => {
    checkWellFormed({ blocks: [{ type: 'table', rows: [] }, { type: 'table', rows: [[]] }, table([cell()])], text: '' });
  });
});
