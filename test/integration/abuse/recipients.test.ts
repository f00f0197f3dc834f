/**
 * Abuse suite, issue 8 §1 and §4: whom we write to, and what reaches our headers and bodies.
 * Every email is built here with Python's `email` package (make-email.py), never with
 * shenbao's parser; our receiving server's verdicts are written by mailauth with a local
 * resolver (no DNS). The real worker (dist/, as `shenbao worker`) reads them from Dovecot and
 * sends to the SMTP sink; what is asserted is what reached the sink, recipients counted from
 * the envelope: every email has exactly one RCPT TO, and nobody outside the expected
 * addresses gets anything. Prints, per class, the inputs tried, how many were handled as
 * expected, and the slowest (append → processed) time.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Application } from '../../../src/domain/application';
import { isMessageId } from '../../../src/domain/message-id';
import { hasHiddenCharacters } from '../../../src/domain/sanitize';
import { RATE_KEYS, type HeldEmail } from '../../../src/store/rate-limit';
import { INTAKE_KEYS } from '../../../src/store/intake-log';
import { Outbox } from '../../../src/notify/outbox';
import { SentLog } from '../../../src/store/sent-log';
import type { SinkMessage } from '../helpers/sink';
import { stackEnv, waitFor } from '../helpers/stack';
import { at, openCase, sleep, type Case } from '../e2e/harness';
import { OURS, viaOurMx } from '../../unit/mail/our-mx';

jest.setTimeout(400_000);

const MAKE = path.join(__dirname, 'make-email.py');
const REPORT = { name: 'core-user-report-1.docx', fixture: 'other/core-user-report-1.docx' };

type HeaderValue = string | { name: string; addr: string };
interface Spec {
  headers: [string, HeaderValue][];
  text?: string;
  attachments?: { name: string; fixture: string; replace?: [string, string][] }[];
}

let seq = 0;
function build(spec: Spec): Buffer {
  const id = `<abuse-${++seq}-${Date.now()}@client.example>`;
  const headers: [string, HeaderValue][] = [['To', 'intake@assoc.test'], ['Message-ID', id], ['Date', 'Mon, 10 Jul 2023 10:00:00 +0800'], ...spec.headers];
  if (!headers.some(([k]) => k === 'Subject')) headers.push(['Subject', '申报材料']);
  return execFileSync('python3', [MAKE], { input: JSON.stringify({ text: '附件为申报材料。', attachments: [REPORT], ...spec, headers }), maxBuffer: 64 * 1024 * 1024 });
}


interface Input {
  label: string;
  raw: Buffer;
  /** The one address that must get the receipt, or null: nobody gets anything. */
  expect: string | null;
  /** Extra checks on the application and the emails sent for this input. */
  check?: (app: Application | undefined, sent: SinkMessage[]) => void;
}

interface ClassResult {
  name: string;
  tried: number;
  handled: number;
  slowestMs: number;
}

const results: ClassResult[] = [];
let c: Case;

afterAll(async () => {
  process.stdout.write(
    `\nabuse/recipients: class | inputs tried | handled | slowest append→processed\n${results.map((r) => `  ${r.name.padEnd(34)} ${String(r.tried).padStart(3)} ${String(r.handled).padStart(3)} ${String(r.slowestMs).padStart(6)} ms`).join('\n')}\n`,
  );
  if (c) await c.close();
});

