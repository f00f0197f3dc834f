/**
 * Which 主营业务 boxes are ticked, in every style applicants use: a tick glyph replacing
 * the box (☑ ☒ ■ ✓ ✔ √ 🗹), a tick before or after the option, `[x]` `(√)`, or the other
 * options deleted so that only the chosen ones are left. An untouched □ ☐ 🞎 is not a tick.
 */
import type { CategoryCode } from '../domain/form';
import { inCategoryOrder, mentionedCategories, OPTION_WORDS } from './category';
import { toHalfWidth } from './text';

type Token =
  | { kind: 'option'; code: CategoryCode; start: number; end: number }
  | { kind: 'mark'; ticked: boolean; start: number; end: number };

const TICK_GLYPHS = '☑☒■◼▪▣✓✔√✅🗹🗸🗷🗵✗✘●◉◆';
const BOX_GLYPHS = '□☐🞎◻▢○◯◇❑❏';
const OPEN = '[\\[【(（〔]';
const CLOSE = '[\\]】)）〕]';
/** Bracketed marks first (`[x]`, `(√)`, `[ ]`), then single glyphs. */
const MARK = new RegExp(
  `${OPEN}\\s*[xX×${TICK_GLYPHS}]\\s*${CLOSE}|${OPEN}\\s*${CLOSE}|[${TICK_GLYPHS}]|[${BOX_GLYPHS}]`,
  'gu',
);
const OPTION = new RegExp(OPTION_WORDS.map(([, word]) => word).join('|'), 'g');
/** A mark belongs to an option when nothing but a few spaces separates them. */
const NEAR = /^ {0,3}$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(OPTION)) {
    const code = OPTION_WORDS.find(([, word]) => word === m[0])?.[0];
    if (code) tokens.push({ kind: 'option', code, start: m.index, end: m.index + m[0].length });
  }
  for (const m of text.matchAll(MARK)) {
    const ticked = !/^[□☐🞎◻▢○◯◇❑❏]$/u.test(m[0]) && !new RegExp(`^${OPEN}\\s*${CLOSE}$`).test(m[0]);
    tokens.push({ kind: 'mark', ticked, start: m.index, end: m.index + m[0].length });
  }
  return tokens.sort((a, b) => a.start - b.start);
}

/**
 * Binds each mark to an option. Marks usually precede options (the template's
 * `□基础软件`), so a mark a few spaces before an option is that option's; a mark touching
 * the option on the other side is that one's (`□工业软件√`); a lone tick one space after
 * it is probably that one's (`□工业软件 √`), a weak binding. A mark near no option binds
 * to none: pdf.js sometimes moves tick glyphs to the end of the line.
 */
function bind(text: string, tokens: Token[]): { ticked: Set<number>; weak: Set<number>; marked: Set<CategoryCode>; stray: number } {
  const ticked = new Set<number>();
  const weak = new Set<number>();
  const marked = new Set<CategoryCode>();
  let stray = 0;
  const marksFirst = tokens[0]?.kind !== 'option';
  /** The option `step` away from mark i, through marks touching it (`√□工业软件`), and the gap. */
  const reach = (i: number, step: 1 | -1): { target: number; gap: string } | null => {
    let j = i + step;
    while (tokens[j]?.kind === 'mark' && gap(j, j - step) === '') j += step;
    if (tokens[j]?.kind !== 'option') return null;
    return { target: j, gap: gap(j, j - step) };
  };
  const gap = (a: number, b: number): string => {
    const first = tokens[Math.min(a, b)];
    const second = tokens[Math.max(a, b)];
    return first && second ? text.slice(first.end, second.start) : ' ';
  };
  tokens.forEach((token, i) => {
    if (token.kind !== 'mark') return;
    const usual = reach(i, marksFirst ? 1 : -1);
    const other = reach(i, marksFirst ? -1 : 1);
    let target: number | null = null;
    if (usual && NEAR.test(usual.gap)) target = usual.target;
    else if (other && other.gap === '') target = other.target;
    else if (other && other.gap === ' ' && token.ticked) {
      const beyond = tokens[i + (marksFirst ? 1 : -1)];
      if (!(beyond?.kind === 'mark' && beyond.ticked)) {
        weak.add(other.target);
        return;
      }
    }
    const option = target === null ? undefined : tokens[target];
    if (target === null || option?.kind !== 'option') {
      if (token.ticked) stray++;
      return;
    }
    marked.add(option.code);
    if (token.ticked) ticked.add(target);
  });
  return { ticked, weak, marked, stray };
}

/**
 * Symbol-font characters as .doc readers give them (U+F000 + the font's code): Wingdings
 * þ ý ü ¨ o, Wingdings 2 R Q S T P £. mammoth maps Wingdings to 🗹/🞎 itself.
 */
const SYMBOL_FONT: Record<string, string> = {
  '\uf0fe': '☑', '\uf0fd': '☒', '\uf0fc': '✓', '\uf0a8': '□', '\uf06f': '□', '\uf071': '□', '\uf0a1': '○',
  '\uf052': '☑', '\uf051': '☒', '\uf053': '☒', '\uf054': '☒', '\uf050': '✓', '\uf0a3': '□',
};

/** The ticked 主营业务 options, in the category order of form-fields.md. */
export function parseTicks(raw: string): CategoryCode[] {
  const text = toHalfWidth(raw.replace(/[\uf000-\uf0ff]/g, (ch) => SYMBOL_FONT[ch] ?? '')).replace(/\ufe0f/g, '').replace(/[\u3000\u00a0]/g, ' ');
  const tokens = tokenize(text);
  const options = tokens.flatMap((t, i) => (t.kind === 'option' ? [{ code: t.code, index: i }] : []));
  // No option of the template at all: the applicant wrote the business out in words.
  if (options.length === 0) return tokens.length === 0 ? mentionedCategories(text) : [];
  const { ticked, weak, marked, stray } = bind(text, tokens);
  const unmarked = options.filter((o) => !marked.has(o.code));
  // A weak tick yields to an option that lost its box: there the tick was moved away.
  const all = unmarked.length === 0 ? new Set([...ticked, ...weak]) : ticked;
  if (all.size > 0) return inCategoryOrder(options.filter((o) => all.has(o.index)).map((o) => o.code));
  const distinct = new Set(options.map((o) => o.code)).size;
  // Boxes left on some options but not on others: the tick glyph was lost or moved away
  // (pdf.js), or the applicant deleted the box of the chosen option.
  if (marked.size > 0 && unmarked.length > 0) return inCategoryOrder(unmarked.map((o) => o.code));
  // No marks at all: the applicant deleted the options not chosen.
  if (marked.size === 0 && stray === 0 && distinct < 6) return inCategoryOrder(options.map((o) => o.code));
  return [];
}
