/**
 * The outbox against the real loopback stack (Redis, SMTP sink): at most once per key,
 * retries of 4xx, permanent 5xx, per-recipient limit, crashes around the send.
 */
import net from 'node:net';
import type { Redis } from 'ioredis';
import { createMailer, messageIdFor, SmtpSendError, type Mailer } from '../../src/mail/smtp';
import type { PlannedEmail } from '../../src/domain/outgoing';
import { deliver, Outbox, type DeliverDeps, type DeliverOutcome } from '../../src/notify/outbox';
import { outboundJobId } from '../../src/queues/outbound';
import { RecipientRateLimit } from '../../src/store/rate-limit';
import { createRedis } from '../../src/store/redis';
import { SentLog } from '../../src/store/sent-log';
import { startSendMailWorker, type SendMailWorker, type SendMailWorkerOptions } from '../../workers/send-mail';
import { runNode } from './helpers/child';
import { readSink, to, waitForMessages, withHeader, type SinkFilter } from './helpers/sink';
import { cleanPrefix, stackConfig, uid, uniquePrefix, waitFor } from './helpers/stack';
import type { ChildArgs } from './helpers/send-mail-child';

jest.setTimeout(60_000);

const config = stackConfig(['smtp', 'mailFrom']);

let prefix: string;
let loopId: string;
let redis: Redis;
let outbox: Outbox;
let workers: SendMailWorker[];
let mailers: Mailer[];
let mine: SinkFilter;

beforeEach(() => {
  prefix = uniquePrefix('outbox');
  loopId = `T${uid()}`;
  mine = withHeader('x-shenbao-loop', loopId);
  redis = createRedis(config, { prefix });
  outbox = Outbox.open(config, { prefix }, { attempts: 5, backoffMs: 200 });
  workers = [];
  mailers = [];
});

afterEach(async () => {
  await Promise.all(workers.map((w) => w.close(5_000)));
  mailers.forEach((m) => m.close());
  await outbox.close();
  redis.disconnect();
  await cleanPrefix(prefix);
});

function startWorker(options: Partial<SendMailWorkerOptions> = {}): SendMailWorker {
  const w = startSendMailWorker({ config, campaign: { id: loopId, perRecipientPerHour: 5 }, scope: { prefix }, ...options });
  workers.push(w);
  return w;
}

function depsInTest(claimTimeoutMs: number): DeliverDeps {
  const mailer = createMailer(config.smtp);
  mailers.push(mailer);
  return {
    mailer,
    sentLog: new SentLog(redis, { claimTimeoutMs }),
    rateLimit: new RecipientRateLimit(redis, { max: 5 }),
    from: config.mailFrom,
    loopId,
  };
}

function planned(over: Partial<PlannedEmail> = {}): PlannedEmail {
  const id = uid();
  return { key: `receipt:<m-${id}@mail.example.test>`, kind: 'receipt', to: `applicant-${id}@example.test`, subject: `Re: 申报材料 [SB2023-0042] 回执 ${id}`, text: `您好，材料已收到。${id}`, html: '', ...over };
}

async function jobState(key: string): Promise<string> {
  return outbox.queue.getJobState(outboundJobId(key));
}

async function settled(key: string, state: 'completed' | 'failed', timeoutMs = 20_000): Promise<void> {
  await waitFor(`job ${key} ${state}`, async () => (await jobState(key)) === state, timeoutMs);
}

