import { loadCampaign } from '../../../src/config/campaign';
import type { DocumentRecord } from '../../../src/domain/document';
import type { RegistrationForm } from '../../../src/domain/form';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { completeDocuments, doc, email, form, formDoc, product, proof, report, scan } from './helpers';

const campaign = loadCampaign();
const ON_TIME = '2023-07-10T10:00:00+08:00';

function verdictOf(documents: DocumentRecord[], links: { url: string; kind: string }[] = []) {
  const app = foldEmail(newApplication('SB2023-0001', new Date(ON_TIME)), email(ON_TIME, documents, { links }), campaign);
  return judge(app, campaign);
}
const codes = (documents: DocumentRecord[]) => verdictOf(documents).issues.map((i) => i.code);
const withForm = (f: RegistrationForm) => verdictOf(completeDocuments(f)).issues;

describe('documents', () => {
  it('a complete application has no issues', () => {
    const v = verdictOf(completeDocuments());
    expect(v).toEqual({ issues: [], waived: [], complete: true, deadline: { status: 'onTime' } });
  });

  it('nothing at all: the form, its stamped scan, the proof and the reports are missing', () => {
    const v = verdictOf([]);
    expect(v.issues.map((i) => i.code)).toEqual(['MISSING_FORM', 'MISSING_STAMPED_SCAN', 'MISSING_COPYRIGHT_PROOF', 'TOO_FEW_USER_REPORTS']);
    expect(v.complete).toBe(false);
    expect(v.issues[3]).toMatchObject({ count: 0, required: 3 });
    expect(v.issues[0]?.message).toContain('登记表');
  });

  it('an SCO case form alone is not the registration form', () => {
    expect(codes([doc('上合案例登记表.docx', 'scoCaseForm'), scan(), proof(), report(1), report(2), report(3)])).toEqual(['MISSING_EDITABLE_FORM']);
    expect(codes([doc('上合案例登记表.docx', 'scoCaseForm'), proof(), report(1), report(2), report(3)])).toEqual(['MISSING_FORM', 'MISSING_STAMPED_SCAN']);
  });

  it('a form only as a scan needs the editable version; only the editable one needs the stamped scan', () => {
    const [editable, scanned, ...rest] = completeDocuments();
    expect(codes([scanned!, ...rest])).toEqual(['MISSING_EDITABLE_FORM']);
    expect(codes([editable!, ...rest])).toEqual(['MISSING_STAMPED_SCAN']);
  });

  it('counts user reports and says how many', () => {
    const v = verdictOf([...completeDocuments().slice(0, 3), report(1), report(2)]);
    expect(v.issues).toEqual([
      {
        code: 'TOO_FEW_USER_REPORTS', severity: 'error', message: '用户使用报告仅收到 2 份，需至少 3 份（加盖用户单位公章或使用人签字）',
        path: 'products[0]', product: '星云数据中台', count: 2, required: 3,
      },
    ]);
  });

  it('an unreadable attachment is named with its reason and counts for nothing', () => {
    const broken = doc('用户使用报告3.pdf', 'userReport', {
      error: { code: 'ENCRYPTED', message: 'encrypted', messageZh: '文件有密码保护' },
    }, 'broken');
    const v = verdictOf([...completeDocuments().slice(0, 5), broken]);
    expect(v.issues.map((i) => i.code)).toEqual(['TOO_FEW_USER_REPORTS', 'UNREADABLE_ATTACHMENT']);
    expect(v.issues[1]).toMatchObject({ file: '用户使用报告3.pdf', reason: '文件有密码保护' });
    expect(v.issues[1]?.message).toBe('附件“用户使用报告3.pdf”无法读取（文件有密码保护），请重新发送');
  });

  it('a download link is not an attachment', () => {
    const v = verdictOf([], [{ url: 'https://pan.baidu.com/s/1abc', kind: 'baidu-pan' }]);
    expect(v.issues.filter((i) => i.code === 'LINK_NOT_ATTACHMENT')).toEqual([
      expect.objectContaining({ url: 'https://pan.baidu.com/s/1abc', message: '邮件中的百度网盘下载链接无法作为申报材料接收，请将其中的文件直接作为邮件附件发送' }),
    ]);
  });
});

