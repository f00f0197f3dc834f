import { boundedKeyPart, indexTtlSeconds } from '../../../src/store/bounded';
import { loadCampaign } from '../../../src/config/campaign';
import { isSingleMailbox, plainAddress, singleMailbox } from '../../../src/domain/mailbox';
import { isMessageId, messageIdOrNull, threadIds } from '../../../src/domain/message-id';
import { cleanText, hasHiddenCharacters, oneLine } from '../../../src/domain/sanitize';
import { emailProblem } from '../../../src/rules/validators';

describe('singleMailbox (email-addresses, null = refuse)', () => {
  it.each([
    ['lisi@xingyun.com.cn', 'lisi@xingyun.com.cn'],
    ['李四 <LiSi@XingYun.com.cn>', 'LiSi@xingyun.com.cn'],
    ['"Li, Si" <lisi@xingyun.com.cn>', 'lisi@xingyun.com.cn'],
    ['lisi@xingyun.com.cn (李四)', 'lisi@xingyun.com.cn'],
    ['"john.doe"@example.com', 'john.doe@example.com'],
    ['=?UTF-8?B?5byg5LiJ?= <z@x.com>', 'z@x.com'],
    ['evil@x.com <good@y.com>', 'good@y.com'],
  ])('%s → %s', (input, address) => {
    expect(singleMailbox(input)).toMatchObject({ ok: true, address });
  });

  it.each([
    ['a@x.com, b@y.com', 'LIST'],
    ['a@x.com; b@y.com', 'NOT_AN_ADDRESS'],
    ['undisclosed-recipients:;', 'GROUP'],
    ['Team: a@x.com, b@y.com;', 'GROUP'],
    ['foo bar', 'NOT_AN_ADDRESS'],
    ['', 'NOT_AN_ADDRESS'],
    ['"a,b@c"@example.com', 'UNSAFE_ADDRESS'],
    ['"quoted local"@example.com', 'UNSAFE_ADDRESS'],
    ['root@localhost', 'UNSAFE_ADDRESS'],
    ['a@[127.0.0.1]', 'UNSAFE_ADDRESS'],
    [`${'a'.repeat(65)}@x.com`, 'TOO_LONG'],
    [`${'a@x.com, '.repeat(300)}b@y.com`, 'TOO_LONG'],
  ])('%s → %s', (input, problem) => {
    expect(singleMailbox(input)).toMatchObject({ ok: false, problem });
  });

  it('isSingleMailbox: a bare address as we spell it, nothing else', () => {
    expect(isSingleMailbox('lisi@xingyun.com.cn')).toBe(true);
    expect(isSingleMailbox('LiSi@XingYun.com.cn')).toBe(true);
    expect(isSingleMailbox('a@x.com, b@y.com')).toBe(false);
    expect(isSingleMailbox('Li <a@x.com>')).toBe(false);
    expect(isSingleMailbox('a@x.com\r\nBcc: b@y.com')).toBe(false);
  });

  it('a 1 MB header is refused in well under a second', () => {
    const t = Date.now();
    expect(singleMailbox('a'.repeat(1_000_000)).ok).toBe(false);
    expect(singleMailbox(`${'(c'.repeat(900)}a@x.com`).ok).toBe(false);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

describe('form contact email (INVALID_FIELD)', () => {
  it('one address is fine; a list is not, and says so', () => {
    expect(emailProblem('lisi@xingyun.com.cn')).toBeNull();
    for (const list of ['a@x.com, b@y.com', 'a@x.com；b@y.com', 'a@x.com / b@y.com', 'a@x.com 或 b@y.com', 'a@x.com;b@y.com']) {
      expect(emailProblem(list)).toBe('只能填写一个电子邮箱地址');
    }
    expect(emailProblem('undisclosed-recipients:;')).toBe('只能填写一个电子邮箱地址');
    expect(emailProblem('lisi@xingyun')).toBe('不是有效的电子邮箱地址');
    expect(emailProblem('lisi xingyun.com')).toBe('不是有效的电子邮箱地址');
  });
});

describe('cleanText / oneLine', () => {
  it('removes C0, C1 and bidi controls; breaks become spaces', () => {
    const evil = 'ab\u202Egpj.exe\u202C\u2066x\u2069\u200E\u200F\u0000\u0007\u0085\u009B报名表\r\n第二行\t!';
    const clean = cleanText(evil);
    expect(clean).toBe('abgpj.exex 报名表 第二行 !');
    expect(hasHiddenCharacters(evil)).toBe(true);
    expect(hasHiddenCharacters(clean)).toBe(false);
  });
  it('cuts at code points with …', () => {
    expect(oneLine('短')).toBe('短');
    const long = oneLine('登'.repeat(200), 80);
    expect([...long]).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
    expect(oneLine('😀'.repeat(100), 10)).toBe(`${'😀'.repeat(9)}…`);
  });
});

describe('threading ids', () => {
  it('only well-formed ids, the last 10, once each', () => {
    expect(isMessageId('<a.b@c.d>')).toBe(true);
    for (const bad of ['<a b@c>', '<a@b@c>', 'plain', '<a\r\nBcc: x@y>', `<${'a'.repeat(250)}@b>`, '<@b>', '<a@>']) expect(isMessageId(bad)).toBe(false);
    expect(messageIdOrNull('abc@qq.com')).toBe('<abc@qq.com>');
    expect(messageIdOrNull('<a b@c>')).toBeNull();
    const refs = Array.from({ length: 50 }, (_, i) => `<r${i}@x.cn>`);
    const kept = threadIds([...refs, 'junk', '<r49@x.cn>']);
    expect(kept).toEqual(refs.slice(40));
  });
  it('is linear: 100 000 references in well under a second', () => {
    const refs = Array.from({ length: 100_000 }, (_, i) => `<r${i}@x.cn>`);
    const t = Date.now();
    expect(threadIds(refs)).toHaveLength(10);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});

describe('bounded Redis indexes (src/store/bounded)', () => {
  it('long fields become their sha256, short ones stay', () => {
    expect(boundedKeyPart('lisi@xingyun.com.cn')).toBe('lisi@xingyun.com.cn');
    const huge = boundedKeyPart(`${'a'.repeat(100_000)}@x.cn`);
    expect(huge).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(boundedKeyPart(`${'a'.repeat(100_000)}@x.cn`)).toBe(huge);
  });
  it('TTL: until the federation deadline + retentionDays, in domain time; at least a day', () => {
    const campaign = loadCampaign();
    expect(campaign.retentionDays).toBe(365);
    const end = Date.parse('2023-08-01T00:00:00+08:00') + 365 * 86_400_000;
    const now = new Date('2023-07-17T10:00:00+08:00');
    expect(indexTtlSeconds(campaign, now)).toBe(Math.ceil((end - now.getTime()) / 1000));
    expect(indexTtlSeconds(campaign, new Date('2030-01-01T00:00:00Z'))).toBe(86_400);
  });
});

describe('bare addresses skip the parser and agree with it', () => {
  const viaParser = (t: string) => {
    // The parser's answer for the same text, with the plain path out of the way (a name forces the parser).
    const r = singleMailbox(`X <${t}>`);
    return r.ok ? { ok: true, address: r.address } : { ok: false, problem: r.problem };
  };
  it.each([
    'zhangwei@yunfan-soft.cn', 'Li.Na+apply@Mail.QQ.com', 'a@b.co', '88886666@qq.com',
    'a..b@x.cn', '.a@x.cn', 'a.@x.cn', 'a@-x.cn', 'a@x-.cn', `${'a'.repeat(65)}@x.cn`, 'a@x',
  ])('%s', (t) => {
    const plain = plainAddress(t);
    const r = singleMailbox(t);
    expect(plain === null ? 'parser' : 'plain').toBe(/^[^@.]+(\.[^@.]+)*@[^@]+\.[^@]+$/.test(t) ? 'plain' : 'parser');
    expect(r.ok ? { ok: true, address: r.address } : { ok: false, problem: r.problem }).toEqual(viaParser(t));
  });
});
