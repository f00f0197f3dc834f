import { extractForm } from '../../../src/forms';
import { CASE_LABEL, CASE_SUMMARY, EXPECTED_COMPANY, HEADER, lines, OPTIONS, P1, P2, PRODUCT_1, PRODUCT_2, PRODUCT_SUMMARY, SUMMARY_LABEL } from './content';

describe('extractForm: PDF text (lines)', () => {
  // As pdf.js gives a PDF printed from the template: spaces around Latin words and digits,
  // the header wrapped, each wrapped cell on its own lines, the tick glyphs moved away.
  const content = lines(
    '附件 2：',
    '优秀软件产品登记表',
    '一、企业基本信息',
    '企业名称（填写企业全称并盖章）：',
    '武汉智算科技有限公司',
    '法人代表姓名：张三',
    '企业网址：www.zhisuan.cn',
    '通信地址：武汉市东湖新技术开发区高新大道 999 号龙山 邮政编码：430000',
    '创新园一期 B1 栋',
    '主营业务（可多选）：',
    '□基础软件 工业软件 □支撑软件 应用软件 □人工智能类软件 □其他软件\t☑ ☑',
    '项目联系人：李四 联系电话：13800138000 邮箱：lisi@zhisuan.cn 部门与职务：市场部经理',
    '二、优秀创新产品信息（没有的请填“无”）',
    '产品名称 发布时间',
    '（以软著上',
    '的时间为准',
    '或其他相关',
    '证明）',
    '细分类别1',
    '（参照主营',
    '业务类别）',
    '应用领域 产品收入占',
    '企业主营业',
    '务收入比重',
    '（%）',
    '市场占有率',
    '（%）',
    '产品出口额',
    '占产品总收',
    '入比重',
    '（%）',
    '智算工业互',
    '联网平台',
    'V2.0',
    '2022 年 5 月',
    '10 日',
    '工业软件 智能制造 35% 5 无',
    '智算政务服',
    '务系统',
    '2023.03 应用软件 政务服务 12.5% 约 3% —',
    '无 无 无 无 无 无 无',
    '软件产品简述（500 字以内，突出软件产品的自主创新和竞争力）：',
    '智算工业互联网平台是一款面向制造企业的平台。',
    '平台支持设备接入、数据分析。',
    '应用案例简述（500 字以内，突出应用成效和带动支撑作用，用于制',
    '作案例集）',
    '在某钢铁企业部署后，效率提升 20%。',
    '1 基础软件：指能够对硬件资源进行调度和管理、为应用软件提供运行支撑的软件，包括操作系统、',
    '数据库、中间件、各类固件等；',
    '其他软件：指未列明的软件开发，如新兴平台软件、信息安全软件等。',
  );

  it('gives the same record as the .docx', () => {
    expect(extractForm(content)).toEqual({
      company: EXPECTED_COMPANY,
      products: [P1, P2],
      productSummary: PRODUCT_SUMMARY,
      caseSummary: CASE_SUMMARY,
    });
  });

  it('reads a single-line header and rows of space-separated cells', () => {
    const form = extractForm(
      lines(
        '产品名称 发布时间 细分类别 应用领域 收入占比 市场占有率 出口占比',
        'Smart Factory 2022-5-10 工业软件 智能制造 35 5 /',
        '智算政务服务系统 2023/03 应用软件 无 12.5% 3 0',
        '智算 AI 助手 2023 年 1 月 人工智能类 软件 教育 ≈ 8% 约 1% 0',
      ),
    );
    expect(form.products.map((p) => [p.name, p.releaseDate, p.category, p.domain, p.revenueSharePercent, p.marketSharePercent, p.exportSharePercent])).toEqual([
      ['Smart Factory', '2022-05-10', 'industrial', '智能制造', 35, 5, '无'],
      ['智算政务服务系统', '2023-03', 'application', '无', 12.5, 3, 0],
      ['智算AI助手', '2023-01', 'ai', '教育', 8, 1, 0],
    ]);
  });

  it('tells cells apart by what they hold when some are blank or wrapped', () => {
    const header = ['产品名称\t发布时间', '（以软著上的时间为准或其他相关证明）', '细分类别1', '（参照主营业务类别）', '应用领域\t产品收入占', '企业主营业务收入比重（%）', '市场占有率（%）', '产品出口额占产品总收入比重（%）'];
    const form = extractForm(
      lines(
        ...header,
        '智算 OA 协',
        '同办公应用',
        '软件',
        '2022 年 5 月',
        '10 日',
        '行业应用\t政务、教',
        '育、医疗卫',
        '生、交通运',
        '输等多个行',
        '业',
        '35%\t5\t无',
        '智算数据库\t基础软件\t金融',
        '智算 AI 质',
        '检',
        '2023 年\t人工智能\t10%\t无\t无',
        '智算应用软件平台 2023.1 应用软件 教育 1 2 3',
      ),
    );
    expect(form.products.map((p) => [p.name, p.releaseDate, p.categoryText, p.category, p.domain, p.revenueSharePercent, p.marketSharePercent, p.exportSharePercent])).toEqual([
      ['智算OA协同办公应用软件', '2022-05-10', '行业应用', 'application', '政务、教育、医疗卫生、交通运输等多个行业', 35, 5, '无'],
      ['智算数据库', null, '基础软件', 'basic', '金融', null, null, null],
      ['智算AI质检', '2023', '人工智能', 'ai', null, 10, '无', '无'],
      ['智算应用软件平台', '2023-01', '应用软件', 'application', '教育', 1, 2, 3],
    ]);
  });

  it('reads labels and values on separate lines, and several values on one line', () => {
    const form = extractForm(
      lines('企业名称：', '武汉智算科技有限公司', '通信地址： 邮政编码：', '武汉市洪山区珞喻路1号 430070', '邮  箱', 'lisi@zhisuan.cn', '二、优秀创新产品信息'),
    );
    expect(form.company.name).toBe('武汉智算科技有限公司');
    expect(form.company.address).toBe('武汉市洪山区珞喻路1号');
    expect(form.company.postalCode).toBe('430070');
    expect(form.company.contact.email).toBe('lisi@zhisuan.cn');
    expect(form.company.legalRepresentative).toBeNull();
  });

  it('skips a label instruction wrapped onto the next line, and joins a wrapped web site', () => {
    const form = extractForm(
      lines(
        '企业名称（填写企业全',
        '称并盖章）',
        '武汉市光谷未来城数字智能科技研究院股份有限公司',
        '法人代表姓名 王五 企业网址 http://www.future-',
        'ai.com.cn',
        '通信地址 湖北省武汉市东湖新技',
        '术开发区光谷大道 77',
        '号金融港 B18 栋 10 楼',
        '邮政编码 430223',
        '主营业务（可多选） ☐基础软件 ☒工业软件 ☐支撑软件 ☐应用软件 ☒人工智能类软件 ☐其',
        '他软件',
        '项目联系人 赵六 联系电话 027-87654321',
        '邮 箱 部门与职务 研发中心 副总经理',
        '二、优秀创新产品信息（没有的请填“无”）',
      ),
    );
    expect(form.company).toEqual({
      name: '武汉市光谷未来城数字智能科技研究院股份有限公司',
      legalRepresentative: '王五',
      website: 'http://www.future-ai.com.cn',
      address: '湖北省武汉市东湖新技术开发区光谷大道77号金融港B18栋10楼',
      postalCode: '430223',
      mainBusiness: ['industrial', 'ai'],
      contact: { name: '赵六', phone: '027-87654321', email: null, position: '研发中心 副总经理' },
    });
  });

  it('reads tab-separated cells of a PDF line, values wrapping onto the next lines', () => {
    const form = extractForm(
      lines(
        '企业名称（填写企业全',
        '称并盖章）',
        '武汉市光谷未来城数字智能科技研究院股份有限公司',
        '法人代表姓名\t王五\t企业网址\thttp://www.future-',
        'ai.com.cn',
        '通信地址\t湖北省武汉市东湖新技',
        '术开发区光谷大道 77',
        '号金融港 B18 栋 10 楼',
        '1001 室',
        '邮政编码\t430223',
        '主营业务（可多选）\t☐基础软件 ☒工业软件 ☐支撑软件 ☐应用软件 ☒人工智能类软件 ☐其',
        '他软件',
        '项目联系人\t赵六\t联系电话\t027-87654321',
        '邮 箱\t部门与职务\t研发中心 副总经理',
        '产品名称\t发布时间',
        '（以软著上的时间为准或其他相关证明）',
        '细分类别\t应用领域\t产品收入占企业主营业务收入比重（%）\t市场占有率（%）\t产品出口额占产品总收入比重（%）',
        '未来城',
        'AIGC 智能',
        '内容生成平',
        '台',
        '2023 年 2 月\t人工智能类',
        '软件',
        '传媒、教育\t40%\t约 2%\t5%',
      ),
    );
    expect(form.company).toEqual({
      name: '武汉市光谷未来城数字智能科技研究院股份有限公司',
      legalRepresentative: '王五',
      website: 'http://www.future-ai.com.cn',
      address: '湖北省武汉市东湖新技术开发区光谷大道77号金融港B18栋10楼1001室',
      postalCode: '430223',
      mainBusiness: ['industrial', 'ai'],
      contact: { name: '赵六', phone: '027-87654321', email: null, position: '研发中心 副总经理' },
    });
    expect(form.products).toEqual([
      {
        name: '未来城AIGC智能内容生成平台',
        releaseDate: '2023-02',
        releaseDateText: '2023年2月',
        category: 'ai',
        categoryText: '人工智能类软件',
        domain: '传媒、教育',
        revenueSharePercent: 40,
        marketSharePercent: 2,
        exportSharePercent: 5,
      },
    ]);
  });

  it('keeps a summary\'s own numbered headings and notes, stopping at the template\'s parts', () => {
    const form = extractForm(
      lines(SUMMARY_LABEL, '一、产品概述', '二、核心技术', '注：数据截至2023年6月。', CASE_LABEL, '案例。', '注：每家企业报送优秀创新产品不得超过3个。', '三、产品相关著作权证明、知识产权证明等'),
    );
    expect(form.productSummary).toBe('一、产品概述\n二、核心技术\n注：数据截至2023年6月。');
    expect(form.caseSummary).toBe('案例。');
  });

  it('skips the products header repeated at the top of the next page, and the footnote', () => {
    const header = ['产品名称\t发布时间', '（以软著上的时间为准或其他相关证明）', '细分类别1', '（参照主营业务类别）', '应用领域\t产品收入', '占企业主营业务收入比重（%）', '市场占有率（%）', '产品出口额占产品总收入比重（%）'];
    const form = extractForm(
      lines(
        ...header,
        '云帆智能审批平台Ｖ３.',
        '０',
        '2022 年 5 月',
        '10 日',
        '应用软件\t政务服务\t３５％\t约５％\t无',
        CASE_LABEL,
        '2022 年 9 月起，平台推广至黄石市行政审批局，用于投资项目审批和证照办理。针对地市用户业务差',
        '异大的特点，平台提供了可视化的流程设计器和表单设计器，审批局工作人员无需编写代码即可在两',
        '1基础软件：指能够对硬件资源进行调度和管理、为应用软件提供运行支撑的软件，包括操作系统、数',
        '据库、中间件、各类固件等；',
        '其他软件：指未列明的软件开发，如新兴平台软件、信息安全软件等。',
        ...header,
        '周内完成全部事项的配置上线。',
        '注：每家企业报送优秀创新产品不得超过 3 个。',
      ),
    );
    expect(form.products).toEqual([
      {
        name: '云帆智能审批平台V3.0',
        releaseDate: '2022-05-10',
        releaseDateText: '2022年5月10日',
        category: 'application',
        categoryText: '应用软件',
        domain: '政务服务',
        revenueSharePercent: 35,
        marketSharePercent: 5,
        exportSharePercent: '无',
      },
    ]);
    expect(form.caseSummary).toBe(
      '2022年9月起，平台推广至黄石市行政审批局，用于投资项目审批和证照办理。针对地市用户业务差异大的特点，平台提供了可视化的流程设计器和表单设计器，审批局工作人员无需编写代码即可在两周内完成全部事项的配置上线。',
    );
  });

  it('joins a phone number or an e-mail address wrapped in a narrow cell without a blank', () => {
    const form = extractForm(lines('项目联系人：张伟\t联系 电话：１３８７１', '２３４５６７', '邮 箱：', 'zhangwei@yunfan-', 'soft.cn', '部门与职务：市场部 经', '理'));
    expect(form.company.contact).toEqual({ name: '张伟', phone: '13871234567', email: 'zhangwei@yunfan-soft.cn', position: '市场部 经理' });
  });

  it('ends the last summary at the signature block', () => {
    const form = extractForm(lines(CASE_LABEL, '案例。', '单位（盖章）：', '日期：2023年7月1日'));
    expect(form.caseSummary).toBe('案例。');
  });

  it('joins a summary that starts on its label line and wraps', () => {
    const form = extractForm(
      lines('软件产品简述（500 字以内，突出软件产品的自主创新和竞争力）：数联信息安全态势感知平台融合多', '源安全数据。', '注：每家企业报送优秀创新产品不得超过 3 个。'),
    );
    expect(form.productSummary).toBe('数联信息安全态势感知平台融合多源安全数据。');
  });

  it('joins a summary wrapped over full lines back into its paragraphs', () => {
    const long1 = '智算工业互联网平台是一款面向制造企业的工业互联网平台，提供设备接入、';
    const long2 = '数据采集、边缘计算与数据分析等能力，支持多种工业协议。';
    const form = extractForm(lines(SUMMARY_LABEL, long1, long2, '第二段。', CASE_LABEL, '案例。'));
    expect(form.productSummary).toBe(`${long1}${long2}\n第二段。`);
    expect(form.caseSummary).toBe('案例。');
  });
});

