import { classifyDocument, titleNamesForm } from '../../../src/forms/classify';

const FORM = [
  '附件2：',
  '优秀软件产品登记表',
  '一、企业基本信息',
  '企业名称（填写企业全称并盖章）：武汉智算科技有限公司',
  '二、优秀创新产品信息（没有的请填“无”）',
  '产品名称\t发布时间\t细分类别',
  '三、产品相关著作权证明、知识产权证明等',
  '四、用户使用报告（加盖用户单位公章或使用人签字）',
].join('\n');

describe('classifyDocument by content', () => {
  it('recognises the registration form by its title, despite its part 3 and 4 headings', () => {
    expect(classifyDocument('scan.pdf', FORM)).toBe('registrationForm');
    expect(classifyDocument('用户使用报告.docx', FORM)).toBe('registrationForm');
  });

  it('recognises a form whose title was deleted by its labels', () => {
    const text = [
      '企业名称：武汉某某知识产权服务有限公司',
      '法人代表姓名：张三',
      '主营业务（可多选）：☑应用软件',
      '产品名称\t发布时间\t细分类别',
      '软件产品简述：……',
    ].join('\n');
    expect(classifyDocument('a.docx', text)).toBe('registrationForm');
  });

  it('recognises a form whose title has spaces (PDF text)', () => {
    expect(classifyDocument('x.pdf', '附件 2：\n优 秀 软 件 产 品 登 记 表\n一、企业基本信息')).toBe('registrationForm');
  });

  it('recognises the SCO case form, though it is also a 登记表', () => {
    expect(classifyDocument('附件3.docx', '附件3\n上合国家软件产业国际合作优秀案例登记表\n企业名称：')).toBe('scoCaseForm');
  });

  it('recognises copyright certificates and patents', () => {
    expect(classifyDocument('1.pdf', '中华人民共和国国家版权局\n计算机软件著作权登记证书\n证书号：软著登字第123号')).toBe('copyrightProof');
    expect(classifyDocument('2.pdf', '发明专利证书\n发明名称：一种……')).toBe('copyrightProof');
  });

  it('recognises a user report that mentions the software copyright', () => {
    const text = '智算工业互联网平台用户使用报告\n我单位使用的智算工业互联网平台（软件著作权登记号2022SR123456）运行良好。';
    expect(classifyDocument('软著.pdf', text)).toBe('userReport');
    expect(classifyDocument('r.pdf', '关于智算平台（已取得软件著作权）的使用报告\n……')).toBe('userReport');
    expect(classifyDocument('r.pdf', '应用证明\n兹证明……')).toBe('userReport');
  });

  it('reads a body that mentions the copyright as a report, and a certificate by its wording', () => {
    expect(classifyDocument('r.pdf', '武汉智算科技有限公司：\n贵司产品已取得软件著作权，我单位使用情况良好。')).toBe('userReport');
    expect(classifyDocument('c.pdf', '软件名称：智算平台\n著作权人：武汉智算科技有限公司\n登记号：2022SR123456')).toBe('copyrightProof');
  });

  it('reads the body when no title names the kind', () => {
    expect(classifyDocument('r.pdf', '武汉智算科技有限公司：\n我单位自2022年起使用贵司系统，使用情况良好。')).toBe('userReport');
  });
});

describe('classifyDocument by file name', () => {
  it.each([
    ['附件2-优秀软件产品登记表（盖章）.pdf', 'registrationForm'],
    ['报名表扫描件.jpg', 'registrationForm'],
    ['申报表.pdf', 'registrationForm'],
    ['archive.zip/材料/软著证书.pdf', 'copyrightProof'],
    ['著作权登记证书.png', 'copyrightProof'],
    ['版权.jpg', 'copyrightProof'],
    ['用户报告1.pdf', 'userReport'],
    ['某某医院使用报告.jpg', 'userReport'],
    ['上合案例登记表.docx', 'scoCaseForm'],
    ['营业执照.pdf', 'other'],
    ['IMG_0001.jpg', 'other'],
  ])('%s → %s', (name, kind) => {
    expect(classifyDocument(name, null)).toBe(kind);
  });

  it('falls back on the name when the text names no kind', () => {
    expect(classifyDocument('用户使用报告2.pdf', '张三 李四 2023年6月')).toBe('userReport');
    expect(classifyDocument('notes.txt', '')).toBe('other');
  });
});

