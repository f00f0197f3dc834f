/**
 * 软件产品简述 and 应用案例简述: the text after the label (its bracketed instruction is part
 * of the label), paragraphs joined by `\n`, up to the next label or part.
 *
 * A PDF gives lines, not paragraphs: a line that fills the width and does not end a
 * sentence was wrapped, and is joined to the next, so that the PDF of a .docx gives the
 * .docx's paragraphs.
 */
import { startsSection, SUMMARY_LABELS, type SummaryKey } from './fields';
import { leadingLabel } from './labels';
import { joinWrapped, normaliseText, tidySpaces } from './text';
import { isBlank, type Unit } from './units';

const SENTENCE_END = /[。！？!?；;：:…”」）)]$/;
/**
 * A wrapped line is at least this share of the widest line, and the widest is a full
 * line of a page (CJK counts 2): wider lines are whole paragraphs (a .doc), not wrapped.
 */
const FULL_LINE_SHARE = 0.85;
const MIN_FULL_WIDTH = 40;
const MAX_PAGE_WIDTH = 120;

function width(line: string): number {
  let w = 0;
  for (const ch of line) w += /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

/**
 * Joins the lines of a PDF back into paragraphs. `leadWidth` is the width of the label
 * that shares the first line (`软件产品简述（…）：` before the first words).
 */
export function unwrapLines(lines: string[], leadWidth = 0): string[] {
  const tidy = lines.map(tidySpaces).filter((l) => l !== '');
  const widths = tidy.map((l, i) => width(l) + (i === 0 ? leadWidth : 0));
  const widest = Math.max(0, ...widths);
  if (widest < MIN_FULL_WIDTH || widest > MAX_PAGE_WIDTH) return tidy;
  const paragraphs: string[] = [];
  let current = '';
  let wrapped = false;
  tidy.forEach((line, i) => {
    current = wrapped ? joinWrapped(current, line) : line;
    wrapped = (widths[i] ?? 0) >= widest * FULL_LINE_SHARE && !SENTENCE_END.test(line);
    if (!wrapped) {
      paragraphs.push(current);
      current = '';
    }
  });
  if (current !== '') paragraphs.push(current);
  return paragraphs;
}

interface Found {
  key: SummaryKey;
  paragraphs: string[];
}

/** The paragraphs of one summary, starting at the label in unit `u`, paragraph `p`. */
function collect(units: Unit[], u: number, p: number, lineContent: boolean): Found | null {
  const unit = units[u];
  const first = unit?.paragraphs[p];
  if (!unit || first === undefined) return null;
  const hit = leadingLabel(SUMMARY_LABELS, first);
  if (!hit) return null;
  let skipToBracket = hit.openBracket;
  const paragraphs: string[] = [];
  const take = (text: string): boolean => {
    let t = text;
    if (skipToBracket) {
      const close = t.search(/[）)】\]]/);
      if (close < 0) return true;
      t = t.slice(close + 1).replace(/^\s*[:：]/, '');
      skipToBracket = false;
    }
    if (startsSection(t)) return false;
    if (!isBlank(t)) paragraphs.push(t);
    return true;
  };
  // The label's width counts only when its line also holds the first words.
  const lead = isBlank(first.slice(hit.end)) ? 0 : width(tidySpaces(first.slice(0, hit.end)));
  const done = (): Found => ({ key: hit.key, paragraphs: lineContent ? unwrapLines(paragraphs, lead) : paragraphs });
  if (!take(first.slice(hit.end))) return done();
  for (const text of unit.paragraphs.slice(p + 1)) if (!take(text)) return done();
  // A table cell holding its text is complete; otherwise the text follows in the next
  // cell (or row), or, in lines, runs on to the next label.
  if (!unit.fromLine && paragraphs.length > 0) return done();
  for (const next of units.slice(u + 1)) {
    if (!next.fromLine && isBlank(next.text)) continue;
    let stopped = false;
    for (const text of next.paragraphs) {
      if (!take(text)) {
        stopped = true;
        break;
      }
    }
    if (stopped || (!next.fromLine && paragraphs.length > 0)) break;
  }
  return done();
}

export function readSummaries(units: Unit[], lineContent: boolean): Record<SummaryKey, string | null> {
  const out: Record<SummaryKey, string | null> = { productSummary: null, caseSummary: null };
  units.forEach((unit, u) => {
    unit.paragraphs.forEach((_, p) => {
      const found = collect(units, u, p, lineContent);
      if (found && out[found.key] === null) out[found.key] = normaliseText(found.paragraphs.join('\n'), { multiline: true });
    });
  });
  return out;
}
