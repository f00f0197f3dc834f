/**
 * Percent cells (form-fields.md): a number, "无" when the applicant answered "none",
 * null when the cell is blank. Text with neither a number nor a "none" word is null too:
 * Percent has no room for it, and the rules then report the field as missing.
 */
import type { Percent } from '../domain/form';
import { toHalfWidth } from './text';

/** Answers meaning "none": 无, 没有, 暂无, a dash or a slash (and their common variants). */
const NONE = /^(无|没有|暂无|无出口|暂无出口|无收入|不适用|不涉及|n\/?a|[/\\]|[-－—–―‐]+)[。.]?$/i;

export function isNoneAnswer(raw: string): boolean {
  return NONE.test(toHalfWidth(raw, true).replace(/\s+/g, ''));
}

export function normalisePercent(raw: string | null | undefined): Percent {
  if (raw === null || raw === undefined) return null;
  const text = toHalfWidth(raw, true).replace(/[\s_]+/g, '');
  if (text === '') return null;
  if (isNoneAnswer(text)) return '无';
  // A number written with a percent sign wins over other numbers (`2022年占35%`).
  const withSign = /(?<![\d.])(\d+(?:\.\d+)?)%/.exec(text);
  const first = withSign ?? /\d+(?:\.\d+)?/.exec(text);
  if (first) return Number(withSign ? withSign[1] : first[0]);
  // 无 followed by an explanation (`无（未出口）`) is still "none".
  if (/^(无|没有|暂无)/.test(text)) return '无';
  return null;
}
