/**
 * Issue 8 §2 and §3 on the real stack: whose application it is, and the work one email may
 * cause. Every hostile email is built here by Python's `email` package (make-bounded.py),
 * appended to Dovecot, processed by a `shenbao worker` child (the built dist/), and judged by
 * what reaches the SMTP sink (recipients counted from the envelope) and the store. A normal
 * email appended after the hostile ones must be answered within a bound, and the worker's
 * peak memory stays bounded (the MIME and the documents are read in pool processes).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Application } from '../../../src/domain/application';
import type { DocumentRecord } from '../../../src/domain/document';
import type { DoneRecord } from '../../../src/store/intake-log';
import { INTAKE_KEYS } from '../../../src/store/intake-log';
import type { SinkMessage } from '../helpers/sink';
import { at, openCase, sleep, type Case } from '../e2e/harness';

jest.setTimeout(400_000);

const MAKE = path.join(__dirname, 'make-bounded.py');
const OVER = '超出单封邮件的处理上限，未读取';

function build(kind: string, from: string, messageId: string): Buffer {
  const r = spawnSync('python3', [MAKE, kind, from, messageId], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`make-bounded.py ${kind}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Peak resident memory of a process (VmHWM), MB. */
function peakRssMb(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 'NaN');
  return Math.round(kb / 1024);
}

let c: Case;
afterAll(async () => c && c.close());

const to = (sent: SinkMessage[], addr: string) => sent.filter((m) => m.envelope.rcptTo.includes(addr));
const text = (m: SinkMessage) => `${m.mail.subject ?? ''}\n${m.mail.text ?? ''}\n${typeof m.mail.html === 'string' ? m.mail.html : ''}`;

