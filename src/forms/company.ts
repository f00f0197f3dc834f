/**
 * Part 1 of the form (企业基本信息). A value stands after its label in the same unit (up
 * to the next label: `通信地址：… 邮政编码：…`), or in the next unit when the label's own
 * is empty (the next table cell, the next line of a PDF). A PDF line that carries no
 * label continues the wrapped value of the line before.
 */
import type { Company } from '../domain/form';
import { COMPANY_LABELS, type CompanyKey, isPartBoundary, PRODUCT_LABELS, SUMMARY_LABELS } from './fields';
import { leadingLabel } from './labels';
import { joinWrapped, normaliseText } from './text';
import { parseTicks } from './ticks';
import { isBlank, type Unit } from './units';

/** Values that may wrap onto the next line of a PDF (a narrow cell wraps even a phone number). */
const WRAPPABLE = new Set<CompanyKey>(['name', 'legalRepresentative', 'website', 'address', 'contactName', 'phone', 'email', 'position']);
/** Values that hold no blanks: their wrapped pieces join directly (`zhangwei@yunfan-` + `soft.cn`). */
const UNBROKEN = new Set<CompanyKey>(['website', 'phone', 'email']);

/** Shapes that tell typed values apart when one line carries several of them. */
const SHAPES: Partial<Record<CompanyKey, RegExp>> = {
  postalCode: /^\d{6}$/,
  phone: /^[\d+()（）\-－—转#]{7,}$/,
  email: /@/,
  website: /^(https?:\/\/|www\.)/i,
};

/** Where part 1 ends: the products table, a summary, or the next numbered part. */
function endsCompanyPart(unit: Unit): boolean {
  return isPartBoundary(unit.text) || leadingLabel(PRODUCT_LABELS, unit.text) !== null || leadingLabel(SUMMARY_LABELS, unit.text) !== null;
}

class CompanyReader {
  readonly raw = new Map<CompanyKey, string>();
  readonly business: string[] = [];
  /** A label of part 1 has been seen. */
  started = false;
  private pending: CompanyKey[] = [];
  private collecting = false;
  private wrap: CompanyKey | null = null;
  /** A label's instruction wrapped onto the next line (`企业名称（填写企业全` / `称并盖章）`). */
  private inInstruction = false;

  private set(key: CompanyKey, value: string): void {
    if (!this.raw.get(key)?.trim()) this.raw.set(key, value);
  }

  /** Gives the text to the labels still waiting for a value, typed values matched by shape. */
  private resolve(text: string): void {
    const keys = this.pending;
    this.pending = [];
    if (keys.length === 1) return this.set(keys[0] as CompanyKey, text);
    const parts = text.trim().split(/\s+/);
    if (parts.length === keys.length) return keys.forEach((k, i) => this.set(k, parts[i] ?? ''));
    for (let i = keys.length - 1; i > 0; i--) {
      const key = keys[i] as CompanyKey;
      const shape = SHAPES[key];
      const last = parts[parts.length - 1];
      if (shape && last !== undefined && parts.length > 1 && shape.test(last)) this.set(key, parts.pop() ?? '');
    }
    this.set(keys[0] as CompanyKey, parts.join(' '));
  }

  read(whole: Unit): void {
    let unit = whole;
    if (this.inInstruction) {
      const close = unit.text.search(/[）)】\]]/);
      if (close < 0) return;
      this.inInstruction = false;
      unit = { ...unit, text: unit.text.slice(close + 1).replace(/^\s*[:：]/, '') };
      if (isBlank(unit.text)) return;
    }
    const hits = COMPANY_LABELS.find(unit.text);
    if (hits.length === 0) return this.unlabelled(unit);
    this.started = true;
    const prefix = unit.text.slice(0, hits[0]?.start ?? 0);
    if (this.pending.length > 0 && !isBlank(prefix)) this.resolve(prefix);
    this.pending = [];
    this.collecting = false;
    this.wrap = null;
    hits.forEach((hit, i) => {
      const next = hits[i + 1];
      // Blanks before the next label separate the two; only a value that ends its line keeps
      // a trailing blank, which tells a wrapped value to go on after a space (市场部 | 经理).
      const value = next ? unit.text.slice(hit.end, next.start).trimEnd() : unit.text.slice(hit.end);
      if (hit.key === 'mainBusiness') {
        this.business.push(value);
        this.collecting = i === hits.length - 1;
      } else if (isBlank(value)) {
        this.pending.push(hit.key);
        if (hit.openBracket) this.inInstruction = true;
      } else {
        this.set(hit.key, value);
        if (unit.fromLine && WRAPPABLE.has(hit.key)) this.wrap = hit.key;
      }
    });
  }

  private unlabelled(unit: Unit): void {
    if (isBlank(unit.text)) {
      // An empty cell is the (blank) value of the label before it; a PDF has no empty lines.
      if (!unit.fromLine || unit.tabbed) this.pending = [];
      return;
    }
    if (this.pending.length > 0) {
      const last = this.pending[this.pending.length - 1];
      this.resolve(unit.text);
      // A value in the cell after its label may wrap on too (PDF lines with tab-separated cells).
      this.wrap = unit.fromLine && last && WRAPPABLE.has(last) ? last : null;
    } else if (this.collecting) {
      // Lines of a PDF may cut an option in two (`其` / `他软件`).
      const last = this.business.length - 1;
      const cut = unit.fromLine && /\p{Script=Han}$/u.test(this.business[last] ?? '') && /^\p{Script=Han}/u.test(unit.text);
      if (cut) this.business[last] += unit.text;
      else this.business.push(unit.text);
    } else if (this.wrap && unit.fromLine && unit.col === 0) {
      const before = this.raw.get(this.wrap) ?? '';
      this.raw.set(this.wrap, UNBROKEN.has(this.wrap) ? before.trimEnd() + unit.text.trim() : joinWrapped(before, unit.text));
    }
  }
}

