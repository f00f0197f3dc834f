/**
 * File names staff save on Windows: a name a company chose (or a hostile one) must become a
 * plain file name there. Pure: the federation package and every download use it.
 */

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Windows forbids these in names; control characters and bidi overrides hide or reorder text.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

export const MAX_NAME_CHARS = 100;

/** Without trailing dots and spaces (Windows drops them, so `a.` and `a` would clash). */
function trimDotsAndSpaces(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '.' || s[end - 1] === ' ')) end--;
  return s.slice(0, end);
}

/** Cuts to `max` code points, never inside a surrogate pair. */
function cut(s: string, max: number): string {
  const points = Array.from(s);
  return points.length <= max ? s : points.slice(0, max).join('');
}

/**
 * A Windows-safe file (or folder) name: forbidden characters become `_`, no trailing dot or
 * space, no reserved device name (CON, PRN, AUX, NUL, COM1…, LPT1… with any extension), at
 * most `max` characters with the extension kept. Never empty.
 */
export function safeFileName(name: string, max = MAX_NAME_CHARS, fallback = '未命名'): string {
  const s = name.normalize('NFC').replace(FORBIDDEN, '_').replace(/\s+/g, ' ').trim();
  const dot = s.lastIndexOf('.');
  let ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
  let stem = ext ? s.slice(0, dot) : s;
  stem = trimDotsAndSpaces(stem);
  ext = trimDotsAndSpaces(ext);
  if (ext === '.') ext = '';
  if (stem === '') stem = fallback;
  if (RESERVED.test(stem) || RESERVED.test(stem.split('.')[0] ?? '')) stem = `_${stem}`;
  stem = trimDotsAndSpaces(cut(stem, Math.max(1, max - Array.from(ext).length))) || fallback;
  return `${stem}${ext}`;
}

/** The extension (`.pdf`) of a name's last path segment, lower case; '' when none. */
export function extensionOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(base);
  return m ? `.${(m[1] ?? '').toLowerCase()}` : '';
}

/** Names already used in one folder get ` (2)`, ` (3)` … before the extension. */
export function uniqueIn(used: Set<string>, name: string): string {
  let candidate = name;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) {
    const dot = name.lastIndexOf('.');
    candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
  }
  used.add(candidate.toLowerCase());
  return candidate;
}
