import { loadCampaign } from '../../../src/config/campaign';
import type { Application } from '../../../src/domain/application';
import { emptyOverlay } from '../../../src/domain/staff';
import { foldEmail, newApplication, type FoldInput } from '../../../src/rules/fold';
import { judge } from '../../../src/rules/judge';
import { mergeApplications, removeEmail } from '../../../src/rules/merge';
import { doc, email, form, formDoc, product, proof, report, scan } from './helpers';

const campaign = loadCampaign();
const fold = (id: string, inputs: FoldInput[]): Application =>
  inputs.reduce((app, e) => foldEmail(app, e, campaign), newApplication(id, inputs[0]?.arrival.at ?? new Date('2023-07-01T00:00:00Z')));
const codes = (app: Application) => judge(app, campaign).issues.map((i) => i.code);

const QQ = '12345678@qq.com';

describe('mergeApplications', () => {
  it('the same company from a QQ address: one application with the union of emails, documents and addresses', () => {
    const company = fold('SB2023-0001', [email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), scan(), proof()])]);
    const personal = fold('SB2023-0002', [email('2023-07-11T09:00:00+08:00', [report(1), report(2), report(3)], { from: QQ })]);
    expect(codes(company)).toEqual(['TOO_FEW_USER_REPORTS']);
    expect(codes(personal)).toEqual(['MISSING_FORM', 'MISSING_STAMPED_SCAN', 'MISSING_COPYRIGHT_PROOF']);

    const merged = mergeApplications(company, personal, campaign);
    expect(merged.id).toBe('SB2023-0001');
    expect(merged.emails.map((e) => e.from)).toEqual(['lisi@xingyun.com.cn', QQ]);
    expect(merged.documents.map((d) => d.file).sort()).toEqual([...company.documents, ...personal.documents].map((d) => d.file).sort());
    expect(merged.addresses).toEqual(['lisi@xingyun.com.cn', QQ]);
    expect(merged.companyKey).toBe('武汉星云软件有限公司');
    expect(merged.mergedInto).toBeUndefined();
    expect(codes(merged)).toEqual([]);
    // pure
    expect(company.emails).toHaveLength(1);
    expect(personal.emails).toHaveLength(1);
  });

  it('re-folds in arrival order: the earlier email (in the source) sets the deadline status and its form is superseded', () => {
    const early = fold('SB2023-0009', [email('2023-07-19T09:00:00+08:00', [formDoc('登记表.docx', form([product('星云数据中台')], {}, { postalCode: null }))], { from: QQ })]);
    const late = fold('SB2023-0003', [email('2023-07-25T09:00:00+08:00', [formDoc('登记表-改.docx', form()), scan(), proof(), report(1), report(2), report(3)])]);
    expect(late.deadline).toBe('late');
    const merged = mergeApplications(late, early, campaign);
    expect(merged.id).toBe('SB2023-0003');
    expect(merged.deadline).toBe('onTime');
    expect(merged.emails.map((e) => e.arrivedAt)).toEqual([early.emails[0]?.arrivedAt, late.emails[0]?.arrivedAt]);
    expect(merged.forms.map((f) => [f.file, f.supersededBy !== null])).toEqual([['登记表.docx', true], ['登记表-改.docx', false]]);
    expect(merged.createdAt).toBe(early.createdAt);
    expect(codes(merged)).toEqual([]);
  });

  it('documents sent to both count once; the same email in both is kept once', () => {
    const shared = email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), scan(), proof()]);
    const a = fold('SB2023-0001', [shared]);
    const b = fold('SB2023-0002', [shared, email('2023-07-11T09:00:00+08:00', [proof(), report(1)], { from: QQ })]);
    const merged = mergeApplications(a, b, campaign);
    expect(merged.emails).toHaveLength(2);
    expect(merged.documents).toHaveLength(4);
    expect(merged.emails[1]?.documents).toHaveLength(2);
  });

  it('keeps the staff decisions of both, in the order they were taken', () => {
    const a = { ...fold('SB2023-0001', [email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), scan(), proof(), report(1), report(2)])]), staff: {
      ...emptyOverlay(), notes: [{ by: 'wang', at: '2023-07-12T10:00:00.000Z', text: 'later note' }],
      corrections: [{ by: 'wang', at: '2023-07-12T10:00:00.000Z', reason: 'r', path: 'company.postalCode', value: '430000' }],
    } };
    const b = { ...fold('SB2023-0002', [email('2023-07-11T09:00:00+08:00', [], { from: QQ })]), staff: {
      ...emptyOverlay(), notes: [{ by: 'li', at: '2023-07-11T10:00:00.000Z', text: 'earlier note' }],
      waivers: [{ by: 'li', at: '2023-07-11T10:00:00.000Z', reason: '两份即可', code: 'TOO_FEW_USER_REPORTS' as const }],
      corrections: [{ by: 'li', at: '2023-07-11T10:00:00.000Z', reason: 'r', path: 'company.postalCode', value: '111111' }],
    } };
    const merged = mergeApplications(a, b, campaign);
    expect(merged.staff?.notes.map((n) => n.text)).toEqual(['earlier note', 'later note']);
    expect(merged.staff?.corrections.map((c) => c.value)).toEqual(['111111', '430000']);
    expect(merged.staff?.waivers).toHaveLength(1);
    const v = judge(merged, campaign);
    expect(v.complete).toBe(true);
    expect(v.waived.map((i) => i.code)).toEqual(['TOO_FEW_USER_REPORTS']);
  });
});

