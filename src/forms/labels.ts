/**
 * Finding the form's labels by their core words (form-fields.md): blanks may sit inside a
 * label (`邮  箱`), the bracketed instruction after it may be kept or deleted, the colon
 * may be full-width, half-width or missing. Short, common words (`电话`, `地址`, `邮箱`)
 * only count as labels where they look like one (a colon after, or standing alone), so a
 * value such as `武汉市电话大楼` is not cut in two.
 */

export interface LabelDef<K extends string = string> {
  key: K;
  /** Specific wordings: a label wherever they start a word or are followed by a colon. */
  strong: string[];
  /** Generic wordings: a label only when followed by a colon or standing alone. */
  weak?: string[];
  /** Text that must not follow the core words (`主营业务收入` is no label). */
  notFollowedBy?: string;
}

export interface LabelHit<K extends string = string> {
  key: K;
  /** Where the core words start. */
  start: number;
  /** Where the label ends: after the bracketed instruction and the colon, if any. */
  end: number;
  /** The instruction's bracket opened but did not close in this text (it wraps on). */
  openBracket: boolean;
}

const BLANK = '[\\s\\u00a0\\u3000]*';
const OPEN = '[（(【\\[〔]';
const CLOSE = '[）)】\\]〕]';
/** Instruction brackets and footnote marks (`[1]`) after the core words, then a colon. */
const TAIL = new RegExp(
  `^(?:${BLANK}(?:${OPEN}[^）)】\\]〕]{0,120}${CLOSE}|\\[\\d{1,2}\\]))*${BLANK}(?:${OPEN}[^）)】\\]〕]*$)?`,
);
const COLON = new RegExp(`^${BLANK}[:：]`);
const OPENERS = '（(【[〔';
const CLOSERS = '）)】]〕';
/** An opening bracket with no closing one after it (a scan from the end, not `[(][^)]*$`). */
function endsInsideBracket(s: string): boolean {
  for (let i = s.length - 1; i >= 0; i--) {
    if (CLOSERS.includes(s[i] as string)) return false;
    if (OPENERS.includes(s[i] as string)) return true;
  }
  return false;
}
/** A label starts a word: text start, or after a blank, a digit or punctuation. */
const BOUNDARY_BEFORE = /[\s\u00a0\u3000\p{P}\p{S}\d]/u;

function spaced(word: string): string {
  return [...word].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(BLANK);
}

interface CompiledAlias<K extends string> {
  key: K;
  weak: boolean;
  re: RegExp;
  length: number;
}

export class LabelSet<K extends string = string> {
  private readonly aliases: CompiledAlias<K>[];

  constructor(readonly defs: ReadonlyArray<LabelDef<K>>) {
    this.aliases = defs
      .flatMap((def) => [
        ...def.strong.map((w) => ({ def, word: w, weak: false })),
        ...(def.weak ?? []).map((w) => ({ def, word: w, weak: true })),
      ])
      .map(({ def, word, weak }) => ({
        key: def.key,
        weak,
        length: word.length,
        re: new RegExp(spaced(word) + (def.notFollowedBy ? `(?!${BLANK}(?:${def.notFollowedBy}))` : ''), 'giu'),
      }))
      .sort((a, b) => b.length - a.length);
  }

  /** Every label in the text, in order, never overlapping; longer wordings win. */
  find(text: string): LabelHit<K>[] {
    const candidates: Array<LabelHit<K> & { length: number }> = [];
    for (const alias of this.aliases) {
      alias.re.lastIndex = 0;
      for (const m of text.matchAll(alias.re)) {
        const hit = this.accept(text, m.index, m.index + m[0].length, alias);
        if (hit) candidates.push({ ...hit, length: alias.length });
      }
    }
    candidates.sort((a, b) => a.start - b.start || b.length - a.length);
    const hits: LabelHit<K>[] = [];
    let covered = 0;
    for (const c of candidates) {
      if (c.start < covered) continue;
      hits.push({ key: c.key, start: c.start, end: c.end, openBracket: c.openBracket });
      covered = c.end;
    }
    return hits;
  }

  /** The keys whose words occur anywhere in the text (no label shape required), by first occurrence. */
  mentioned(text: string): K[] {
    const first = new Map<K, number>();
    for (const alias of this.aliases) {
      alias.re.lastIndex = 0;
      const m = alias.re.exec(text);
      alias.re.lastIndex = 0;
      if (m && m.index < (first.get(alias.key) ?? Infinity)) first.set(alias.key, m.index);
    }
    return [...first.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);
  }

  private accept(text: string, start: number, coreEnd: number, alias: CompiledAlias<K>): LabelHit<K> | null {
    const rest = text.slice(coreEnd);
    const tail = TAIL.exec(rest)?.[0] ?? '';
    const openBracket = endsInsideBracket(tail);
    const colon = COLON.exec(rest.slice(tail.length))?.[0] ?? '';
    const end = coreEnd + tail.length + colon.length;
    const before = start === 0 || BOUNDARY_BEFORE.test(text[start - 1] ?? '');
    const after = text.slice(end);
    const alone = before && (after === '' || /^[\s\u00a0\u3000]/.test(after) || tail !== '');
    const ok = colon !== '' || (alias.weak ? alone : before);
    return ok ? { key: alias.key, start, end, openBracket } : null;
  }
}

/** The label that starts the text (after blanks), if one does. */
export function leadingLabel<K extends string>(labels: LabelSet<K>, text: string): LabelHit<K> | null {
  const first = labels.find(text)[0];
  return first && text.slice(0, first.start).trim() === '' ? first : null;
}

/**
 * A label spread over its cell (Word and LibreOffice's distributed alignment, 分散对齐): a
 * text PDF gives each character on its own, with a tab or a wide gap between them
 * (`邮	政	编	码	：`, `邮	箱	：`). Such a run of single characters that ends in a colon is
 * one label: the tabs inside it are removed, so it is not read as cells of a table. A run
 * without a colon is left alone (a row of one-character cells, `是	否`, is a table).
 */
const SPREAD_LABEL = /(^|\t)((?:\p{Script=Han}[ \u00a0\u3000]*\t[ \u00a0\u3000]*){1,9}\p{Script=Han}[ \u00a0\u3000]*(?:\t[ \u00a0\u3000]*)?[:：])/gu;

export function joinSpreadLabel(line: string): string {
  if (!line.includes('\t')) return line;
  return line.replace(SPREAD_LABEL, (_m, lead: string, label: string) => lead + label.replace(/[\t \u00a0\u3000]+/g, ''));
}