async function returned(key: string): Promise<DeliverOutcome> {
  const job = await outbox.queue.getJob(outboundJobId(key));
  return job?.returnvalue as DeliverOutcome;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('sending', () => {
  it('sends a receipt once, threaded, with the auto-reply and loop headers and the Message-ID from its key', async () => {
    const receipt = planned({
      html: '<p>您好，材料已收到。</p>',
      inReplyTo: '<orig-2@mail.example.test>',
      references: ['<orig-1@mail.example.test>', '<orig-2@mail.example.test>'],
    });
    const reminder = planned({ key: `reminder:SB2023-0042:${uid()}`, kind: 'reminder', to: receipt.to, subject: '截止提醒' });
    await outbox.enqueue([receipt, reminder]);
    startWorker();
    await settled(receipt.key, 'completed');
    await settled(reminder.key, 'completed');

    const got = await waitForMessages(2, mine);
    expect(got).toHaveLength(2);
    const r = got.find((m) => m.mail.subject === receipt.subject);
    const n = got.find((m) => m.mail.subject === '截止提醒');
    if (!r || !n) throw new Error('receipt or reminder missing');

    expect(r.envelope.rcptTo).toEqual([receipt.to]);
    expect(r.envelope.mailFrom).toBe(config.mailFrom.address);
    expect(r.mail.messageId).toBe(messageIdFor(receipt.key, config.mailFrom.address));
    expect(r.mail.inReplyTo).toBe('<orig-2@mail.example.test>');
    expect(r.mail.references).toEqual(['<orig-1@mail.example.test>', '<orig-2@mail.example.test>']);
    expect(r.header('auto-submitted')).toBe('auto-replied');
    expect(r.header('precedence')).toBe('auto_reply');
    expect(r.header('x-auto-response-suppress')).toBe('All');
    expect(r.header('x-shenbao-loop')).toBe(loopId);
    expect(r.mail.text?.trim()).toBe(receipt.text);
    expect(r.mail.html).toContain('材料已收到');

    expect(n.header('auto-submitted')).toBe('auto-generated');
    expect(n.header('precedence')).toBe('bulk');
    expect(n.header('x-auto-response-suppress')).toBe('All');
    expect(n.header('in-reply-to')).toBe('');

    const log = new SentLog(redis);
    const record = await log.get(receipt.key);
    expect(record).toMatchObject({ state: 'sent', attempts: 1, to: receipt.to, messageId: r.mail.messageId, accepted: [receipt.to] });
    expect(await returned(receipt.key)).toMatchObject({ status: 'sent', attempt: 1 });
  });

  it('sends once when the same key is enqueued twice, and again after its job is gone', async () => {
    const email = planned();
    const [first] = await outbox.enqueue([email]);
    const [second] = await outbox.enqueue([{ ...email, subject: 'changed' }]);
    expect(second).toBe(first);
    startWorker();
    await settled(email.key, 'completed');
    await waitForMessages(1, mine);

    // BullMQ forgets a removed job's id: the sent log is what stops the second send.
    await (await outbox.queue.getJob(outboundJobId(email.key)))?.remove();
    await outbox.enqueue([email]);
    await settled(email.key, 'completed');
    expect(await returned(email.key)).toMatchObject({ status: 'already-sent' });
    await sleep(300);
    expect(await readSink(mine)).toHaveLength(1);
  });

  it('sends nothing when deliver runs again after a successful send', async () => {
    const deps = depsInTest(60_000);
    const email = planned();
    expect(await deliver(deps, email)).toMatchObject({ status: 'sent', attempt: 1 });
    expect(await deliver(deps, email)).toMatchObject({ status: 'already-sent' });
    await waitForMessages(1, mine);
    await sleep(300);
    expect(await readSink(mine)).toHaveLength(1);
  });
});

describe('crashes', () => {
  it('sends nothing twice when a worker dies after sending, before its job completed', async () => {
    const email = planned();
    await outbox.enqueue([email]);
    const args: ChildArgs = { mode: 'crash-after-job', prefix, loopId, claimTimeoutMs: 60_000, lockDurationMs: 1_000 };
    const exit = await runNode('test/integration/helpers/send-mail-child.ts', { CHILD_ARGS: JSON.stringify(args) });
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.stdout).toContain(`processed ${outboundJobId(email.key)}`);
    expect(await jobState(email.key)).toBe('active');
    expect(await readSink(mine)).toHaveLength(1);

    // The next worker finds the stalled job, runs it again, and the sent log stops it.
    startWorker({ lockDurationMs: 1_000 });
    await settled(email.key, 'completed');
    expect(await returned(email.key)).toMatchObject({ status: 'already-sent' });
    await sleep(300);
    expect(await readSink(mine)).toHaveLength(1);
  });

  it('holds a retry while a dead sender\'s claim is live, then re-sends with the same Message-ID', async () => {
    const email = planned();
    const claimTimeoutMs = 2_500;
    const args: ChildArgs = { mode: 'crash-after-send', prefix, loopId, claimTimeoutMs, email };
    const exit = await runNode('test/integration/helpers/send-mail-child.ts', { CHILD_ARGS: JSON.stringify(args) });
    expect(exit.signal).toBe('SIGKILL');
    const [sent] = await waitForMessages(1, mine);
    const log = new SentLog(redis);
    expect(await log.get(email.key)).toMatchObject({ state: 'claimed', attempts: 1 });

    // A retry within the claim's lifetime sends nothing and says when to come back.
    const deps = depsInTest(claimTimeoutMs);
    const held = await deliver(deps, email);
    expect(held).toMatchObject({ status: 'deferred', reason: 'claimed-elsewhere' });
    expect(await readSink(mine)).toHaveLength(1);

    // Whether the dead sender's message went out cannot be known: after the timeout the
    // email is sent again, under the same Message-ID, so mail clients show it once.
    if (held.status !== 'deferred') throw new Error('expected deferred');
    await sleep(Math.max(0, held.retryAt - Date.now()) + 50);
    expect(await deliver(deps, email)).toMatchObject({ status: 'sent', attempt: 2 });
    const both = await waitForMessages(2, mine);
    expect(both.map((m) => m.mail.messageId)).toEqual([sent?.mail.messageId, sent?.mail.messageId]);
    expect(await log.get(email.key)).toMatchObject({ state: 'sent', attempts: 2 });
  });
});

