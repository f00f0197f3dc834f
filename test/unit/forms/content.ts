/** Hand-built DocumentContent in the shapes the readers give (see src/domain/content.ts). */
import type { Block, Cell, DocumentContent } from '../../../src/domain/content';

export function cell(...paragraphs: string[]): Cell {
  return { paragraphs, colspan: 1, rowspan: 1 };
}

export function span(colspan: number, ...paragraphs: string[]): Cell {
  return { paragraphs, colspan, rowspan: 1 };
}

/** A table from rows of cells; a plain string is a one-paragraph cell ('' an empty cell). */
export function table(...rows: Array<Array<Cell | string>>): Block {
  return { type: 'table', rows: rows.map((r) => r.map((c) => (typeof c === 'string' ? (c === '' ? cell() : cell(c)) : c))) };
}

export function para(text: string): Block {
  return { type: 'paragraph', text };
}

export function doc(...blocks: Block[]): DocumentContent {
  const text = blocks
    .map((b) => (b.type === 'paragraph' ? b.text : b.rows.map((r) => r.map((c) => c.paragraphs.join(' ')).join('\t')).join('\n')))
    .join('\n');
  return { blocks, text };
}

/** A PDF or .doc: one paragraph per line, as the readers give them. */
export function lines(...ls: string[]): DocumentContent {
  return doc(...ls.map(para));
}

export const HEADER = [
  '产品名称',
  '发布时间（以软著上的时间为准或其他相关证明）',
  '细分类别[1]（参照主营业务类别）',
  '应用领域',
  '产品收入占企业主营业务收入比重（%）',
  '市场占有率（%）',
  '产品出口额占产品总收入比重（%）',
];

export const PRODUCT_1 = ['智算工业互联网平台V2.0', '2022年5月10日', '工业软件', '智能制造', '35%', '5', '无'];
export const PRODUCT_2 = ['智算政务服务系统', '2023.03', '应用软件', '政务服务', '12.5%', '约3%', '—'];
