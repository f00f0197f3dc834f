/**
 * RFC 5322 dates as found in `Date:` and `Received:` headers, with their zone
 * (`+0800`, `-0700`, `UTC`, `GMT`, the obsolete US names). A date we cannot read is null,
 * never "now" (mailparser turns an unreadable Date: into the current time).
 */
import type { RawHeader } from './raw-mime';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Obsolete zone names of RFC 5322 §4.3, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
};

const DATE_RE =
  /(\d{1,2})(?:\s*-\s*|\s+)([A-Za-z]{3})[A-Za-z]*\.?(?:\s*-\s*|\s+)(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5}\b)?/;

/**
 * Parses `Thu, 20 Jul 2023 23:30:00 +0800` and its variants. No zone, or an unknown one,
 * counts as UTC (RFC 5322 treats it as "-0000": no information). ISO-8601 is accepted too.
 */
export function parseMailDate(text: string | null | undefined): Date | null {
  if (!text) return null;
  const m = DATE_RE.exec(text);
  if (!m) return parseIso(text);
  const day = Number(m[1]);
  const month = MONTHS.indexOf((m[2] ?? '').toLowerCase());
  let year = Number(m[3]);
  if ((m[3] ?? '').length === 2) year += year < 50 ? 2000 : 1900;
  else if ((m[3] ?? '').length === 3) year += 1900;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] ? Number(m[6]) : 0;
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const offset = zoneMinutes(m[7]);
  const utc = Date.UTC(year, month, day, hour, minute, Math.min(second, 59)) - offset * 60_000;
  const date = new Date(utc);
  // Reject 31 Feb and the like: the calendar day must survive the round trip.
  if (new Date(Date.UTC(year, month, day)).getUTCMonth() !== month) return null;
  return Number.isNaN(date.getTime()) ? null : date;
}

function zoneMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return numeric[1] === '-' ? -minutes : minutes;
  }
  return ZONES[zone.toUpperCase()] ?? 0;
}

function parseIso(text: string): Date | null {
  const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/.exec(text);
  if (!iso) return null;
  const date = new Date(iso[0]);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The time stamped by the topmost `Received:` header (the text after its last `;`). */
export function firstReceivedAt(headers: RawHeader[]): Date | null {
  const received = headers.find((h) => h.key === 'received');
  if (!received) return null;
  const text = received.value.toString('latin1');
  const semi = text.lastIndexOf(';');
  return parseMailDate(semi >= 0 ? text.slice(semi + 1) : text);
}
