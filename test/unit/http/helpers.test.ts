import { credentialsMatch, safeNext, sameSecret } from '../../../src/http/auth';
import { isLoopback, listenRefusal } from '../../../src/http/listen-check';
import { listQueryString, parseListQuery, rowFilter } from '../../../src/http/list-query';
import { validId, validSha256 } from '../../../src/http/params';
import { fieldValue, formRows } from '../../../src/http/form-view';
import { wallTime } from '../../../src/http/format';
import { form, product } from '../rules/helpers';

describe('auth helpers', () => {
  it('compares secrets whatever their lengths', () => {
    expect(sameSecret('pw', 'pw')).toBe(true);
    expect(sameSecret('pw', 'pw2')).toBe(false);
    expect(sameSecret('', 'x'.repeat(1000))).toBe(false);
    expect(credentialsMatch({ user: 'staff', password: 'pw' }, { user: 'staff', password: 'pw' })).toBe(true);
    expect(credentialsMatch({ user: 'Staff', password: 'pw' }, { user: 'staff', password: 'pw' })).toBe(false);
    expect(credentialsMatch({ user: ['staff'], password: 'pw' }, { user: 'staff', password: 'pw' })).toBe(false);
  });

  it('only goes back to a local path after login', () => {
    expect(safeNext('/applications/SB2023-0001?x=1')).toBe('/applications/SB2023-0001?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'http://evil.example', 'javascript:alert(1)', '/a b', undefined, ['/x']]) expect(safeNext(bad)).toBe('/');
  });
});

describe('listen check', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'example.org', '127.0.0.1.example.org']) expect(isLoopback(h)).toBe(false);
  });
  it('refuses beyond loopback only without a password', () => {
    expect(listenRefusal('0.0.0.0', false)).toMatch(/^HTTP_HOST 0\.0\.0\.0 is reachable/);
    expect(listenRefusal('0.0.0.0', true)).toBeNull();
    expect(listenRefusal('127.0.0.1', false)).toBeNull();
  });
});

describe('list query', () => {
  it('keeps known values, drops the rest, and writes the same query back', () => {
    const l = parseListQuery({ status: 'incomplete,bogus', issue: 'TOO_FEW_USER_REPORTS', category: 'evil', from: '2023-07-01', to: '2023-7-1', q: ' 云帆 ', sort: 'company', dir: 'desc', page: '3' });
    expect(l).toEqual({ status: ['incomplete'], issue: 'TOO_FEW_USER_REPORTS', category: null, from: '2023-07-01', to: null, q: '云帆', sort: 'company', dir: 'desc', page: 3 });
    expect(rowFilter(l)).toEqual({ status: ['incomplete'], issue: 'TOO_FEW_USER_REPORTS', q: '云帆', arrivedFrom: '2023-07-01' });
    expect(listQueryString(l, { page: 1 })).toBe('?status=incomplete&issue=TOO_FEW_USER_REPORTS&from=2023-07-01&q=%E4%BA%91%E5%B8%86&sort=company&dir=desc');
    expect(parseListQuery({ page: '-1', sort: 'x' })).toMatchObject({ page: 1, sort: 'id', dir: 'asc' });
    expect(listQueryString(parseListQuery({}))).toBe('');
  });
});

describe('params', () => {
  it('accept application numbers and sha256 only', () => {
    expect(validId('SB2023-0042')).toBe(true);
    for (const bad of ['..', '../etc', 'SB2023-0042/../x', 'SB2023', 'a%2Fb-1']) expect(validId(bad)).toBe(false);
    expect(validSha256('a'.repeat(64))).toBe(true);
    expect(validSha256('A'.repeat(64))).toBe(false);
    expect(validSha256('../'.repeat(22))).toBe(false);
  });
});

describe('form view', () => {
  it('reads each field by path and sets a correction beside the parsed value', () => {
    const parsed = form([product('甲系统', { revenueSharePercent: 35, marketSharePercent: '无' })]);
    expect(fieldValue(parsed, 'company.contact.email')).toBe('lisi@xingyun.com.cn');
    expect(fieldValue(parsed, 'products[0].revenueSharePercent')).toBe('35%');
    expect(fieldValue(parsed, 'products[0].marketSharePercent')).toBe('无');
    expect(fieldValue(parsed, 'products[0].category')).toBe('应用软件');
    expect(fieldValue(parsed, 'company.mainBusiness')).toBe('应用软件、人工智能类软件');
    expect(fieldValue(null, 'company.name')).toBe('');
    const corrected = form([product('甲系统')], {}, { postalCode: '430070' });
    const rows = formRows(parsed, corrected, [{ path: 'company.postalCode', value: '430070', by: 'staff', at: '2023-07-18T02:00:00Z', reason: '看原件' }]);
    const postal = rows.find((r) => r.path === 'company.postalCode');
    expect(postal).toEqual({ path: 'company.postalCode', label: '邮政编码', parsed: '430074', corrected: '430070', correctedBy: 'staff' });
    expect(rows.find((r) => r.path === 'products[0].domain')?.label).toBe('产品 1：应用领域');
    expect(rows.filter((r) => r.corrected !== null)).toHaveLength(1);
  });

  it('shows times in Asia/Shanghai', () => {
    expect(wallTime('2023-07-19T09:25:09Z', 'Asia/Shanghai')).toBe('2023-07-19 17:25');
    expect(wallTime(null, 'Asia/Shanghai')).toBe('');
    expect(wallTime('garbage', 'Asia/Shanghai')).toBe('');
  });
});
