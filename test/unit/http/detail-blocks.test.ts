/** The detail page's audit sentences and its "what was received" block, over the real rules. */
import { loadCampaign } from '../../../src/config/campaign';
import type { AuditAction, AuditEntry } from '../../../src/domain/staff';
import { auditLine } from '../../../src/http/audit-text';
import { receivedSummary } from '../../../src/http/received';
import { attribute } from '../../../src/rules/attribution';
import { foldEmail, newApplication } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { asStaffSee } from '../../../src/rules/staff-overlay';
import { doc, email, form, formDoc, product, productDocuments, proof, report, scan } from '../rules/helpers';

const campaign = loadCampaign();
const TZ = 'Asia/Shanghai';

const entry = (action: AuditAction, detail: Record<string, unknown>, reason = ''): AuditEntry => ({
  at: '2023-07-18T02:05:00.000Z', by: 'staff', action, applicationId: 'SB2023-0001', reason, detail,
});

describe('audit sentences', () => {
  it('say each action in Chinese, with who, when (Beijing) and why; the JSON stays beside', () => {
    const waive = auditLine(entry('waive', { code: 'TOO_FEW_USER_REPORTS', issues: ['…'], completeBefore: false, completeAfter: true, planned: ['SB2023-0001:completeNotice'] }, '2 份即可'), TZ);
    expect(waive.at).toBe('2023-07-18 10:05');
    expect(waive.by).toBe('staff');
    expect(waive.action).toBe('豁免问题');
    expect(waive.sentence).toBe('豁免“用户使用报告不足”；理由：2 份即可；申报变为材料齐全，将发送 1 封邮件。');
    expect(JSON.parse(waive.json)).toMatchObject({ code: 'TOO_FEW_USER_REPORTS' });

    const cases: [AuditEntry, string][] = [
      [entry('correct', { path: 'company.contact.email', from: 'a@x.cn', to: 'b@x.cn' }, '电话核实'), '更正“邮箱”：a@x.cn → b@x.cn；理由：电话核实。'],
      [entry('correct', { path: 'products[1].releaseDate', from: null, to: '2023-01-01' }, '补填'), '更正“产品 2 的发布时间”：（空） → 2023-01-01；理由：补填。'],
      [entry('merge', { source: 'SB2023-0002', sourceCompany: null, emails: 1, documents: 2 }, '同一企业'), '合并 SB2023-0002 到本申报，带来 1 封邮件、2 份文件；理由：同一企业。'],
      [entry('merged-into', { target: 'SB2023-0001', targetCompany: '武汉云帆' }, '同一企业'), '本申报并入 SB2023-0001（武汉云帆）；理由：同一企业。'],
      [entry('move-email-out', { to: 'SB2023-0009', email: { subject: '补充材料', from: 'a@qq.com', arrivedAt: '2023-07-14T01:45:00Z' } }, '发错'),
        '移出邮件 “补充材料”（来自 a@qq.com，2023-07-14 09:45 到达）到 SB2023-0009；理由：发错。'],
      [entry('set-kind', { file: '证书.pdf', from: 'userReport', to: 'copyrightProof' }, '是证书'), '将文件 “证书.pdf” 的类型由“用户使用报告”改为“著作权证明”；理由：是证书。'],
      [entry('resend', { subject: '回执', to: 'a@x.cn' }, '对方没收到'), '重新发送 “回执”给 a@x.cn；理由：对方没收到。'],
      [entry('suppress', { subject: '提醒', to: 'a@x.cn', kind: 'reminder' }, '已电话通知'), '取消发送截止提醒 “提醒”（收件人 a@x.cn）；理由：已电话通知。'],
      [entry('send-status', { to: 'a@x.cn', complete: false, issues: ['TOO_FEW_USER_REPORTS'] }), '发送状态邮件给 a@x.cn（当时材料不全，1 项待补）。'],
      [entry('note', { text: '已电话联系' }, '已电话联系'), '添加备注：已电话联系。'],
      [entry('unwaive', { code: 'MISSING_STAMPED_SCAN', waivedReason: '先收' }, '仍需盖章件'), '撤销对“缺盖章扫描件”的豁免（原豁免理由：先收）；理由：仍需盖章件。'],
    ];
    for (const [e, sentence] of cases) expect(auditLine(e, TZ).sentence).toBe(sentence);
  });

  it('never fail on an entry whose detail is missing or odd', () => {
    expect(auditLine(entry('merge', {}), TZ).sentence).toBe('合并 另一份申报 到本申报。');
    expect(auditLine(entry('correct', { path: 42, from: { x: 1 } }), TZ).sentence).toBe('更正“字段”：（空） → （空）。');
    expect(auditLine({ ...entry('waive', {}), action: 'future-action' as AuditAction }, TZ).sentence).toBe('future-action。');
  });
});

describe('what was received', () => {
  const oneProduct = (docs: ReturnType<typeof doc>[]) => {
    const app = foldEmail(newApplication('SB2023-0001', new Date('2023-07-10T02:00:00Z')), email('2023-07-10T10:00:00+08:00', docs), campaign);
    const seen = asStaffSee(app);
    return receivedSummary(seen.documents, judge(app, campaign), campaign.requiredDocuments, attribute(seen));
  };

  it('counts each required kind and says what is owed, agreeing with the verdict', () => {
    const r = oneProduct([formDoc('登记表.docx', form()), scan(), proof(), report(1), doc('坏.pdf', 'userReport', { error: { code: 'UNREADABLE', message: 'x', messageZh: '无法读取' } as never })]);
    expect(r.items.map((i) => [i.label, i.count, i.state, i.note])).toEqual([
      ['登记表（电子版）', '✓', 'ok', '已收到'],
      ['盖章扫描件', '✓', 'ok', '已收到'],
      ['著作权证明', '1/1', 'ok', '已够'],
      ['用户使用报告', '1/3', 'missing', '还缺 2 份'],
    ]);
    expect(r.unreadable).toBe(1);
  });

  it('says the form came only as a scan', () => {
    const r = oneProduct([scan(), proof()]);
    expect(r.items[0]).toMatchObject({ count: '✗', state: 'missing', note: '只收到扫描件' });
    expect(r.items[1]).toMatchObject({ count: '✓', state: 'ok' });
  });

  it('counts per product when the form lists several', () => {
    const f = form([product('甲系统'), product('乙平台')]);
    const docs = [formDoc('登记表.docx', f), scan(), ...productDocuments(['甲系统']), doc('软件著作权登记证书-乙平台.pdf', 'copyrightProof')];
    const r = oneProduct(docs);
    const reports = r.items.find((i) => i.label === '用户使用报告');
    expect(reports).toMatchObject({ count: '3/6', state: 'missing' });
    expect(reports?.note).toBe('产品 1“甲系统” 3/3，产品 2“乙平台” 0/3');
    expect(r.items.find((i) => i.label === '著作权证明')).toMatchObject({ count: '2/2', state: 'ok' });
  });
});
