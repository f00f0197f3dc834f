/** Hand-built DocumentContent in the shapes the readers give (see src/domain/content.ts). */
import type { Block, Cell, DocumentContent } from '../../../src/domain/content';
import type { Product, RegistrationForm } from '../../../src/domain/form';

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

// ---- the record every layout of the same form must give ----

export const EXPECTED_COMPANY: RegistrationForm['company'] = {
  name: '武汉智算科技有限公司',
  legalRepresentative: '张三',
  website: 'www.zhisuan.cn',
  address: '武汉市东湖新技术开发区高新大道999号龙山创新园一期B1栋',
  postalCode: '430000',
  mainBusiness: ['industrial', 'application'],
  contact: { name: '李四', phone: '13800138000', email: 'lisi@zhisuan.cn', position: '市场部经理' },
};

export const P1: Product = {
  name: '智算工业互联网平台V2.0',
  releaseDate: '2022-05-10',
  releaseDateText: '2022年5月10日',
  category: 'industrial',
  categoryText: '工业软件',
  domain: '智能制造',
  revenueSharePercent: 35,
  marketSharePercent: 5,
  exportSharePercent: '无',
};

export const P2: Product = {
  name: '智算政务服务系统',
  releaseDate: '2023-03',
  releaseDateText: '2023.03',
  category: 'application',
  categoryText: '应用软件',
  domain: '政务服务',
  revenueSharePercent: 12.5,
  marketSharePercent: 3,
  exportSharePercent: '无',
};

export const PRODUCT_SUMMARY = '智算工业互联网平台是一款面向制造企业的平台。\n平台支持设备接入、数据分析。';
export const CASE_SUMMARY = '在某钢铁企业部署后，效率提升20%。';
export const SUMMARY_LABEL = '软件产品简述（500字以内，突出软件产品的自主创新和竞争力）：';
export const CASE_LABEL = '应用案例简述（500字以内，突出应用成效和带动支撑作用，用于制作案例集）';
export const OPTIONS = '□基础软件   ☑工业软件   □支撑软件    ☑应用软件   □人工智能类软件   □其他软件';

export const TAIL = [para('注：每家企业报送优秀创新产品不得超过3个。'), para('三、产品相关著作权证明、知识产权证明等'), para('四、用户使用报告（加盖用户单位公章或使用人签字）')];
