import { loadCampaign } from '../../../src/config/campaign';
import type { Certificate, DocumentRecord } from '../../../src/domain/document';
import { attribute, productKey, productOfDocuments } from '../../../src/rules/attribution';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { doc, email, form, formDoc, product, scan } from './helpers';

const campaign = loadCampaign();
const AT = '2023-07-10T10:00:00+08:00';
const A = '云帆智能审批平台V3.0';
const B = '云帆数据中台V2.1';

function certificate(over: Partial<Certificate>): Certificate {
  return {
    certificateNumber: '软著登字第10234567号', registrationNumber: '2022SR0612345', softwareName: A, shortName: null, version: 'V3.0',
    owner: '武汉星云软件有限公司', completedOn: '2022-03-01', firstPublishedOn: '2022-05-10', registeredOn: '2022-06-20', ...over,
  };
}
const cert = (file: string, over: Partial<Certificate> = {}) => doc(file, 'copyrightProof', { certificate: certificate(over) });
const reportOf = (file: string, excerpt: string) => doc(file, 'userReport', { excerpt }, `${file}|${excerpt}`);
const reportsFor = (name: string, tag: string) =>
  [1, 2, 3].map((i) => reportOf(`用户使用报告${tag}${i}.pdf`, `用户使用报告\n用户单位：某单位${i}\n软件名称：${name}\n我单位使用${name}以来运行稳定。`));

const twoProducts = form([product(A, { releaseDate: '2022-05-10' }), product(B, { releaseDate: '2023-05' })]);

function appOf(documents: DocumentRecord[], f = twoProducts) {
  return foldEmail(newApplication('SB2023-0100', new Date(AT)), email(AT, [formDoc('登记表.docx', f), scan(), ...documents]), campaign);
}

describe('productKey (cross-checks.md §2 normalisation)', () => {
  it.each([
    ['云帆智能审批平台V3.0', '云帆智能审批'],
    ['云帆智能审批平台 v3', '云帆智能审批'],
    ['云帆智能审批平台3.0版', '云帆智能审批'],
    ['ＹＵＮ　智能审批系统软件Ｖ１．０', 'yun智能审批'],
    ['《云帆智能审批平台》（简称：云帆审批）V3.0', '云帆智能审批'],
    ['平台', '平台'],
  ])('%s → %s', (name, key) => expect(productKey(name)).toBe(key));
});

describe('attribution', () => {
  it('a certificate by its software name or short name; a report by its text; else by file name', () => {
    const app = appOf([
      cert('证书1.pdf', { softwareName: '云帆智能审批平台软件 V3.0' }),
      cert('证书2.pdf', { softwareName: '数据治理套件', shortName: '云帆数据中台' }),
      reportOf('报告甲.pdf', `用户使用报告\n我单位使用${A}。`),
      doc('云帆数据中台-使用报告.pdf', 'userReport'),
    ]);
    const names = productOfDocuments(app);
    expect([...app.documents].filter((d) => names.has(d.sha256)).map((d) => [d.file, names.get(d.sha256)])).toEqual([
      ['证书1.pdf', A], ['证书2.pdf', B], ['报告甲.pdf', A], ['云帆数据中台-使用报告.pdf', B],
    ]);
  });

  it('a report naming both products goes to the one its title names; else the one named most; a tie is unattributed', () => {
    const title = reportOf('r1.pdf', `${B}用户使用报告\n该产品与${A}、${A}配合使用。`);
    const most = reportOf('r2.pdf', `用户使用报告\n我单位使用${A}，并与${B}对接。${A}运行稳定。`);
    const tie = reportOf('r3.pdf', `用户使用报告\n我单位使用${A}与${B}。`);
    const { bySha, products } = attribute(appOf([title, most, tie]));
    expect(products.map((p) => [p.index, p.name])).toEqual([[0, A], [1, B]]);
    expect([bySha.get(title.sha256), bySha.get(most.sha256), bySha.get(tie.sha256)]).toEqual([1, 0, null]);
  });

  it('a longer product name is not counted as a mention of a shorter one it contains', () => {
    const f = form([product('云帆审批平台V1.0'), product('云帆审批移动端V1.0')]);
    const r = reportOf('r.pdf', '用户使用报告\n我单位使用云帆审批移动端V1.0，云帆审批移动端表现良好。');
    expect(attribute(appOf([r], f)).bySha.get(r.sha256)).toBe(1);
  });

  it('one product takes every certificate and report, whatever they name', () => {
    const f = form([product(A)]);
    const r = reportOf('r.pdf', '用户使用报告\n另一个软件');
    expect(attribute(appOf([r, cert('c.pdf', { softwareName: '别的软件' })], f)).bySha.get(r.sha256)).toBe(0);
  });
});

