/**
 * Is a form value well-formed (rules.md, INVALID_FIELD)? Each check returns null when the
 * value is fine, else the reason in plain Chinese.
 */
import { singleMailbox } from '../domain/mailbox';

export function postalCodeProblem(value: string): string | null {
  return /^\d{6}$/.test(value.replace(/\s/g, '')) ? null : '邮政编码应为 6 位数字';
}

const SEPARATORS = /[\s\-－—–‐()（）]/g;
const EXTENSION = /(?:转|分机|ext\.?|x|#)/i;

function isMobile(digits: string): boolean {
  return /^1\d{10}$/.test(digits);
}

/** Area code 0xx/0xxx, then 7–8 digits: 10 to 12 digits in all, starting with 0. */
function isLandline(digits: string): boolean {
  return /^0\d{9,11}$/.test(digits);
}

function onePhoneOk(raw: string): boolean {
  let s = raw.trim().replace(/^(?:\+|00)?86(?=[\s\-(（]|1\d{10}$)/, '').replace(/^[\s\-(（]+/, '');
  let ext: string | null = null;
  const m = EXTENSION.exec(s);
  if (m) {
    ext = s.slice(m.index + m[0].length).replace(SEPARATORS, '');
    s = s.slice(0, m.index);
    if (!/^\d{1,6}$/.test(ext)) return false;
  }
  const digits = s.replace(SEPARATORS, '');
  if (!/^\d+$/.test(digits)) return false;
  if (isMobile(digits)) return ext === null;
  if (isLandline(digits)) return true;
  // 027-87181967-8001: the last hyphen group is an extension.
  const groups = s.trim().split(/[-－—–‐]/);
  if (ext === null && groups.length >= 3) {
    const last = groups.pop() ?? '';
    return /^\d{1,6}$/.test(last) && isLandline(groups.join('').replace(SEPARATORS, ''));
  }
  return false;
}

/** Mainland mobile or landline with area code; several numbers may be listed (、，,;/). */
export function phoneProblem(value: string): string | null {
  const numbers = value.split(/[,，、;；/／]|\s{2,}|或/).map((s) => s.trim()).filter(Boolean);
  if (numbers.length > 0 && numbers.every(onePhoneOk)) return null;
  return '应为 11 位手机号码，或带区号的固定电话（如 027-87181967）';
}

/**
 * Exactly one mailbox (src/domain/mailbox: the same check as every address we write to), with
 * a top-level domain of letters. A list (`a@x.cn, b@y.cn`, `a@x.cn；b@y.cn`) is invalid: the
 * contact email is where our emails go, and they go to one address.
 */
export function emailProblem(value: string): string | null {
  const v = value.trim();
  const one = singleMailbox(v);
  if (!one.ok && (one.problem === 'LIST' || one.problem === 'GROUP' || severalAddresses(v))) return '只能填写一个电子邮箱地址';
  return one.ok && /\.[A-Za-z]{2,}$/.test(one.address) ? null : '不是有效的电子邮箱地址';
}

/** `a@x.cn；b@y.cn`, `a@x.cn / b@y.cn`, `a@x.cn 或 b@y.cn`: more than one `@` between separators. */
function severalAddresses(v: string): boolean {
  return v.split(/[\s,，;；、/／或]+/).filter((part) => part.includes('@')).length > 1;
}

const HOST = /^(?:[a-z0-9\u4e00-\u9fff](?:[a-z0-9\u4e00-\u9fff-]*[a-z0-9\u4e00-\u9fff])?\.)+(?:[a-z\u4e00-\u9fff]{2,}|xn--[a-z0-9-]+)$/i;

export function websiteProblem(value: string): string | null {
  const v = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `http://${v}`;
  try {
    const url = new URL(withScheme);
    if (/^https?:$/.test(url.protocol) && HOST.test(decodeURIComponent(url.hostname)) && !/\s/.test(v)) return null;
  } catch {
    // not a URL: falls through to the reason below
  }
  return '不是有效的网址（如 www.example.com）';
}

export function percentProblem(value: number): string | null {
  return value >= 0 && value <= 100 ? null : `百分比应在 0 至 100 之间（现为 ${value}）`;
}

/** Characters a summary has, not bytes; whitespace does not count (rules.md TEXT_TOO_LONG). */
export function countCharacters(text: string): number {
  return [...text.replace(/\s/gu, '')].length;
}

/** The first and last day a release date (YYYY, YYYY-MM or YYYY-MM-DD) may mean. */
export function releasePeriod(date: string): { start: string; end: string } | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date);
  if (!m) return null;
  const [, y, mo, d] = m;
  if (d) return { start: date, end: date };
  if (mo) {
    const last = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
    return { start: `${y}-${mo}-01`, end: `${y}-${mo}-${String(last).padStart(2, '0')}` };
  }
  return { start: `${y}-01-01`, end: `${y}-12-31` };
}