/** Appends the inputs, waits until each is processed (timing each), returns per-uid latency. */
async function runClass(name: string, inputs: Input[], expectedTotal: () => number): Promise<void> {
  const start = Date.now();
  const before = await c.observer.processed();
  const uids = await c.append(inputs.map((i) => ({ raw: i.raw, at: at('2023-07-10T10:00:00+08:00') })));
  // The worker needs the mailbox to exist: it starts after the first append (its start-up counts in that class).
  if (c.workers.length === 0) c.startWorker('2023-07-10T10:05:00+08:00');
  const doneAt = new Map<number, number>();
  while (doneAt.size < uids.length) {
    const done = await c.observer.redis.hkeys(INTAKE_KEYS.done);
    for (const key of done) {
      const uid = Number(key.split('/').pop());
      if (uids.includes(uid) && key.startsWith(`${c.mailbox}/`) && !doneAt.has(uid)) doneAt.set(uid, Date.now());
    }
    if (Date.now() - start > 180_000) throw new Error(`${name}: ${doneAt.size}/${uids.length} processed`);
    await sleep(100);
  }
  await c.observer.settle(before + inputs.length, 120_000);
  const sent = await c.sent();
  const apps = await c.observer.apps.all();
  const records = await c.observer.redis.hgetall(INTAKE_KEYS.done);
  let handled = 0;
  inputs.forEach((input, i) => {
    const uid = uids[i];
    const rec = Object.entries(records).find(([k]) => k.startsWith(`${c.mailbox}/`) && Number(k.split('/').pop()) === uid)?.[1];
    const done = rec ? (JSON.parse(rec) as { applicationId: string | null; outcome: string }) : null;
    const appId = done?.applicationId ?? null;
    const app = apps.find((a) => a.id === appId);
    const mine = sent.filter((m) => appId !== null && (m.mail.subject ?? '').includes(`[${appId}]`));
    try {
      if (input.expect === null) {
        expect({ input: input.label, sent: mine.map((m) => m.envelope.rcptTo) }).toEqual({ input: input.label, sent: [] });
        // Staff see why: the email's noReply record (or it was an automatic message, listed as such).
        const why = app?.emails[0]?.noReply?.reasonZh ?? (done?.outcome === 'automatic' ? 'automatic' : null);
        expect({ input: input.label, why: typeof why }).toEqual({ input: input.label, why: 'string' });
      } else {
        expect({ input: input.label, sent: mine.map((m) => m.envelope.rcptTo) }).toEqual({ input: input.label, sent: [[input.expect]] });
      }
      input.check?.(app, mine);
      handled++;
    } catch (err) {
      results.push({ name, tried: inputs.length, handled, slowestMs: Math.max(...uids.map((u) => (doneAt.get(u) ?? start) - start)) });
      throw err;
    }
  });
  // Whatever was planned, nothing left with more than one recipient, nor to anyone unexpected.
  for (const m of sent) expect(m.envelope.rcptTo).toHaveLength(1);
  expect(sent.length).toBe(expectedTotal());
  results.push({ name, tried: inputs.length, handled, slowestMs: Math.max(...uids.map((u) => (doneAt.get(u) ?? start) - start)) });
}

