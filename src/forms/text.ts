/**
 * Text normalisation shared by every field (form-fields.md, "Text normalisation").
 *
 * Beyond the spec's list, a space between a Chinese character and a Latin letter, digit
 * or sign is removed: pdf.js puts one wherever the font changes (`高新大道 999 号`,
 * `约 3%`), and a PDF printed from a .docx must give the same record as the .docx.
 * Spaces between Chinese words (`市场部 经理`) are the applicant's and stay.
 */

import { trimChars } from '../domain/trim';

/** Han characters, CJK punctuation and full-width forms: the characters PDF text spaces around. */
const CJK = '\\p{Script=Han}\\u3000-\\u303f\\uff00-\\uffef\\u2018-\\u201f\\u2026';
const SPACE_NEAR_CJK = new RegExp(`(?<=[${CJK}]) +(?=[\\x21-\\x7e])|(?<=[\\x21-\\x7e]) +(?=[${CJK}])`, 'gu');
const IS_CJK = new RegExp(`[${CJK}]`, 'u');
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const BLANKS = /[\t\u00a0\u2002-\u200a\u202f\u205f\u3000]/g;

/** Word's own placeholder texts of empty content controls, and the usual "fill in here" marks. */
const PLACEHOLDERS = [
  /^(单击|点击|单击或点击|click)[^。.]*(输入|选择|enter|choose)[^。.]*[。.]?$/i,
  /^(请|待)?(填写|输入|选择)[。.]?$/,
  /^[（(【[]\s*(请|待)?(填写|输入|选择)[^）)】\]]*[）)】\]]$/,
  /^[xX×＊*]{2,}$/,
  // Template fields a mail-merge or report tool left unfilled: `${email}`, `{{name}}`, `«邮箱»`.
  /^\$\{[^{}]{0,60}\}$/,
  /^\{\{\{?[^{}]{0,60}\}\}\}?$/,
  /^«[^«»]{0,60}»$/,
];

/** Full-width digits and Latin letters become ASCII; punctuation stays unless `allAscii`. */
export function toHalfWidth(text: string, allAscii = false): string {
  return text.replace(/[\uff01-\uff5e]/g, (ch) => {
    const code = ch.charCodeAt(0);
    const isAlnum = (code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a);
    return isAlnum || allAscii ? String.fromCharCode(code - 0xfee0) : ch;
  });
}

/** One line: blanks folded to one space, none next to Chinese, trimmed, no edge underscores. */
export function tidySpaces(line: string): string {
  const squeezed = line
    .replace(ZERO_WIDTH, '')
    .replace(BLANKS, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(SPACE_NEAR_CJK, '');
  return trimChars(squeezed, /[_＿\s]/);
}

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDERS.some((re) => re.test(text));
}

export interface TextOptions {
  /** Keep line breaks (the two summaries); otherwise lines are joined by a space. */
  multiline?: boolean;
  /** Fold all full-width ASCII (＠ ． － …): for e-mail, web site, phone and postal code. */
  allAscii?: boolean;
}

/** form-fields.md normalisation; `null` for a blank, underscores-only or placeholder value. */
export function normaliseText(raw: string | null | undefined, options: TextOptions = {}): string | null {
  if (raw === null || raw === undefined) return null;
  const lines = toHalfWidth(raw, options.allAscii)
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map(tidySpaces)
    .filter((line) => line !== '' && !isPlaceholder(line));
  const text = options.multiline ? lines.join('\n') : lines.reduce(joinWrapped, '');
  return text === '' || isPlaceholder(text) ? null : text;
}

/** The text with every blank removed: for matching labels and keywords. */
export function compact(text: string): string {
  return toHalfWidth(text).replace(ZERO_WIDTH, '').replace(/[\s\u00a0\u3000]+/g, '');
}

/**
 * Joins the pieces of a wrapped line: nothing next to Chinese, one space between words, and
 * a space the document drew at the wrap (市场部 |经理, kept by the PDF reader) stays.
 */
export function joinWrapped(a: string, b: string): string {
  const left = a.trimEnd();
  const right = b.trimStart();
  if (left === '') return tidySpaces(right);
  if (right === '') return tidySpaces(left);
  const touching = IS_CJK.test(left.slice(-1)) || IS_CJK.test([...right][0] ?? '');
  const drawnSpace = /\s$/u.test(a);
  return tidySpaces(touching && !drawnSpace ? left + right : `${left} ${right}`);
}
