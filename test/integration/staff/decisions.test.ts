/**
 * Waivers, corrections, kinds and notes on a real Redis, with the real outbox and SMTP sink:
 * each re-judges at once, writes its audit entry with the change, and a change that
 * completes an application sends the applicant one 材料齐全 email, ever.
 */
import type { Application } from '../../../src/domain/application';
import { FOLD_LOCK, withLock } from '../../../src/store/lease';
import { doc, email, form, formDoc, proof, report, scan } from '../../unit/rules/helpers';
import { uid } from '../helpers/stack';
import { waitForMessages, withHeader } from '../helpers/sink';
import { campaign, fold, openHarness, settled, sleep, type Harness } from './harness';

jest.setTimeout(60_000);

let h: Harness;
beforeEach(async () => { h = await openHarness('staff-decisions'); });
afterEach(async () => { await h.close(); });

const AT = '2023-07-10T10:05:00+08:00';

/** An on-time application from `address` with only two user reports (TOO_FEW_USER_REPORTS), and extra form gaps if asked. */
function twoReports(id: string, address: string, company: Parameters<typeof form>[2] = {}): Application {
  const f = form(undefined, undefined, { contact: { name: '李四', phone: '027-87654321', email: address, position: '经理' }, ...company });
  return fold(id, [email(AT, [formDoc('登记表.docx', f), scan(), proof(), report(1), report(2)], { from: address })]);
}

describe('waive', () => {
  it('completes the application: one 材料齐全 email even when waived again, undone, redone and followed by a note; every step audited', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    await h.save(twoReports('SB2023-0001', address));
    h.startWorker();

    const first = await h.staff.waive('SB2023-0001', { code: 'TOO_FEW_USER_REPORTS', reason: '两份报告即可（评审组同意）' }, 'wang');
    if (!first.ok) throw new Error(first.message);
    expect(first.verdict).toMatchObject({ complete: true, issues: [] });
    expect(first.verdict.waived.map((i) => i.code)).toEqual(['TOO_FEW_USER_REPORTS']);
    expect(first.planned.map((p) => [p.key, p.kind, p.to])).toEqual([['SB2023-0001:completeNotice', 'completeNotice', address]]);
    // saved as judged
    expect((await h.apps.get('SB2023-0001'))?.staff?.waivers).toEqual([expect.objectContaining({ code: 'TOO_FEW_USER_REPORTS', by: 'wang', reason: '两份报告即可（评审组同意）' })]);

    const again = await h.staff.waive('SB2023-0001', { code: 'TOO_FEW_USER_REPORTS', reason: '再点一次' }, 'wang');
    expect(again).toMatchObject({ ok: false, code: 'BAD_INPUT' });

    expect(await settled(h, 'SB2023-0001:completeNotice')).toBe('completed');
    const [notice] = await waitForMessages(1, (m) => withHeader('x-shenbao-loop', h.loopId)(m) && m.envelope.rcptTo.includes(address));
    expect(notice?.mail.subject).toBe(`[SB2023-0001] 材料齐全：${campaign.name}`);
    expect(notice?.mail.text).toContain('材料已齐全');

    const undone = await h.staff.unwaive('SB2023-0001', 0, '评审组改变主意', 'li');
    expect(undone).toMatchObject({ ok: true, verdict: { complete: false }, planned: [] });
    const redone = await h.staff.waive('SB2023-0001', { code: 'TOO_FEW_USER_REPORTS', reason: '还是两份即可' }, 'wang');
    expect(redone).toMatchObject({ ok: true, verdict: { complete: true }, planned: [{ key: 'SB2023-0001:completeNotice' }] });
    expect(await h.staff.note('SB2023-0001', '已电话告知企业', 'li')).toMatchObject({ ok: true, planned: [] });

    await settled(h, 'SB2023-0001:completeNotice');
    await sleep(1_000);
    expect(await h.sink(address)).toHaveLength(1);
    expect(await h.sentLog.get('SB2023-0001:completeNotice')).toMatchObject({ state: 'sent', attempts: 1, text: expect.stringContaining('材料已齐全') });

    const trail = await h.staff.audit('SB2023-0001');
    expect(trail.map((e) => [e.action, e.by, e.reason])).toEqual([
      ['waive', 'wang', '两份报告即可（评审组同意）'],
      ['unwaive', 'li', '评审组改变主意'],
      ['waive', 'wang', '还是两份即可'],
      ['note', 'li', '已电话告知企业'],
    ]);
    for (const e of trail) {
      expect(e.applicationId).toBe('SB2023-0001');
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(Date.parse('2023-07-15T02:00:00Z'));
    }
    expect(trail[0]?.detail).toMatchObject({ code: 'TOO_FEW_USER_REPORTS', completeBefore: false, completeAfter: true, planned: ['SB2023-0001:completeNotice'] });
    expect(trail[1]?.detail).toMatchObject({ code: 'TOO_FEW_USER_REPORTS', waivedBy: 'wang', completeAfter: false });
    expect((await h.staff.recentAudit(10)).map((e) => e.action)).toEqual(['note', 'waive', 'unwaive', 'waive']);
  });
});