describe('classifyDocument: what only each kind has (issue 10)', () => {
  // OCR of a stamped scan of the form: the title torn by the seal, the part 3 heading on top.
  const STAMPED_SCAN_OCR = [
    '三、产品相关著作权证明',
    '优秀软件产品登记衣',
    '企业名称 (填写企业全 | 武汉云帆软件有限公司',
    '法人代表姓名: 李明',
    '通信地址: 武汉市东湖新技术开发区光谷大道77号',
    '主营业务 (可多选) : 基础软件 口工业软件',
    '项目联系人: 张伟 联系电话: 13871234567',
  ].join('\n');

  it('a stamped scan whose OCR reads the form’s part 3 heading is still the form', () => {
    expect(classifyDocument('扫描件001.pdf', STAMPED_SCAN_OCR, { ocr: true })).toBe('registrationForm');
  });

  it('a title and a part heading joined on one OCR line: the title counts', () => {
    const text = '附件2:\n优秀软件产品登记表        三、产品相关著作权证明\n企业名称:';
    expect(classifyDocument('scan.jpg', text, { ocr: true })).toBe('registrationForm');
  });

  it('a company profile or white paper that mentions its copyright registration is no certificate', () => {
    const profile = [
      '武汉云帆软件有限公司简介',
      '公司成立于2015年，专注于政务审批软件，已取得计算机软件著作权登记12项、发明专利2项，',
      '产品覆盖湖北省内30余个区县。',
    ].join('\n');
    expect(classifyDocument('公司简介.pdf', profile)).toBe('other');
    const whitePaper = '云帆智能审批平台技术白皮书\n平台已取得计算机软件著作权登记证书（2022SR0123456），支持国产数据库。';
    expect(classifyDocument('白皮书.docx', whitePaper)).toBe('other');
    // As a PDF wraps it: the sentence's first line has no comma, the part 3 heading comes later.
    const wrapped = [
      '云帆智能审批平台 V3.0 技术白皮书', '一、产品概述', '云帆智能审批平台 V3.0 已取得计算机软件著作权登记证书（登记号',
      '2022SR0123456），面向区县政务服务中心。', '三、产品相关著作权证明', '软件著作权登记证书复印件另附。',
    ].join('\n');
    expect(classifyDocument('产品白皮书.pdf', wrapped)).toBe('other');
  });

  it('a certificate is recognised by its own wording, without its title (OCR lost it)', () => {
    const ocr = '证书号: 软著登字第 11876543 号\n软件名称: 光谷数智 MES 制造执行系统 V5.0\n著作权人: 武汉光谷数智科技有限公司\n开发完成日期: 2023年1月10日';
    expect(classifyDocument('IMG_2031.jpg', ocr, { ocr: true })).toBe('copyrightProof');
  });

  it('another form with a table (a staff list, another association’s 申报表) is not the 登记表', () => {
    const staff = '{{table}}姓名\t性别\t年龄\t手机\t邮箱\n${name}\t${sex}\t${age}\t${phone}\t${email}';
    expect(classifyDocument('人员信息表.docx', staff)).toBe('other');
    expect(classifyDocument('横向项目立项申报表.docx', '编号：{{applyNo}}\n横向项目立项申报表\n项目名称\t合作单位\t项目负责人\t联系电话\t经费总额\t起止时间')).toBe('other');
    // Its title alone says it is another form, however little else it holds.
    expect(classifyDocument('横向项目立项申报表-issue636.docx', '编号：{{{applyNo}}\n横向项目立项申报表')).toBe('other');
  });

  it('a scan named like the form, whose OCR reads little, is still the form by its name', () => {
    expect(classifyDocument('登记表盖章扫描件.pdf', '附件2\n企业名称 张伟 13871234567 武汉市东湖新技术开发区光谷大道77号 市场部经理', { ocr: true })).toBe('registrationForm');
  });
});

describe('titleNamesForm (a scan whose title strip suffices)', () => {
  it('is true for the form title as OCR reads the strip, with or without its part 1 heading', () => {
    expect(titleNamesForm('附件2:\n\n优秀软件产品登记表\n一、企业基本信息\n')).toBe(true);
    expect(titleNamesForm('优秀软件产品登记表')).toBe(true);
    expect(titleNamesForm('上合组织数字化合作案例登记表')).toBe(true);
  });

  it('is false where the rest of the page is needed: a certificate, a report, no title', () => {
    expect(titleNamesForm('中华人民共和国国家版权局\n计算机软件著作权登记证书\n')).toBe(false);
    expect(titleNamesForm('用户使用报告\nWE ea\n')).toBe(false);
    expect(titleNamesForm('三、产品相关著作权证明\n')).toBe(false);
    expect(titleNamesForm('企业名称：武汉某某软件产品登记表服务有限公司')).toBe(false);
    expect(titleNamesForm('我公司已取得优秀软件产品登记表，')).toBe(false);
    expect(titleNamesForm('横向项目立项申报表')).toBe(false);
    expect(titleNamesForm('')).toBe(false);
  });
});