test('hostile emails are bounded, strangers do not take over, the worker stays responsive', async () => {
  c = openCase('bounded');
  const A = {
    owner: 'lina@guanggu-tech.cn',
    colleague: 'zhaomin@guanggu-tech.cn',
    stranger: 'attacker@qq.com',
    reuse: 'reuse@reuse-corp.cn',
    links: 'links@links-corp.cn',
    date: 'date@date-corp.cn',
    nested: 'nested@nested-corp.cn',
    many: 'many@many-corp.cn',
    zips: 'zips@zips-corp.cn',
    normal: 'normal@normal-corp.cn',
  };
  try {
    // Phase 1: the company's own application, and the first email with a Message-ID.
    const reuseA = build('reuse-a', A.reuse, '<reused@reuse-corp.cn>');
    await c.append([
      { raw: build('form', A.owner, '<owner@guanggu-tech.cn>'), at: at('2023-07-14T09:00:00+08:00') },
      { raw: reuseA, at: at('2023-07-14T09:10:00+08:00') },
    ]);
    const worker = c.startWorker('2023-07-15T10:00:00+08:00');
    await c.observer.settle(2, 90_000);
    const owner = (await c.observer.apps.all()).find((x) => x.addresses.includes(A.owner));
    const first = owner?.id ?? 'none';
    const ownerAddresses = owner?.addresses ?? [];

    // Phase 2: every hostile email at once, then one normal email behind them.
    const hostile = [
      { raw: build('form', A.stranger, '<stranger@qq.com>'), at: at('2023-07-15T11:00:00+08:00') },
      { raw: build('form', A.colleague, '<colleague@guanggu-tech.cn>'), at: at('2023-07-15T11:00:10+08:00') },
      { raw: build('reuse-b', A.reuse, '<reused@reuse-corp.cn>'), at: at('2023-07-15T11:00:20+08:00') },
      { raw: reuseA, at: at('2023-07-14T09:10:00+08:00') },
      { raw: build('links', A.links, '<links@links-corp.cn>'), at: at('2023-07-15T11:00:30+08:00') },
      { raw: build('date', A.date, '<date@date-corp.cn>'), at: at('2023-07-15T11:00:40+08:00') },
      { raw: build('nested', A.nested, '<nested@nested-corp.cn>'), at: at('2023-07-15T11:00:50+08:00') },
      { raw: build('attachments', A.many, '<many@many-corp.cn>'), at: at('2023-07-15T11:01:00+08:00') },
      { raw: build('zips', A.zips, '<zips@zips-corp.cn>'), at: at('2023-07-15T11:01:10+08:00') },
    ];
    const appendedAt = Date.now();
    await c.append([...hostile, { raw: build('reuse-a', A.normal, '<normal@normal-corp.cn>'), at: at('2023-07-15T11:02:00+08:00') }]);

    // The normal email is answered while the hostile ones are still being worked through.
    let normalMs = -1;
    for (const until = Date.now() + 120_000; Date.now() < until; await sleep(100)) {
      if (to(await c.sent(), A.normal).length > 0) {
        normalMs = Date.now() - appendedAt;
        break;
      }
    }
    // The byte-identical copy of reuse-a is recognised by content and never queued.
    await c.observer.settle(2 + hostile.length - 1 + 1, 240_000);
    const allMs = Date.now() - appendedAt;
    const rssMb = peakRssMb(worker.child.pid);
    process.stdout.write(
      `bounded: normal email answered ${normalMs} ms after appending it behind ${hostile.length} hostile emails; all ${hostile.length + 1} settled in ${allMs} ms; worker peak RSS ${rssMb} MB\n`,
    );
    await sleep(3000); // a late 12th message (the copy, were it queued) would show now
    expect(await c.observer.processed()).toBe(2 + hostile.length);
    expect(normalMs).toBeGreaterThan(0);
    expect(normalMs).toBeLessThan(60_000);
    expect(rssMb).toBeLessThan(400);

    const sent = await c.sent();
    // Exactly one recipient per email, ever.
    for (const m of sent) expect(m.envelope.rcptTo).toHaveLength(1);
    const apps = await c.observer.apps.all();
    const byAddress = (a: string): Application | undefined => apps.find((x) => x.addresses.includes(a) && x.emails.some((e) => e.from === a));
    const docsOf = (app: Application | undefined, messageId: string): DocumentRecord[] => {
      const email = app?.emails.find((e) => e.messageId === messageId);
      return (email?.documents ?? []).map((sha) => app?.documents.find((d) => d.sha256 === sha)).filter((d): d is DocumentRecord => d !== undefined);
    };

    // §2: the stranger with the company's form gets an application of their own, marked for staff.
    const strangers = byAddress(A.stranger);
    expect(strangers?.id).not.toBe(first);
    expect(strangers?.possibleDuplicateOf).toBe(first);
    expect(strangers?.companyName).toBe(owner?.companyName);
    const after = await c.observer.apps.get(first);
    expect(after?.addresses.includes(A.stranger)).toBe(false);
    expect(after?.addresses.slice(0, ownerAddresses.length)).toEqual(ownerAddresses);
    // It does not take the company's addresses either (the form names their contact).
    for (const a of ownerAddresses) expect(strangers?.addresses.includes(a)).toBe(false);
    // Nothing about the stranger's application reaches the company's people (the form names them).
    for (const m of sent.filter((x) => (x.mail.subject ?? '').includes(`[${strangers?.id}]`))) expect(m.envelope.rcptTo).toEqual([A.stranger]);
    const toStranger = to(sent, A.stranger);
    expect(toStranger).toHaveLength(1);
    expect(toStranger[0]?.mail.subject).toContain(`[${strangers?.id}]`);
    expect(text(toStranger[0] as SinkMessage)).not.toContain(first);
    // A colleague from the company's own mail domain joins the application.
    expect(after?.emails.map((e) => e.from)).toContain(A.colleague);
    expect(to(sent, A.colleague)[0]?.mail.subject).toContain(`[${first}]`);

    // §2: the same Message-ID with other content is processed and flagged; the same bytes again are not.
    const done = Object.values(await c.observer.redis.hgetall(INTAKE_KEYS.done)).map((v) => JSON.parse(v) as DoneRecord);
    const reused = done.filter((d) => d.messageId === '<reused@reuse-corp.cn>');
    expect(reused.map((d) => [d.outcome, d.messageIdReused ?? false]).sort()).toEqual([
      ['folded', false],
      ['folded', true],
    ]);
    const reuseApp = byAddress(A.reuse);
    expect(reuseApp?.emails.map((e) => e.messageIdReused ?? false)).toEqual([false, true]);
    expect(reuseApp?.documents.filter((d) => d.kind === 'userReport')).toHaveLength(2);
    expect(to(sent, A.reuse)).toHaveLength(2);

    // §3: 5,000 links: 20 kept, the rest counted in one record; the receipt stays small.
    const linksApp = byAddress(A.links);
    expect(linksApp?.emails[0]?.links).toHaveLength(20);
    expect(docsOf(linksApp, '<links@links-corp.cn>').filter((d) => d.error?.messageZh === OVER).map((d) => d.file)).toEqual([expect.stringContaining('4980')]);
    // §3: the pathological Date: is only a claim; the email is read and answered.
    expect(docsOf(byAddress(A.date), '<date@date-corp.cn>').map((d) => d.kind)).toContain('userReport');
    // §3: 50 levels of forwarding: opened to the campaign's depth, the rest reported.
    const nested = docsOf(byAddress(A.nested), '<nested@nested-corp.cn>');
    expect(nested).toHaveLength(1);
    expect(nested[0]?.error?.code).toBe('UNSUPPORTED_FORMAT');
    // §3: 3,000 attachments: at most the budget read, the rest reported, never 3,000 records.
    const many = docsOf(byAddress(A.many), '<many@many-corp.cn>');
    expect(many.filter((d) => d.error === null).length).toBeLessThanOrEqual(200);
    expect(many.length).toBeLessThanOrEqual(222);
    expect(many.some((d) => d.error !== null)).toBe(true);
    // §3: archives inside archives count against the budget; the third level is not opened.
    const zips = docsOf(byAddress(A.zips), '<zips@zips-corp.cn>');
    expect(zips.filter((d) => d.error?.messageZh === OVER).length).toBeGreaterThan(0);
    expect(zips.filter((d) => d.error === null).length).toBeLessThanOrEqual(200);
    expect(zips.find((d) => d.file.endsWith('第三层.zip'))?.error).not.toBeNull();

    // Every sender was answered exactly once (the reused Message-ID: twice, once per content),
    // and no receipt is large, whatever the email held.
    for (const a of [A.links, A.date, A.nested, A.many, A.zips, A.normal]) expect(to(sent, a)).toHaveLength(1);
    const largest = Math.max(...sent.map((m) => m.raw.length));
    process.stdout.write(`bounded: ${sent.length} emails at the sink, largest ${largest} bytes\n`);
    expect(largest).toBeLessThan(200_000);
    expect(await worker.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});
