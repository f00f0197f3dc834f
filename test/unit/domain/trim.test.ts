import { EMAIL_SHAPE, HEADER_SAFE_EMAIL_SHAPE, looksLikeEmail } from '../../../src/domain/email-shape';
import { trimChars, trimEndChars, trimStartChars } from '../../../src/domain/trim';

describe('trimming by scanning', () => {
  it('drops only the listed characters, at the ends asked for', () => {
    expect(trimEndChars('  a b \t ', ' \t')).toBe('  a b');
    expect(trimStartChars('  a b  ', ' ')).toBe('a b  ');
    expect(trimChars('\n\na\nb\n', '\n')).toBe('a\nb');
    expect(trimChars('__＿ 名称 _', /[_＿\s]/)).toBe('名称');
    expect(trimChars('', ' ')).toBe('');
    expect(trimChars('   ', ' ')).toBe('');
  });

  it('returns the same string when nothing is dropped', () => {
    const s = 'abc';
    expect(trimChars(s, ' ')).toBe(s);
  });
});

describe('the email shape', () => {
  it.each(['a@b.cn', 'zhang.san@mail.qq.com', '用户@例子.中国'])('accepts %s', (a) => expect(looksLikeEmail(a)).toBe(true));
  it.each(['a@b', 'a@@b.cn', 'a b@c.cn', 'a@b..cn', 'a@.b.cn', 'a@b.cn.', '@b.cn'])('refuses %s', (a) => expect(EMAIL_SHAPE.test(a)).toBe(false));
  it('the header-safe shape also refuses quotes and angle brackets', () => {
    expect(HEADER_SAFE_EMAIL_SHAPE.test('a"@b.cn')).toBe(false);
    expect(HEADER_SAFE_EMAIL_SHAPE.test('a@b<c.cn')).toBe(false);
    expect(HEADER_SAFE_EMAIL_SHAPE.test('intake@assoc.cn')).toBe(true);
  });
});