describe('refusals', () => {
  it('are values with English and Chinese words, and change nothing: no application write, no audit entry', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    await h.save(twoReports('SB2023-0002', address), twoReports('SB2023-0003', `other-${uid()}@xingyun.test`, { name: '武汉别家科技有限公司' }));
    const before = await h.redis.get('app:SB2023-0002');

    const refusals = [
      await h.staff.waive('SB2023-9999', { code: 'TOO_FEW_USER_REPORTS', reason: 'x' }, 'wang'),
      await h.staff.waive('SB2023-0002', { code: 'TOO_FEW_USER_REPORTS', reason: '   ' }, 'wang'),
      await h.staff.waive('SB2023-0002', { code: 'NOT_A_CODE', reason: 'x' }, 'wang'),
      await h.staff.waive('SB2023-0002', { code: 'MISSING_STAMPED_SCAN', reason: 'not an open issue' }, 'wang'),
      await h.staff.waive('SB2023-0002', { code: 'TOO_FEW_USER_REPORTS', reason: 'x' }, ''),
      await h.staff.unwaive('SB2023-0002', 0, 'nothing to undo', 'wang'),
      await h.staff.correct('SB2023-0002', { path: 'company.secretField', value: 'x', reason: 'x' }, 'wang'),
      await h.staff.correct('SB2023-0002', { path: 'company.postalCode', value: '430074', reason: 'same as read' }, 'wang'),
      await h.staff.setKind('SB2023-0002', { sha256: 'f'.repeat(64), kind: 'userReport', reason: 'x' }, 'wang'),
      await h.staff.note('SB2023-0002', '', 'wang'),
      await h.staff.merge('SB2023-0002', 'SB2023-0002', '同一家', 'wang'),
      await h.staff.merge('SB2023-0002', 'SB2023-9999', '同一家', 'wang'),
      await h.staff.moveEmail('SB2023-0002', 0, 'SB2023-0003', 'only email', 'wang'),
      await h.staff.moveEmail('SB2023-0002', 5, 'SB2023-0003', 'no such email', 'wang'),
      await h.staff.sendStatus('SB2023-9999', 'wang'),
      await h.staff.suppress('SB2023-0002:receipt:abc', '', 'wang'),
      await h.staff.resend('SB2023-0002:receipt:never', '重发', 'wang'),
      await h.staff.reprocess('INBOX/1/42', 'wang'),
    ];
    expect(refusals.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'NOT_FOUND', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT', 'BAD_INPUT',
      'BAD_INPUT', 'NOT_FOUND', 'BAD_INPUT', 'BAD_INPUT', 'NOT_FOUND', 'BAD_INPUT', 'NOT_FOUND', 'NOT_FOUND',
    ]);
    for (const r of refusals) {
      if (r.ok) continue;
      expect(r.message).toMatch(/[a-z]/);
      expect(r.messageZh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await h.redis.get('app:SB2023-0002')).toBe(before);
    expect(await h.staff.audit('SB2023-0002')).toEqual([]);
    expect(await h.staff.audit('SB2023-0003')).toEqual([]);
    expect(await h.staff.recentAudit()).toEqual([]);
    expect(await h.sentLog.get('SB2023-0002:receipt:abc')).toBeNull();
  });
});

