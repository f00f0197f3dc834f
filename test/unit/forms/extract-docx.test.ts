import { extractForm } from '../../../src/forms';
import { CASE_LABEL, CASE_SUMMARY, cell, doc, EXPECTED_COMPANY, HEADER, lines, OPTIONS, P1, P2, para, PRODUCT_1, PRODUCT_2, PRODUCT_SUMMARY, span, SUMMARY_LABEL, table, TAIL } from './content';
import type { RegistrationForm } from '../../../src/domain/form';

describe('extractForm: .docx, values in the same cell as their labels (the template)', () => {
  const content = doc(
    para('附件2：'),
    para('优秀软件产品登记表'),
    para('一、企业基本信息'),
    table(
      ['企业名称（填写企业全称并盖章）：武汉智算科技有限公司'],
      ['法人代表姓名：张三'],
      ['企业网址：www.zhisuan.cn'],
      ['通信地址：武汉市东湖新技术开发区高新大道999号龙山创新园一期B1栋        邮政编码：430000'],
      [cell('主营业务（可多选）：', OPTIONS)],
      ['项目联系人：李四     联系电话：13800138000    邮箱：lisi@zhisuan.cn    部门与职务：市场部经理'],
    ),
    para('二、优秀创新产品信息（没有的请填“无”）'),
    table(HEADER, PRODUCT_1, PRODUCT_2, ['', '', '', '', '', '', '']),
    table([cell(SUMMARY_LABEL, '智算工业互联网平台是一款面向制造企业的平台。', '平台支持设备接入、数据分析。')], [cell(CASE_LABEL, CASE_SUMMARY)]),
    ...TAIL,
  );

  it('reads every field', () => {
    expect(extractForm(content)).toEqual({
      company: EXPECTED_COMPANY,
      products: [P1, P2],
      productSummary: PRODUCT_SUMMARY,
      caseSummary: CASE_SUMMARY,
    });
  });
});

describe('extractForm: .docx, values in the cell after their labels', () => {
  const content = doc(
    para('优秀软件产品登记表'),
    table(
      ['企业名称（填写企业全称并盖章）', span(3, '武汉智算科技有限公司')],
      ['法人代表姓名', '张三', '企业网址', 'www.zhisuan.cn'],
      ['通信地址', '武汉市东湖新技术开发区高新大道999号龙山创新园一期B1栋', '邮政编码', '430000'],
      ['主营业务（可多选）', span(3, OPTIONS)],
      ['项目联系人', '李四', '联系电话', '13800138000'],
      ['邮  箱', 'lisi@zhisuan.cn', '部门与职务', '市场部经理'],
    ),
    table(HEADER, PRODUCT_1, ['无', '无', '无', '无', '无', '无', '无'], PRODUCT_2, ['', '', '', '', '', '', '']),
    table([SUMMARY_LABEL], [cell('智算工业互联网平台是一款面向制造企业的平台。', '', '平台支持设备接入、数据分析。')], [CASE_LABEL], [CASE_SUMMARY]),
    ...TAIL,
  );

  it('reads every field, skipping the empty and the all-无 rows', () => {
    expect(extractForm(content)).toEqual({
      company: EXPECTED_COMPANY,
      products: [P1, P2],
      productSummary: PRODUCT_SUMMARY,
      caseSummary: CASE_SUMMARY,
    });
  });

  it('gives null for blank cells and keeps 无 as an answer', () => {
    const blank = doc(
      table(
        ['企业名称', '武汉智算科技有限公司'],
        ['法人代表姓名', ''],
        ['企业网址', '无'],
        ['通信地址', '________', '邮政编码', ''],
        ['主营业务（可多选）', OPTIONS.replace(/☑/g, '□')],
        ['项目联系人', '李四', '联系电话', '', '邮箱', '', '部门与职务', '经理'],
      ),
      table(HEADER, ['智算平台', '', '无', '', '', '无', '']),
      table([SUMMARY_LABEL], ['']),
    );
    expect(extractForm(blank)).toEqual({
      company: {
        name: '武汉智算科技有限公司',
        legalRepresentative: null,
        website: '无',
        address: null,
        postalCode: null,
        mainBusiness: [],
        contact: { name: '李四', phone: null, email: null, position: '经理' },
      },
      products: [
        {
          name: '智算平台',
          releaseDate: null,
          releaseDateText: null,
          category: null,
          categoryText: '无',
          domain: null,
          revenueSharePercent: null,
          marketSharePercent: '无',
          exportSharePercent: null,
        },
      ],
      productSummary: null,
      caseSummary: null,
    });
  });
});

