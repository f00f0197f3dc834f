import path from 'node:path';
import { ConfigError, COMMAND_NEEDS, loadConfig, parseInstant } from '../../../src/config/env';

const worker = {
  IMAP_HOST: 'imap.assoc.test', IMAP_PORT: '993', IMAP_USER: 'intake@assoc.test', IMAP_PASSWORD: 's3cret',
  SMTP_HOST: 'smtp.assoc.test', SMTP_PORT: '465', SMTP_USER: 'intake@assoc.test', SMTP_PASSWORD: 'p',
  MAIL_FROM: '申报受理 <intake@assoc.test>', STAFF_EMAIL: 'staff@assoc.test',
};

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults when nothing is set (parse/check need nothing)', () => {
    const c = loadConfig({}, { cwd: '/srv/shenbao', require: COMMAND_NEEDS.check });
    expect(c.imap).toBeNull();
    expect(c.smtp).toBeNull();
    expect(c.mailFrom).toBeNull();
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.http).toEqual({ port: 8080, host: '127.0.0.1', dashboard: null, dashboardUrl: null, sessionKey: null });
    expect(c.logLevel).toBe('info');
    expect(c.now).toBeNull();
    expect(c.campaignFile).toBeNull();
    expect(c.storageDir).toBe(path.resolve('/srv/shenbao', 'data/mail'));
  });

  it('reads a full worker environment into typed sections', () => {
    const c = loadConfig({ ...worker, IMAP_MAILBOX: '申报', LOG_LEVEL: 'debug', HTTP_PORT: '9000' }, { require: COMMAND_NEEDS.worker });
    expect(c.imap).toEqual({ host: 'imap.assoc.test', port: 993, secure: true, user: 'intake@assoc.test', password: 's3cret', mailbox: '申报' });
    expect(c.smtp).toEqual({ host: 'smtp.assoc.test', port: 465, secure: true, auth: { user: 'intake@assoc.test', password: 'p' } });
    expect(c.mailFrom).toEqual({ address: 'intake@assoc.test', name: '申报受理' });
    expect(c.staffEmail).toBe('staff@assoc.test');
    expect(c.http.port).toBe(9000);
    expect(c.logLevel).toBe('debug');
    // typed as present because the worker requires it
    expect(c.imap.mailbox).toBe('申报');
  });

  it.each([
    ['"武汉软协" <intake@assoc.test>', { address: 'intake@assoc.test', name: '武汉软协' }],
    ['武汉软协 申报 <intake@assoc.test>', { address: 'intake@assoc.test', name: '武汉软协 申报' }],
    ['<intake@assoc.test>', { address: 'intake@assoc.test', name: null }],
    ['  intake@assoc.test  ', { address: 'intake@assoc.test', name: null }],
  ])('reads MAIL_FROM %s', (from, expected) => {
    expect(loadConfig({ MAIL_FROM: from }).mailFrom).toEqual(expected);
  });

  it('a flag not given leaves the environment\'s value standing (SHENBAO_NOW without --now)', () => {
    const env = { SHENBAO_NOW: '2023-07-17T10:00:00+08:00' };
    expect(loadConfig(env, { overrides: { SHENBAO_NOW: undefined } }).now?.toISOString()).toBe('2023-07-17T02:00:00.000Z');
    expect(loadConfig(env, { overrides: { SHENBAO_NOW: '2023-07-21' } }).now?.toISOString()).toBe('2023-07-20T16:00:00.000Z');
  });

  it('reads plain-text loopback servers without SMTP auth', () => {
    const c = loadConfig({ IMAP_HOST: '127.0.0.1', IMAP_PORT: '1143', IMAP_SECURE: 'false', IMAP_USER: 'u', IMAP_PASSWORD: 'p', SMTP_HOST: '127.0.0.1', SMTP_PORT: '2525', MAIL_FROM: 'intake@assoc.test' });
    expect(c.imap?.secure).toBe(false);
    expect(c.imap?.port).toBe(1143);
    expect(c.smtp).toEqual({ host: '127.0.0.1', port: 2525, secure: false, auth: null });
    expect(c.mailFrom).toEqual({ address: 'intake@assoc.test', name: null });
  });

  it('names the variable in one line for a malformed port', () => {
    const err = errorOf(() => loadConfig({ ...worker, IMAP_PORT: 'abc' }));
    expect(err.variable).toBe('IMAP_PORT');
    expect(err.message).toBe('IMAP_PORT must be a port number (got "abc")');
    expect(errorOf(() => loadConfig({ HTTP_PORT: '70000' })).message).toBe('HTTP_PORT must be a port number (got "70000")');
  });

  it.each([
    ['IMAP_SECURE', 'maybe', 'IMAP_SECURE must be true or false (got "maybe")'],
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL must be a redis:// or rediss:// URL (got "localhost:6379")'],
    ['STAFF_EMAIL', 'staff', 'STAFF_EMAIL must be an email address (got "staff")'],
    ['MAIL_FROM', 'Intake <nobody>', 'MAIL_FROM must be an email address, optionally as "Name <address>" (got "Intake <nobody>")'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    ['SHENBAO_NOW', 'yesterday', 'SHENBAO_NOW must be an ISO-8601 date or date-time (got "yesterday")'],
  ])('rejects a malformed %s', (name, value, message) => {
    const err = errorOf(() => loadConfig({ ...worker, [name]: value }));
    expect(err.variable).toBe(name);
    expect(err.message).toBe(message);
    expect(err.message).not.toContain('\n');
  });

  it('never echoes a password', () => {
    const err = errorOf(() => loadConfig({ IMAP_HOST: 'h', IMAP_USER: 'u' }));
    expect(err.message).toBe('IMAP_PASSWORD is required when IMAP_HOST is set');
  });

  it('stops the worker when its mailbox, SMTP server or sender is missing', () => {
    const withoutImap: Record<string, string | undefined> = { ...worker, IMAP_HOST: undefined };
    expect(errorOf(() => loadConfig(withoutImap, { require: COMMAND_NEEDS.worker })).message).toBe('IMAP_HOST is required (the submission mailbox)');
    expect(errorOf(() => loadConfig({ ...worker, SMTP_HOST: '' }, { require: COMMAND_NEEDS.worker })).variable).toBe('SMTP_HOST');
    expect(errorOf(() => loadConfig({ ...worker, MAIL_FROM: ' ' }, { require: COMMAND_NEEDS.worker })).variable).toBe('MAIL_FROM');
    // the same environment is fine for an offline command
    expect(loadConfig({ ...worker, MAIL_FROM: '' }).mailFrom).toBeNull();
  });

  it('wants SMTP and dashboard credentials in pairs', () => {
    expect(errorOf(() => loadConfig({ SMTP_HOST: 'h', SMTP_USER: 'u' })).variable).toBe('SMTP_PASSWORD');
    expect(errorOf(() => loadConfig({ DASHBOARD_PASSWORD: 'x' })).variable).toBe('DASHBOARD_USER');
    expect(loadConfig({ DASHBOARD_USER: 'staff', DASHBOARD_PASSWORD: 'x' }).http.dashboard).toEqual({ user: 'staff', password: 'x' });
  });

  it('reads the dashboard address, host and session key, naming a bad one (never echoing the key)', () => {
    const key = 'AB'.repeat(32);
    const c = loadConfig({ HTTP_HOST: '0.0.0.0', DASHBOARD_URL: 'https://shenbao.example.org/', DASHBOARD_SESSION_KEY: key });
    expect(c.http.host).toBe('0.0.0.0');
    expect(c.http.dashboardUrl).toBe('https://shenbao.example.org/');
    expect(c.http.sessionKey).toBe('ab'.repeat(32));
    expect(errorOf(() => loadConfig({ DASHBOARD_URL: 'shenbao.example.org' })).variable).toBe('DASHBOARD_URL');
    const bad = errorOf(() => loadConfig({ DASHBOARD_SESSION_KEY: 'abc123' }));
    expect(bad.message).toBe('DASHBOARD_SESSION_KEY must be 64 hex characters (32 bytes)');
    expect(errorOf(() => loadConfig({ HTTP_HOST: 'a b' })).variable).toBe('HTTP_HOST');
  });

  it('lets overrides (flags) win over the environment', () => {
    const c = loadConfig({ SHENBAO_NOW: '2023-07-01T00:00:00Z' }, { overrides: { SHENBAO_NOW: '2023-07-17T09:00:00+08:00' } });
    expect(c.now?.toISOString()).toBe('2023-07-17T01:00:00.000Z');
  });

  it('returns a frozen config', () => {
    const c = loadConfig({ ...worker });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.imap)).toBe(true);
    expect(Object.isFrozen(c.http.dashboard ?? c.http)).toBe(true);
  });
});

describe('parseInstant', () => {
  it('reads offsets, and Asia/Shanghai when none is given', () => {
    expect(parseInstant('2023-07-20T23:59:59+08:00')?.toISOString()).toBe('2023-07-20T15:59:59.000Z');
    expect(parseInstant('2023-07-20T15:59:59Z')?.toISOString()).toBe('2023-07-20T15:59:59.000Z');
    expect(parseInstant('2023-07-20')?.toISOString()).toBe('2023-07-19T16:00:00.000Z');
    expect(parseInstant('2023-07-20 09:00')?.toISOString()).toBe('2023-07-20T01:00:00.000Z');
  });

  it('rejects text that is not a real date', () => {
    expect(parseInstant('2023-02-30')).toBeNull();
    expect(parseInstant('20 July 2023')).toBeNull();
    expect(parseInstant('')).toBeNull();
  });
});