describe('the store fails around a send', () => {
  /** A sent log whose first `failures` sent marks are refused, as a demoted master refuses writes in a failover. */
  class RefusingSentLog extends SentLog {
    refused = 0;
    constructor(client: Redis, private failures: number, private onRefusal: () => Promise<void>) {
      super(client, { claimTimeoutMs: 1_000 });
    }
    override async markSent(key: string, info: { accepted: string[]; response: string }): Promise<boolean> {
      if (this.refused < this.failures) {
        this.refused++;
        await this.onRefusal();
        throw new Error('NOREPLICAS Not enough good replicas to write.');
      }
      return super.markSent(key, info);
    }
  }

  it('sends once when recording the send fails at first: the claim is kept until the mark holds', async () => {
    const email = planned();
    const other = depsInTest(1_000);
    const whileRefused: DeliverOutcome[] = [];
    // Past the claim timeout (1 s) while the mark is refused: the heartbeat must keep the claim.
    const sentLog = new RefusingSentLog(redis, 3, async () => {
      await sleep(600);
      whileRefused.push(await deliver(other, email));
    });
    const deps = { ...depsInTest(1_000), sentLog };
    expect(await deliver(deps, email)).toMatchObject({ status: 'sent', attempt: 1 });
    expect(sentLog.refused).toBe(3);
    expect(whileRefused.map((o) => o.status)).toEqual(['deferred', 'deferred', 'deferred']);
    expect(whileRefused[0]).toMatchObject({ reason: 'claimed-elsewhere' });
    expect(await sentLog.get(email.key)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(await deliver(other, email)).toMatchObject({ status: 'already-sent' });
    await waitForMessages(1, mine);
    await sleep(300);
    expect(await readSink(mine)).toHaveLength(1);
  });

  it('sends nothing on a claim that no replica confirmed, and releases it (WAIT)', async () => {
    // The stack's Redis has no replicas: asking for one, WAIT answers 0 after its timeout.
    const email = planned();
    const deps = { ...depsInTest(60_000), sentLog: new SentLog(redis, { waitReplicas: 1, waitTimeoutMs: 100 }) };
    const outcome = await deliver(deps, email);
    expect(outcome).toMatchObject({ status: 'deferred', reason: 'store-unconfirmed' });
    if (outcome.status !== 'deferred') throw new Error('expected deferred');
    expect(outcome.retryAt).toBeGreaterThan(Date.now());
    expect(await deps.sentLog.get(email.key)).toMatchObject({ state: 'retrying', attempts: 1 });
    await sleep(300);
    expect(await readSink(mine)).toHaveLength(0);
    // Released, not held: a sender with nothing to wait for takes it at once and sends it once.
    expect(await deliver(depsInTest(60_000), email)).toMatchObject({ status: 'sent', attempt: 2 });
    expect(await waitForMessages(1, mine)).toHaveLength(1);
    // A sent mark no replica confirmed says so (it stands on the master; the sender marks again).
    const another = planned();
    expect(await deps.sentLog.markSent(another.key, { accepted: [another.to], response: '250 ok' })).toBe(false);
    expect(await deps.sentLog.get(another.key)).toMatchObject({ state: 'sent' });
  });
});

describe('suppressing while a sender holds the claim', () => {
  it('is refused while the claim is renewed, whatever the two processes\' clocks say; allowed once it ran out', async () => {
    const email = planned();
    let real = 1_000_000;
    // The worker started with --now at one moment, the dashboard later: their shenbao clocks differ by a day.
    const worker = new SentLog(redis, { claimTimeoutMs: 20_000, now: () => Date.parse('2023-07-18T10:00:00+08:00'), realNow: () => real });
    const dashboard = new SentLog(redis, { claimTimeoutMs: 20_000, now: () => Date.parse('2023-07-19T10:00:00+08:00'), realNow: () => real });
    const claim = await worker.claim(email.key, { messageId: '<m@assoc.test>', to: email.to, subject: email.subject, kind: email.kind });
    if (claim.outcome !== 'claimed') throw new Error('expected a claim');
    real += 60_000; // a long send: renewed all along
    expect(await worker.renewClaim(email.key, claim.token)).toBe(true);
    real += 5_000;
    expect(await dashboard.suppress(email.key)).toBe('busy');
    expect(await worker.get(email.key)).toMatchObject({ state: 'claimed' });
    real += 20_000; // no renewal for the claim timeout: its sender is taken for dead
    expect(await dashboard.suppress(email.key)).toBe('ok');
    expect(await worker.get(email.key)).toMatchObject({ state: 'suppressed' });
  });
});

describe('failures', () => {
  it('retries a recipient the server refuses with 4xx, then delivers once', async () => {
    const email = planned({ to: `tempfail2-${uid()}@example.test` });
    await outbox.enqueue([email]);
    startWorker();
    await settled(email.key, 'completed');
    const job = await outbox.queue.getJob(outboundJobId(email.key));
    expect(job?.attemptsMade).toBe(3); // BullMQ 6 counts the successful attempt too
    expect(await returned(email.key)).toMatchObject({ status: 'sent', attempt: 3 });
    await sleep(300);
    expect(await readSink(to(email.to))).toHaveLength(1);
    expect(await new SentLog(redis).get(email.key)).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('treats an unreachable server as transient: the claim is released and a later try sends', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    const down = createMailer({ ...config.smtp, port: closedPort }, { timeoutMs: 2_000 });
    mailers.push(down);
    const email = planned();
    const deps = depsInTest(60_000);
    const failure = await deliver({ ...deps, mailer: down }, email).then(() => null, (err: unknown) => err);
    expect(failure).toBeInstanceOf(SmtpSendError);
    expect(failure).toMatchObject({ permanent: false, code: expect.stringMatching(/^E(CONNECTION|SOCKET)$/) }); // nodemailer 10 says ESOCKET for ECONNREFUSED
    expect(await deps.sentLog.get(email.key)).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(await deliver(deps, email)).toMatchObject({ status: 'sent', attempt: 2 });
    expect(await waitForMessages(1, mine)).toHaveLength(1);
  });

  it('fails a 5xx recipient for good at once and lists it for staff', async () => {
    const email = planned({ to: `reject-${uid()}@example.test` });
    await outbox.enqueue([email]);
    startWorker();
    await settled(email.key, 'failed');
    const job = await outbox.queue.getJob(outboundJobId(email.key));
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/550/);
    const failed = await new SentLog(redis).list({ state: 'failed' });
    expect(failed.map((r) => r.key)).toEqual([email.key]);
    expect(failed[0]?.lastError).toMatch(/550/);
    expect(await readSink(to(email.to))).toHaveLength(0);
  });

  it('gives up on a recipient that keeps answering 4xx after the last attempt, and lists it', async () => {
    await outbox.close();
    outbox = Outbox.open(config, { prefix }, { attempts: 3, backoffMs: 100 });
    const email = planned({ to: `tempfail-${uid()}@example.test` });
    await outbox.enqueue([email]);
    startWorker();
    await settled(email.key, 'failed');
    expect((await outbox.queue.getJob(outboundJobId(email.key)))?.attemptsMade).toBe(3);
    const record = await new SentLog(redis).get(email.key);
    expect(record?.state).toBe('failed');
    expect(record?.lastError).toMatch(/gave up after 3 attempts.*451/);
    expect(await readSink(to(email.to))).toHaveLength(0);
  });
});

describe('per-recipient limit', () => {
  it('delays the 6th email to one address within the window, and sends it when the window allows', async () => {
    const address = `busy-${uid()}@example.test`;
    const emails = Array.from({ length: 6 }, (_, i) => planned({ key: `notice:${uid()}:${i}`, kind: 'followUp', to: address, subject: `通知 ${i}` }));
    const windowMs = 4_000;
    await outbox.enqueue(emails);
    startWorker({ rateWindowMs: windowMs, concurrency: 1 });

    await waitForMessages(5, to(address));
    const states = await Promise.all(emails.map((e) => jobState(e.key)));
    expect(states.filter((s) => s === 'completed')).toHaveLength(5);
    expect(states.filter((s) => s === 'delayed')).toHaveLength(1);
    expect(await readSink(to(address))).toHaveLength(5);

    const all = await waitForMessages(6, to(address), windowMs + 10_000);
    expect(all).toHaveLength(6);
    expect(new Set(all.map((m) => m.mail.subject))).toEqual(new Set(emails.map((e) => e.subject)));
    await Promise.all(emails.map((e) => settled(e.key, 'completed')));
    // The limiter counts from the moment a slot is taken, just before the claim: the 6th was
    // claimed a full window after the first (less a Redis round trip between slot and claim;
    // without the limit all six go out within milliseconds).
    const log = new SentLog(redis);
    const claimed = (await Promise.all(emails.map((e) => log.get(e.key)))).map((r) => r?.claimedAt ?? NaN).sort((a, b) => a - b);
    expect(claimed[5]! - claimed[0]!).toBeGreaterThanOrEqual(windowMs - 100);
    expect(claimed[4]! - claimed[0]!).toBeLessThan(windowMs);
  });
});
