/**
 * Every setting of README's table, given through the environment only (no flag): `worker`,
 * `check`, `report` and `serve` run from the built CLI and each setting is seen to act.
 * (`--redis-prefix` is passed: it isolates this test's keys on the shared Redis, and is no
 * setting.) SHENBAO_NOW used to be ignored whenever `--now` was absent.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { appendMessages, composeEmail, imapFromEnv, mailboxFlags, ROOT } from '../../../scripts/demo';
import { LOOP_HEADER } from '../../../src/mail/smtp';
import { createRedis } from '../../../src/store/redis';
import { SentLog } from '../../../src/store/sent-log';
import { compiledPath, runCli } from '../helpers/child';
import { readSink } from '../helpers/sink';
import { cleanPrefix, stackEnv, uniquePrefix, waitFor } from '../helpers/stack';
import { client } from '../http/client';

jest.setTimeout(180_000);

const tag = randomBytes(4).toString('hex');
const loopId = `ENV${tag.toUpperCase()}`;
const prefix = uniquePrefix('env-settings');
const mailbox = `Env-${tag}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shenbao-env-'));
const storage = path.join(dir, 'storage');
const campaignFile = path.join(dir, 'campaign.yaml');
const campaignName = `环境变量测试征集 ${tag}`;
const staff = `staff-${tag}@assoc.test`;
const sender = `env-${tag}@yunfan-soft.cn`;
const NOW = '2023-07-17T10:00:00+08:00';

afterAll(async () => {
  await cleanPrefix(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The stack's environment with every setting this test gives, nothing inherited that could stand in. */
function settings(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return env;
}

const run = (args: string[], env: NodeJS.ProcessEnv) => runCli(args, env, 60_000);

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => http.get(url, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject));
}

beforeAll(() => {
  compiledPath('src/cli/main.ts');
  const base = fs.readFileSync(path.join(ROOT, 'campaigns/2023.yaml'), 'utf8');
  // Another number prefix (also the loop header), another name, and an association deadline
  // moved before the emails: what CAMPAIGN_FILE says must show in every command.
  const custom = base
    .replace(/^idPrefix: SB2023$/m, `idPrefix: ${loopId}`)
    .replace(/^name: .*$/m, `name: ${campaignName}`)
    .replace(/^ {2}association: "2023-07-20"$/m, '  association: "2023-07-10"');
  if (custom === base || !custom.includes(loopId) || !custom.includes('2023-07-10')) throw new Error('campaigns/2023.yaml: lines to replace not found');
  fs.writeFileSync(campaignFile, custom);
});