describe('extractForm: labels in one row, values in the row below', () => {
  it('pairs each value with the label above it', () => {
    const form = extractForm(
      doc(table(['企业名称', '法人代表姓名', '企业网址'], ['武汉智算科技有限公司', '张三', ''], ['项目联系人', '联系电话'], ['李四', '13800138000'])),
    );
    expect(form.company.name).toBe('武汉智算科技有限公司');
    expect(form.company.legalRepresentative).toBe('张三');
    expect(form.company.website).toBeNull();
    expect(form.company.contact.name).toBe('李四');
    expect(form.company.contact.phone).toBe('13800138000');
  });
});

describe('extractForm: products', () => {
  const form = (...rows: string[][]): RegistrationForm => extractForm(doc(table(HEADER, ...rows)));

  it('keeps every product row, more than three too, in order', () => {
    const rows = [1, 2, 3, 4].map((n) => [`产品${n}`, `2022年${n}月`, '应用软件', '教育', `${n}%`, '1', '0']);
    const products = form(...rows).products;
    expect(products.map((p) => p.name)).toEqual(['产品1', '产品2', '产品3', '产品4']);
    expect(products.map((p) => p.releaseDate)).toEqual(['2022-01', '2022-02', '2022-03', '2022-04']);
    expect(products[3]?.exportSharePercent).toBe(0);
  });

  it('skips a totals row', () => {
    expect(form(PRODUCT_1, ['合计', '', '', '', '35%', '', '']).products).toEqual([P1]);
  });

  it('keeps an empty header cell its own column, and a merged cell with every row it spans', () => {
    const header = [HEADER[0] ?? '', '', ...HEADER.slice(1)];
    const shared = { paragraphs: ['应用软件'], colspan: 1, rowspan: 2 };
    const content = doc(
      table(header, ['A', '备注', '2022', shared, '教育', '1', '1', '1'], ['B', '', '2023', '医疗', '2', '2', '2']),
    );
    const products = extractForm(content).products;
    expect(products.map((p) => [p.name, p.releaseDateText, p.categoryText, p.domain])).toEqual([
      ['A', '2022', '应用软件', '教育'],
      ['B', '2023', '应用软件', '医疗'],
    ]);
  });

  it('joins the texts of the columns a header cell spans', () => {
    const content = doc(table([span(2, '产品名称'), ...HEADER.slice(1)], ['智算平台', 'V2.0', ...(PRODUCT_1.slice(1))]));
    expect(extractForm(content).products[0]?.name).toBe('智算平台V2.0');
  });

  it('reads every products table when the table was copied once per product', () => {
    expect(extractForm(doc(table(HEADER, PRODUCT_1), para('（第二个产品）'), table(HEADER, PRODUCT_2))).products).toEqual([P1, P2]);
  });

  it('gives no product for the untouched template', () => {
    expect(form(['', '', '', '', '', '', ''], ['', '', '', '', '', '', '']).products).toEqual([]);
  });

  it('keeps an unreadable date as text', () => {
    const p = form(['A', '以软著为准', '人工智能', '教育', '1', '1', '1']).products[0];
    expect(p?.releaseDate).toBeNull();
    expect(p?.releaseDateText).toBe('以软著为准');
    expect(p?.category).toBe('ai');
  });

  it('reads a transposed table (headers down the first column)', () => {
    const content = doc(table(...HEADER.map((h, i) => [h, PRODUCT_1[i] ?? '', PRODUCT_2[i] ?? ''])));
    expect(extractForm(content).products).toEqual([P1, P2]);
  });

  it('reads products given as label/value blocks', () => {
    const content = lines(
      '产品名称：智算工业互联网平台V2.0',
      '发布时间：2022年5月10日',
      '细分类别：工业软件',
      '应用领域：智能制造',
      '产品收入占企业主营业务收入比重（%）：35%',
      '市场占有率（%）：5',
      '产品出口额占产品总收入比重（%）：无',
      '产品名称：智算政务服务系统',
      '发布时间：2023.03',
      '细分类别：应用软件',
      '应用领域：政务服务',
      '产品收入占企业主营业务收入比重（%）：12.5%',
      '市场占有率（%）：约3%',
      '产品出口额占产品总收入比重（%）：—',
      SUMMARY_LABEL,
    );
    expect(extractForm(content).products).toEqual([P1, P2]);
  });
});

describe('extractForm: an empty document', () => {
  it('gives every field null and no product', () => {
    expect(extractForm(doc())).toEqual({
      company: {
        name: null,
        legalRepresentative: null,
        website: null,
        address: null,
        postalCode: null,
        mainBusiness: [],
        contact: { name: null, phone: null, email: null, position: null },
      },
      products: [],
      productSummary: null,
      caseSummary: null,
    });
  });
});
