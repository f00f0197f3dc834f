/**
 * The fields of a 计算机软件著作权登记证书 from its text or OCR text (cross-checks.md §1).
 *
 * A certificate is a list of `label：value` lines (证书号, 软件名称, 著作权人, 开发完成日期,
 * 首次发表日期, 权利取得方式, 权利范围, 登记号), then the registration date at its foot. PDF
 * text and OCR put spaces inside labels and values (`著 作 权 人`, `软著登字第 10234567 号`,
 * `光谷数智 MES 制造执行系统 V5.0`), lose a colon, or join two fields of one table row on a
 * line; so labels are found anywhere in the text, blanks allowed between their characters,
 * and each value runs to the next label or the end of its line.
 */
import type { Certificate } from '../domain/document';
import { normaliseDate } from './date';
import { trimChars, trimEndChars, trimStartChars } from '../domain/trim';
import { compact, tidySpaces, toHalfWidth } from './text';
import { splitVersion } from './version';

type Key = 'certificateNumber' | 'softwareName' | 'version' | 'owner' | 'completedOn' | 'firstPublishedOn' | 'registrationNumber' | 'registeredOn' | 'skip';

/** Labels in the order they are tried at one place (longer first where one contains another). */
const LABELS: ReadonlyArray<[Key, string]> = [
  ['certificateNumber', '证书号'],
  ['certificateNumber', '证书编号'],
  ['softwareName', '软件全称'],
  ['softwareName', '软件名称'],
  ['version', '版本号'],
  ['owner', '著作权人'],
  ['completedOn', '开发完成日期'],
  ['firstPublishedOn', '首次发表日期'],
  ['skip', '权利取得方式'],
  ['skip', '权利范围'],
  ['registrationNumber', '登记号'],
  ['registeredOn', '登记日期'],
];

/** `著作权人` → /著\s*作\s*权\s*人/: blanks and tabs between a label's characters (distributed alignment, OCR). */
const labelSource = (label: string) => [...label].join('[ \\t\\u3000]*');
const LABEL_RE = new RegExp(`(${LABELS.map(([, l]) => labelSource(l)).join('|')})[ \\t\\u3000]*[:：]?[ \\t\\u3000]*`, 'g');
const keyOf = (matched: string): Key => LABELS.find(([, l]) => l === compact(matched).replace(/[:：]$/, ''))?.[0] ?? 'skip';

/** What says the text is a software copyright certificate (not a patent or other IP proof). */
const SOFTWARE_CERTIFICATE = /计算机软件著作权登记证书|软件著作权登记证书|软著登字|20\d{2}SR\d{4,}/i;

const OPEN = '（([【';
const CLOSE = '）)]】';

function clean(value: string): string | null {
  const v = trimChars(tidySpaces(toHalfWidth(value)), ':：;；,，。 \t');
  return v === '' ? null : v;
}

interface Field {
  key: Key;
  value: string;
  /** index of the line the label is on */
  line: number;
}

/** Each label found, with the text after it up to the next label or the end of its line. */
function fields(text: string): Field[] {
  const hits = [...text.matchAll(LABEL_RE)].map((m) => ({ key: keyOf(m[1] ?? ''), start: m.index, end: m.index + m[0].length }));
  return hits.map((h, i) => {
    const next = hits[i + 1]?.start ?? text.length;
    const eol = text.indexOf('\n', h.end);
    const stop = Math.min(next, eol === -1 ? text.length : eol);
    const line = text.slice(0, h.start).split('\n').length - 1;
    return { key: h.key, value: text.slice(h.end, Math.max(h.end, stop)), line };
  });
}

/** `云帆智能审批平台（简称：云帆审批）V3.0` → name `云帆智能审批平台V3.0`, short name `云帆审批`. */
function splitShortName(raw: string): { name: string | null; shortName: string | null } {
  const mark = /简[ \t]?称/.exec(raw);
  if (!mark) return { name: clean(raw), shortName: null };
  let before = trimEndChars(raw.slice(0, mark.index), ' \t');
  const bracketed = before !== '' && OPEN.includes(before[before.length - 1] as string);
  if (bracketed) before = before.slice(0, -1);
  const after = trimStartChars(raw.slice(mark.index + mark[0].length), ':： \t');
  let end = 0;
  while (end < after.length && !(bracketed ? CLOSE : ' \t').includes(after[end] as string)) end += 1;
  return { name: clean(`${before} ${after.slice(end + 1)}`), shortName: clean(after.slice(0, end)) };
}

/** The last line after every field that is only a date: the certificate's foot (登记日期 / the seal's date). */
function footDate(text: string, after: number): string | null {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i > after; i -= 1) {
    const line = compact(lines[i] ?? '');
    if (line === '') continue;
    if (line.length <= 16 && /^[\d〇零一二三四五六七八九十]{4}年.{1,10}日$|^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(line)) {
      const date = normaliseDate(line);
      if (date) return date;
    }
  }
  return null;
}

/**
 * Every number is 软著登字第…号; OCR misreads the 登 (`软著合字第10234999号`), so a number of
 * that shape is written with it. Anything else stays as written.
 */
function certificateNumber(value: string): string {
  const v = value.replace(/\s+/g, '');
  const m = /^软著.字第(\d{4,12})号/.exec(v);
  return m ? `软著登字第${m[1]}号` : v;
}

const first = (all: Field[], key: Key): string | null => {
  for (const f of all) if (f.key === key) { const v = clean(f.value); if (v) return v; }
  return null;
};

/**
 * `read`'s fields, its empty ones filled from `more` (the same certificate read again, e.g. its
 * whole page after its top part): what was read first is never replaced.
 */
export function fillCertificate(read: Certificate | null, more: Certificate | null): Certificate | null {
  if (!read || !more) return read ?? more;
  const filled = { ...read };
  for (const key of Object.keys(filled) as (keyof Certificate)[]) filled[key] ??= more[key];
  return filled;
}

/** The certificate's fields; null when the text is no software copyright certificate or neither name nor owner could be read. */
export function extractCertificate(text: string | null | undefined): Certificate | null {
  if (!text) return null;
  const normal = toHalfWidth(text).replace(/\r\n?/g, '\n');
  if (!SOFTWARE_CERTIFICATE.test(compact(normal))) return null;
  const all = fields(normal);
  const rawName = all.find((f) => f.key === 'softwareName' && clean(f.value))?.value ?? null;
  const { name: softwareName, shortName } = rawName ? splitShortName(rawName) : { name: null, shortName: null };
  const owner = first(all, 'owner');
  if (softwareName === null && owner === null) return null;
  const versionLine = first(all, 'version');
  const version = versionLine ?? (softwareName ? splitVersion(softwareName).version : null);
  const published = first(all, 'firstPublishedOn');
  const lastField = all.reduce((max, f) => Math.max(max, f.line), -1);
  const number = first(all, 'certificateNumber');
  const registration = first(all, 'registrationNumber');
  return {
    certificateNumber: number ? certificateNumber(number) : null,
    registrationNumber: registration ? (/20\d{2}SR\d+/i.exec(registration.replace(/\s+/g, ''))?.[0].toUpperCase() ?? registration) : null,
    softwareName,
    shortName,
    version,
    owner,
    completedOn: normaliseDate(first(all, 'completedOn')),
    firstPublishedOn: published === null || /未\s*发\s*表/.test(published) ? null : normaliseDate(published),
    registeredOn: normaliseDate(first(all, 'registeredOn')) ?? footDate(normal, lastField),
  };
}
