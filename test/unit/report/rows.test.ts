import { emptyOverlay } from '../../../src/domain/staff';
import { ISSUE_CODES } from '../../../src/rules/issue-codes';
import { ISSUE_LABELS_ZH, groupSentByApp, issuePhrase, reportRows } from '../../../src/report';
import { completeDocuments, form, formDoc, product, proof, report, scan } from '../rules/helpers';
import { app, campaign, judged, sent } from './build';

const ON_TIME = '2023-07-10T10:00:00+08:00';

describe('reportRows', () => {
  it('a complete application: company, contact, products with Chinese categories, counts, first arrival', () => {
    const f = form([product('星云数据中台', { releaseDate: '2022-05-01', category: 'ai' }), product('星云 OA', { category: 'industrial' })]);
    const [row] = reportRows(judged(app('SB2023-0001', ON_TIME, completeDocuments(f))), new Map(), campaign);
    expect(row).toMatchObject({
      id: 'SB2023-0001', company: '武汉星云软件有限公司', contactName: '李四', contactPhone: '027-87654321', contactEmail: 'lisi@xingyun.com.cn',
      complete: true, completeZh: '材料齐全', deadline: 'onTime', deadlineZh: '按时', issues: [], waived: [],
      // two products: a certificate and three reports each (cross-checks.md §3)
      userReports: 6, documents: 10, emailsReceived: 1, emails: 0, lastReceiptAt: null, lastReminderAt: null, failedSends: 0, notes: [],
      firstArrivedAt: '2023-07-10T02:00:00.000Z',
    });
    expect(row?.products).toEqual([
      { name: '星云数据中台', category: 'ai', categoryZh: '人工智能类软件', releaseDate: '2022-05-01' },
      { name: '星云 OA', category: 'industrial', categoryZh: '工业软件', releaseDate: '2022-05' },
    ]);
  });

  it('open issues as short phrases beside the full message; late and closed in Chinese', () => {
    const late = app('SB2023-0002', '2023-07-25T10:00:00+08:00', [formDoc('登记表.docx', form()), scan(), proof(), report(1)]);
    const closed = app('SB2023-0003', '2023-08-02T10:00:00+08:00', []);
    const [a, b] = reportRows(judged(late, closed), new Map());
    expect(a?.deadlineZh).toBe('逾期');
    expect(a?.completeZh).toBe('材料不全');
    expect(a?.issues).toEqual([{
      code: 'TOO_FEW_USER_REPORTS', severity: 'error', phrase: '“星云数据中台”用户使用报告不足（1/3）', message: expect.stringContaining('仅收到 1 份'),
      path: 'products[0]', product: '星云数据中台', count: 1,
    }]);
    expect(b?.deadlineZh).toBe('截止后');
    expect(b?.issues.map((i) => i.phrase)).toEqual(['缺登记表', '缺盖章扫描件', '著作权证明不足（0/1）', '用户使用报告不足（0/3）']);
    expect(b?.company).toBeNull();
  });

  it('field issues name the field (and the product) in the phrase', () => {
    const f = form([product('甲', { domain: null })], {}, { postalCode: null });
    const [row] = reportRows(judged(app('SB2023-0004', ON_TIME, completeDocuments(f))), new Map());
    expect(row?.issues.map((i) => i.phrase)).toEqual(['未填：邮政编码', '未填：第 1 个产品的应用领域']);
  });

  it('every issue code has a label and a phrase', () => {
    for (const code of ISSUE_CODES) {
      expect(ISSUE_LABELS_ZH[code]).toMatch(/\p{Script=Han}/u);
      expect(issuePhrase({ code, severity: 'error', message: 'x' })).toMatch(/\p{Script=Han}/u);
    }
  });

  it('reads the application as staff see it: corrected contact, waived issue listed apart with its reason, notes', () => {
    const a = app('SB2023-0005', ON_TIME, [formDoc('登记表.docx', form()), scan(), proof(), report(1), report(2)]);
    a.staff = {
      ...emptyOverlay(),
      corrections: [{ path: 'company.contact.phone', value: '13900000000', by: 'wang', at: '2023-07-11T01:00:00Z', reason: '电话核实' }],
      waivers: [{ code: 'TOO_FEW_USER_REPORTS', by: 'wang', at: '2023-07-11T01:00:00Z', reason: '两份即可' }],
      notes: [{ by: 'wang', at: '2023-07-11T01:00:00Z', text: '已电话联系' }],
    };
    const [row] = reportRows(judged(a), new Map());
    expect(row?.contactPhone).toBe('13900000000');
    expect(row?.complete).toBe(true);
    expect(row?.issues).toEqual([]);
    expect(row?.waived).toEqual([expect.objectContaining({ code: 'TOO_FEW_USER_REPORTS', phrase: '“星云数据中台”用户使用报告不足（2/3）', by: 'wang', reason: '两份即可' })]);
    expect(row?.notes).toEqual(['已电话联系']);
  });

  it('emails sent: last receipt (receipt, late or closed notice), last reminder, failed for good; other apps and the digest apart', () => {
    const t = (iso: string) => Date.parse(iso);
    const records = [
      sent('SB2023-0006:receipt:aaa', 'receipt', { sentAt: t('2023-07-10T02:00:05Z') }),
      sent('SB2023-0006:receipt:bbb', 'lateNotice', { sentAt: t('2023-07-22T02:00:05Z') }),
      sent('SB2023-0006:reminder:2023-07-20-3d', 'reminder', { sentAt: t('2023-07-17T01:00:00Z') }),
      sent('SB2023-0006:followUp:2023-07-12', 'followUp', { state: 'failed', sentAt: null, lastError: '550 no such user' }),
      sent('SB2023-0006:followUp:2023-07-13', 'followUp', { state: 'retrying', sentAt: null }),
      sent('SB2023-0007:receipt:ccc', 'receipt'),
      sent('staff:digest:2023-07-10', 'digest'),
    ];
    const byApp = groupSentByApp(records);
    expect([...byApp.keys()]).toEqual(['SB2023-0006', 'SB2023-0007']);
    const [row] = reportRows(judged(app('SB2023-0006', ON_TIME, completeDocuments())), byApp);
    expect(row).toMatchObject({ emails: 3, failedSends: 1, lastReceiptAt: '2023-07-22T02:00:05.000Z', lastReminderAt: '2023-07-17T01:00:00.000Z' });
    expect(row?.sent).toHaveLength(5);
  });

  it('strips control and bidi characters from applicant strings', () => {
    const f = form([product('产品\u202Egnp.exe')], {}, { name: '武汉\u0007星云\u200F软件\u0085有限公司', contact: { name: '李\u0000四', phone: '027\r\n1', email: null, position: null } });
    const [row] = reportRows(judged(app('SB2023-0008', ON_TIME, completeDocuments(f))), new Map());
    // U+0085 (NEL) is a line break: the intake's cleaning (src/domain/sanitize.ts) keeps words apart with a space.
    expect(row?.company).toBe('武汉星云软件 有限公司');
    expect(row?.contactName).toBe('李四');
    expect(row?.contactPhone).toBe('027\n1');
    expect(row?.products[0]?.name).toBe('产品gnp.exe');
  });

  it('merged applications are left out (judgeAll)', () => {
    const a = app('SB2023-0009', ON_TIME, completeDocuments());
    const b = { ...app('SB2023-0010', ON_TIME, []), mergedInto: 'SB2023-0009' };
    expect(reportRows(judged(a, b), new Map()).map((r) => r.id)).toEqual(['SB2023-0009']);
  });
});