describe('extractForm: .doc text (tab-separated cells)', () => {
  const head = [
    '附件2：',
    '优秀软件产品登记表',
    '一、企业基本信息',
    '企业名称（填写企业全称并盖章）：武汉智算科技有限公司',
    '法人代表姓名：张三',
    '企业网址：www.zhisuan.cn',
    '通信地址：武汉市东湖新技术开发区高新大道999号龙山创新园一期B1栋        邮政编码：430000',
    '主营业务（可多选）：',
    OPTIONS,
    '项目联系人：李四     联系电话：13800138000    邮箱：lisi@zhisuan.cn    部门与职务：市场部经理',
    '二、优秀创新产品信息（没有的请填"无"）',
  ];
  const tail = [
    '智算工业互联网平台是一款面向制造企业的平台。',
    '平台支持设备接入、数据分析。',
    CASE_LABEL,
    CASE_SUMMARY,
    '注：每家企业报送优秀创新产品不得超过3个。',
  ];
  const expected = { company: EXPECTED_COMPANY, products: [P1, P2], productSummary: PRODUCT_SUMMARY, caseSummary: CASE_SUMMARY };

  it('reads rows run together on one line, each ended by an empty cell', () => {
    const row = (cells: string[]): string => cells.join('\t') + '\t';
    const tableLine = row(HEADER) + row(PRODUCT_1) + row(PRODUCT_2) + row(['', '', '', '', '', '', '']) + SUMMARY_LABEL;
    expect(extractForm(lines(...head, tableLine, ...tail))).toEqual(expected);
  });

  it('reads rows on their own lines, trailing empty cells trimmed', () => {
    const content = lines(...head, HEADER.join('\t'), PRODUCT_1.join('\t'), ['无', '无', '无', '无', '无', '无', '无'].join('\t'), PRODUCT_2.join('\t'), SUMMARY_LABEL, ...tail);
    expect(extractForm(content)).toEqual(expected);
  });

  it('ends the table at the paragraphs after it', () => {
    const content = lines(HEADER.join('\t'), PRODUCT_1.join('\t'), '以上信息真实有效。', '特此申报。');
    expect(extractForm(content).products).toEqual([P1]);
  });

  it('reads labels and values in tab-separated cells', () => {
    const form = extractForm(lines('企业名称\t武汉智算科技有限公司', '通信地址\t武汉市\t邮政编码\t430000', '项目联系人\t\t联系电话\t13800138000'));
    expect(form.company.name).toBe('武汉智算科技有限公司');
    expect(form.company.postalCode).toBe('430000');
    expect(form.company.contact.name).toBeNull();
    expect(form.company.contact.phone).toBe('13800138000');
  });
});
