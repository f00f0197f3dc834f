import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import { companyKeyOf, foldEmail, foldInArrivalOrder, newApplication, type FoldInput } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { doc, email, form, formDoc, product, productDocuments, proof, report, scan } from './helpers';

const campaign = loadCampaign();
const fold = (inputs: FoldInput[]): Application => inputs.reduce((app, e) => foldEmail(app, e, campaign), newApplication('SB2023-0007', new Date('2023-07-01T00:00:00Z')));
const codes = (app: Application) => judge(app, campaign).issues.map((i) => i.code);

describe('foldEmail', () => {
  it('documents add up over emails: form first, reports in two later emails', () => {
    const e1 = email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), scan(), proof()]);
    const e2 = email('2023-07-11T09:00:00+08:00', [report(1)]);
    const e3 = email('2023-07-12T09:00:00+08:00', [report(2), report(3)]);
    const after1 = fold([e1]);
    expect(judge(after1, campaign).issues).toEqual([expect.objectContaining({ code: 'TOO_FEW_USER_REPORTS', count: 0 })]);
    const after2 = foldEmail(after1, e2, campaign);
    expect(judge(after2, campaign).issues).toEqual([expect.objectContaining({ code: 'TOO_FEW_USER_REPORTS', count: 1 })]);
    const after3 = foldEmail(after2, e3, campaign);
    expect(judge(after3, campaign).complete).toBe(true);
    expect(after3.documents).toHaveLength(6);
    expect(after3.emails.map((e) => e.documents.length)).toEqual([3, 1, 2]);
    expect(after3.companyName).toBe('武汉星云软件有限公司');
    expect(after3.companyKey).toBe('武汉星云软件有限公司');
    expect(after3.addresses).toEqual(['lisi@xingyun.com.cn']);
    // pure: the earlier application is untouched
    expect(after1.documents).toHaveLength(3);
    expect(after1.emails).toHaveLength(1);
  });

  it('a resent identical file counts once', () => {
    const app = fold([
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), scan(), proof(), report(1), report(2)]),
      email('2023-07-11T09:00:00+08:00', [report(2), doc('报告2-副本.pdf', 'userReport', {}, '用户使用报告2.pdf')]),
    ]);
    expect(app.documents).toHaveLength(5);
    expect(app.emails[1]?.documents).toHaveLength(1);
    expect(judge(app, campaign).issues).toEqual([expect.objectContaining({ code: 'TOO_FEW_USER_REPORTS', count: 2 })]);
  });

  it('a corrected form supersedes the earlier one (same product), and its company part wins', () => {
    const wrong = form([product('星云数据中台', { releaseDate: '2021-03' })], undefined, { postalCode: null });
    const fixed = form([product(' 《星云数据中台》 ')], undefined, { name: '武汉星云软件有限公司（盖章）', contact: { name: '赵六', phone: '15002788895', email: 'ZhaoLiu@XingYun.com.cn', position: '总监' } });
    const app = fold([
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', wrong), scan(), proof(), report(1), report(2), report(3)]),
      email('2023-07-12T09:00:00+08:00', [formDoc('登记表-修改版.docx', fixed)]),
    ]);
    expect(app.forms.map((f) => [f.file, f.supersededBy])).toEqual([
      ['登记表.docx', app.forms[1]?.sha256],
      ['登记表-修改版.docx', null],
    ]);
    expect(codes(app)).toEqual([]);
    expect(app.companyName).toBe('武汉星云软件有限公司（盖章）');
    expect(app.companyKey).toBe('武汉星云软件有限公司');
    expect(app.addresses).toEqual(['lisi@xingyun.com.cn', 'zhaoliu@xingyun.com.cn']);
  });

  it('a second product form stands beside the first; four products over two forms are too many', () => {
    const two = fold([
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表-甲乙.docx', form([product('甲'), product('乙')])), scan(), ...productDocuments(['甲', '乙'])]),
      email('2023-07-11T09:00:00+08:00', [formDoc('登记表-丙.docx', form([product('丙')])), ...productDocuments(['丙'])]),
    ]);
    expect(two.forms.map((f) => f.supersededBy)).toEqual([null, null]);
    expect(codes(two)).toEqual([]);
    const four = foldEmail(two, email('2023-07-12T09:00:00+08:00', [formDoc('登记表-丁.docx', form([product('丁'), product('乙')])), ...productDocuments(['丁'])]), campaign);
    // 丁+乙 supersedes 甲+乙 (they share 乙): 丙, 丁, 乙 stand — three; 甲's documents now name no product
    expect(codes(four)).toEqual(['DOCUMENT_PRODUCT_UNKNOWN', 'DOCUMENT_PRODUCT_UNKNOWN', 'DOCUMENT_PRODUCT_UNKNOWN', 'DOCUMENT_PRODUCT_UNKNOWN']);
    expect(judge(four, campaign).complete).toBe(true);
    const many = fold([
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表-甲乙.docx', form([product('甲'), product('乙')])), scan(), ...productDocuments(['甲', '乙'])]),
      email('2023-07-11T09:00:00+08:00', [formDoc('登记表-丙丁.docx', form([product('丙'), product('丁')])), ...productDocuments(['丙', '丁'])]),
    ]);
    expect(judge(many, campaign).issues).toEqual([
      { code: 'TOO_MANY_PRODUCTS', severity: 'error', message: '本企业共申报 4 个产品（甲、乙、丙、丁），每家企业不得超过 3 个，请告知保留哪几个', count: 4, limit: 3 },
    ]);
  });

  it('per-form judgements name the form when several stand', () => {
    const app = fold([
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表-甲.docx', form([product('甲')], { productSummary: null })), scan(), ...productDocuments(['甲'])]),
      email('2023-07-11T09:00:00+08:00', [formDoc('登记表-乙.docx', form([product('乙')])), ...productDocuments(['乙'])]),
    ]);
    expect(judge(app, campaign).issues).toEqual([
      { code: 'MISSING_FIELD', severity: 'error', message: '登记表“登记表-甲.docx”中“软件产品简述”未填写', path: 'productSummary', file: '登记表-甲.docx' },
    ]);
  });

  it('the application keeps its first email\'s deadline status; each email keeps its own', () => {
    const app = fold([
      email('2023-07-20T23:59:59+08:00', [formDoc('登记表.docx', form())]),
      email('2023-07-21T00:00:01+08:00', [report(1)]),
      email('2023-08-01T08:00:00+08:00', [report(2)]),
    ]);
    expect(app.deadline).toBe('onTime');
    expect(app.emails.map((e) => e.deadline)).toEqual(['onTime', 'late', 'closed']);
    expect(judge(app, campaign).deadline).toEqual({ status: 'onTime' });
    expect(fold([email('2023-07-25T10:00:00+08:00', [])]).deadline).toBe('late');
  });

  it('a link stands until a later email carries files; a broken file until it is resent under its name', () => {
    const broken = doc('软件著作权登记证书.pdf', 'copyrightProof', { error: { code: 'UNREADABLE', message: 'bad xref', messageZh: '文件已损坏' } }, 'corrupt');
    const first = fold([email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), scan(), broken, report(1), report(2)], {
      links: [{ url: 'https://wx.mail.qq.com/ftn/download?func=3&k=abc', kind: 'qq-large-attachment' }],
    })]);
    expect(codes(first)).toEqual(['MISSING_COPYRIGHT_PROOF', 'TOO_FEW_USER_REPORTS', 'UNREADABLE_ATTACHMENT', 'LINK_NOT_ATTACHMENT']);
    const second = foldEmail(first, email('2023-07-11T09:00:00+08:00', [proof(), report(3)]), campaign);
    expect(codes(second)).toEqual([]);
    expect(judge(second, campaign).complete).toBe(true);
  });

  it('a first form without products is replaced by the next form', () => {
    const app = fold([
      email('2023-07-10T09:00:00+08:00', [formDoc('空白.docx', form([]))]),
      email('2023-07-11T09:00:00+08:00', [formDoc('登记表.docx', form())]),
    ]);
    expect(app.forms.map((f) => f.supersededBy === null)).toEqual([false, true]);
    expect(codes(app)).not.toContain('NO_PRODUCT');
  });
});

