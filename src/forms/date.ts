/**
 * Release dates as precise as written: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (form-fields.md).
 * Unreadable text gives null; the caller keeps the text as written (releaseDateText) so
 * the rules can tell a blank from a malformed date.
 */
import { toHalfWidth } from './text';

const SEP = '[.．/／\\-－—–、]';
/** Year, then month and day, each with 年/月/日 or a separator; or a compact 20220510. */
const DATE = new RegExp(
  `(?<!\\d)(\\d{4})(?:(?:年|${SEP})(\\d{1,2})(?:(?:月|${SEP})(\\d{1,2})(?!\\d)(?:日|号)?|月|(?!\\d))|(\\d{2})(\\d{2})(?!\\d)|年|(?!\\d))`,
);

const CHINESE_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, Ｏ: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** `二〇二二年五月十日` → `2022年5月10日`; other text unchanged. */
function chineseNumerals(text: string): string {
  const year = text.replace(/[〇零Ｏ一二三四五六七八九]{4}(?=年)/g, (y) => [...y].map((c) => CHINESE_DIGITS[c] ?? c).join(''));
  return year.replace(/(?<=年|月)([一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])(?=月|日|号)/g, (n) => {
    const [tens, units] = n.includes('十') ? n.split('十') : ['0', n];
    const t = tens === '' ? 1 : (CHINESE_DIGITS[tens ?? ''] ?? 0);
    const u = units === '' ? 0 : (CHINESE_DIGITS[units ?? ''] ?? 0);
    return String(t * 10 + u);
  });
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** The first date in the text, normalised; null when none can be read. */
export function normaliseDate(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const text = chineseNumerals(toHalfWidth(raw).replace(/\s+/g, ''));
  const m = DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 1900 || year > 2099) return null;
  const monthText = m[2] ?? m[4];
  const dayText = m[3] ?? m[5];
  if (monthText === undefined) return String(year);
  const month = Number(monthText);
  if (month < 1 || month > 12) return null;
  if (dayText === undefined) return `${year}-${pad(month)}`;
  const day = Number(dayText);
  if (!validDay(year, month, day)) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}