describe('reportRows: warnings and products (cross-checks.md §2–§4)', () => {
  it('a warning keeps the row complete, carries its severity and what the certificate says; documents name their product', () => {
    const f = form([product('星云数据中台')]);
    const certificate = {
      certificateNumber: null, registrationNumber: null, softwareName: '星云数据中台', shortName: null, version: null,
      owner: '武汉别家软件有限公司', completedOn: null, firstPublishedOn: null, registeredOn: null,
    };
    const cert = { ...proof(), certificate };
    const [row] = reportRows(judged(app('SB2023-0009', ON_TIME, [formDoc('登记表.docx', f), scan(), cert, report(1), report(2), report(3)])), new Map());
    expect(row?.complete).toBe(true);
    expect(row?.issues).toEqual([expect.objectContaining({
      code: 'COPYRIGHT_OWNER_MISMATCH', severity: 'warning', found: '武汉别家软件有限公司', phrase: '著作权人不一致：武汉别家软件有限公司',
    })]);
    expect(row?.documentList.map((d) => [d.kind, d.product])).toEqual([
      ['registrationForm', undefined], ['registrationForm', undefined],
      ['copyrightProof', '星云数据中台'], ['userReport', '星云数据中台'], ['userReport', '星云数据中台'], ['userReport', '星云数据中台'],
    ]);
  });
});