describe('form fields', () => {
  it('a blank field is missing, with its path and a Chinese label', () => {
    const issues = withForm(form(undefined, undefined, { postalCode: null }));
    expect(issues).toEqual([
      { code: 'MISSING_FIELD', severity: 'error', message: '登记表中“邮政编码”未填写', path: 'company.postalCode', file: '优秀软件产品登记表.docx' },
    ]);
  });

  it('"无" is an answer, except for the name, the contact and the product name and date', () => {
    const none = form([product('星云数据中台', { domain: '无', revenueSharePercent: '无', categoryText: '无', category: null })], { caseSummary: '无' },
      { website: '无', postalCode: '无', legalRepresentative: '无', address: '无' });
    expect(withForm(none)).toEqual([]);
    const issues = withForm(form([product('无', { releaseDate: null, releaseDateText: '无' })], undefined, { contact: { name: '无', phone: '13800138000', email: 'a@b.cn', position: null } }));
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['MISSING_FIELD', 'company.contact.name'],
      ['MISSING_FIELD', 'company.contact.position'],
      ['MISSING_FIELD', 'products[0].name'],
      ['MISSING_FIELD', 'products[0].releaseDate'],
    ]);
    expect(issues[0]?.message).toBe('登记表中“项目联系人”不能填“无”，请填写实际内容');
    expect(issues[3]?.message).toBe('登记表中第 1 个产品的“发布时间”不能填“无”，请填写实际内容');
  });

  it('main business must tick a box', () => {
    expect(withForm(form(undefined, undefined, { mainBusiness: [] }))).toEqual([
      expect.objectContaining({ code: 'MISSING_FIELD', path: 'company.mainBusiness', message: '登记表中“主营业务”未勾选任何一项' }),
    ]);
  });

  it('malformed values are INVALID_FIELD with a reason', () => {
    const f = form([product('星云数据中台', { marketSharePercent: 120, category: null, categoryText: '云计算', releaseDate: null, releaseDateText: '去年' })], undefined, {
      postalCode: '4300', website: '星云官网', contact: { name: '李四', phone: '8765432', email: 'lisi@', position: '经理' },
    });
    const issues = withForm(f);
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['INVALID_FIELD', 'company.website'],
      ['INVALID_FIELD', 'company.postalCode'],
      ['INVALID_FIELD', 'company.contact.phone'],
      ['INVALID_FIELD', 'company.contact.email'],
      ['INVALID_FIELD', 'products[0].releaseDate'],
      ['INVALID_FIELD', 'products[0].category'],
      ['INVALID_FIELD', 'products[0].marketSharePercent'],
    ]);
    expect(issues.every((i) => typeof i.reason === 'string' && i.reason.length > 0)).toBe(true);
    expect(issues[1]?.message).toBe('登记表中“邮政编码”填写有误（“4300”）：邮政编码应为 6 位数字');
    expect(issues[6]?.message).toContain('产品“星云数据中台”的“市场占有率（%）”');
  });

  it('a form with no product', () => {
    expect(withForm(form([])).map((i) => i.code)).toEqual(['NO_PRODUCT']);
  });

  it('a release date outside 2022-01-01 … 2023-12-31', () => {
    const issues = withForm(form([product('甲', { releaseDate: '2021-03' }), product('乙', { releaseDate: '2022' }), product('丙', { releaseDate: '2024-01-01' })]));
    expect(issues).toEqual([
      { code: 'RELEASE_OUT_OF_WINDOW', severity: 'error', message: '产品“甲”的发布时间 2021-03 不在 2022-01-01 至 2023-12-31 之间', path: 'products[0].releaseDate', file: '优秀软件产品登记表.docx' },
      expect.objectContaining({ code: 'RELEASE_OUT_OF_WINDOW', path: 'products[2].releaseDate' }),
    ]);
  });

  it('a summary over 500 characters, whitespace not counted', () => {
    const long = '创'.repeat(501);
    const spaced = `${'创'.repeat(250)} \n ${'新'.repeat(250)}`;
    const issues = withForm(form(undefined, { productSummary: long, caseSummary: spaced }));
    expect(issues).toEqual([
      { code: 'TEXT_TOO_LONG', severity: 'error', message: '登记表中“软件产品简述”共 501 字，超过 500 字的限制（不计空格）', path: 'productSummary', file: '优秀软件产品登记表.docx', length: 501, limit: 500 },
    ]);
  });

  it('issues come in a stable order: documents first by code, then fields', () => {
    const f = form([], { caseSummary: null }, { postalCode: null });
    const v = verdictOf([formDoc('登记表.docx', f), report(1)]);
    expect(v.issues.map((i) => i.code)).toEqual(['MISSING_STAMPED_SCAN', 'MISSING_COPYRIGHT_PROOF', 'TOO_FEW_USER_REPORTS', 'MISSING_FIELD', 'MISSING_FIELD', 'NO_PRODUCT']);
    expect(v.issues.filter((i) => i.code === 'MISSING_FIELD').map((i) => i.path)).toEqual(['company.postalCode', 'caseSummary']);
  });
});
