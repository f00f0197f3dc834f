/**
 * Staff actions on mail, with the real outbox, send-mail worker and SMTP sink: suppress a
 * queued email (it never goes out), resend one that went out (one more copy, a new key),
 * send the status now (a double click sends once), reprocess a failed mail.
 */
import type { PlannedEmail } from '../../../src/notify/plan';
import { messageKey, type MessageRef } from '../../../src/store/intake-log';
import { email, form, formDoc, proof, report, scan } from '../../unit/rules/helpers';
import { waitForMessages, withHeader } from '../helpers/sink';
import { uid } from '../helpers/stack';
import { campaign, fold, openHarness, settled, sleep, type Harness } from './harness';

jest.setTimeout(60_000);

let h: Harness;
beforeEach(async () => { h = await openHarness('staff-mail'); });
afterEach(async () => { await h.close(); });

function application(id: string, address: string) {
  const f = form(undefined, undefined, { contact: { name: '李四', phone: '027-87654321', email: address, position: '经理' } });
  return fold(id, [email('2023-07-10T10:05:00+08:00', [formDoc('登记表.docx', f), scan(), proof(), report(1), report(2)], { from: address })]);
}

function planned(id: string, address: string): PlannedEmail {
  const n = uid();
  return { key: `${id}:followUp:${n}`, kind: 'followUp', to: address, subject: `[${id}] 补充材料通知 ${n}`, text: `请补充用户使用报告。${n}\n`, html: `<p>请补充用户使用报告。${n}</p>` };
}

const mine = (h: Harness, address: string) => (m: Parameters<ReturnType<typeof withHeader>>[0]) => withHeader('x-shenbao-loop', h.loopId)(m) && m.envelope.rcptTo.includes(address);

describe('suppress', () => {
  it('a queued email never goes out: deliver says suppressed, nothing reaches the sink; the audit says who and why', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    await h.save(application('SB2023-0040', address));
    const mail = planned('SB2023-0040', address);
    await h.outbox.enqueue([mail]);

    const r = await h.staff.suppress(mail.key, '企业已电话告知，不必再催', 'wang');
    if (!r.ok) throw new Error(r.message);
    expect(r.app?.id).toBe('SB2023-0040');
    expect(r.audit).toMatchObject({ action: 'suppress', by: 'wang', applicationId: 'SB2023-0040', reason: '企业已电话告知，不必再催', detail: { key: mail.key, state: 'queued' } });
    expect(await h.sentLog.get(mail.key)).toMatchObject({ state: 'suppressed' });

    h.startWorker();
    expect(await settled(h, mail.key)).toBe('completed');
    expect(await h.jobResult(mail.key)).toMatchObject({ status: 'suppressed' });
    await sleep(800);
    expect(await h.sink(address)).toHaveLength(0);
    expect(await h.sentLog.get(mail.key)).toMatchObject({ state: 'suppressed', attempts: 0 });

    expect(await h.staff.suppress(mail.key, '再点一次', 'wang')).toMatchObject({ ok: false, code: 'CONFLICT', messageZh: '该邮件已撤销' });
    expect((await h.staff.audit('SB2023-0040')).map((e) => e.action)).toEqual(['suppress']);
  });

  it('an email already sent cannot be suppressed, and the refusal is not audited', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    await h.save(application('SB2023-0041', address));
    const mail = planned('SB2023-0041', address);
    h.startWorker();
    await h.outbox.enqueue([mail]);
    await settled(h, mail.key);
    await waitForMessages(1, mine(h, address));
    expect(await h.staff.suppress(mail.key, '太晚了', 'wang')).toMatchObject({ ok: false, code: 'CONFLICT', messageZh: '该邮件已发出，无法撤销' });
    expect(await h.staff.audit('SB2023-0041')).toEqual([]);
    expect(await h.sentLog.get(mail.key)).toMatchObject({ state: 'sent' });
  });
});