describe('companyKeyOf', () => {
  it('normalises the company name of the last form in the batch, else null', () => {
    expect(companyKeyOf([proof(), formDoc('a.docx', form(undefined, undefined, { name: '武汉 星云软件有限公司（盖章）' }))])).toBe('武汉星云软件有限公司');
    expect(companyKeyOf([proof(), scan()])).toBeNull();
    expect(companyKeyOf([formDoc('a.docx', form(undefined, undefined, { name: null }))])).toBeNull();
  });
});

describe('foldInArrivalOrder', () => {
  const start = () => newApplication('SB2023-0008', new Date('2023-07-01T00:00:00Z'));
  const wrong = form([product('星云数据中台', { releaseDate: '2021-03' })]);
  const fixed = form([product('星云数据中台')]);
  const first = email('2023-07-20T23:00:00+08:00', [formDoc('登记表.docx', wrong), scan(), proof()]);
  const second = email('2023-07-21T09:00:00+08:00', [formDoc('登记表-修改版.docx', fixed), report(1), report(2), report(3)]);

  it('gives the same application whatever order the emails were processed in', () => {
    const inOrder = [first, second].reduce((app, e) => foldInArrivalOrder(app, e, campaign), start());
    const reversed = [second, first].reduce((app, e) => foldInArrivalOrder(app, e, campaign), start());
    const shape = (a: Application) => ({ emails: a.emails.map((e) => e.messageId), forms: a.forms.map((f) => [f.file, f.supersededBy]), deadline: a.deadline, documents: a.documents.length });
    expect(shape(reversed)).toEqual(shape(inOrder));
    // The first email decides the status (on time), and the later form is the standing one.
    expect(reversed.deadline).toBe('onTime');
    expect(codes(reversed)).toEqual([]);
  });

  it('folds an email that arrived last exactly as foldEmail does', () => {
    const once = foldInArrivalOrder(start(), first, campaign);
    expect(foldInArrivalOrder(once, second, campaign)).toEqual(foldEmail(once, second, campaign));
  });
});
