/**
 * Merging two applications and moving an email between them, on a real Redis: the emails
 * and documents end where they belong, the merged one is a pointer, and every lookup the
 * intake makes (company, sender, a number in a reply's subject) finds the live application.
 */
import { findApplication } from '../../../src/intake/process-message';
import { judgeAll } from '../../../src/rules/judge';
import { email, form, formDoc, product, proof, report, scan } from '../../unit/rules/helpers';
import { waitForMessages, withHeader } from '../helpers/sink';
import { uid } from '../helpers/stack';
import { campaign, fold, openHarness, settled, sleep, type Harness } from './harness';

jest.setTimeout(60_000);

let h: Harness;
beforeEach(async () => { h = await openHarness('staff-merge'); });
afterEach(async () => { await h.close(); });

const contact = (address: string) => ({ name: '李四', phone: '027-87654321', email: address, position: '经理' });

describe('merge', () => {
  it('the same company from a personal QQ address: one application, the union of emails and documents; the other a pointer every lookup passes', async () => {
    const work = `lisi-${uid()}@xingyun.test`;
    const qq = `${uid()}@qq.test`;
    const company = fold('SB2023-0010', [email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form(undefined, undefined, { contact: contact(work) })), scan(), proof()], { from: work })]);
    // From the QQ address: the user reports, under a name of the company the index also knows.
    const personal = { ...fold('SB2023-0011', [email('2023-07-11T09:00:00+08:00', [report(1), report(2), report(3)], { from: qq, subject: '星云 用户报告' })]), companyKey: '星云软件', companyName: '星云软件' };
    await h.save(company, personal);
    expect(await h.apps.byAddress(qq)).toMatchObject({ id: 'SB2023-0011' });
    h.startWorker();

    const r = await h.staff.merge('SB2023-0010', 'SB2023-0011', 'QQ 邮箱发来的是同一家公司的用户报告', 'wang');
    if (!r.ok) throw new Error(r.message);
    expect(r.app.id).toBe('SB2023-0010');
    expect(r.app.emails.map((e) => e.from)).toEqual([work, qq]);
    expect(r.app.documents.map((d) => d.file).sort()).toEqual([...company.documents, ...personal.documents].map((d) => d.file).sort());
    expect(r.app.addresses).toEqual([work, qq]);
    expect(r.verdict).toMatchObject({ complete: true, issues: [] });
    expect(r.planned.map((p) => [p.key, p.to])).toEqual([['SB2023-0010:completeNotice', work]]);

    // The source is a pointer; it is no live application.
    const pointer = await h.apps.get('SB2023-0011');
    expect(pointer?.mergedInto).toBe('SB2023-0010');
    expect((await h.apps.live()).map((a) => a.id)).toEqual(['SB2023-0010']);
    expect((await h.apps.all()).map((a) => a.id).sort()).toEqual(['SB2023-0010', 'SB2023-0011']);
    expect(judgeAll(await h.apps.all(), campaign).map((j) => j.app.id)).toEqual(['SB2023-0010']);

    // Lookups by its addresses, its company, its number find the target.
    expect(await h.redis.hget('app:by-address', qq)).toBe('SB2023-0010');
    expect(await h.redis.hget('app:by-company', '星云软件')).toBe('SB2023-0010');
    expect(await h.apps.byAddress(qq)).toMatchObject({ id: 'SB2023-0010' });
    expect(await h.apps.byCompany('星云软件')).toMatchObject({ id: 'SB2023-0010' });
    expect(await h.apps.byCompany('武汉星云软件有限公司')).toMatchObject({ id: 'SB2023-0010' });
    expect((await findApplication(h.apps, campaign, 'Re: 补充材料 [SB2023-0011]', qq, null)).app).toMatchObject({ id: 'SB2023-0010' });
    expect((await findApplication(h.apps, campaign, '再发一份', qq, null)).app).toMatchObject({ id: 'SB2023-0010' });

    // Audit on both, in the same transaction as the change.
    expect((await h.staff.audit('SB2023-0010')).map((e) => [e.action, e.by, e.reason, e.detail.source])).toEqual([['merge', 'wang', 'QQ 邮箱发来的是同一家公司的用户报告', 'SB2023-0011']]);
    expect((await h.staff.audit('SB2023-0011')).map((e) => [e.action, e.detail.target])).toEqual([['merged-into', 'SB2023-0010']]);

    // A merged application takes no more actions; nor can it be merged again.
    const onPointer = await h.staff.note('SB2023-0011', '备注', 'wang');
    expect(onPointer).toMatchObject({ ok: false, code: 'CONFLICT', messageZh: 'SB2023-0011 已并入 SB2023-0010，请在 SB2023-0010 中操作' });
    expect(await h.staff.merge('SB2023-0010', 'SB2023-0011', '再并一次', 'wang')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await h.staff.merge('SB2023-0011', 'SB2023-0010', '反过来', 'wang')).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await h.staff.audit('SB2023-0011')).toHaveLength(1);

    await settled(h, 'SB2023-0010:completeNotice');
    await waitForMessages(1, (m) => withHeader('x-shenbao-loop', h.loopId)(m) && m.envelope.rcptTo.includes(work));
    await sleep(500);
    expect(await h.sink(work)).toHaveLength(1);
    expect(await h.sink(qq)).toHaveLength(0);
  });

  it('keeps the staff decisions of both applications', async () => {
    const work = `lisi-${uid()}@xingyun.test`;
    const qq = `${uid()}@qq.test`;
    await h.save(
      fold('SB2023-0012', [email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form(undefined, undefined, { contact: contact(work) })), scan(), proof(), report(1)], { from: work })]),
      fold('SB2023-0013', [email('2023-07-11T09:00:00+08:00', [report(2)], { from: qq })]),
    );
    expect(await h.staff.note('SB2023-0013', 'QQ 邮箱是李四的个人邮箱', 'li')).toMatchObject({ ok: true });
    expect(await h.staff.waive('SB2023-0012', { code: 'TOO_FEW_USER_REPORTS', reason: '两份即可' }, 'wang')).toMatchObject({ ok: true, verdict: { complete: true } });
    const r = await h.staff.merge('SB2023-0012', 'SB2023-0013', '同一家', 'wang');
    expect(r).toMatchObject({ ok: true, verdict: { complete: true }, planned: [] });
    if (!r.ok) return;
    expect(r.app.staff?.notes.map((n) => n.text)).toEqual(['QQ 邮箱是李四的个人邮箱']);
    expect(r.app.staff?.waivers.map((w) => w.code)).toEqual(['TOO_FEW_USER_REPORTS']);
  });
});