describe('resend', () => {
  it('sends one more copy under a new key and a new Message-ID, with the text that was sent', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    await h.save(application('SB2023-0042', address));
    const mail = planned('SB2023-0042', address);
    h.startWorker();
    await h.outbox.enqueue([mail]);
    await settled(h, mail.key);
    const [first] = await waitForMessages(1, mine(h, address));
    expect(await h.sentLog.get(mail.key)).toMatchObject({ state: 'sent', text: mail.text, html: mail.html });

    const r = await h.staff.resend(mail.key, '企业说没收到', 'li');
    if (!r.ok) throw new Error(r.message);
    expect(r.planned.map((p) => [p.key, p.to, p.subject, p.kind])).toEqual([[`${mail.key}:resend:1`, address, mail.subject, 'followUp']]);
    expect(r.audit).toMatchObject({ action: 'resend', by: 'li', applicationId: 'SB2023-0042', reason: '企业说没收到', detail: { key: mail.key, newKey: `${mail.key}:resend:1` } });
    await settled(h, `${mail.key}:resend:1`);
    const both = await waitForMessages(2, mine(h, address));
    expect(both).toHaveLength(2);
    const copy = both.find((m) => m.file !== first?.file);
    expect(copy?.mail.subject).toBe(mail.subject);
    expect(copy?.mail.text?.trim()).toBe(mail.text.trim());
    expect(copy?.mail.messageId).not.toBe(first?.mail.messageId);

    const again = await h.staff.resend(mail.key, '还是没收到', 'li');
    expect(again).toMatchObject({ ok: true, planned: [{ key: `${mail.key}:resend:2` }] });
    await settled(h, `${mail.key}:resend:2`);
    await waitForMessages(3, mine(h, address));
    await sleep(500);
    expect(await h.sink(address)).toHaveLength(3);
    expect((await h.staff.audit('SB2023-0042')).map((e) => e.detail.newKey)).toEqual([`${mail.key}:resend:1`, `${mail.key}:resend:2`]);
  });

  it('refuses an email still queued (nothing was sent to copy)', async () => {
    const mail = planned('SB2023-0043', `lisi-${uid()}@xingyun.test`);
    await h.outbox.enqueue([mail]);
    expect(await h.staff.resend(mail.key, '重发', 'li')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await h.staff.recentAudit()).toEqual([]);
  });
});

describe('sendStatus', () => {
  it('a double click sends one 当前申报状态 email listing what is open', async () => {
    const address = `lisi-${uid()}@xingyun.test`;
    await h.save(application('SB2023-0044', address));
    h.startWorker();
    const [a, b] = await Promise.all([h.staff.sendStatus('SB2023-0044', 'wang'), h.staff.sendStatus('SB2023-0044', 'wang')]);
    const results = [a, b];
    expect(results.filter((r) => r?.ok)).toHaveLength(1);
    expect(results.filter((r) => r && !r.ok).map((r) => r && !r.ok && r.code)).toEqual(['CONFLICT']);
    const ok = results.find((r) => r?.ok);
    if (!ok?.ok) throw new Error('no status sent');
    const key = ok.planned[0]?.key ?? '';
    expect(key).toMatch(/^SB2023-0044:status:2023-07-15T10[0-5][05]$/);
    await settled(h, key);
    const [status] = await waitForMessages(1, mine(h, address));
    expect(status?.mail.subject).toBe(`[SB2023-0044] 当前申报状态：${campaign.name}`);
    expect(status?.mail.text).toContain('用户使用报告仅收到 2 份');
    await sleep(500);
    expect(await h.sink(address)).toHaveLength(1);
    expect((await h.staff.audit('SB2023-0044')).map((e) => [e.action, e.detail.key])).toEqual([['send-status', key]]);
  });
});

describe('reprocess', () => {
  it('puts a failed mail back through the intake and audits it', async () => {
    const ref: MessageRef = { mailbox: 'INBOX', uidValidity: '1700000000', uid: 42 };
    await h.intakeLog.markFailed({ ref, messageId: '<broken@qq.test>', sha256: 'a'.repeat(64), error: 'parse failed', attempts: 5, at: '2023-07-15T01:00:00.000Z' });
    const r = await h.staff.reprocess(messageKey(ref), 'wang');
    expect(r).toMatchObject({ ok: true, app: null, audit: { action: 'reprocess', by: 'wang', applicationId: '', detail: { messageKey: 'INBOX/1700000000/42', error: 'parse failed' } } });
    expect(h.reprocessed).toEqual([ref]);
    expect((await h.staff.recentAudit(5)).map((e) => e.action)).toEqual(['reprocess']);
  });
});