describe('correct and setKind', () => {
  it('a corrected field re-judges at once and the audit keeps from → to', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    const f = form(undefined, undefined, { postalCode: null, contact: { name: '李四', phone: '027-87654321', email: address, position: '经理' } });
    await h.save(fold('SB2023-0004', [email(AT, [formDoc('登记表.docx', f), scan(), proof(), report(1), report(2), report(3)], { from: address })]));
    const r = await h.staff.correct('SB2023-0004', { path: 'company.postalCode', value: '430074', reason: '盖章件上写有邮编' }, 'wang');
    if (!r.ok) throw new Error(r.message);
    expect(r.verdict.complete).toBe(true);
    expect(r.planned.map((p) => p.key)).toEqual(['SB2023-0004:completeNotice']);
    expect(r.audit).toMatchObject({ action: 'correct', by: 'wang', reason: '盖章件上写有邮编', detail: { path: 'company.postalCode', from: null, to: '430074', file: '登记表.docx' } });
    // the parser's reading is kept; staff's correction is beside it
    const stored = await h.apps.get('SB2023-0004');
    expect(stored?.forms[0]?.form.company.postalCode).toBeNull();
    expect(stored?.staff?.corrections).toEqual([expect.objectContaining({ path: 'company.postalCode', value: '430074' })]);

    const again = await h.staff.correct('SB2023-0004', { path: 'company.postalCode', value: '430073', reason: '看错了一位' }, 'li');
    expect(again).toMatchObject({ ok: true, planned: [], audit: { detail: { from: '430074', to: '430073' } } });
    expect((await h.apps.get('SB2023-0004'))?.staff?.corrections).toHaveLength(1);
  });

  it('a document given its right kind counts as that kind', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    const f = form(undefined, undefined, { contact: { name: '李四', phone: '027-87654321', email: address, position: '经理' } });
    const misread = doc('客户反馈.pdf', 'other');
    await h.save(fold('SB2023-0005', [email(AT, [formDoc('登记表.docx', f), scan(), proof(), report(1), report(2), misread], { from: address })]));
    const r = await h.staff.setKind('SB2023-0005', { sha256: misread.sha256, kind: 'userReport', reason: '这是用户使用报告' }, 'wang');
    expect(r).toMatchObject({ ok: true, verdict: { complete: true }, audit: { action: 'set-kind', detail: { file: '客户反馈.pdf', from: 'other', to: 'userReport' } } });
    const back = await h.staff.setKind('SB2023-0005', { sha256: misread.sha256, kind: 'other', reason: '撤回' }, 'wang');
    expect(back).toMatchObject({ ok: true, verdict: { complete: false } });
    expect((await h.apps.get('SB2023-0005'))?.staff?.kinds).toEqual([]);
  });
});

describe('serialised', () => {
  it('concurrent actions on one application lose nothing, and only one of them completes it', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    await h.save(twoReports('SB2023-0006', address, { postalCode: null }));
    const results = await Promise.all([
      h.staff.waive('SB2023-0006', { code: 'TOO_FEW_USER_REPORTS', reason: '两份即可' }, 'wang'),
      h.staff.correct('SB2023-0006', { path: 'company.postalCode', value: '430074', reason: '补邮编' }, 'li'),
      ...[1, 2, 3, 4, 5].map((n) => h.staff.note('SB2023-0006', `备注 ${n}`, 'zhao')),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const app = await h.apps.get('SB2023-0006');
    expect(app?.staff?.waivers).toHaveLength(1);
    expect(app?.staff?.corrections).toHaveLength(1);
    expect(app?.staff?.notes.map((n) => n.text).sort()).toEqual(['备注 1', '备注 2', '备注 3', '备注 4', '备注 5']);
    expect(await h.staff.audit('SB2023-0006')).toHaveLength(7);
    expect(results.flatMap((r) => (r.ok ? r.planned.map((p) => p.key) : []))).toEqual(['SB2023-0006:completeNotice']);
  });

  it('an action waits while the intake holds the fold lock', async () => {
    await h.save(twoReports('SB2023-0007', `lisi-${uid()}@xingyun.test`));
    let done = false;
    await withLock(h.redis, FOLD_LOCK, async () => {
      const pending = h.staff.note('SB2023-0007', '等锁', 'wang').then((r) => { done = true; return r; });
      await sleep(400);
      expect(done).toBe(false);
      expect((await h.apps.get('SB2023-0007'))?.staff).toBeUndefined();
      void pending;
    });
    await waitForDone(() => done);
    expect((await h.apps.get('SB2023-0007'))?.staff?.notes).toHaveLength(1);
  });
});

async function waitForDone(probe: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !probe(); i++) await sleep(50);
  expect(probe()).toBe(true);
}