describe('per-product rules (cross-checks.md §3) and warnings (§4)', () => {
  it('two products, each with its certificate and three reports naming it: complete, no issue', () => {
    const v = judge(appOf([cert('证书-审批.pdf'), cert('证书-中台.pdf', { softwareName: B, firstPublishedOn: '2023-05-20' }), ...reportsFor(A, 'a'), ...reportsFor(B, 'b')]), campaign);
    expect(v).toMatchObject({ issues: [], complete: true });
  });

  it('counts per product: path, product, count, required; an unattributed report counts for none and is a warning', () => {
    const v = judge(appOf([cert('证书-审批.pdf'), ...reportsFor(A, 'a'), ...reportsFor(B, 'b').slice(0, 2), reportOf('报告.pdf', '用户使用报告\n运行稳定。')]), campaign);
    expect(v.complete).toBe(false);
    expect(v.issues.map(({ message: _m, ...rest }) => rest)).toEqual([
      { code: 'MISSING_COPYRIGHT_PROOF', severity: 'error', path: 'products[1]', product: B, count: 0, required: 1 },
      { code: 'TOO_FEW_USER_REPORTS', severity: 'error', path: 'products[1]', product: B, count: 2, required: 3 },
      { code: 'DOCUMENT_PRODUCT_UNKNOWN', severity: 'warning', file: '报告.pdf' },
    ]);
    expect(v.issues[0]?.message).toBe(`未收到产品“${B}”的软件著作权登记证书或其他知识产权证明`);
    expect(v.issues[1]?.message).toBe(`产品“${B}”的用户使用报告仅收到 2 份，需至少 3 份（加盖用户单位公章或使用人签字）`);
  });

  it('warnings alone leave the application complete: name, owner and first-published date differ from the form', () => {
    const f = form([product(A, { releaseDate: '2022-05' })]);
    const other = cert('软件著作权登记证书.pdf', { softwareName: '云帆政务审批系统V3.0', owner: '武汉云帆科技有限公司', firstPublishedOn: '2022-03-10' });
    const v = judge(appOf([other, ...reportsFor(A, 'a')], f), campaign);
    expect(v.complete).toBe(true);
    expect(v.issues.map(({ message: _m, ...rest }) => rest)).toEqual([
      { code: 'COPYRIGHT_NAME_MISMATCH', severity: 'warning', file: '软件著作权登记证书.pdf', product: A, found: '云帆政务审批系统V3.0' },
      { code: 'COPYRIGHT_OWNER_MISMATCH', severity: 'warning', file: '软件著作权登记证书.pdf', found: '武汉云帆科技有限公司' },
      { code: 'RELEASE_DATE_MISMATCH', severity: 'warning', path: 'products[0].releaseDate', product: A, file: '软件著作权登记证书.pdf', found: '2022-03-10' },
    ]);
  });

  it('the release date is compared at the form\'s precision; 未发表 and co-owners give no warning', () => {
    const f = form([product(A, { releaseDate: '2022-05' })]);
    const same = cert('c1.pdf', { firstPublishedOn: '2022-05-10', owner: '武汉某某大学、武汉星云软件有限公司' });
    expect(judge(appOf([same, ...reportsFor(A, 'a')], f), campaign).issues).toEqual([]);
    const unpublished = cert('c2.pdf', { firstPublishedOn: null });
    expect(judge(appOf([unpublished, ...reportsFor(A, 'a')], f), campaign).issues).toEqual([]);
  });

  it('no form yet: the application-wide counts of rules.md', () => {
    const app = foldEmail(newApplication('SB2023-0101', new Date(AT)), email(AT, [cert('c.pdf'), ...reportsFor(A, 'a').slice(0, 1)]), campaign);
    const v = judge(app, campaign);
    expect(v.issues.filter((i) => i.code === 'TOO_FEW_USER_REPORTS')).toEqual([expect.objectContaining({ count: 1, required: 3 })]);
    expect(v.issues.find((i) => i.code === 'TOO_FEW_USER_REPORTS')?.path).toBeUndefined();
  });

  it('a staff waiver of a warning sets it aside like any issue', () => {
    const f = form([product(A)]);
    const stored = { ...appOf([cert('c.pdf', { owner: '别家公司' }), ...reportsFor(A, 'a')], f) };
    stored.staff = { waivers: [{ code: 'COPYRIGHT_OWNER_MISMATCH', by: 'staff', at: AT, reason: '受让取得' }], corrections: [], kinds: [], notes: [] };
    const v = judge(stored, campaign);
    expect(v.issues).toEqual([]);
    expect(v.waived.map((i) => i.code)).toEqual(['COPYRIGHT_OWNER_MISMATCH']);
  });
});