function text(raw: string | undefined): string | null {
  return normaliseText(raw);
}

function ascii(raw: string | undefined): string | null {
  return normaliseText(raw, { allAscii: true });
}

/** Web sites and e-mail addresses hold no blanks: a blank is a PDF line wrap (`future-` / `ai.com`). */
function address(raw: string | undefined): string | null {
  const value = ascii(raw);
  return value && /^[\x21-\x7e ]+$/.test(value) ? value.replace(/ /g, '') : value;
}

function postalCode(raw: string | undefined): string | null {
  const value = ascii(raw);
  return value !== null && /\d/.test(value) ? value.replace(/\D/g, '') : value;
}

/**
 * A table row of labels alone over a row of values (`企业名称 | 法人代表姓名` above
 * `武汉… | 张三`): put each value after its label, as if they shared a row.
 */
export function interleaveLabelRows(units: Unit[]): Unit[] {
  const rows: Unit[][] = [];
  for (const unit of units) {
    const last = rows[rows.length - 1];
    if (last && last[0]?.row === unit.row) last.push(unit);
    else rows.push([unit]);
  }
  const out: Unit[] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const next = rows[r + 1];
    const labelsOnly = (u: Unit): boolean => {
      const hits = COMPANY_LABELS.find(u.text);
      return hits.length === 1 && isBlank(u.text.slice(hits[0]?.end ?? 0)) && isBlank(u.text.slice(0, hits[0]?.start ?? 0));
    };
    const valuesOnly = (u: Unit): boolean => COMPANY_LABELS.find(u.text).length === 0;
    if (row.length >= 2 && next && next.length === row.length && row.every(labelsOnly) && next.every(valuesOnly)) {
      row.forEach((label, c) => out.push(label, next[c] as Unit));
      r++;
    } else out.push(...row);
  }
  return out;
}

export function readCompany(units: Unit[]): Company {
  const reader = new CompanyReader();
  for (const unit of interleaveLabelRows(units)) {
    // Headings before the first label (`附件2：`, the title) end nothing.
    if (reader.started && endsCompanyPart(unit)) break;
    reader.read(unit);
  }
  const r = reader.raw;
  return {
    name: text(r.get('name')),
    legalRepresentative: text(r.get('legalRepresentative')),
    website: address(r.get('website')),
    address: text(r.get('address')),
    postalCode: postalCode(r.get('postalCode')),
    mainBusiness: parseTicks(reader.business.join('\t')),
    contact: {
      name: text(r.get('contactName')),
      phone: ascii(r.get('phone')),
      email: address(r.get('email')),
      position: text(r.get('position')),
    },
  };
}
