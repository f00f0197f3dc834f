/**
 * The key that identifies a company across emails (rules.md): the name without blanks,
 * full-width forms folded, and the `（盖章）`-style suffixes and left-over template
 * instructions removed. Not for display: the form keeps the name as written.
 */
import { toHalfWidth } from './text';

/** A bracketed remark about the seal or the template's instruction, wherever it stands. */
const SEAL_REMARK = /[([【〔<《][^()[\]【】〔〕<>《》]*(盖章|公章|印章|签章|签字|填写|全称)[^()[\]【】〔〕<>《》]*[)\]】〕>》]/g;
/** A bare trailing `盖章` / `（公章）` without brackets, or trailing punctuation. */
const TRAILING_WORDS = ['加盖公章', '盖公章', '盖章', '公章', '签章'];
const TRAILING_MARKS = '。.，,、；;:：-_—';

/** Drops trailing seal words and punctuation (a loop: `(…)+$` is quadratic on long input). */
function dropTrailing(key: string): string {
  let s = key;
  for (;;) {
    const word = TRAILING_WORDS.find((w) => s.endsWith(w));
    if (word) s = s.slice(0, -word.length);
    else if (s.length > 0 && TRAILING_MARKS.includes(s[s.length - 1] as string)) s = s.slice(0, -1);
    else return s;
  }
}

export function normaliseCompanyName(name: string): string {
  let key = toHalfWidth(name, true)
    .replace(/[\s\u00a0\u3000\u200b-\u200d\ufeff]+/g, '')
    .replace(SEAL_REMARK, '');
  let previous: string;
  do {
    previous = key;
    key = dropTrailing(key);
  } while (key !== previous);
  return key.toLowerCase();
}

/** The key that tells two product names apart (rules.md: "same name after normalisation"). */
export function normaliseProductName(name: string): string {
  return toHalfWidth(name, true)
    .replace(/[\s\u00a0\u3000\u200b-\u200d\ufeff]+/g, '')
    .replace(/[《》<>"“”'‘’「」『』]/g, '')
    .toLowerCase();
}
