/**
 * Category codes from what applicants write (form-fields.md, "Category codes"), for
 * products[].category and for the 主营业务 boxes.
 */
import { CATEGORY_CODES, type CategoryCode } from '../domain/form';
import { compact } from './text';

/** Words that name a category; where several occur, the earliest in the text wins. */
const KEYWORDS: ReadonlyArray<[CategoryCode, RegExp]> = [
  ['ai', /人工智能|AIGC|\bAI(?![a-z])|大模型|机器学习|深度学习/i],
  ['industrial', /工业/],
  ['basic', /基础软件|基础类|操作系统|数据库|中间件|固件/],
  ['support', /支撑软件|支撑类|支撑|开发工具|测试工具|集成环境/],
  ['other', /其他软件|其它软件|其他类|其它类|其他|其它|新兴平台|平台软件|信息安全|安全软件/],
  ['application', /应用软件|应用类|行业应用|行业软件|嵌入式|通用软件|解决方案|应用/],
];

/** The category a text names, or null when it names none. */
export function matchCategory(raw: string | null | undefined): CategoryCode | null {
  if (raw === null || raw === undefined) return null;
  const text = compact(raw);
  let best: { code: CategoryCode; index: number; length: number } | null = null;
  for (const [code, re] of KEYWORDS) {
    const m = re.exec(text);
    if (!m) continue;
    if (!best || m.index < best.index || (m.index === best.index && m[0].length > best.length)) {
      best = { code, index: m.index, length: m[0].length };
    }
  }
  return best?.code ?? null;
}

/** Every category a free text names (主营业务 written out instead of ticked). */
export function mentionedCategories(raw: string): CategoryCode[] {
  const text = compact(raw);
  return inCategoryOrder(KEYWORDS.filter(([, re]) => re.test(text)).map(([code]) => code));
}

/** The six 主营业务 options as the template prints them, longer names first within a code. */
export const OPTION_WORDS: ReadonlyArray<[CategoryCode, string]> = [
  ['basic', '基础软件'],
  ['industrial', '工业软件'],
  ['support', '支撑软件'],
  ['application', '行业应用软件'],
  ['application', '嵌入式应用软件'],
  ['application', '应用软件'],
  ['ai', '人工智能类软件'],
  ['ai', '人工智能软件'],
  ['ai', '人工智能'],
  ['other', '其他软件'],
  ['other', '其它软件'],
];

export function inCategoryOrder(codes: Iterable<CategoryCode>): CategoryCode[] {
  const set = new Set(codes);
  return CATEGORY_CODES.filter((c) => set.has(c));
}