describe('moveEmail', () => {
  it('an email of another company leaves with its sender and its company; both applications re-judged and audited', async () => {
    const a = `lisi-${uid()}@xingyun.test`;
    const b = `zhang-${uid()}@bie.test`;
    const other = form([product('别家产品')], undefined, { name: '武汉别家科技有限公司', contact: contact(b) });
    const mixed = fold('SB2023-0020', [
      email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form(undefined, undefined, { contact: contact(a) })), scan(), proof(), report(1), report(2), report(3)], { from: a }),
      email('2023-07-11T09:00:00+08:00', [formDoc('别家登记表.docx', other), scan('别家登记表盖章.jpg')], { from: b, subject: '别家申报' }),
    ]);
    const bie = fold('SB2023-0021', [email('2023-07-12T09:00:00+08:00', [proof('别家著作权.pdf'), report(7), report(8), report(9)], { from: b })]);
    await h.save(bie, mixed);
    expect(mixed.companyName).toBe('武汉别家科技有限公司');
    h.startWorker();

    const r = await h.staff.moveEmail('SB2023-0020', 1, 'SB2023-0021', '这封是别家公司的材料', 'wang');
    if (!r.ok) throw new Error(r.message);
    expect(r.app.id).toBe('SB2023-0020');
    expect(r.app.emails.map((e) => e.from)).toEqual([a]);
    expect(r.app.companyName).toBe('武汉星云软件有限公司');
    expect(r.app.addresses).toEqual([a]);
    expect(r.app.documents.map((d) => d.file)).not.toContain('别家登记表.docx');
    const dest = r.other;
    if (!dest) throw new Error('no destination');
    expect(dest.app.id).toBe('SB2023-0021');
    expect(dest.app.emails.map((e) => e.subject)).toEqual(['别家申报', '申报材料']);
    expect(dest.app.companyName).toBe('武汉别家科技有限公司');
    expect(dest.verdict.complete).toBe(true);
    expect(r.planned.map((p) => [p.key, p.to])).toContainEqual(['SB2023-0021:completeNotice', b]);

    const stored = { from: await h.apps.get('SB2023-0020'), to: await h.apps.get('SB2023-0021') };
    expect(stored.from?.emails).toHaveLength(1);
    expect(stored.to?.emails).toHaveLength(2);
    expect(await h.apps.byAddress(b)).toMatchObject({ id: 'SB2023-0021' });
    expect(await h.apps.byAddress(a)).toMatchObject({ id: 'SB2023-0020' });
    expect(await h.apps.byCompany('武汉别家科技有限公司')).toMatchObject({ id: 'SB2023-0021' });
    expect(await h.apps.byCompany('武汉星云软件有限公司')).toMatchObject({ id: 'SB2023-0020' });

    expect((await h.staff.audit('SB2023-0020')).map((e) => [e.action, e.detail.to, (e.detail.email as { subject: string }).subject])).toEqual([['move-email-out', 'SB2023-0021', '别家申报']]);
    expect((await h.staff.audit('SB2023-0021')).map((e) => [e.action, e.detail.from, e.reason])).toEqual([['move-email-in', 'SB2023-0020', '这封是别家公司的材料']]);

    await settled(h, 'SB2023-0021:completeNotice');
    await waitForMessages(1, (m) => withHeader('x-shenbao-loop', h.loopId)(m) && m.envelope.rcptTo.includes(b));
  });

  it('a company only the moved email named, and kept by neither application, leaves the index', async () => {
    const a = `lisi-${uid()}@xingyun.test`;
    const colleague = `wang-${uid()}@xingyun.test`;
    const z = `z-${uid()}@zeta.test`;
    await h.save(
      fold('SB2023-0030', [
        email('2023-07-10T09:00:00+08:00', [formDoc('登记表.docx', form(undefined, undefined, { contact: contact(a) }))], { from: a }),
        email('2023-07-11T09:00:00+08:00', [formDoc('乙登记表.docx', form([product('乙产品')], undefined, { name: '武汉乙方科技有限公司', contact: contact(colleague) }))], { from: colleague }),
      ]),
      fold('SB2023-0031', [email('2023-07-12T09:00:00+08:00', [formDoc('丙登记表.docx', form([product('丙产品')], undefined, { name: '武汉丙方科技有限公司', contact: contact(z) }))], { from: z })]),
    );
    expect(await h.redis.hget('app:by-company', '武汉乙方科技有限公司')).toBe('SB2023-0030');
    const r = await h.staff.moveEmail('SB2023-0030', 1, 'SB2023-0031', '误归', 'wang');
    expect(r).toMatchObject({ ok: true, app: { companyKey: '武汉星云软件有限公司' }, other: { app: { companyKey: '武汉丙方科技有限公司' } } });
    expect(await h.redis.hget('app:by-company', '武汉乙方科技有限公司')).toBeNull();
    expect(await h.redis.hget('app:by-company', '武汉星云软件有限公司')).toBe('SB2023-0030');
    expect(await h.redis.hget('app:by-company', '武汉丙方科技有限公司')).toBe('SB2023-0031');
    expect(await h.redis.hget('app:by-address', colleague)).toBe('SB2023-0031');
    expect(await h.redis.hget('app:by-address', a)).toBe('SB2023-0030');
  });
});