test('worker: IMAP_*, SMTP_*, MAIL_FROM, STAFF_EMAIL, REDIS_URL, CAMPAIGN_FILE, STORAGE_DIR, DASHBOARD_URL, SHENBAO_NOW, LOG_LEVEL, WORKER_HTTP_*', async () => {
  const env = stackEnv();
  const imap = imapFromEnv();
  const opsPort = await freePort();
  await appendMessages(imap, mailbox, [{
    raw: await composeEmail({ from: sender, subject: '申报材料', text: '附件', files: ['forms/core-form.docx', 'other/core-copyright-certificate.pdf'], messageId: `<env-${tag}@yunfan-soft.cn>` }),
    at: new Date('2023-07-15T10:00:00+08:00'),
  }]);
  const logFile = path.join(dir, 'worker.log');
  const out = fs.openSync(logFile, 'a');
  const worker = spawn(process.execPath, [path.join(ROOT, 'bin/shenbao.js'), 'worker', '--redis-prefix', prefix], {
    env: settings({
      IMAP_HOST: env.imap.host, IMAP_PORT: String(env.imap.port), IMAP_SECURE: 'false', IMAP_USER: env.imap.user, IMAP_PASSWORD: env.imap.password,
      IMAP_MAILBOX: mailbox,
      SMTP_HOST: env.smtp.host, SMTP_PORT: String(env.smtp.port), SMTP_SECURE: 'false',
      MAIL_FROM: `"环境测试协会" <${env.mailFrom}>`, STAFF_EMAIL: staff, REDIS_URL: env.redisUrl,
      CAMPAIGN_FILE: campaignFile, STORAGE_DIR: storage, DASHBOARD_URL: `http://dash-${tag}.example.test/`,
      SHENBAO_NOW: NOW, LOG_LEVEL: 'warn', WORKER_HTTP_PORT: String(opsPort), WORKER_HTTP_HOST: '127.0.0.1',
    }),
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
  try {
    const ours = async () => readSink((m) => m.header(LOOP_HEADER) === loopId);
    const sent = await waitFor('the late notice and the digest', async () => {
      const s = await ours();
      return s.some((m) => m.envelope.rcptTo.includes(sender)) && s.some((m) => m.envelope.rcptTo.includes(staff)) ? s : null;
    }, 90_000, 200);
    // WORKER_HTTP_PORT / WORKER_HTTP_HOST: the ops server answers there.
    expect([200, 503]).toContain(await get(`http://127.0.0.1:${opsPort}/healthz`));
    const reply = sent.find((m) => m.envelope.rcptTo.includes(sender));
    // MAIL_FROM with its display name; CAMPAIGN_FILE: its number prefix, and its deadline made the email late.
    expect(reply?.mail.from?.value[0]).toEqual({ address: env.mailFrom, name: '环境测试协会' });
    expect(reply?.mail.subject).toContain(`${loopId}-0001`);
    expect(reply?.mail.text).toContain('截止日期为 2023年7月10日，本邮件在此之后送达');
    // STAFF_EMAIL got the digest, which links DASHBOARD_URL.
    expect(sent.find((m) => m.envelope.rcptTo.includes(staff))?.mail.text).toContain(`http://dash-${tag}.example.test/`);
    // STORAGE_DIR keeps the raw email.
    const kept = fs.readdirSync(path.join(storage, 'raw'), { recursive: true }).map(String).filter((f) => f.endsWith('.eml'));
    expect(kept).toHaveLength(1);
    // IMAP_MAILBOX: the message there is flagged processed.
    expect([...(await mailboxFlags(imap, mailbox)).values()]).toEqual([expect.arrayContaining(['$Shenbao-Done'])]);
    // SHENBAO_NOW: the sent log's times are the shifted clock's (2023), not the system's.
    const redis = createRedis({ redis: { url: env.redisUrl } }, { prefix });
    try {
      const records = await new SentLog(redis).list();
      expect(records.length).toBeGreaterThanOrEqual(2);
      for (const r of records) expect(new Date(r.sentAt ?? 0).getUTCFullYear()).toBe(2023);
    } finally {
      redis.disconnect();
    }
  } finally {
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
  // LOG_LEVEL=warn: not one info line (the worker logs several at info on every start).
  const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.startsWith('{'));
  expect(lines.filter((l) => /"level":(10|20|30)\b/.test(l))).toEqual([]);
});

test('report: REDIS_URL, CAMPAIGN_FILE, SHENBAO_NOW', async () => {
  const r = await run(['report', '--redis-prefix', prefix, '--format', 'json'], settings({
    REDIS_URL: stackEnv().redisUrl, CAMPAIGN_FILE: campaignFile, SHENBAO_NOW: '2023-07-18T12:00:00+08:00',
  }));
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as { generatedAt: string; campaign: string; count: number; applications: { number: string }[] };
  expect(json.campaign).toBe(campaignName);
  expect(json.generatedAt.slice(0, 16)).toBe('2023-07-18T04:00');
  expect(json.applications.map((a) => a.number)).toEqual([`${loopId}-0001`]);
});

test('check: SHENBAO_NOW (an email with no time at all arrived now), CAMPAIGN_FILE (its deadlines)', async () => {
  const eml = path.join(dir, 'no-dates.eml');
  fs.writeFileSync(eml, `From: a-${tag}@example.test\r\nTo: intake@assoc.test\r\nSubject: =?UTF-8?B?${Buffer.from('申报').toString('base64')}?=\r\nMessage-ID: <nodate-${tag}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n`);
  const r = await run(['check', eml], settings({ SHENBAO_NOW: '2023-07-15T09:00:00+08:00', CAMPAIGN_FILE: campaignFile }));
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as { receivedAt: string; receivedAtSource: string; deadline: { status: string } };
  expect(json.receivedAtSource).toBe('internalDate');
  expect(json.receivedAt.slice(0, 16)).toBe('2023-07-15T01:00');
  // After the campaign file's association deadline (07-10), before the federation's (07-31).
  expect(json.deadline.status).toBe('late');
});

test('serve: HTTP_PORT, HTTP_HOST, DASHBOARD_USER, DASHBOARD_PASSWORD, DASHBOARD_SESSION_KEY, REDIS_URL, STORAGE_DIR', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/shenbao.js'), 'serve', '--redis-prefix', prefix], {
    env: settings({
      HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', DASHBOARD_USER: `u${tag}`, DASHBOARD_PASSWORD: `p-${tag}`,
      DASHBOARD_SESSION_KEY: randomBytes(32).toString('hex'), REDIS_URL: stackEnv().redisUrl, STORAGE_DIR: storage, LOG_LEVEL: 'warn',
      CAMPAIGN_FILE: campaignFile, SHENBAO_NOW: NOW,
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor('serve listening', async () => stderr.includes(`http://127.0.0.1:${port}`), 30_000, 50);
    const c = client(`http://127.0.0.1:${port}`);
    expect((await c.login(`u${tag}`, 'wrong')).headers.location).toMatch(/^\/login\?failed=1/);
    const ok = await c.login(`u${tag}`, `p-${tag}`);
    expect([ok.statusCode, ok.headers.location]).toEqual([303, '/']);
    // The application the worker stored under this Redis, with the campaign file's number.
    const list = await c.get('/');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`${loopId}-0001`);
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});