describe('mergeApplications: marks', () => {
  it('settles a possible-duplicate mark between the two, keeps one naming a third, and keeps a reused Message-ID flag', () => {
    const a = { ...fold('SB2023-0001', [email('2023-07-10T09:00:00+08:00', [proof()])]) };
    const b = { ...fold('SB2023-0002', [email('2023-07-11T09:00:00+08:00', [report(1)], { from: QQ, messageIdReused: true })]), possibleDuplicateOf: 'SB2023-0001' };
    const merged = mergeApplications(a, b, campaign);
    expect(merged.possibleDuplicateOf).toBeUndefined();
    expect(merged.emails[1]?.messageIdReused).toBe(true);
    expect(mergeApplications({ ...a, possibleDuplicateOf: 'SB2023-0002' }, b, campaign).possibleDuplicateOf).toBeUndefined();
    expect(mergeApplications(a, { ...b, possibleDuplicateOf: 'SB2023-0007' }, campaign).possibleDuplicateOf).toBe('SB2023-0007');
    expect(removeEmail({ ...b, possibleDuplicateOf: 'SB2023-0007', emails: [...b.emails, ...a.emails], documents: [...b.documents, ...a.documents] }, 1, campaign).app.possibleDuplicateOf).toBe('SB2023-0007');
  });
});

describe('removeEmail', () => {
  it('takes an email out: the rest re-folded, the email as a FoldInput with its documents', () => {
    const stranger = 'stranger@other.cn';
    const app = fold('SB2023-0001', [
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), scan(), proof()]),
      email('2023-07-11T09:00:00+08:00', [report(1), doc('别家公司登记表.docx', 'registrationForm', { form: form([product('别家产品')], {}, { name: '武汉别家科技有限公司' }) })], { from: stranger, subject: '别家的申报' }),
      email('2023-07-12T09:00:00+08:00', [report(2), report(3)]),
    ]);
    expect(app.companyName).toBe('武汉别家科技有限公司');
    const { app: rest, input } = removeEmail(app, 1, campaign);
    expect(rest.id).toBe('SB2023-0001');
    expect(rest.emails.map((e) => e.arrivedAt)).toEqual([app.emails[0]?.arrivedAt, app.emails[2]?.arrivedAt]);
    expect(rest.documents).toHaveLength(5);
    expect(rest.addresses).toEqual(['lisi@xingyun.com.cn']);
    expect(rest.companyName).toBe('武汉星云软件有限公司');
    expect(codes(rest)).toEqual(['TOO_FEW_USER_REPORTS']);

    expect(input).toMatchObject({ from: stranger, subject: '别家的申报', arrival: { at: new Date('2023-07-11T09:00:00+08:00') } });
    expect(input.documents.map((d) => d.file)).toEqual(['用户使用报告1.pdf', '别家公司登记表.docx']);
    // folded into another application, it brings its documents
    const other = foldEmail(newApplication('SB2023-0002', new Date('2023-07-01T00:00:00Z')), input, campaign);
    expect(other.companyName).toBe('武汉别家科技有限公司');
    expect(other.documents).toHaveLength(2);
  });

  it('a document another email carried too stays; one only the removed email carried goes', () => {
    const app = fold('SB2023-0001', [
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form()), report(1)]),
      email('2023-07-11T09:00:00+08:00', [report(1), report(2)]),
    ]);
    const { app: rest } = removeEmail(app, 1, campaign);
    expect(rest.documents.map((d) => d.file)).toEqual(['登记表.docx', '用户使用报告1.pdf']);
  });

  it('keeps the staff overlay and refuses an index it does not have', () => {
    const app = { ...fold('SB2023-0001', [email('2023-07-10T09:00:00+08:00', [proof()]), email('2023-07-11T09:00:00+08:00', [report(1)])]), staff: { ...emptyOverlay(), notes: [{ by: 'w', at: '2023-07-12T00:00:00.000Z', text: 'n' }] } };
    expect(removeEmail(app, 0, campaign).app.staff?.notes).toHaveLength(1);
    expect(() => removeEmail(app, 2, campaign)).toThrow(RangeError);
    expect(() => removeEmail(app, -1, campaign)).toThrow(RangeError);
  });
});