test('whom we write to, and what reaches headers, bodies and the store', async () => {
  c = openCase('abuse-recipients');
  const campaignFile = path.join(c.dir, 'campaign.yaml');
  const yaml = fs.readFileSync(campaignFile, 'utf8');
  if (!yaml.includes('  trustedAuthServIds: []')) throw new Error('campaign: trustedAuthServIds line not found');
  fs.writeFileSync(campaignFile, yaml.replace('  trustedAuthServIds: []', `  trustedAuthServIds: [${OURS}]`));
  let expected = 0;
  const total = () => expected;
  try {
    // 1. From holding several addresses: only a single Sender is answered.
    const lists: Input[] = [
      { label: 'list, no Sender', raw: build({ headers: [['From', 'a@victim1.example, b@victim2.example']] }), expect: null },
      { label: 'list of 50, no Sender', raw: build({ headers: [['From', Array.from({ length: 50 }, (_, i) => `v${i}@victim${i}.example`).join(', ')]] }), expect: null },
      { label: 'list with Sender', raw: build({ headers: [['From', 'a@victim1.example, b@victim2.example'], ['Sender', 'clerk@sender-ok.example']] }), expect: 'clerk@sender-ok.example' },
      { label: 'list with a list as Sender', raw: build({ headers: [['From', 'a@victim1.example, b@victim2.example'], ['Sender', 'c@victim3.example, d@victim4.example']] }), expect: null },
      { label: 'semicolon list', raw: build({ headers: [['From', 'a@victim1.example; b@victim2.example']] }), expect: null },
      { label: 'two From headers', raw: build({ headers: [['From', 'a@victim1.example'], ['From', 'b@victim2.example']] }), expect: null },
      { label: 'not an address', raw: build({ headers: [['From', { name: '李四', addr: '' }]] }), expect: null },
    ];
    expected += 1;
    await runClass('From lists / Sender', lists, total);

    // 2. Groups.
    const groups: Input[] = [
      { label: 'undisclosed-recipients:;', raw: build({ headers: [['From', 'undisclosed-recipients:;']] }), expect: null },
      { label: 'group with members', raw: build({ headers: [['From', 'Team: a@victim1.example, b@victim2.example;']] }), expect: null },
    ];
    await runClass('groups', groups, total);

    // 3. Quoted local parts, comments, display names that look like addresses.
    const quoted: Input[] = [
      { label: 'quoted dot-atom local part', raw: build({ headers: [['From', '"li.si"@quoted-ok.example']] }), expect: 'li.si@quoted-ok.example' },
      { label: 'comment after the address', raw: build({ headers: [['From', 'lisi@comment-ok.example (Li Si, at work)']] }), expect: 'lisi@comment-ok.example' },
      { label: 'quoted local part holding an address', raw: build({ headers: [['From', '"a,b@victim5.example"@quoted-bad.example']] }), expect: null },
      { label: 'display name is another address', raw: build({ headers: [['From', '"boss@victim6.example" <me@display-ok.example>']] }), expect: 'me@display-ok.example' },
      { label: 'nested comments (40)', raw: build({ headers: [['From', `${'(c'.repeat(40)}${')'.repeat(40)} a@victim7.example`]] }), expect: null },
    ];
    expected += 3;
    await runClass('quoted parts / comments', quoted, total);

    // 4. Spoofed domains: our server's verdicts (mailauth), and the same verdict from a server we do not trust.
    const spoofed: Input[] = [
      { label: 'DMARC fail at our MX', raw: await viaOurMx(build({ headers: [['From', 'ceo@bank.example']] }), '203.0.113.9', 'ceo@bank.example'), expect: null },
      { label: 'SPF fail, no DMARC, at our MX', raw: await viaOurMx(build({ headers: [['From', 'x@nodmarc.example']] }), '203.0.113.9', 'x@nodmarc.example'), expect: null },
      {
        label: 'forged dmarc=pass below our fail',
        raw: await viaOurMx(build({ headers: [['Authentication-Results', `${OURS}; dmarc=pass header.from=bank.example`], ['From', 'cfo@bank.example']] }), '203.0.113.9', 'cfo@bank.example'),
        expect: null,
      },
      { label: 'DMARC fail at a server we do not trust', raw: await viaOurMx(build({ headers: [['From', 'teller@bank.example']] }), '203.0.113.9', 'teller@bank.example', 'mx.elsewhere.example'), expect: 'teller@bank.example' },
      { label: 'DMARC pass at our MX', raw: await viaOurMx(build({ headers: [['From', 'clerk@bank.example']] }), '192.0.2.1', 'clerk@bank.example'), expect: 'clerk@bank.example' },
    ];
    expected += 2;
    await runClass('spoofed domains', spoofed, total);

    // 5. A form whose contact email is a list: INVALID_FIELD, and no email to the listed strangers.
    const contact: Input[] = [
      {
        label: 'form contact is a list',
        raw: build({
          headers: [['From', 'lina@guanggu-tech.cn']],
          attachments: [{ name: '登记表.docx', fixture: 'forms/f25-guanggu-company.docx', replace: [['zhaomin@ggsz.com.cn', 'zhaomin@ggsz.com.cn, boss@victim8.example']] }],
        }),
        expect: 'lina@guanggu-tech.cn',
        check: (app) => {
          const issues = app ? JSON.stringify(app.forms.map((f) => f.form.company.contact.email)) : '';
          expect(issues).toContain('victim8');
          expect(app?.addresses).not.toContain('boss@victim8.example');
        },
      },
    ];
    expected += 1;
    await runClass('form contact list', contact, total);
    const contactApp = (await c.observer.apps.all()).find((a) => a.addresses.includes('lina@guanggu-tech.cn'));
    const receipt = (await c.sent()).find((m) => m.envelope.rcptTo.includes('lina@guanggu-tech.cn'));
    expect(receipt?.mail.text).toContain('只能填写一个电子邮箱地址');
    expect(contactApp).toBeDefined();

    // 6. Control characters and bidi overrides in subjects, display names and file names.
    const hidden = '\u202E\u2066\u200F\u0007\u001B\u009B';
    const controls: Input[] = [
      {
        label: 'bidi + C0/C1 in subject, name, file name',
        raw: build({
          headers: [['From', { name: `李${hidden}四`, addr: 'lisi@controls.example' }], ['Subject', `申报${hidden}材料gpj.exe`]],
          attachments: [{ name: `报告${hidden}xcod.exe.docx`, fixture: REPORT.fixture }],
        }),
        expect: 'lisi@controls.example',
        check: (app, sent) => {
          expect(app?.emails[0]?.subject).toBe('申报材料gpj.exe');
          expect(app?.documents.map((d) => d.file)).toEqual(['报告xcod.exe.docx']);
          for (const m of sent) {
            expect(hasHiddenCharacters(m.mail.subject ?? '')).toBe(false);
            expect(hasHiddenCharacters((m.mail.text ?? '').replace(/\n/g, ' '))).toBe(false);
            expect(m.mail.text).toContain('报告xcod.exe.docx');
          }
        },
      },
      {
        label: '2 000-character subject and file name',
        raw: build({ headers: [['From', 'long@controls.example'], ['Subject', `申报${'长'.repeat(2000)}`]], attachments: [{ name: `${'名'.repeat(2000)}.docx`, fixture: REPORT.fixture }] }),
        expect: 'long@controls.example',
        check: (_app, sent) => {
          for (const m of sent) {
            expect([...(m.mail.subject ?? '')].length).toBeLessThan(120);
            for (const line of (m.mail.text ?? '').split('\n')) expect([...line].length).toBeLessThan(220);
          }
        },
      },
    ];
    expected += 2;
    await runClass('control characters', controls, total);

    // 7. 50 References (and one 2 000-character id): the reply carries the last 10 well-formed ones.
    const refs = [...Array.from({ length: 50 }, (_, i) => `<ref${i}@thread.example>`), `<${'x'.repeat(2000)}@evil.example>`, '<with space@evil.example>'];
    const threading: Input[] = [
      {
        label: '50 References + malformed ids',
        raw: build({ headers: [['From', 'thread@refs.example'], ['In-Reply-To', '<ref49@thread.example>'], ['References', refs.join(' ')]] }),
        expect: 'thread@refs.example',
        check: (_app, sent) => {
          for (const m of sent) {
            const ids = m.header('references').split(/\s+/).filter(Boolean);
            expect(ids.length).toBeLessThanOrEqual(10);
            for (const id of ids) expect(isMessageId(id)).toBe(true);
            expect(ids).toContain('<ref49@thread.example>');
            for (const line of m.raw.toString('latin1').split('\r\n')) expect(Buffer.byteLength(line, 'latin1')).toBeLessThanOrEqual(998);
          }
        },
      },
    ];
    expected += 1;
    await runClass('References', threading, total);

    // §4: the indexes built from applicant input expire (campaign end + retentionDays), none is huge.
    for (const key of ['app:by-address', 'app:by-company', INTAKE_KEYS.byMessageId, INTAKE_KEYS.byHash]) {
      const ttl = await c.observer.redis.ttl(key);
      expect({ key, expires: ttl > 300 * 86_400 && ttl < 420 * 86_400 }).toEqual({ key, expires: true });
    }
    for (const field of await c.observer.redis.hkeys('app:by-address')) expect(field.length).toBeLessThanOrEqual(256);
    expect(await c.workers[0]?.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(c.logs());
    throw err;
  }
});

test('global and per-domain limits hold emails back, visibly, and send them later', async () => {
  const r = openCase('abuse-ratelimit');
  try {
    const campaignFile = path.join(r.dir, 'campaign.yaml');
    const yaml = fs.readFileSync(campaignFile, 'utf8');
    if (!yaml.includes('  globalPerHour: 300') || !yaml.includes('  perDomainPerHour: 100')) throw new Error('campaign: rateLimit lines not found');
    fs.writeFileSync(campaignFile, yaml.replace('  globalPerHour: 300', '  globalPerHour: 3').replace('  perDomainPerHour: 100', '  perDomainPerHour: 2'));
    const start = Date.now();
    // Six senders: four on one domain (limit 2 an hour), two elsewhere; 3 an hour in all.
    const senders = ['a@flood.example', 'b@flood.example', 'c@flood.example', 'd@flood.example', 'e@one.example', 'f@two.example'];
    await r.append(senders.map((s) => ({ raw: build({ headers: [['From', s]] }), at: at('2023-07-10T10:00:00+08:00') })));
    const worker = r.startWorker('2023-07-10T10:05:00+08:00');
    const until = Date.now() + 180_000;
    while ((await r.observer.processed()) < senders.length && Date.now() < until) await sleep(200);
    let held: HeldEmail[] = [];
    while (Date.now() < until) {
      const ids = await r.observer.redis.zrange(RATE_KEYS.held, '0', '-1');
      if ((await r.sent()).length >= 3 && ids.length >= 3) {
        const infos = await r.observer.redis.hmget(RATE_KEYS.heldInfo, ...ids);
        held = infos.map((v) => JSON.parse(v ?? '{}') as HeldEmail);
        break;
      }
      await sleep(200);
    }
    const sent = await r.sent();
    for (const m of sent) expect(m.envelope.rcptTo).toHaveLength(1);
    expect(sent).toHaveLength(3);
    expect(sent.filter((m) => m.envelope.rcptTo[0]?.endsWith('@flood.example')).length).toBeLessThanOrEqual(2);
    // The other three wait, listed with the limit that holds them: never dropped.
    expect(held).toHaveLength(3);
    for (const h of held) expect(['global', 'domain']).toContain(h.scope);
    const outbound = await r.observer.outbound.getJobCounts('delayed');
    expect(outbound.delayed).toBe(3);
    results.push({ name: 'rate limits (global 3, domain 2)', tried: senders.length, handled: sent.length + held.length, slowestMs: Date.now() - start });

    // Defence in depth: a job whose `to` is not exactly one mailbox (whatever queued it) is failed for good, never sent.
    const outbox = Outbox.open({ redis: { url: stackEnv().redisUrl } }, { prefix: r.prefix });
    const bad = ['a@victim1.example, b@victim2.example', 'undisclosed-recipients:;', 'Boss <boss@victim3.example>', 'x@victim4.example\r\nBcc: y@victim5.example'];
    const t0 = Date.now();
    await outbox.enqueue(bad.map((to, i) => ({ key: `${r.loopId}-9999:receipt:bad${i}`, kind: 'receipt', to, subject: 's', text: 't', html: '' })));
    await outbox.close();
    const sentLog = new SentLog(r.observer.redis);
    const states = await waitFor('refused jobs recorded', async () => {
      const recs = await Promise.all(bad.map((_, i) => sentLog.get(`${r.loopId}-9999:receipt:bad${i}`)));
      return recs.every((x) => x?.state === 'failed') ? recs : null;
    }, 30_000);
    for (const s of states) expect(s?.lastError ?? '').toMatch(/not exactly one mailbox/);
    expect(await r.sent()).toHaveLength(3);
    results.push({ name: 'outbox: not one mailbox', tried: bad.length, handled: states.length, slowestMs: Date.now() - t0 });
    expect(await worker.stop()).toBe(0);
  } catch (err) {
    process.stderr.write(r.logs());
    throw err;
  } finally {
    await r.close();
  }
});
